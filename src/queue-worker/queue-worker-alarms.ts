import { AgeAlarmOptions, ThresholdAlarmOptions } from '../core/alarm-options';

/**
 * Alarms of a `QueueWorker`. Every alarm notifies the stack's `Monitoring` alarm topic; set
 * `enabled: false` to skip one.
 */
export interface QueueWorkerAlarmsProps {
  /**
   * Messages in the dead-letter queue (`ApproximateNumberOfMessagesVisible`, maximum): messages
   * that failed `maxReceiveCount` times.
   *
   * @default - maximum > 0 in one 1-minute period
   */
  readonly deadLetterQueueMessages?: ThresholdAlarmOptions;

  /**
   * Age of the oldest message in the queue (`ApproximateAgeOfOldestMessage`, maximum): the
   * handler is not keeping up, or keeps failing on some messages.
   *
   * @default - maximum > 15 minutes in 5 consecutive 1-minute periods
   */
  readonly oldestMessageAge?: AgeAlarmOptions;

  /**
   * Handler errors. Skipped for a handler that is a `SecureFunction`'s function: it has its own.
   *
   * @default - sum > 0 over one 5-minute period
   */
  readonly handlerErrors?: ThresholdAlarmOptions;

  /**
   * Handler throttles. Skipped for a handler that is a `SecureFunction`'s function: it has its own.
   *
   * @default - sum > 0 over one 5-minute period
   */
  readonly handlerThrottles?: ThresholdAlarmOptions;
}
