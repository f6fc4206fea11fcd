import { ThresholdAlarmOptions } from '../core/alarm-options';

/**
 * Alarms of a `SecureTopic`. Every alarm notifies the stack's `Monitoring` alarm topic; set
 * `enabled: false` to skip one.
 */
export interface SecureTopicAlarmsProps {
  /**
   * Notifications SNS gave up delivering (`NumberOfNotificationsFailed`, sum): to SQS and Lambda
   * subscribers SNS retries server-side errors and stops at client-side errors (an endpoint that
   * was deleted, a queue, function or key policy that no longer lets SNS in). Each failed
   * notification then goes to the subscription's dead-letter queue.
   *
   * @default - sum > 0 over one 5-minute period
   */
  readonly notificationsFailed?: ThresholdAlarmOptions;

  /**
   * Notifications SNS could not move to a subscription's dead-letter queue
   * (`NumberOfNotificationsFailedToRedriveToDlq`, sum): those notifications are lost.
   *
   * @default - sum > 0 over one 1-minute period
   */
  readonly notificationsFailedToRedriveToDlq?: ThresholdAlarmOptions;

  /**
   * Messages in a subscription's dead-letter queue (`ApproximateNumberOfMessagesVisible`,
   * maximum), one alarm per dead-letter queue.
   *
   * @default - maximum > 0 in one 1-minute period
   */
  readonly deadLetterQueueMessages?: ThresholdAlarmOptions;
}
