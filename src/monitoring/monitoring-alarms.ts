import { ThresholdAlarmOptions } from '../core/alarm-options';

/**
 * The alarms a `Monitoring` owns or configures for the stack.
 */
export interface MonitoringAlarmsProps {
  /**
   * Messages in the subscription dead-letter queue: notifications that could not be delivered.
   *
   * @default - maximum > 0 in one 1-minute period
   */
  readonly subscriptionDeadLetterQueue?: ThresholdAlarmOptions;

  /**
   * Messages in the stack's async-failure queue: asynchronous Lambda invocations that failed every
   * retry. Applies when this Monitoring is the stack's (or the one given to the first SecureFunction);
   * otherwise options other than `enabled: false` are an error at synthesis.
   *
   * @default - maximum > 0 in one 1-minute period
   */
  readonly asyncFailureQueue?: ThresholdAlarmOptions;

  /**
   * Failed, aborted or expired backup jobs of the stack's backup vault (the events AWS Backup sends
   * to EventBridge, kept in a queue): resources that were not backed up. Applies when this
   * Monitoring is the stack's (or the one given to the first construct that backs up);
   * otherwise options other than `enabled: false` are an error at synthesis.
   *
   * @default - maximum > 0 in one 1-minute period
   */
  readonly backupFailures?: ThresholdAlarmOptions;

  /**
   * Backup-failure events EventBridge could not put in the backup-failures queue (kept in its
   * dead-letter queue). Applies like `backupFailures`.
   *
   * @default - maximum > 0 in one 1-minute period
   */
  readonly undeliveredBackupFailures?: ThresholdAlarmOptions;
}
