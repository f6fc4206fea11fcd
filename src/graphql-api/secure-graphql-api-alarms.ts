import { LatencyAlarmOptions, ThresholdAlarmOptions } from '../core/alarm-options';

/**
 * Alarms of a `SecureGraphqlApi`. Every alarm notifies the stack's `Monitoring` alarm topic; set
 * `enabled: false` to skip one.
 *
 * AppSync answers most failures with HTTP 200 and an `errors` list (a resolver that fails, a Lambda
 * that throws or times out): those are in the field log (`fieldLogLevel`), not in these metrics.
 * `4XXError` and `5XXError` are counts (AppSync documents their Sum), not rates.
 */
export interface SecureGraphqlApiAlarmsProps {
  /**
   * Requests AppSync answered with a 5XX error (`5XXError`, sum): AppSync itself failed to run the
   * request.
   *
   * @default - sum > 0 in 3 consecutive 1-minute periods
   */
  readonly serverErrors?: ThresholdAlarmOptions;

  /**
   * Requests AppSync refused with a 4XX error (`4XXError`, sum): invalid queries, failed
   * authorization, throttling, or requests over the depth or resolver limits. A sudden rise
   * usually means a broken client release or an attack.
   *
   * @default - sum > 50 in 5 consecutive 1-minute periods
   */
  readonly clientErrors?: ThresholdAlarmOptions;

  /**
   * The 90th percentile of the time AppSync took to answer (`Latency`, p90).
   *
   * @default - p90 > 2.5 seconds in 5 consecutive 1-minute periods
   */
  readonly latencyP90?: LatencyAlarmOptions;
}
