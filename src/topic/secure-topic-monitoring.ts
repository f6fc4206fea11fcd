import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlarmMeasure, AlarmSpec } from '../private/alarm-set';
import { deadLetterQueueAlarm } from '../private/dead-letter-queue';
import { SNS_ALARM_DEFAULTS } from '../private/defaults/sns';

// Internal to the library (not re-exported from index.ts): the alarm specs and dashboard widgets of a SecureTopic.

/** SNS metrics the L2 topic has no method for. */
export const REDRIVEN_TO_DLQ = 'NumberOfNotificationsRedrivenToDlq';
export const FAILED_TO_REDRIVE_TO_DLQ = 'NumberOfNotificationsFailedToRedriveToDlq';

/** What kind of endpoint a subscription delivers to: it decides how its dead letters are redelivered. */
export enum SubscriberKind {
  QUEUE = 'queue',
  FUNCTION = 'function',
}

/** What the description of a subscription's dead-letter queue alarm is written from. */
export interface SubscriptionAlarmExtra {
  readonly subscriptionId: string;
  readonly kind: SubscriberKind;
}

/**
 * The alarms of a SecureTopic, keyed like `SecureTopicAlarmsProps`. `where` is the topic's path:
 * the topic-level alarms take it whole, the dead-letter queue alarm shortened to 120 characters
 * (it also names the subscription).
 */
export const SECURE_TOPIC_ALARMS = {
  notificationsFailed: {
    id: 'NotificationsFailedAlarm',
    option: 'notificationsFailed',
    measure: AlarmMeasure.COUNT,
    defaults: SNS_ALARM_DEFAULTS.notificationsFailed,
    describe: ({ where }) => `SNS gave up delivering notifications of the topic of ${where}. To SQS and Lambda subscribers SNS retries server-side errors `
      + 'and stops at client-side ones: an endpoint that was deleted, a queue policy or function policy that no longer lets sns.amazonaws.com in, '
      + 'or a KMS key policy of the subscriber queue that does not let sns.amazonaws.com use the key. Each failed notification goes to its '
      + 'subscription\'s dead-letter queue, which has its own alarm: find the subscription there, fix the endpoint, then redeliver from that queue.',
  } satisfies AlarmSpec,
  notificationsFailedToRedriveToDlq: {
    id: 'NotificationsFailedToRedriveToDlqAlarm',
    option: 'notificationsFailedToRedriveToDlq',
    measure: AlarmMeasure.COUNT,
    defaults: SNS_ALARM_DEFAULTS.notificationsFailedToRedriveToDlq,
    describe: ({ where }) => `SNS could not deliver notifications of the topic of ${where} and could not move them to the subscription's dead-letter queue either: `
      + 'these notifications are lost. The dead-letter queue was deleted, its queue policy no longer lets sns.amazonaws.com send from this topic, '
      + 'or its KMS key policy no longer lets sns.amazonaws.com use the key (the library sets both for the queues it creates: look for changes made '
      + 'outside CloudFormation). Restore the policies, then have the publishers re-publish what was lost (the topic\'s NumberOfMessagesPublished '
      + 'and the publishers\' logs show what and when).',
  } satisfies AlarmSpec,
  deadLetterQueueMessages: deadLetterQueueAlarm<SubscriptionAlarmExtra>('deadLetterQueueMessages', ({ where, extra }) =>
    `SNS could not deliver notifications of the topic of ${where} to subscription '${extra.subscriptionId.slice(0, 80)}'; they are in its `
    + 'dead-letter queue. Inspect them: SQS console > the dead-letter queue > Send and receive messages > Poll for messages (or aws sqs receive-message '
    + '--queue-url <DLQ URL> --attribute-names All --message-attribute-names All). Fix the subscriber (deleted? its policy or key policy changed?). '
    + `${redeliver(extra.kind)} Re-publishing to the topic would deliver to every subscriber again. Messages expire 14 days after they reached the dead-letter queue.`),
};

/** How a dead letter reaches the subscriber again. */
function redeliver(kind: SubscriberKind): string {
  return kind === SubscriberKind.QUEUE
    ? 'Then move them to the subscriber queue: SQS console > the dead-letter queue > Start DLQ redrive > Redrive to a custom destination, '
      + 'or aws sqs start-message-move-task --source-arn <DLQ ARN> --destination-arn <subscriber queue ARN>.'
    : 'Then invoke the function with each message body (aws lambda invoke --invocation-type Event) and delete the message. '
      + 'Failures inside the function are not here: they go to the function\'s own asynchronous dead-letter queue.';
}

/** The metrics of the topic-level alarms, by alarm. */
export function topicMetrics(topic: sns.ITopic) {
  return {
    notificationsFailed: (period: Duration) => topic.metricNumberOfNotificationsFailed({ period, statistic: cloudwatch.Stats.SUM }),
    notificationsFailedToRedriveToDlq: (period: Duration) => topic.metric(FAILED_TO_REDRIVE_TO_DLQ, { period, statistic: cloudwatch.Stats.SUM }),
  };
}

/** Dashboard widgets of a topic; `failures` gets each subscription's dead-letter queue depth on its right axis later. */
export function topicWidgets(topic: sns.ITopic): { widgets: cloudwatch.IWidget[]; failures: cloudwatch.GraphWidget } {
  const sum = { statistic: cloudwatch.Stats.SUM };
  const failures = new cloudwatch.GraphWidget({
    title: 'Failed deliveries / dead-letter queues',
    left: [
      topic.metricNumberOfNotificationsFailed(sum),
      topic.metric(REDRIVEN_TO_DLQ, { ...sum, label: 'Redriven to DLQ' }),
      topic.metric(FAILED_TO_REDRIVE_TO_DLQ, { ...sum, label: 'Failed to redrive to DLQ (lost)' }),
    ],
    width: 8,
  });
  return {
    failures,
    widgets: [
      new cloudwatch.GraphWidget({
        title: 'Published / delivered',
        left: [topic.metricNumberOfMessagesPublished(sum), topic.metricNumberOfNotificationsDelivered(sum)],
        width: 8,
      }),
      failures,
      new cloudwatch.GraphWidget({
        title: 'Filtered out',
        left: [
          topic.metricNumberOfNotificationsFilteredOut(sum),
          topic.metricNumberOfNotificationsFilteredOutInvalidAttributes(sum),
          topic.metricNumberOfNotificationsFilteredOutNoMessageAttributes(sum),
        ],
        width: 8,
      }),
    ],
  };
}
