import { Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ComplianceProfile, Monitoring, QueueWorker } from '../../src';
import { INLINE_CODE, NO_SUBSCRIBERS } from '../support/app';
import { ComplianceScenario } from '../support/compliance';

const HANDLER = { code: INLINE_CODE, handler: 'index.handler' };
const NO_SUBSCRIBERS_WARNING = `${NO_SUBSCRIBERS} @ BulwarkMonitoring`;

/** What the user's own plain L2 function and dead-letter queue leave visible: their choices, never acknowledged for them. */
const USER_FINDINGS = [
  'Serverless-SQSRedrivePolicy @ OwnDlq/Resource',
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole] @ Own/ServiceRole/Resource',
  'Serverless-LambdaDLQ @ Own/Resource',
  'Serverless-LambdaDefaultMemorySize @ Own/Resource',
  'Serverless-LambdaTracing @ Own/Resource',
];

/** Prop sets every profile is checked with. */
export const SCENARIOS: Record<string, ComplianceScenario> = {
  'minimal': {
    warnings: [NO_SUBSCRIBERS_WARNING],
    build: (stack, profile) => {
      new QueueWorker(stack, 'Worker', { complianceProfile: profile, handlerProps: HANDLER });
    },
  },
  'maximal': {
    build: (stack, profile) => {
      const monitoring = new Monitoring(stack, 'Monitoring', { complianceProfile: profile, emailAddresses: ['oncall@example.com'] });
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      new QueueWorker(stack, 'Worker', {
        complianceProfile: profile,
        monitoring,
        key,
        visibilityTimeout: Duration.minutes(10),
        retentionPeriod: Duration.days(7),
        maxReceiveCount: 8,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(20),
        maxConcurrency: 20,
        alarms: {
          oldestMessageAge: { maxAge: Duration.minutes(5), evaluationPeriods: 3, datapointsToAlarm: 2 },
          handlerErrors: { threshold: 5 },
        },
        handlerProps: {
          ...HANDLER,
          description: 'Processes orders',
          memorySize: 1024,
          timeout: Duration.seconds(60),
          environment: { TABLE: 'orders' },
          applicationLogLevel: lambda.ApplicationLogLevel.DEBUG,
          logRetention: logs.RetentionDays.SIX_MONTHS,
          reservedConcurrentExecutions: 25,
          asyncRetryAttempts: 1,
          asyncMaxEventAge: Duration.hours(1),
        },
      });
    },
  },
  'fifo': {
    warnings: [NO_SUBSCRIBERS_WARNING],
    build: (stack, profile) => {
      new QueueWorker(stack, 'Worker', {
        complianceProfile: profile, fifo: true, contentBasedDeduplication: true, batchSize: 5, handlerProps: HANDLER,
      });
    },
  },
  // The user brings a plain L2 function and a queue of their own: the library adds its event source
  // mapping acknowledgement (a false positive whatever the function), and the findings of the user's
  // own resources stay visible.
  'bring-your-own': {
    warnings: [NO_SUBSCRIBERS_WARNING],
    userFindings: (profile, flagSet) => profile === ComplianceProfile.STANDARD ? USER_FINDINGS : [
      ...USER_FINDINGS,
      'HIPAA.Security-IAMNoInlinePolicy @ Own/ServiceRole/DefaultPolicy/Resource',
      'HIPAA.Security-LambdaConcurrency @ Own/Resource',
      'HIPAA.Security-LambdaDLQ @ Own/Resource',
      'HIPAA.Security-LambdaInsideVPC @ Own/Resource',
      'NIST.800.53.R5-IAMNoInlinePolicy @ Own/ServiceRole/DefaultPolicy/Resource',
      'NIST.800.53.R5-LambdaConcurrency @ Own/Resource',
      'NIST.800.53.R5-LambdaDLQ @ Own/Resource',
      'NIST.800.53.R5-LambdaInsideVPC @ Own/Resource',
      'PCI.DSS.321-IAMNoInlinePolicy @ Own/ServiceRole/DefaultPolicy/Resource',
      'PCI.DSS.321-LambdaInsideVPC @ Own/Resource',
      // With the recommended flags, CDK creates an (unencrypted) log group for a plain function.
      ...(flagSet === 'recommended feature flags' ? [
        'HIPAA.Security-CloudWatchLogGroupEncrypted @ Own/LogGroup/Resource',
        'NIST.800.53.R5-CloudWatchLogGroupEncrypted @ Own/LogGroup/Resource',
        'PCI.DSS.321-CloudWatchLogGroupEncrypted @ Own/LogGroup/Resource',
      ] : []),
    ],
    build: (stack, profile) => {
      const handler = new lambda.Function(stack, 'Own', { runtime: lambda.Runtime.NODEJS_24_X, ...HANDLER, timeout: Duration.seconds(10) });
      const dlq = new sqs.Queue(stack, 'OwnDlq', { enforceSSL: true, retentionPeriod: Duration.days(14) });
      const queue = new sqs.Queue(stack, 'OwnQueue', {
        enforceSSL: true, visibilityTimeout: Duration.minutes(1), deadLetterQueue: { queue: dlq, maxReceiveCount: 5 },
      });
      new QueueWorker(stack, 'Worker', { complianceProfile: profile, handler, queue });
    },
  },
};
