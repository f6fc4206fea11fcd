import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { SecureApiAlarmsProps } from './secure-api-alarms';
import { LatencyAlarmOptions } from '../core/alarm-options';
import { BulwarkError } from '../core/errors';
import { IMonitoring } from '../monitoring/monitoring';
import { latencyAsThreshold, ResolvedAlarmOptions, thresholdAlarm, validateAlarmOptions } from '../private/alarms';
import { API_ALARM_DEFAULTS } from '../private/defaults/api-gateway';
import { shortPath } from '../private/validation';

// Internal to the library (not re-exported from index.ts): alarms and dashboard widgets of a SecureApi.

/** The metric the access-log metric filter publishes for HTTP 429 responses. */
export const THROTTLED_REQUESTS = { namespace: 'cdk-bulwark/ApiGateway', metricName: 'ThrottledRequests' } as const;

/** What the alarms read from the API. */
export interface ApiMetrics {
  metricServerErrorRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  metricClientErrorRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  metricLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  metricCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  metricThrottledRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

function resolved(props: SecureApiAlarmsProps = {}) {
  const latency: LatencyAlarmOptions = { ...API_ALARM_DEFAULTS.latencyP90, ...props.latencyP90 };
  return {
    serverErrorRate: { ...API_ALARM_DEFAULTS.serverErrorRate, ...props.serverErrorRate },
    clientErrorRate: { ...API_ALARM_DEFAULTS.clientErrorRate, ...props.clientErrorRate },
    latency,
    throttledRequests: { ...API_ALARM_DEFAULTS.throttledRequests, ...props.throttledRequests },
  };
}

/** Validates every alarm option at construction, before any resource is made. */
export function validateApiAlarms(scope: Construct, props: SecureApiAlarmsProps | undefined): void {
  if (props === null || (props !== undefined && typeof props !== 'object')) {
    throw BulwarkError.invalid(scope, 'alarms', props, 'it must be a SecureApiAlarmsProps object, or left out for the defaults');
  }
  const options = resolved(props);
  if (options.latency.enabled ?? true) {
    latencyAsThreshold(scope, 'alarms.latencyP90', options.latency);
  }
  for (const name of ['serverErrorRate', 'clientErrorRate', 'throttledRequests'] as const) {
    if (options[name].enabled ?? true) {
      validateAlarmOptions(scope, `alarms.${name}`, options[name] as ResolvedAlarmOptions);
    }
  }
  for (const name of ['serverErrorRate', 'clientErrorRate'] as const) {
    const threshold = options[name].threshold;
    if ((options[name].enabled ?? true) && typeof threshold === 'number' && threshold >= 1) {
      throw BulwarkError.invalid(scope, `alarms.${name}.threshold`, threshold,
        'it is a share of requests from 0 to 1 (0.05 is 5 %), so the alarm would never fire at 1 or more');
    }
  }
}

/** Creates the alarms under `scope` and registers them with `monitoring`. */
export function createApiAlarms(scope: Construct, api: ApiMetrics, monitoring: IMonitoring, props: SecureApiAlarmsProps = {}): cloudwatch.Alarm[] {
  const options = resolved(props);
  const alarms: cloudwatch.Alarm[] = [];
  const where = shortPath(scope);
  const logs = 'Its access log (JSON: status, errorMessage, integrationStatus, authorizerError, wafResponseCode per request) and the '
    + 'execution log group API-Gateway-Execution-Logs_<api id>/prod show which requests and why; X-Ray shows where the time went.';
  if (options.serverErrorRate.enabled ?? true) {
    alarms.push(thresholdAlarm(scope, 'ServerErrorRateAlarm', 'alarms.serverErrorRate',
      (period) => api.metricServerErrorRate({ period }), options.serverErrorRate as ResolvedAlarmOptions,
      `The API of ${where} answers too many requests with 5XX errors: its handlers throw or time out (API Gateway waits 29 seconds at most), `
      + 'return malformed proxy responses, are throttled by Lambda, or an authorizer fails. '
      + `${logs} Check the handlers' errors and throttles alarms and logs, fix or roll back the last change.`));
  }
  if (options.clientErrorRate.enabled ?? true) {
    alarms.push(thresholdAlarm(scope, 'ClientErrorRateAlarm', 'alarms.clientErrorRate',
      (period) => api.metricClientErrorRate({ period }), options.clientErrorRate as ResolvedAlarmOptions,
      `The API of ${where} answers many requests with 4XX errors: callers without valid tokens (401/403), bodies or parameters that fail `
      + 'validation (400), throttled (429) or firewall-blocked (403) requests. A sudden rise usually follows a client release, an expired '
      + `token configuration or an attack. ${logs} Group the access log by status and errorType to see which.`));
  }
  if (options.latency.enabled ?? true) {
    alarms.push(thresholdAlarm(scope, 'LatencyP90Alarm', 'alarms.latencyP90',
      (period) => api.metricLatency({ period }), latencyAsThreshold(scope, 'alarms.latencyP90', options.latency),
      `The 90th percentile latency of the API of ${where} is above ${options.latency.maxLatency!.toMilliseconds({ integral: false })} ms. Compare Latency with `
      + 'IntegrationLatency: if both rose, the handlers are slow (cold starts, a slow dependency, too little memory); if only Latency rose, '
      + `authorizers or API Gateway add the time. ${logs}`));
  }
  if (options.throttledRequests.enabled ?? true) {
    alarms.push(thresholdAlarm(scope, 'ThrottledRequestsAlarm', 'alarms.throttledRequests',
      (period) => api.metricThrottledRequests({ period }), options.throttledRequests as ResolvedAlarmOptions,
      `API Gateway refused requests to the API of ${where} with HTTP 429: the stage's throttle, a usage plan's throttle or quota, or the `
      + 'account\'s regional quota was exceeded. Find the callers in the access log (status 429, by ip and principalId): if the traffic '
      + 'is legitimate, raise the SecureApi throttle (or the usage plan, or ask AWS for a higher account quota); if not, the firewall\'s '
      + 'rate-based rule and usage plans limit it.'));
  }
  alarms.forEach((alarm) => monitoring.addAlarm(alarm));
  return alarms;
}

/** The API's dashboard widgets. */
export function apiWidgets(api: ApiMetrics): cloudwatch.IWidget[] {
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
