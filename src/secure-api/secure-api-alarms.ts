import { LatencyAlarmOptions, ThresholdAlarmOptions } from '../core/alarm-options';

/**
 * Alarms of a `SecureApi` (AWS's recommended alarms for API Gateway, plus throttling). Every alarm
 * notifies the stack's `Monitoring` alarm topic; set `enabled: false` to skip one.
 */
export interface SecureApiAlarmsProps {
  /**
   * The share of requests answered with a 5XX error (`5XXError`, average: 0 to 1): the handlers
   * fail or time out (API Gateway waits at most 29 seconds), or an authorizer fails.
   *
   * @default - average > 0.05 in 3 consecutive 1-minute periods
   */
  readonly serverErrorRate?: ThresholdAlarmOptions;

  /**
   * The share of requests answered with a 4XX error (`4XXError`, average: 0 to 1): callers without
   * valid tokens, requests that fail validation, throttled or firewall-blocked requests. A sudden
   * rise usually means a broken client release or an attack.
   *
   * @default - average > 0.05 in 5 consecutive 1-minute periods
   */
  readonly clientErrorRate?: ThresholdAlarmOptions;

  /**
   * The 90th percentile of the time from request to response (`Latency`, p90).
   *
   * @default - p90 > 2.5 seconds in 5 consecutive 1-minute periods
   */
  readonly latencyP90?: LatencyAlarmOptions;

  /**
   * Requests API Gateway refused with HTTP 429 (stage, route or usage-plan throttling), counted from
   * the access log by a metric filter (`cdk-bulwark/ApiGateway` `ThrottledRequests`, sum).
   *
   * @default - sum > 0 in one 5-minute period
   */
  readonly throttledRequests?: ThresholdAlarmOptions;
}
