import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmSpec } from '../private/alarm-set';
import { apiAlarmSpecs } from '../private/api-alarms';

// Internal to the library (not re-exported from index.ts): the alarm specs and dashboard widgets of a SecureHttpApi.

/** The alarms of a SecureHttpApi, keyed like `SecureHttpApiAlarmsProps`: the API family's three. */
export const SECURE_HTTP_API_ALARMS = {
  ...apiAlarmSpecs({
    serverErrorRate: ({ where, alarm }) => `More than ${percent(alarm.threshold)} of the requests to ${where} got a 5xx answer. `
      + 'Find them in the API\'s access log group (CloudWatch Logs Insights: filter status >= 500 | stats count() by routeKey, integrationErrorMessage, '
      + 'authorizerError). A 500 with an integration error means the handler failed or its resource policy no longer lets API Gateway invoke it '
      + '(see the handler\'s log group and Errors/Throttles metrics); a 503 or 504 means the handler timed out (HTTP APIs wait at most 30 seconds) '
      + 'or was throttled. Fix the handler or raise its concurrency, then watch the rate fall.',
    clientErrorRate: ({ where, alarm }) => `More than ${percent(alarm.threshold)} of the requests to ${where} got a 4xx answer. `
      + 'Find them in the API\'s access log group (filter status >= 400 and status < 500 | stats count() by status, routeKey, authorizerError). '
      + '401/403: tokens are missing, expired or from the wrong issuer or audience, or a client lost its IAM permission; 404: clients call routes '
      + 'that do not exist (an old client, or a scan); 429: the stage throttle (throttle prop) or the account quota rejects requests, so raise it '
      + 'if the traffic is legitimate. Handlers\' own 4xx answers count too.',
    latencyP90: ({ where, alarm }) => `The 90th percentile latency of ${where} is above ${alarm.threshold} ms. Compare IntegrationLatency (the handler) `
      + 'with Latency on the dashboard: if the handler is slow, look at its duration, cold starts (Init Duration in its log group) and X-Ray traces; '
      + 'if the gap is large, the authorizer is slow (a Lambda authorizer without result caching runs on every request). Requests that take '
      + '30 seconds fail with 504.',
  }),
} satisfies Record<string, AlarmSpec>;

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
