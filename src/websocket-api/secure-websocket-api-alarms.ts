import { LatencyAlarmOptions, ThresholdAlarmOptions } from '../core/alarm-options';

/**
 * Alarms of a `SecureWebSocketApi`, on its stage. Every alarm notifies the stack's `Monitoring`
 * alarm topic; set `enabled: false` to skip one.
 */
export interface SecureWebSocketApiAlarmsProps {
  /**
   * Connection requests and messages whose handler failed (`IntegrationError`, sum): a handler
   * threw, timed out (29 seconds at most) or was throttled, or API Gateway may no longer invoke it.
   * A failed `$connect` handler refuses the connection.
   *
   * @default - sum > 5 in a 5-minute period
   */
  readonly integrationErrors?: ThresholdAlarmOptions;

  /**
   * Errors inside API Gateway while running a route (`ExecutionError`, sum): an authorizer that
   * failed or answered something API Gateway could not read, an integration it could not call.
   *
   * @default - sum > 0 in a 5-minute period
   */
  readonly executionErrors?: ThresholdAlarmOptions;

  /**
   * Requests refused before a handler ran (`ClientError`, sum): connections the authorizer
   * refused (401, 403) and messages over the stage throttle or the account quota (429). A spike of
   * refused connections is an expired or misconfigured client, or someone trying tokens.
   *
   * @default - sum > 100 in a 5-minute period
   */
  readonly clientErrors?: ThresholdAlarmOptions;

  /**
   * The 90th percentile of `IntegrationLatency` (how long the handlers took to answer).
   *
   * @default - p90 > 2.5 seconds in 5 consecutive 1-minute periods
   */
  readonly latencyP90?: LatencyAlarmOptions;
}
