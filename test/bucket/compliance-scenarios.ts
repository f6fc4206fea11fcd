import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketEventType, EventHub, HubTarget, Monitoring, QueueWorker, SecureBucket, SecureFunction } from '../../src';
import { INLINE_CODE } from '../support/app';
import { ComplianceScenario } from '../support/compliance';

const NO_SUBSCRIBERS = 'cdk-bulwark:monitoring:no-subscribers @ BulwarkMonitoring';

/** Prop sets every profile is checked with. */
export const SCENARIOS: Record<string, ComplianceScenario> = {
  minimal: {
    warnings: [NO_SUBSCRIBERS],
    build: (stack, profile) => {
      new SecureBucket(stack, 'Uploads', { complianceProfile: profile });
    },
  },
  // The seeds' file transformation: uploads go to a queue worker, whose function reads the object.
  uploadsToWorker: {
    warnings: [NO_SUBSCRIBERS],
    build: (stack, profile) => {
      const uploads = new SecureBucket(stack, 'Uploads', { complianceProfile: profile });
      const worker = new QueueWorker(stack, 'Transform', { complianceProfile: profile, handlerProps: { code: INLINE_CODE, handler: 'index.handler' } });
      uploads.addEventRoute('ToTransform', { targets: [HubTarget.queue(worker.queue)] });
      uploads.grantRead(worker.handler);
    },
  },
  maximal: {
    build: (stack, profile) => {
      const monitoring = new Monitoring(stack, 'Monitoring', { complianceProfile: profile, emailAddresses: ['oncall@example.com'] });
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      const logs = new SecureBucket(stack, 'Logs', { complianceProfile: profile, monitoring });
      const reports = new SecureBucket(stack, 'Reports', {
        complianceProfile: profile,
        monitoring,
        key,
        noncurrentVersionExpiration: Duration.days(30),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
        lifecycleRules: [{ id: 'Archive', transitions: [{ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) }] }],
        serverAccessLogsBucket: logs.serverAccessLogsBucket,
        serverAccessLogsPrefix: 'reports/',
        removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
        eventBridgeEnabled: true,
        cors: { allowedOrigins: ['https://app.example.com'], maxAge: Duration.minutes(10) },
        alarms: { invocationsSentToDlq: { enabled: false }, failedInvocations: { threshold: 2 } },
      });
      const hub = new EventHub(stack, 'Hub', { complianceProfile: profile, monitoring });
      const fn = new SecureFunction(stack, 'Indexer', { complianceProfile: profile, monitoring, code: INLINE_CODE, handler: 'index.handler' });
      reports.addEventRoute('ToHub', { targets: [HubTarget.eventBus(hub.eventBus)], events: [BucketEventType.OBJECT_CREATED, BucketEventType.OBJECT_DELETED] });
      reports.addEventRoute('Csv', { targets: [HubTarget.lambdaFunction(fn.lambdaFunction)], keyPrefix: 'incoming/', keySuffix: '.csv', retryAttempts: 10 });
      hub.addRoute('Reports', { eventPattern: reports.eventPattern({ keyPrefix: 'incoming/' }), targets: [HubTarget.lambdaFunction(fn.lambdaFunction)] });
      reports.grantReadWrite(fn.lambdaFunction, 'incoming/*');
      reports.grantPut(fn.lambdaFunction);
    },
  },
};
