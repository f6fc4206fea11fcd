import { LatencyAlarmOptions, ThresholdAlarmOptions } from '../core/alarm-options';

/**
 * Alarms of a `Workflow`. Every alarm notifies the stack's `Monitoring` alarm topic; set
 * `enabled: false` to skip one.
 */
export interface WorkflowAlarmsProps {
  /**
   * Executions that failed (`ExecutionsFailed`, sum): a state failed and no Catch handled it.
   *
   * @default - sum > 0 over one 5-minute period
   */
  readonly executionsFailed?: ThresholdAlarmOptions;

  /**
   * Executions that ran longer than the workflow's `timeout` (`ExecutionsTimedOut`, sum).
   *
   * @default - sum > 0 over one 5-minute period
   */
  readonly executionsTimedOut?: ThresholdAlarmOptions;

  /**
   * Executions that were stopped (`ExecutionsAborted`, sum): by `StopExecution`, a redeploy that
   * removed the state machine, or a parent execution that stopped.
   *
   * @default - sum > 0 over one 5-minute period
   */
  readonly executionsAborted?: ThresholdAlarmOptions;

  /**
   * Throttled state transitions (`ExecutionThrottled`, sum): executions run slower than written.
   * (Throttled API calls such as StartExecution are in `ThrottledEvents`, per API.)
   *
   * @default - sum > 0 over one 5-minute period
   */
  readonly executionThrottled?: ThresholdAlarmOptions;

  /**
   * Express workflows only: the p90 execution time (`ExecutionTime`), close to the five-minute
   * limit Express executions are stopped at. Refused for Standard workflows.
   *
   * @default - p90 above 4 minutes for 5 consecutive minutes (Express); none (Standard)
   */
  readonly executionTimeP90?: LatencyAlarmOptions;
}
