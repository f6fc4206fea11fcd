import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Monitoring, QueueWorker, SecureFunction } from '../../src';
// Imported from their modules, not the index: src/index.ts exports them once the maintainers add the lines.
import { HubTarget } from '../../src/core/hub-target';
import { EventHub } from '../../src/event-hub/event-hub';
import { INLINE_CODE } from '../support/app';
import { ComplianceScenario } from '../support/compliance';

export const ARN = {
  stateMachine: 'arn:aws:states:eu-west-1:123456789012:stateMachine:fulfil',
  bus: 'arn:aws:events:eu-west-1:210987654321:event-bus/analytics',
};

/** Prop sets every profile is checked with. */
export const SCENARIOS: Record<string, ComplianceScenario> = {
  minimal: {
    warnings: ['cdk-bulwark:monitoring:no-subscribers @ BulwarkMonitoring'],
    build: (stack, profile) => {
      new EventHub(stack, 'Hub', { complianceProfile: profile });
    },
  },
  maximal: {
    build: (stack, profile) => {
      const monitoring = new Monitoring(stack, 'Monitoring', { complianceProfile: profile, emailAddresses: ['oncall@example.com'] });
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      const fn = new SecureFunction(stack, 'Fn', { code: INLINE_CODE, handler: 'index.handler', complianceProfile: profile, monitoring });
      const worker = new QueueWorker(stack, 'Worker', {
        complianceProfile: profile, monitoring, handlerProps: { code: INLINE_CODE, handler: 'index.handler' },
      });
      const fifoWorker = new QueueWorker(stack, 'FifoWorker', {
        complianceProfile: profile, monitoring, fifo: true, contentBasedDeduplication: true, handlerProps: { code: INLINE_CODE, handler: 'index.handler' },
      });
      const hub = new EventHub(stack, 'Hub', {
        complianceProfile: profile,
        monitoring,
        key,
        publisherAccountIds: ['111122223333', '444455556666'],
        archiveRetention: Duration.days(90),
        retryAttempts: 20,
        maxEventAge: Duration.hours(2),
        routes: [{
          id: 'Paid',
          eventPattern: { source: ['shop.orders'], detailType: ['OrderPaid'], detail: { total: events.Match.greaterThan(0) } },
          targets: [
            HubTarget.lambdaFunction(fn.lambdaFunction),
            HubTarget.queue(worker.queue),
            HubTarget.queue(fifoWorker.queue, { messageGroupId: 'orders' }),
            HubTarget.stateMachine(sfn.StateMachine.fromStateMachineArn(stack, 'Fulfil', ARN.stateMachine)),
            HubTarget.topic(new sns.Topic(stack, 'Notifications', { masterKey: key, enforceSSL: true })),
          ],
          description: 'Paid orders',
          retryAttempts: 5,
          maxEventAge: Duration.minutes(30),
        }],
        alarms: {
          deadLetterQueueMessages: { threshold: 1, evaluationPeriods: 2, datapointsToAlarm: 1 },
          failedInvocations: { threshold: 2 },
          invocationsSentToDlq: { period: Duration.minutes(1) },
          scheduleInvocationsFailedToBeSentToDlq: { enabled: false },
        },
      });
      hub.addRoute('Forward', {
        eventPattern: { source: events.Match.prefix('shop.') },
        targets: [HubTarget.eventBus(events.EventBus.fromEventBusArn(stack, 'Analytics', ARN.bus))],
        separateDeadLetterQueue: true,
        enabled: false,
      });
      hub.addSchedule('Nightly', {
        schedule: scheduler.ScheduleExpression.cron({ minute: '0', hour: '2' }),
        target: HubTarget.queue(worker.queue),
        input: scheduler.ScheduleTargetInput.fromObject({ job: 'reconcile' }),
        description: 'Nightly reconciliation',
        timeWindow: scheduler.TimeWindow.flexible(Duration.minutes(15)),
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
      });
      hub.addSchedule('Once', {
        schedule: scheduler.ScheduleExpression.expression('at(2030-01-01T00:00:00)'),
        target: HubTarget.lambdaFunction(fn.lambdaFunction),
      });
    },
  },
};
