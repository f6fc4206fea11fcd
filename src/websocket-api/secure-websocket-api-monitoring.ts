import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmMeasure, AlarmSpec } from '../private/alarm-set';
import { latencyP90Spec } from '../private/api-alarms';
import { WEBSOCKET_ALARM_DEFAULTS } from '../private/defaults/websocket-api';

// Internal to the library (not re-exported from index.ts): the alarm specs, metrics and dashboard widgets of a SecureWebSocketApi.

const LOGS_HINT = 'Find them in the API\'s access log group (CloudWatch Logs Insights: ';

/** The alarms of a SecureWebSocketApi, keyed like `SecureWebSocketApiAlarmsProps`. */
export const SECURE_WEBSOCKET_API_ALARMS = {
  integrationErrors: {
    id: 'IntegrationErrorsAlarm',
    option: 'integrationErrors',
    measure: AlarmMeasure.COUNT,
    defaults: WEBSOCKET_ALARM_DEFAULTS.integrationErrors,
    describe: ({ where, alarm }) => `More than ${alarm.threshold} connection requests or messages to ${where} failed in their handler. `
      + `${LOGS_HINT}filter integrationError != "-" | stats count() by routeKey, integrationStatus, integrationError). `
      + 'Look at that route\'s handler: its log group, its Errors and Throttles metrics, a timeout (WebSocket integrations wait at most 29 seconds). '
      + 'A failing $connect handler refuses every new connection.',
  },
  executionErrors: {
    id: 'ExecutionErrorsAlarm',
    option: 'executionErrors',
    measure: AlarmMeasure.COUNT,
    defaults: WEBSOCKET_ALARM_DEFAULTS.executionErrors,
    describe: ({ where, alarm }) => `More than ${alarm.threshold} requests to ${where} failed inside API Gateway. `
      + `${LOGS_HINT}filter status like /^5/ | stats count() by routeKey, errorMessage, authorizerError), then the execution log group `
      + '(API-Gateway-Execution-Logs_<api id>/<stage>, ERROR level). An authorizer that throws or returns no valid policy, or an integration '
      + 'API Gateway may not invoke, shows here.',
  },
  clientErrors: {
    id: 'ClientErrorsAlarm',
    option: 'clientErrors',
    measure: AlarmMeasure.COUNT,
    defaults: WEBSOCKET_ALARM_DEFAULTS.clientErrors,
    describe: ({ where, alarm }) => `More than ${alarm.threshold} requests to ${where} were refused before a handler ran. `
      + `${LOGS_HINT}filter status like /^4/ | stats count() by eventType, status, authorizerError, errorMessage). `
      + '401/403 on CONNECT: tokens missing, expired or of another pool or client (or someone trying tokens); 429: the stage throttle '
      + '(throttle prop) or the account quota refuses connections or messages, so raise it if the traffic is legitimate.',
  },
  latencyP90: latencyP90Spec(({ where, alarm }) => `The 90th percentile of the time the handlers of ${where} take is above ${alarm.threshold} ms. `
    + 'Find the slow route on the dashboard and in the access logs (stats pct(integrationLatency, 90) by routeKey), then its handler: duration, '
    + 'cold starts (Init Duration in its log group), what it calls. Handlers that take 29 seconds fail.'),
} satisfies Record<string, AlarmSpec>;

/** The metrics of a WebSocket stage, with their statistics (5 minutes unless `props` say otherwise). */
export function webSocketMetrics(stage: apigwv2.IWebSocketStage) {
  const sum = (name: string) => (props?: cloudwatch.MetricOptions) => stage.metric(name, { statistic: cloudwatch.Stats.SUM, ...props });
  return {
    connectCount: sum('ConnectCount'),
    messageCount: sum('MessageCount'),
    integrationErrors: sum('IntegrationError'),
    clientErrors: sum('ClientError'),
    executionErrors: sum('ExecutionError'),
    integrationLatency: (props?: cloudwatch.MetricOptions) =>
      stage.metric('IntegrationLatency', { statistic: cloudwatch.Stats.percentile(90), ...props }),
  };
}

/** Dashboard widgets of a WebSocket stage. */
export function webSocketWidgets(stage: apigwv2.IWebSocketStage): cloudwatch.IWidget[] {
  const metrics = webSocketMetrics(stage);
  return [
    new cloudwatch.GraphWidget({
      title: 'Connections / messages',
      left: [metrics.connectCount({ label: 'New connections' })],
      right: [metrics.messageCount({ label: 'Messages' })],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Errors',
      left: [
        metrics.integrationErrors({ label: 'Integration errors' }),
        metrics.executionErrors({ label: 'Execution errors' }),
        metrics.clientErrors({ label: 'Client errors' }),
      ],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Integration latency (ms)',
      left: [
        metrics.integrationLatency({ statistic: 'p50', label: 'p50' }),
        metrics.integrationLatency({ label: 'p90' }),
        metrics.integrationLatency({ statistic: 'p99', label: 'p99' }),
      ],
      width: 8,
    }),
  ];
}
