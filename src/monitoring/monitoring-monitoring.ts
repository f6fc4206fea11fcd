import { deadLetterQueueAlarm } from '../private/dead-letter-queue';

// Internal to the library (not re-exported from index.ts): the alarms a Monitoring owns for the stack.

/**
 * The alarm on the stack's async-failure queue.
 */
export const ASYNC_FAILURE_QUEUE_ALARM = deadLetterQueueAlarm('asyncFailureQueue',
  () => 'Asynchronous Lambda invocations failed every retry and are in this stack\'s async-failure queue (messages carry the function ARN and error '
      + 'in their attributes). Read them with the SQS console\'s "Poll for messages", fix the cause, then re-invoke the function with each message '
      + 'body or delete it.',
  'MessagesVisibleAlarm');

/** The stack-level alarms. */
export const MONITORING_ALARMS = {
  subscriptionDeadLetterQueue: deadLetterQueueAlarm('subscriptionDeadLetterQueue',
    () => 'Alarm notifications could not be delivered to a subscriber of the alarm topic and are in the subscription dead-letter queue. '
      + 'Check the subscription (email confirmed? endpoint reachable?), read the messages with the SQS console\'s "Poll for messages", then delete them.',
    'SubscriptionDeadLetterQueueAlarm'),
  asyncFailureQueue: ASYNC_FAILURE_QUEUE_ALARM,
};

