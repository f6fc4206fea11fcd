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

/** The stack's backup failures (a queue of AWS Backup's failed-job events, and its dead-letter queue). */
export const BACKUP_FAILURE_ALARMS = {
  backupFailures: deadLetterQueueAlarm('backupFailures',
    () => 'Backup jobs of this stack\'s backup vault failed, were aborted or expired: those resources were not backed up. Each message is AWS '
      + 'Backup\'s event (detail.resourceArn, detail.statusMessage). Open AWS Backup > Jobs, fix the cause (a key the backup role cannot use, a '
      + 'deleted resource, a quota), run an on-demand backup of each resource, then delete the messages.',
    'BackupFailuresAlarm'),
  undeliveredBackupFailures: deadLetterQueueAlarm('undeliveredBackupFailures',
    () => 'EventBridge could not put AWS Backup\'s failed-job events for this stack\'s vault in the backup-failures queue (its queue or key '
      + 'policy changed?): backups failed and were not reported there. The messages are the events; check AWS Backup > Jobs, restore the '
      + 'policies the stack sets, then delete the messages.',
    'UndeliveredBackupFailuresAlarm'),
};

/** The stack-level alarms. */
export const MONITORING_ALARMS = {
  subscriptionDeadLetterQueue: deadLetterQueueAlarm('subscriptionDeadLetterQueue',
    () => 'Alarm notifications could not be delivered to a subscriber of the alarm topic and are in the subscription dead-letter queue. '
      + 'Check the subscription (email confirmed? endpoint reachable?), read the messages with the SQS console\'s "Poll for messages", then delete them.',
    'SubscriptionDeadLetterQueueAlarm'),
  asyncFailureQueue: ASYNC_FAILURE_QUEUE_ALARM,
  ...BACKUP_FAILURE_ALARMS,
};

