import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { SecureHttpApiAlarmsProps } from './secure-http-api-alarms';
import { LatencyAlarmOptions } from '../core/alarm-options';
import { BulwarkError } from '../core/errors';
import { latencyAsThreshold, ResolvedAlarmOptions, thresholdAlarm, validateAlarmOptions } from '../private/alarms';
import { API_ALARM_DEFAULTS } from '../private/defaults/api-gateway';
import { shortPath } from '../private/validation';

// Internal to the library (not re-exported from index.ts): alarms and dashboard widgets of a SecureHttpApi.

interface ResolvedOptions {
  readonly serverErrorRate: ResolvedAlarmOptions;
  readonly clientErrorRate: ResolvedAlarmOptions;
  readonly latency: LatencyAlarmOptions;
}

function resolve(props: SecureHttpApiAlarmsProps = {}): ResolvedOptions {
  return {
    serverErrorRate: { ...API_ALARM_DEFAULTS.serverErrorRate, ...props.serverErrorRate },
    clientErrorRate: { ...API_ALARM_DEFAULTS.clientErrorRate, ...props.clientErrorRate },
    latency: { ...API_ALARM_DEFAULTS.latencyP90, ...props.latencyP90 },
  };
}

/** Checks every alarm option at construction, before any resource is made. */
export function validateHttpApiAlarms(scope: Construct, props: SecureHttpApiAlarmsProps = {}): void {
  if (props === null || typeof props !== 'object') {
    throw BulwarkError.invalid(scope, 'alarms', props, 'it must be a SecureHttpApiAlarmsProps object, or left out for the defaults');
  }
  const options = resolve(props);
  if (options.serverErrorRate.enabled ?? true) {
    validateAlarmOptions(scope, 'alarms.serverErrorRate', options.serverErrorRate);
  }
  if (options.clientErrorRate.enabled ?? true) {
    validateAlarmOptions(scope, 'alarms.clientErrorRate', options.clientErrorRate);
  }
  if (options.latency.enabled ?? true) {
    latencyAsThreshold(scope, 'alarms.latencyP90', options.latency);
  }
}

/** Creates the alarms of an HTTP API stage under `scope`. */
export function createHttpApiAlarms(scope: Construct, stage: apigwv2.IHttpStage, props: SecureHttpApiAlarmsProps = {}): cloudwatch.Alarm[] {
  const options = resolve(props);
  const alarms: cloudwatch.Alarm[] = [];
  const where = `the HTTP API of ${shortPath(scope, 120)}`;
  if (options.serverErrorRate.enabled ?? true) {
    alarms.push(thresholdAlarm(scope, 'ServerErrorRateAlarm', 'alarms.serverErrorRate',
      (period) => stage.metricServerError({ period, statistic: cloudwatch.Stats.AVERAGE }), options.serverErrorRate,
      `More than ${percent(options.serverErrorRate.threshold)} of the requests to ${where} got a 5xx answer. `
      + 'Find them in the API\'s access log group (CloudWatch Logs Insights: filter status >= 500 | stats count() by routeKey, integrationErrorMessage, '
      + 'authorizerError). A 500 with an integration error means the handler failed or its resource policy no longer lets API Gateway invoke it '
      + '(see the handler\'s log group and Errors/Throttles metrics); a 503 or 504 means the handler timed out (HTTP APIs wait at most 30 seconds) '
      + 'or was throttled. Fix the handler or raise its concurrency, then watch the rate fall.'));
  }
  if (options.clientErrorRate.enabled ?? true) {
    alarms.push(thresholdAlarm(scope, 'ClientErrorRateAlarm', 'alarms.clientErrorRate',
      (period) => stage.metricClientError({ period, statistic: cloudwatch.Stats.AVERAGE }), options.clientErrorRate,
      `More than ${percent(options.clientErrorRate.threshold)} of the requests to ${where} got a 4xx answer. `
      + 'Find them in the API\'s access log group (filter status >= 400 and status < 500 | stats count() by status, routeKey, authorizerError). '
      + '401/403: tokens are missing, expired or from the wrong issuer or audience, or a client lost its IAM permission; 404: clients call routes '
      + 'that do not exist (an old client, or a scan); 429: the stage throttle (throttle prop) or the account quota rejects requests, so raise it '
      + 'if the traffic is legitimate. Handlers\' own 4xx answers count too.'));
  }
  if (options.latency.enabled ?? true) {
    const latency = latencyAsThreshold(scope, 'alarms.latencyP90', options.latency);
    alarms.push(thresholdAlarm(scope, 'LatencyP90Alarm', 'alarms.latencyP90',
      (period) => stage.metricLatency({ period, statistic: 'p90' }), latency,
      `The 90th percentile latency of ${where} is above ${latency.threshold} ms. Compare IntegrationLatency (the handler) with Latency on the `
      + 'dashboard: if the handler is slow, look at its duration, cold starts (Init Duration in its log group) and X-Ray traces; if the gap is large, '
      + 'the authorizer is slow (a Lambda authorizer without result caching runs on every request). Requests that take 30 seconds fail with 504.'));
  }
  return alarms;
}

/** Dashboard widgets of an HTTP API stage. */
export function httpApiWidgets(stage: apigwv2.IHttpStage): cloudwatch.IWidget[] {
  const sum = { statistic: cloudwatch.Stats.SUM };
  return [
    new cloudwatch.GraphWidget({
      title: 'Requests / errors',
      left: [stage.metricCount({ ...sum, label: 'Requests' })],
      right: [stage.metricClientError({ ...sum, label: '4xx' }), stage.metricServerError({ ...sum, label: '5xx' })],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Error rates',
      left: [
        stage.metricClientError({ statistic: cloudwatch.Stats.AVERAGE, label: '4xx rate' }),
        stage.metricServerError({ statistic: cloudwatch.Stats.AVERAGE, label: '5xx rate' }),
      ],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Latency (ms)',
      left: [
        stage.metricLatency({ statistic: 'p50', label: 'Latency p50' }),
        stage.metricLatency({ statistic: 'p90', label: 'Latency p90' }),
        stage.metricLatency({ statistic: 'p99', label: 'Latency p99' }),
        stage.metricIntegrationLatency({ statistic: 'p90', label: 'Integration latency p90' }),
      ],
      width: 8,
    }),
  ];
}

function percent(rate: number): string {
  return `${Math.round(rate * 10000) / 100} %`;
}
