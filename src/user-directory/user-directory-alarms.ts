import { ThresholdAlarmOptions } from '../core/alarm-options';

/**
 * Alarms of a `UserDirectory`, made per app client (Cognito publishes these metrics only per user
 * pool and app client). Every alarm notifies the stack's `Monitoring` alarm topic; set
 * `enabled: false` to skip one. Clients that use only the client-credentials grant get no alarms:
 * machine-to-machine token requests are not sign-ins.
 */
export interface UserDirectoryAlarmsProps {
  /**
   * Sign-in requests Cognito throttled (`SignInThrottles`, sum): users could not sign in because
   * the user pool's request quota for user authentication was exceeded.
   *
   * @default - sum > 0 over one 5-minute period
   */
  readonly signInThrottles?: ThresholdAlarmOptions;

  /**
   * Token refresh requests Cognito throttled (`TokenRefreshThrottles`, sum): signed-in users could
   * not get new tokens and see errors or are signed out.
   *
   * @default - sum > 0 over one 5-minute period
   */
  readonly tokenRefreshThrottles?: ThresholdAlarmOptions;
}
