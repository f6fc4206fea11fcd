import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EventHubAlarmsProps } from './event-hub-alarms';
import { IMonitoring } from '../monitoring/monitoring';
import { ResolvedAlarmOptions, thresholdAlarm } from '../private/alarms';
import { ALARM_DEFAULTS } from '../private/defaults/alarms';
import { EVENTS_ALARM_DEFAULTS } from '../private/defaults/events';

// Internal to the library (not re-exported from index.ts): metrics, alarms and alarm texts of an EventHub.

/** Whether the bus is the account's default bus, whose rules are referenced and measured by their name alone. */
export function isDefaultBus(eventBusName: string): boolean {
  return eventBusName === 'default';
}

/**
 * The `AWS/Events` metric of one rule. Rules on custom buses report EventBusName and RuleName; on the
 * default bus only RuleName. `ruleName` is the rule's own name, not its `busname|rulename` reference.
 */
export function ruleMetric(eventBusName: string, ruleName: string, metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  const dimensionsMap: Record<string, string> = isDefaultBus(eventBusName)
    ? { RuleName: ruleName }
    : { EventBusName: eventBusName, RuleName: ruleName };
  return new cloudwatch.Metric({ namespace: 'AWS/Events', metricName, dimensionsMap, statistic: cloudwatch.Stats.SUM, ...props });
}

/** How to replay events from the archive, for alarm descriptions. */
const REPLAY = 'Replay the failure window from the hub\'s archive (EventBridge console > Archives > Start replay, limited to the rule; '
  + 'or aws events start-replay), or re-put the dead-letter message bodies with aws events put-events.';

/** The metrics a route alarms on. */
export interface RouteMetrics {
  readonly failedInvocations: (period: cloudwatch.MetricOptions) => cloudwatch.IMetric;
  readonly invocationsSentToDlq: (period: cloudwatch.MetricOptions) => cloudwatch.IMetric;
  readonly invocationsFailedToBeSentToDlq: (period: cloudwatch.MetricOptions) => cloudwatch.IMetric;
}

/** Creates the three alarms of a route (`where` names it) under `scope` and registers them with `monitoring`. */
export function createRouteAlarms(scope: Construct, where: string, metrics: RouteMetrics, monitoring: IMonitoring,
  props: EventHubAlarmsProps = {}): cloudwatch.Alarm[] {
  const alarms: cloudwatch.Alarm[] = [];
  const add = (id: string, prop: keyof EventHubAlarmsProps, defaults: ResolvedAlarmOptions,
    metric: (o: cloudwatch.MetricOptions) => cloudwatch.IMetric, description: string) => {
    const options = { ...defaults, ...props[prop] };
    if (options.enabled ?? true) {
      alarms.push(thresholdAlarm(scope, id, `alarms.${prop}`, (period) => metric({ period }), options, description));
    }
  };
  add('FailedInvocationsAlarm', 'failedInvocations', EVENTS_ALARM_DEFAULTS.failedInvocations, metrics.failedInvocations,
    `EventBridge could not deliver events of ${where} to a target after every retry (FailedInvocations). `
    + 'They are in the route\'s dead-letter queue; each message names the rule and target (RULE_ARN, TARGET_ARN) and the error (ERROR_CODE, ERROR_MESSAGE). '
    + `Fix the target (missing permission, deleted resource, throttling), then ${REPLAY.charAt(0).toLowerCase()}${REPLAY.slice(1)}`);
  add('InvocationsSentToDlqAlarm', 'invocationsSentToDlq', EVENTS_ALARM_DEFAULTS.invocationsSentToDlq, metrics.invocationsSentToDlq,
    `Events of ${where} went to its dead-letter queue (InvocationsSentToDlq). `
    + 'Read them with the SQS console\'s "Poll for messages": the attributes RULE_ARN, TARGET_ARN, ERROR_CODE and ERROR_MESSAGE say what failed. '
    + `Fix the cause, then ${REPLAY.charAt(0).toLowerCase()}${REPLAY.slice(1)} Delete the messages once replayed.`);
  add('InvocationsFailedToBeSentToDlqAlarm', 'invocationsFailedToBeSentToDlq', EVENTS_ALARM_DEFAULTS.invocationsFailedToBeSentToDlq,
    metrics.invocationsFailedToBeSentToDlq,
    `Events of ${where} failed delivery AND could not be written to its dead-letter queue (InvocationsFailedToBeSentToDlq): `
    + 'only the archive still has them. Check that the queue exists, that its policy lets events.amazonaws.com send (aws:SourceArn of the rule) '
    + 'and, for a KMS-encrypted queue, that the key policy lets events.amazonaws.com use kms:GenerateDataKey and kms:Decrypt. '
    + `Then ${REPLAY.charAt(0).toLowerCase()}${REPLAY.slice(1)}`);
  alarms.forEach((alarm) => monitoring.addAlarm(alarm));
  return alarms;
}

/** Creates the depth alarm of a dead-letter queue under `scope` and registers it with `monitoring`. */
export function createDeadLetterQueueAlarm(scope: Construct, id: string, queue: sqs.IQueue, monitoring: IMonitoring, owner: string,
  props: EventHubAlarmsProps = {}): cloudwatch.Alarm | undefined {
  const options = { ...ALARM_DEFAULTS.deadLetterQueueMessages, ...props.deadLetterQueueMessages };
  if (!(options.enabled ?? true)) {
    return undefined;
  }
  const alarm = thresholdAlarm(scope, id, 'alarms.deadLetterQueueMessages',
    (period) => queue.metricApproximateNumberOfMessagesVisible({ period, statistic: cloudwatch.Stats.MAXIMUM }), options,
    `Events that could not be delivered are in the dead-letter queue of ${owner}. `
    + 'Inspect them: SQS console > the queue > Send and receive messages > Poll for messages. Rule deliveries carry RULE_ARN, TARGET_ARN, ERROR_CODE '
    + 'and ERROR_MESSAGE attributes, schedules X-Amz-Scheduler-* attributes, and the bus\'s own failures (KMS errors) the encrypted event. '
    + 'Fix the cause (target permissions, deleted or throttled target, disabled key). '
    + `${REPLAY} Then delete the messages. They expire after the queue's retention period (14 days for queues the hub creates).`);
  monitoring.addAlarm(alarm);
  return alarm;
}

/** Creates the alarms of the hub's schedule group under `scope` and registers them with `monitoring`. */
export function createScheduleAlarms(scope: Construct, group: scheduler.IScheduleGroup, monitoring: IMonitoring, owner: string,
  props: EventHubAlarmsProps = {}): cloudwatch.Alarm[] {
  const alarms: cloudwatch.Alarm[] = [];
  const sent = { ...EVENTS_ALARM_DEFAULTS.scheduleInvocationsSentToDlq, ...props.scheduleInvocationsSentToDlq };
  if (sent.enabled ?? true) {
    alarms.push(thresholdAlarm(scope, 'ScheduleInvocationsSentToDlqAlarm', 'alarms.scheduleInvocationsSentToDlq',
      (period) => group.metricSentToDLQ({ period, statistic: cloudwatch.Stats.SUM }), sent,
      `EventBridge Scheduler could not invoke the target of a schedule of ${owner} after every retry and sent the invocation to the dead-letter queue. `
      + 'Poll the queue in the SQS console: the X-Amz-Scheduler-Schedule-Arn, -Target-Arn and -Error-Code attributes say which schedule failed and why. '
      + 'Fix the target or the schedule\'s role, then invoke the target with each message body (or wait for the next run) and delete the messages.'));
  }
  const failed = { ...EVENTS_ALARM_DEFAULTS.scheduleInvocationsFailedToBeSentToDlq, ...props.scheduleInvocationsFailedToBeSentToDlq };
  if (failed.enabled ?? true) {
    alarms.push(thresholdAlarm(scope, 'ScheduleInvocationsFailedToBeSentToDlqAlarm', 'alarms.scheduleInvocationsFailedToBeSentToDlq',
      (period) => group.metricFailedToBeSentToDLQ(undefined, { period, statistic: cloudwatch.Stats.SUM }), failed,
      `Schedule invocations of ${owner} failed AND could not be written to the dead-letter queue: they are lost. `
      + 'Check that the schedule\'s role may sqs:SendMessage to the queue and, for a KMS-encrypted queue, use kms:GenerateDataKey and kms:Decrypt on its key; '
      + 'then invoke the target for the missed runs.'));
  }
  alarms.forEach((alarm) => monitoring.addAlarm(alarm));
  return alarms;
}
