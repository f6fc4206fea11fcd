import { Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Monitoring, QueueWorker, SecureFunction, SecureTopic } from '../../src';
import { INLINE_CODE } from '../support/app';
import { ComplianceScenario } from '../support/compliance';

const HANDLER = { code: INLINE_CODE, handler: 'index.handler' };

/** Prop sets every profile is checked with. */
export const SCENARIOS: Record<string, ComplianceScenario> = {
  minimal: {
    warnings: ['cdk-bulwark:monitoring:no-subscribers @ BulwarkMonitoring', 'cdk-bulwark:topic:no-subscriptions @ Topic'],
    build: (stack, profile) => {
      new SecureTopic(stack, 'Topic', { complianceProfile: profile });
    },
  },
  maximal: {
    build: (stack, profile) => {
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
  },
  fifo: {
    warnings: ['cdk-bulwark:monitoring:no-subscribers @ BulwarkMonitoring'],
    build: (stack, profile) => {
      const topic = new SecureTopic(stack, 'Topic', { complianceProfile: profile, fifo: true, contentBasedDeduplication: true });
      const worker = new QueueWorker(stack, 'Worker', { complianceProfile: profile, fifo: true, handlerProps: HANDLER });
      topic.subscribeQueue('Worker', worker.queue);
    },
  },
};
