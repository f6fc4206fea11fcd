import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { SecureApi } from './secure-api';
import { AlarmMeasure, AlarmSpec } from '../private/alarm-set';
import { apiAlarmSpecs } from '../private/api-alarms';
import { API_ALARM_DEFAULTS } from '../private/defaults/api-gateway';

// Internal to the library (not re-exported from index.ts): the alarm specs and dashboard widgets of a SecureApi.

/** The metric the access-log metric filter publishes for HTTP 429 responses. */
export const THROTTLED_REQUESTS = { namespace: 'cdk-bulwark/ApiGateway', metricName: 'ThrottledRequests' } as const;

/** Where every runbook text of a SecureApi points first. */
const LOGS = 'Its access log (JSON: status, errorMessage, integrationStatus, authorizerError, wafResponseCode per request) and the '
  + 'execution log group API-Gateway-Execution-Logs_<api id>/prod show which requests and why; X-Ray shows where the time went.';

/** The alarms of a SecureApi, keyed like `SecureApiAlarmsProps`: the API family's three, and throttled requests. */
export const SECURE_API_ALARMS = {
  ...apiAlarmSpecs({
    serverErrorRate: ({ where }) => `The API of ${where} answers too many requests with 5XX errors: its handlers throw or time out `
      + '(API Gateway waits 29 seconds at most), return malformed proxy responses, are throttled by Lambda, or an authorizer fails. '
      + `${LOGS} Check the handlers' errors and throttles alarms and logs, fix or roll back the last change.`,
    clientErrorRate: ({ where }) => `The API of ${where} answers many requests with 4XX errors: callers without valid tokens (401/403), `
      + 'bodies or parameters that fail validation (400), throttled (429) or firewall-blocked (403) requests. A sudden rise usually follows '
      + `a client release, an expired token configuration or an attack. ${LOGS} Group the access log by status and errorType to see which.`,
    latencyP90: ({ where, alarm }) => `The 90th percentile latency of the API of ${where} is above ${alarm.threshold} ms. Compare Latency `
      + 'with IntegrationLatency: if both rose, the handlers are slow (cold starts, a slow dependency, too little memory); if only Latency '
      + `rose, authorizers or API Gateway add the time. ${LOGS}`,
  }),
  throttledRequests: {
    id: 'ThrottledRequestsAlarm',
    option: 'throttledRequests',
    measure: AlarmMeasure.COUNT,
    defaults: API_ALARM_DEFAULTS.throttledRequests,
    describe: ({ where }) => `API Gateway refused requests to the API of ${where} with HTTP 429: the stage's throttle, a usage plan's throttle `
      + 'or quota, or the account\'s regional quota was exceeded. Find the callers in the access log (status 429, by ip and principalId): '
      + 'if the traffic is legitimate, raise the SecureApi throttle (or the usage plan, or ask AWS for a higher account quota); if not, '
      + 'the firewall\'s rate-based rule and usage plans limit it.',
  },
} satisfies Record<string, AlarmSpec>;

/** The API's dashboard widgets. */
export function apiWidgets(api: SecureApi): cloudwatch.IWidget[] {
  return [
    new cloudwatch.GraphWidget({
      title: 'Requests / throttled',
      left: [api.metricCount({ label: 'Requests' })],
      right: [api.metricThrottledRequests({ label: 'Throttled (429)' })],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Error rates',
      left: [api.metricServerErrorRate({ label: '5XX rate' }), api.metricClientErrorRate({ label: '4XX rate' })],
      leftYAxis: { min: 0, max: 1 },
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Latency',
      left: [
        api.metricLatency({ statistic: cloudwatch.Stats.percentile(50), label: 'p50' }),
        api.metricLatency({ statistic: cloudwatch.Stats.percentile(90), label: 'p90' }),
        api.metricLatency({ statistic: cloudwatch.Stats.percentile(99), label: 'p99' }),
      ],
      width: 8,
    }),
  ];
}
