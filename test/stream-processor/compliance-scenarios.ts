import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ComplianceProfile, Monitoring, SecureFunction, StreamProcessor } from '../../src';
import { INLINE_CODE } from '../support/app';
import { ComplianceScenario } from '../support/compliance';

const NO_SUBSCRIBERS = 'cdk-bulwark:monitoring:no-subscribers @ BulwarkMonitoring';

/** Prop sets every profile is checked with. */
export const SCENARIOS: Record<string, ComplianceScenario> = {
  minimal: {
    warnings: [NO_SUBSCRIBERS],
    build: (stack, profile) => {
      new StreamProcessor(stack, 'Clicks', { complianceProfile: profile, handlerProps: { code: INLINE_CODE, handler: 'index.handler' } });
    },
  },
  maximal: {
    build: (stack, profile) => {
      const monitoring = new Monitoring(stack, 'Monitoring', { complianceProfile: profile, emailAddresses: ['oncall@example.com'] });
      const clicks = new StreamProcessor(stack, 'Clicks', {
        complianceProfile: profile,
        monitoring,
        handlerProps: { code: INLINE_CODE, handler: 'index.handler', timeout: Duration.seconds(30) },
        shardCount: 2,
        retentionPeriod: Duration.hours(48),
        streamName: 'clicks-stream',
        removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
        enhancedFanOut: true,
        batchSize: 500,
        maxBatchingWindow: Duration.seconds(5),
        startingPosition: lambda.StartingPosition.AT_TIMESTAMP,
        startingPositionTimestamp: 1767225600,
        parallelizationFactor: 2,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(12),
        alarms: { writeThrottles: { threshold: 5 }, iteratorAge: { maxAge: Duration.minutes(1) }, handlerThrottles: { enabled: false } },
      });
      const producer = new SecureFunction(stack, 'Producer', { complianceProfile: profile, monitoring, code: INLINE_CODE, handler: 'index.handler' });
      clicks.grantWrite(producer);
    },
  },
  // A key of yours in STANDARD: AwsSolutions-KDS3 (a customer-managed key's cost) stays visible.
  ownKey: {
    profiles: [ComplianceProfile.STANDARD],
    warnings: [NO_SUBSCRIBERS],
    userFindings: () => ['AwsSolutions-KDS3 @ Clicks/Stream/Resource'],
    build: (stack, profile) => {
      new StreamProcessor(stack, 'Clicks', {
        complianceProfile: profile,
        handlerProps: { code: INLINE_CODE, handler: 'index.handler' },
        key: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
      });
    },
  },
};
