import { LatencyAlarmOptions, ThresholdAlarmOptions } from '../core/alarm-options';

/**
 * Alarms of a `SecureHttpApi` (AWS's recommended alarms for API Gateway, on the `$default`
 * stage). Every alarm notifies the stack's `Monitoring` alarm topic; set `enabled: false` to skip
 * one.
 */
export interface SecureHttpApiAlarmsProps {
  /**
   * The share of requests answered with a server error (`5xx`, average: 0.05 is 5 %): failing or
   * timing-out handlers, missing invoke permissions, integration errors.
   *
   * @default - average > 0.05 in 3 consecutive 1-minute periods
   */
  readonly serverErrorRate?: ThresholdAlarmOptions;

  /**
   * The share of requests answered with a client error (`4xx`, average): rejected tokens (401,
   * 403), unknown routes (404), throttled requests (429).
   *
   * @default - average > 0.05 in 5 consecutive 1-minute periods
   */
  readonly clientErrorRate?: ThresholdAlarmOptions;

  /**
   * The 90th percentile of `Latency` (from receiving a request to answering it, authorizer and
   * handler included).
   *
   * @default - p90 > 2.5 seconds in 5 consecutive 1-minute periods
   */
  readonly latencyP90?: LatencyAlarmOptions;
}
