import { Duration, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as expected from './expected-acknowledgements.json';
import { ComplianceProfile, Monitoring, QueueWorker, SecureFunction, SecureTopic } from '../../src';
import { FLAG_SETS, INLINE_CODE, testApp, testStack } from '../support/app';
import { complianceReport, COMPLIANCE_CONTEXT, failingFindings, lines } from '../support/compliance';

const HANDLER = { code: INLINE_CODE, handler: 'index.handler' };

/** Prop sets every profile is checked with. */
const SCENARIOS: Record<string, (stack: Stack, profile: ComplianceProfile) => void> = {
  minimal: (stack, profile) => {
    new SecureTopic(stack, 'Topic', { complianceProfile: profile });
  },
  maximal: (stack, profile) => {
    const monitoring = new Monitoring(stack, 'Monitoring', { complianceProfile: profile, emailAddresses: ['oncall@example.com'] });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const topic = new SecureTopic(stack, 'Topic', {
      complianceProfile: profile,
      monitoring,
      key,
      displayName: 'Order events',
      alarms: {
        notificationsFailed: { threshold: 2, period: Duration.minutes(1), evaluationPeriods: 3, datapointsToAlarm: 2 },
        deadLetterQueueMessages: { threshold: 1 },
      },
    });
    const worker = new QueueWorker(stack, 'Worker', { complianceProfile: profile, monitoring, handlerProps: HANDLER });
    topic.subscribeQueue('Worker', worker.queue, {
      rawMessageDelivery: true,
      filterPolicy: { type: sns.SubscriptionFilter.stringFilter({ allowlist: ['created', 'updated'] }) },
    });
    const fn = new SecureFunction(stack, 'Audit', { ...HANDLER, complianceProfile: profile, monitoring });
    topic.subscribeFunction('Audit', fn.lambdaFunction, {
      filterPolicyWithMessageBody: { total: sns.FilterOrPolicy.filter(sns.SubscriptionFilter.numericFilter({ greaterThan: 100 })) },
    });
    topic.grantPublish(fn);
  },
  fifo: (stack, profile) => {
    const topic = new SecureTopic(stack, 'Topic', { complianceProfile: profile, fifo: true, contentBasedDeduplication: true });
    const worker = new QueueWorker(stack, 'Worker', { complianceProfile: profile, fifo: true, handlerProps: HANDLER });
    topic.subscribeQueue('Worker', worker.queue);
  },
};

const PROFILES = [ComplianceProfile.STANDARD, ComplianceProfile.REGULATED];
const CASES = Object.entries(FLAG_SETS).flatMap(([flagSet, flags]) =>
  PROFILES.flatMap((profile) => Object.keys(SCENARIOS).map((scenario) => ({ flagSet, flags, profile, scenario }))));

/** The construct warnings each scenario leaves, all acknowledgeable. */
const EXPECTED_WARNINGS: Record<string, string[]> = {
  minimal: ['cdk-bulwark:monitoring:no-subscribers @ BulwarkMonitoring', 'cdk-bulwark:topic:no-subscriptions @ Topic'],
  maximal: [],
  fifo: ['cdk-bulwark:monitoring:no-subscribers @ BulwarkMonitoring'],
};

describe('SecureTopic compliance', () => {
  test.each(CASES)('$profile, $scenario props, $flagSet', ({ flags, profile, scenario }) => {
    const app = testApp(flags, { context: COMPLIANCE_CONTEXT });
    const stack = testStack(app);
    SCENARIOS[scenario](stack, profile);

    const report = complianceReport(app);

    expect(lines(failingFindings(report, profile))).toEqual([]);
    expect(lines(report.unusedAcknowledgements)).toEqual([]);
    expect(lines(report.warnings)).toEqual(EXPECTED_WARNINGS[scenario]);
    expect(lines(report.acknowledgements)).toEqual((expected as Record<string, string[]>)[`${profile} ${scenario}`]);
    // Every acknowledgement says which of the four classes it belongs to.
    for (const ack of report.acknowledgements) {
      expect(ack.reason).toMatch(/^\[(false positive|AWS requirement or limit|pack conflict or harmful remedy|priced feature)\] \S/);
    }
  });

  test('a dead-letter queue of your own is not acknowledged: its findings stay visible', () => {
    const app = testApp({}, { context: COMPLIANCE_CONTEXT });
    const stack = testStack(app);
    const topic = new SecureTopic(stack, 'Topic');
    const subscriber = new sqs.Queue(stack, 'Subscriber', { enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED });
    const deadLetterQueue = new sqs.Queue(stack, 'MyDeadLetterQueue', { enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED });
    topic.subscribeQueue('Q', subscriber, { deadLetterQueue });

    const report = complianceReport(app);

    expect(lines(failingFindings(report, ComplianceProfile.STANDARD)).filter((l) => l.includes('MyDeadLetterQueue'))).toEqual([
      'AwsSolutions-SQS3 @ MyDeadLetterQueue/Resource',
      'Serverless-SQSRedrivePolicy @ MyDeadLetterQueue/Resource',
    ]);
    expect(lines(report.acknowledgements)).toEqual([]);
  });

  test('STANDARD leaves no HIPAA, NIST or PCI finding on the topic and its dead-letter queues', () => {
    const app = testApp({}, { context: COMPLIANCE_CONTEXT });
    const stack = testStack(app);
    const topic = new SecureTopic(stack, 'Topic', { complianceProfile: ComplianceProfile.STANDARD });
    topic.subscribeQueue('Q', new sqs.Queue(stack, 'Subscriber', { enforceSSL: true }));

    const report = complianceReport(app);

    expect(lines(report.findings.filter((f) => f.path.startsWith('Topic/')))).toEqual([]);
  });
});
