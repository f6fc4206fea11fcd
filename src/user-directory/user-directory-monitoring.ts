import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { AlarmMeasure, AlarmSpec } from '../private/alarm-set';
import { COGNITO_ALARM_DEFAULTS } from '../private/defaults/cognito';

// Internal to the library (not re-exported from index.ts): the alarm specs and dashboard widgets of a UserDirectory.

/**
 * The alarms of a UserDirectory, keyed like `UserDirectoryAlarmsProps`, made per app client.
 * `where` names the client and the directory ("app client 'Web' of the user pool of Stack/Users").
 */
export const USER_DIRECTORY_ALARMS = {
  signInThrottles: {
    id: 'SignInThrottlesAlarm',
    option: 'signInThrottles',
    measure: AlarmMeasure.COUNT,
    defaults: COGNITO_ALARM_DEFAULTS.signInThrottles,
    describe: ({ where }) => `Cognito throttled sign-ins through ${where}: those users could not sign in. The user pool's request rate quota for user authentication `
      + '(shared by every client of the pool) was exceeded. Check SignInSuccesses and the CallCount/ThrottleCount metrics in AWS/Usage for a '
      + 'traffic spike or a client retrying in a loop (a credential-stuffing attack looks the same: threatProtection blocks it). If the traffic is '
      + 'legitimate, request a higher \'Rate of UserAuthentication requests\' quota for Amazon Cognito User Pools in Service Quotas; '
      + 'make clients retry with backoff.',
  },
  tokenRefreshThrottles: {
    id: 'TokenRefreshThrottlesAlarm',
    option: 'tokenRefreshThrottles',
    measure: AlarmMeasure.COUNT,
    defaults: COGNITO_ALARM_DEFAULTS.tokenRefreshThrottles,
    describe: ({ where }) => `Cognito throttled token refreshes through ${where}: signed-in users could not get new tokens and see errors or are signed out. The user `
      + 'pool\'s request rate quota for token refreshes was exceeded. Look for an app that refreshes on every request instead of when the access '
      + 'token expires, or a traffic spike; if the traffic is legitimate, request a higher \'Rate of UserAuthentication requests\' quota for '
      + 'Amazon Cognito User Pools in Service Quotas and make clients retry with backoff.',
  },
} satisfies Record<string, AlarmSpec>;

/** A Cognito metric of one app client (Cognito publishes these only per user pool and client), sum. */
export function clientMetric(userPool: cognito.IUserPool, client: cognito.IUserPoolClient, metricName: string,
  props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/Cognito',
    metricName,
    dimensionsMap: { UserPool: userPool.userPoolId, UserPoolClient: client.userPoolClientId },
    statistic: cloudwatch.Stats.SUM,
    ...props,
  });
}

/** The dashboard widgets of a UserDirectory, empty until clients add their lines (`addClientLines`). */
export interface UserDirectoryWidgets {
  readonly signIns: cloudwatch.GraphWidget;
  readonly throttles: cloudwatch.GraphWidget;
}

export function userDirectoryWidgets(): UserDirectoryWidgets {
  return {
    signIns: new cloudwatch.GraphWidget({ title: 'Sign-ins', width: 12 }),
    throttles: new cloudwatch.GraphWidget({ title: 'Throttled sign-ins / token refreshes', width: 12 }),
  };
}

/** Adds a sign-in client's lines: its sign-ins, and its throttled sign-ins and token refreshes. */
export function addClientLines(widgets: UserDirectoryWidgets, userPool: cognito.IUserPool, client: cognito.IUserPoolClient, id: string): void {
  widgets.signIns.addLeftMetric(clientMetric(userPool, client, 'SignInSuccesses', { label: id }));
  widgets.throttles.addLeftMetric(clientMetric(userPool, client, 'SignInThrottles', { label: `${id} sign-ins` }));
  widgets.throttles.addLeftMetric(clientMetric(userPool, client, 'TokenRefreshThrottles', { label: `${id} token refreshes` }));
}
