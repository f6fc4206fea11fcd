import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmMeasure, AlarmSpec } from '../private/alarm-set';
import { deadLetterQueueAlarm } from '../private/dead-letter-queue';
import { EVENTS_ALARM_DEFAULTS } from '../private/defaults/events';
import { SCHEDULE_GROUP_ALARMS } from '../private/schedules';

// Internal to the library (not re-exported from index.ts): the alarms and dashboard widgets of an EventHub.

/** How to replay events from the archive, for alarm descriptions. */
const REPLAY = 'Replay the failure window from the hub\'s archive (EventBridge console > Archives > Start replay, limited to the rule; '
  + 'or aws events start-replay), or re-put the dead-letter message bodies with aws events put-events.';
const replay = `${REPLAY.charAt(0).toLowerCase()}${REPLAY.slice(1)}`;

/** The alarms of an EventHub, keyed like `EventHubAlarmsProps`. `where` names the route, queue or hub. */
export const EVENT_HUB_ALARMS = {
  deadLetterQueueMessages: deadLetterQueueAlarm('deadLetterQueueMessages', ({ where }) =>
    `Events that could not be delivered are in the dead-letter queue of ${where}. `
    + 'Inspect them: SQS console > the queue > Send and receive messages > Poll for messages. Rule deliveries carry RULE_ARN, TARGET_ARN, ERROR_CODE '
    + 'and ERROR_MESSAGE attributes, schedules X-Amz-Scheduler-* attributes, and the bus\'s own failures (KMS errors) the encrypted event. '
    + 'Fix the cause (target permissions, deleted or throttled target, disabled key). '
    + `${REPLAY} Then delete the messages. They expire after the queue's retention period (14 days for queues the hub creates).`),
  failedInvocations: {
    id: 'FailedInvocationsAlarm',
    option: 'failedInvocations',
    measure: AlarmMeasure.COUNT,
    defaults: EVENTS_ALARM_DEFAULTS.failedInvocations,
    describe: ({ where }) => `EventBridge could not deliver events of ${where} to a target after every retry (FailedInvocations). `
      + 'They are in the route\'s dead-letter queue; each message names the rule and target (RULE_ARN, TARGET_ARN) and the error (ERROR_CODE, ERROR_MESSAGE). '
      + `Fix the target (missing permission, deleted resource, throttling), then ${replay}`,
  },
  invocationsSentToDlq: {
    id: 'InvocationsSentToDlqAlarm',
    option: 'invocationsSentToDlq',
    measure: AlarmMeasure.COUNT,
    defaults: EVENTS_ALARM_DEFAULTS.invocationsSentToDlq,
    describe: ({ where }) => `Events of ${where} went to its dead-letter queue (InvocationsSentToDlq). `
      + 'Read them with the SQS console\'s "Poll for messages": the attributes RULE_ARN, TARGET_ARN, ERROR_CODE and ERROR_MESSAGE say what failed. '
      + `Fix the cause, then ${replay} Delete the messages once replayed.`,
  },
  invocationsFailedToBeSentToDlq: {
    id: 'InvocationsFailedToBeSentToDlqAlarm',
    option: 'invocationsFailedToBeSentToDlq',
    measure: AlarmMeasure.COUNT,
    defaults: EVENTS_ALARM_DEFAULTS.invocationsFailedToBeSentToDlq,
    describe: ({ where }) => `Events of ${where} failed delivery AND could not be written to its dead-letter queue (InvocationsFailedToBeSentToDlq): `
      + 'only the archive still has them. Check that the queue exists, that its policy lets events.amazonaws.com send (aws:SourceArn of the rule) '
      + 'and, for a KMS-encrypted queue, that the key policy lets events.amazonaws.com use kms:GenerateDataKey and kms:Decrypt. '
      + `Then ${replay}`,
  },
  ...SCHEDULE_GROUP_ALARMS,
} satisfies Record<string, AlarmSpec>;

/** The metrics a route alarms on and draws. */
export interface RouteMetrics {
  metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  metricFailedInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  metricInvocationsSentToDlq(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  metricInvocationsFailedToBeSentToDlq(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/** The hub's dashboard widgets, filled in as routes, schedules and dead-letter queues are added. */
export class HubWidgets {
  public readonly invocations = new cloudwatch.GraphWidget({ title: 'Route invocations (left) / failed (right)', width: 8 });
  public readonly deadLetters = new cloudwatch.GraphWidget({ title: 'Sent to DLQ (left) / failed to send (right)', width: 8 });
  public readonly queues = new cloudwatch.GraphWidget({ title: 'Dead-letter queue depth', width: 8 });

  public get all(): cloudwatch.IWidget[] {
    return [this.invocations, this.deadLetters, this.queues];
  }

  public addRoute(id: string, route: RouteMetrics): void {
    this.invocations.addLeftMetric(route.metricInvocations({ label: `${id} invocations` }));
    this.invocations.addRightMetric(route.metricFailedInvocations({ label: `${id} failed` }));
    this.deadLetters.addLeftMetric(route.metricInvocationsSentToDlq({ label: `${id} sent to DLQ` }));
    this.deadLetters.addRightMetric(route.metricInvocationsFailedToBeSentToDlq({ label: `${id} failed to send` }));
  }
}
