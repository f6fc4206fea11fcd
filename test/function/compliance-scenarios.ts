import { Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ComplianceProfile, Monitoring, SecureFunction } from '../../src';
import { INLINE_CODE, NO_SUBSCRIBERS } from '../support/app';
import { ComplianceScenario } from '../support/compliance';

const HANDLER = { code: INLINE_CODE, handler: 'index.handler' };

/** Prop sets SecureFunction's compliance is checked with. */
export const SCENARIOS: Record<string, ComplianceScenario> = {
  'minimal': {
    warnings: [`${NO_SUBSCRIBERS} @ BulwarkMonitoring`],
    build: (stack, profile) => {
      new SecureFunction(stack, 'Fn', { ...HANDLER, complianceProfile: profile });
    },
  },
  'maximal': {
    build: (stack, profile) => {
      const monitoring = new Monitoring(stack, 'Monitoring', { complianceProfile: profile, emailAddresses: ['oncall@example.com'] });
      new SecureFunction(stack, 'Fn', {
        ...HANDLER,
        complianceProfile: profile,
        monitoring,
        key: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
        runtime: lambda.Runtime.NODEJS_24_X,
        architecture: lambda.Architecture.X86_64,
        memorySize: 2048,
        timeout: Duration.minutes(2),
        description: 'Every prop set',
        environment: { STAGE: 'prod' },
        applicationLogLevel: lambda.ApplicationLogLevel.WARN,
        logRetention: logs.RetentionDays.TWO_YEARS,
        reservedConcurrentExecutions: 5,
        asyncRetryAttempts: 0,
        asyncMaxEventAge: Duration.minutes(30),
        alarms: { errors: { threshold: 2, evaluationPeriods: 3 }, throttles: { enabled: false } },
      });
    },
  },
  // The user's own log group and dead-letter queue: their findings stay visible (SQS3 is met: the
  // function's DeadLetterConfig points at the queue).
  'bring-your-own': {
    warnings: [`${NO_SUBSCRIBERS} @ BulwarkMonitoring`],
    userFindings: (profile) => [
      'AwsSolutions-SQS4 @ OwnDlq/Resource',
      'Serverless-SQSRedrivePolicy @ OwnDlq/Resource',
      ...(profile === ComplianceProfile.REGULATED ? [
        'HIPAA.Security-CloudWatchLogGroupEncrypted @ OwnLogs/Resource',
        'NIST.800.53.R5-CloudWatchLogGroupEncrypted @ OwnLogs/Resource',
        'PCI.DSS.321-CloudWatchLogGroupEncrypted @ OwnLogs/Resource',
      ] : []),
    ],
    build: (stack, profile) => {
      new SecureFunction(stack, 'Fn', {
        ...HANDLER,
        complianceProfile: profile,
        logGroup: new logs.LogGroup(stack, 'OwnLogs', { retention: logs.RetentionDays.ONE_MONTH }),
        deadLetterQueue: new sqs.Queue(stack, 'OwnDlq'),
      });
    },
  },
};
