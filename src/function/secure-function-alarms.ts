import { ThresholdAlarmOptions } from '../core/alarm-options';

/**
 * Alarms on a Lambda function. Every alarm notifies the stack's `Monitoring` alarm topic.
 */
export interface FunctionAlarmsProps {
  /**
   * Function errors (the `Errors` metric, sum). With partial batch responses, a failed record is
   * not a function error: watch the queue's dead-letter queue for those.
   *
   * @default - sum > 0 over one 5-minute period
   */
  readonly errors?: ThresholdAlarmOptions;

  /**
   * Throttled invocations (the `Throttles` metric, sum): reserved or account concurrency is exhausted.
   *
   * @default - sum > 0 over one 5-minute period
   */
  readonly throttles?: ThresholdAlarmOptions;
}
