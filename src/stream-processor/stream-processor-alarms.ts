import { ThresholdAlarmOptions } from '../core/alarm-options';
import { StreamConsumerAlarmsProps } from '../core/stream-consumer-options';

/**
 * Alarms of a `StreamProcessor`: the consumer's (iterator age, failure queue), the stream's write
 * throttles and the handler's errors and throttles. Every alarm notifies the stack's `Monitoring`
 * alarm topic; set `enabled: false` to skip one.
 */
export interface StreamProcessorAlarmsProps extends StreamConsumerAlarmsProps {
  /**
   * Writes the stream refused for throughput (`WriteProvisionedThroughputExceeded`, sum): a
   * provisioned stream needs more shards, an on-demand stream was written faster than twice its
   * previous peak.
   *
   * @default - sum > 0 over one 5-minute period
   */
  readonly writeThrottles?: ThresholdAlarmOptions;

  /**
   * Handler errors. Passed to the created handler (`handlerProps`); made by the processor for a
   * function of yours. For a brought `SecureFunction`'s function, which has its own, options are an
   * error (tune that SecureFunction's alarms).
   *
   * @default - sum > 0 over one 5-minute period
   */
  readonly handlerErrors?: ThresholdAlarmOptions;

  /**
   * Handler throttles, handled like `handlerErrors`.
   *
   * @default - sum > 0 over one 5-minute period
   */
  readonly handlerThrottles?: ThresholdAlarmOptions;
}
