import { ThresholdAlarmOptions } from '../core/alarm-options';

/**
 * Alarms of a `SecureBucket`'s event routes. Every alarm notifies the stack's `Monitoring` alarm
 * topic; set `enabled: false` to skip one. Route alarms are created for every route, the
 * dead-letter queue alarm once per dead-letter queue.
 */
export interface SecureBucketAlarmsProps {
  /**
   * Messages in each dead-letter queue of the bucket's routes (`ApproximateNumberOfMessagesVisible`,
   * maximum): events that could not be delivered.
   *
   * @default - maximum > 0 in one 1-minute period
   */
  readonly deadLetterQueueMessages?: ThresholdAlarmOptions;

  /**
   * Per route: invocations that failed after every retry (`FailedInvocations`, sum).
   *
   * @default - sum > 0 over one 5-minute period
   */
  readonly failedInvocations?: ThresholdAlarmOptions;

  /**
   * Per route: events sent to the dead-letter queue (`InvocationsSentToDlq`, sum).
   *
   * @default - sum > 0 over one 5-minute period
   */
  readonly invocationsSentToDlq?: ThresholdAlarmOptions;

  /**
   * Per route: events that could not be written to the dead-letter queue either
   * (`InvocationsFailedToBeSentToDlq`, sum). S3 does not send them again: they are lost.
   *
   * @default - sum > 0 over one 5-minute period
   */
  readonly invocationsFailedToBeSentToDlq?: ThresholdAlarmOptions;
}
