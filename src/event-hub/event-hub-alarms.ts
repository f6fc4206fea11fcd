import { ThresholdAlarmOptions } from '../core/alarm-options';

/**
 * Alarms of an `EventHub`. Every alarm notifies the stack's `Monitoring` alarm topic; set
 * `enabled: false` to skip one. Route alarms are created for every route, schedule alarms once
 * for the hub's schedule group when the first schedule is added.
 */
export interface EventHubAlarmsProps {
  /**
   * Messages in each dead-letter queue the hub created or was given (`ApproximateNumberOfMessagesVisible`,
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
   * (`InvocationsFailedToBeSentToDlq`, sum). Those are lost unless the archive has them.
   *
   * @default - sum > 0 over one 5-minute period
   */
  readonly invocationsFailedToBeSentToDlq?: ThresholdAlarmOptions;

  /**
   * Schedules: invocations sent to the dead-letter queue (`InvocationsSentToDeadLetterCount` of the
   * hub's schedule group, sum).
   *
   * @default - sum > 0 over one 5-minute period
   */
  readonly scheduleInvocationsSentToDlq?: ThresholdAlarmOptions;

  /**
   * Schedules: invocations that could not be written to the dead-letter queue
   * (`InvocationsFailedToBeSentToDeadLetterCount` of the hub's schedule group, sum).
   *
   * @default - sum > 0 over one 5-minute period
   */
  readonly scheduleInvocationsFailedToBeSentToDlq?: ThresholdAlarmOptions;
}
