import { ThresholdAlarmOptions } from '../core/alarm-options';

/**
 * Alarms of a `SecureTable`. Every alarm notifies the stack's `Monitoring` alarm topic; set
 * `enabled: false` to skip one.
 */
export interface SecureTableAlarmsProps {
  /**
   * Requests DynamoDB throttled (`ReadThrottleEvents` + `WriteThrottleEvents` of the table and its
   * global secondary indexes, sum): a hot partition key, an on-demand cap, or provisioned capacity
   * that auto scaling has not caught up with.
   *
   * @default - sum > 0 over one 5-minute period
   */
  readonly throttledRequests?: ThresholdAlarmOptions;

  /**
   * Requests that failed with a DynamoDB server error (`SystemErrors`, HTTP 500, sum over the data
   * operations). The SDKs retry them; a steady count is worth an AWS support case.
   *
   * @default - sum > 0 over one 5-minute period
   */
  readonly systemErrors?: ThresholdAlarmOptions;

  /**
   * Provisioned tables only: consumed read capacity as a share (0 to 1) of the scaling maximum
   * (`maxCapacity`). Above it, auto scaling cannot add capacity and reads start to throttle.
   *
   * @default - above 0.8 for 3 periods of 5 minutes
   */
  readonly consumedReadCapacity?: ThresholdAlarmOptions;

  /**
   * Provisioned tables only: consumed write capacity as a share (0 to 1) of the scaling maximum.
   *
   * @default - above 0.8 for 3 periods of 5 minutes
   */
  readonly consumedWriteCapacity?: ThresholdAlarmOptions;
}
