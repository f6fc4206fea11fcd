import { AgeAlarmOptions, ThresholdAlarmOptions } from '../core/alarm-options';

/**
 * Alarms of a `QueueWorker`. Every alarm notifies the stack's `Monitoring` alarm topic; set
 * `enabled: false` to skip one.
 */
export interface QueueWorkerAlarmsProps {
  /**
   * Messages in the dead-letter queue (`ApproximateNumberOfMessagesVisible`, maximum): messages
   * that failed `maxReceiveCount` times. For a brought queue whose dead-letter queue is not visible
   * here, options are an error.
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
   * Handler errors. Passed to the created handler (`handlerProps`); made by the worker for a function of
   * yours. For a brought `SecureFunction`'s function, which has its own, options are an error (tune that
   * SecureFunction's alarms; `enabled: false` alone is accepted).
   *
   * @default - sum > 0 over one 5-minute period
   */
  readonly handlerErrors?: ThresholdAlarmOptions;

  /**
   * Handler throttles. Passed to the created handler (`handlerProps`); made by the worker for a function
   * of yours. For a brought `SecureFunction`'s function, which has its own, options are an error (tune
   * that SecureFunction's alarms; `enabled: false` alone is accepted).
   *
   * @default - sum > 0 over one 5-minute period
   */
  readonly handlerThrottles?: ThresholdAlarmOptions;
}
