import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmMeasure, AlarmSet, AlarmSpec } from '../private/alarm-set';
import { latencyP90Spec } from '../private/api-alarms';
import { APPSYNC_ALARM_DEFAULTS } from '../private/defaults/appsync';

// Internal to the library (not re-exported from index.ts): the alarm specs, metrics and dashboard widgets of a SecureGraphqlApi.

/** Where every runbook text of a SecureGraphqlApi points first. */
const LOGS = 'The API\'s log group /aws/appsync/apis/<api id> holds the request logs and, for failed fields, the resolver\'s request and response '
  + '(fieldLogLevel); X-Ray shows where the time went.';

/** The alarms of a SecureGraphqlApi, keyed like `SecureGraphqlApiAlarmsProps`. */
export const SECURE_GRAPHQL_API_ALARMS = {
  serverErrors: {
    id: 'ServerErrorsAlarm',
    option: 'serverErrors',
    measure: AlarmMeasure.COUNT,
    defaults: APPSYNC_ALARM_DEFAULTS.serverErrors,
    describe: ({ where }) => `AppSync answered requests to the GraphQL API of ${where} with 5XX errors: AppSync itself could not run them `
      + '(resolver failures come back as HTTP 200 with errors, not as 5XX). Check the AWS Health Dashboard for AppSync in this region, '
      + `then the request logs. ${LOGS}`,
  },
  clientErrors: {
    id: 'ClientErrorsAlarm',
    option: 'clientErrors',
    measure: AlarmMeasure.COUNT,
    defaults: APPSYNC_ALARM_DEFAULTS.clientErrors,
    describe: ({ where }) => `AppSync refused many requests to the GraphQL API of ${where} with 4XX errors: queries that do not match the `
      + 'schema, callers without valid credentials, throttling, requests over the query depth or resolver count limit, or requests the '
      + `firewall blocked. A sudden rise usually follows a client release or an attack. ${LOGS}`,
  },
  latencyP90: latencyP90Spec(({ where, alarm }) => `The 90th percentile latency of the GraphQL API of ${where} is above ${alarm.threshold} ms. `
    + 'Slow resolvers (a Lambda data source with cold starts or a slow dependency, a DynamoDB query without a fitting index, many nested '
    + `resolvers) add up. ${LOGS}`),
} satisfies Record<string, AlarmSpec>;

/** The metrics of one GraphQL API (namespace AWS/AppSync, dimension GraphQLAPIId). */
export function graphqlMetric(apiId: string, metricName: string, statistic: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: 'AWS/AppSync', metricName, dimensionsMap: { GraphQLAPIId: apiId }, statistic, ...props });
}

/** Creates the alarms of a SecureGraphqlApi in the set (each only if enabled). */
export function addGraphqlAlarms(alarms: AlarmSet, apiId: string, where: string): void {
  alarms.add(SECURE_GRAPHQL_API_ALARMS.serverErrors, (period: Duration) => graphqlMetric(apiId, '5XXError', cloudwatch.Stats.SUM, { period }), { where });
  alarms.add(SECURE_GRAPHQL_API_ALARMS.clientErrors, (period: Duration) => graphqlMetric(apiId, '4XXError', cloudwatch.Stats.SUM, { period }), { where });
  alarms.add(SECURE_GRAPHQL_API_ALARMS.latencyP90, (period: Duration) =>
    graphqlMetric(apiId, 'Latency', cloudwatch.Stats.percentile(90), { period }), { where });
}

/** The API's dashboard widgets. */
export function graphqlWidgets(apiId: string): cloudwatch.IWidget[] {
  return [
    new cloudwatch.GraphWidget({
      title: 'Errors',
      left: [
        graphqlMetric(apiId, '5XXError', cloudwatch.Stats.SUM, { label: '5XX' }),
        graphqlMetric(apiId, '4XXError', cloudwatch.Stats.SUM, { label: '4XX' }),
      ],
      width: 12,
    }),
    new cloudwatch.GraphWidget({
      title: 'Latency',
      left: [50, 90, 99].map((p) => graphqlMetric(apiId, 'Latency', cloudwatch.Stats.percentile(p), { label: `p${p}` })),
      width: 12,
    }),
  ];
}
