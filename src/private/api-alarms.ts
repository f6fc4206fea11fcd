import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmContext, AlarmMeasure, AlarmSet, AlarmSpec } from './alarm-set';
import { API_ALARM_DEFAULTS } from './defaults/api-gateway';

/*
 * The alarms and metrics every API of the family has (AWS's recommended alarms for API Gateway):
 * the 5XX rate, the 4XX rate and the p90 latency, on the stage. The specs (ids, options, measures,
 * defaults) are written once; each API writes its own runbook texts, since what to look at differs.
 */

/** The runbook text of each API alarm, per kind of API. */
export interface ApiAlarmTexts {
  readonly serverErrorRate: (context: AlarmContext<undefined>) => string;
  readonly clientErrorRate: (context: AlarmContext<undefined>) => string;
  readonly latencyP90: (context: AlarmContext<undefined>) => string;
}

/** The API alarm specs with `texts`, keyed like the alarms props (`serverErrorRate`, `clientErrorRate`, `latencyP90`). */
export function apiAlarmSpecs(texts: ApiAlarmTexts) {
  return {
    serverErrorRate: {
      id: 'ServerErrorRateAlarm',
      option: 'serverErrorRate',
      // The average of a 0/1 metric: thresholds of 1 or more could never fire.
      measure: AlarmMeasure.RATE,
      defaults: API_ALARM_DEFAULTS.serverErrorRate,
      describe: texts.serverErrorRate,
    },
    clientErrorRate: {
      id: 'ClientErrorRateAlarm',
      option: 'clientErrorRate',
      measure: AlarmMeasure.RATE,
      defaults: API_ALARM_DEFAULTS.clientErrorRate,
      describe: texts.clientErrorRate,
    },
    latencyP90: latencyP90Spec(texts.latencyP90),
  } satisfies Record<string, AlarmSpec>;
}

/** The p90 latency alarm spec of every kind of API (GraphQL APIs have it without the error-rate specs). */
export function latencyP90Spec(describe: (context: AlarmContext<undefined>) => string) {
  return {
    id: 'LatencyP90Alarm',
    option: 'latencyP90',
    measure: AlarmMeasure.LATENCY,
    defaults: API_ALARM_DEFAULTS.latencyP90,
    describe,
  } satisfies AlarmSpec;
}

/** The API alarms of one kind of API. */
export type ApiAlarmSpecs = ReturnType<typeof apiAlarmSpecs>;

/** What the stage of every kind of API measures (`apigateway.Stage`, `apigwv2.HttpStage`). */
export interface ApiStageMetrics {
  metricServerError(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  metricClientError(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  metricLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  metricIntegrationLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  metricCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/**
 * The metrics every API exposes, with their statistics: each construct's public `metric*()`
 * methods return these. CloudWatch's default period (5 minutes) applies unless `props` give one.
 */
export function apiMetrics(stage: ApiStageMetrics) {
  return {
    /** `5XXError` / `5xx`, average: the share of requests answered with a server error (0 to 1). */
    serverErrorRate: (props?: cloudwatch.MetricOptions) => stage.metricServerError({ statistic: cloudwatch.Stats.AVERAGE, ...props }),
    /** `4XXError` / `4xx`, average: the share of requests answered with a client error (0 to 1). */
    clientErrorRate: (props?: cloudwatch.MetricOptions) => stage.metricClientError({ statistic: cloudwatch.Stats.AVERAGE, ...props }),
    /** `5XXError` / `5xx`, sum: the number of server errors. */
    serverErrors: (props?: cloudwatch.MetricOptions) => stage.metricServerError({ statistic: cloudwatch.Stats.SUM, ...props }),
    /** `4XXError` / `4xx`, sum: the number of client errors. */
    clientErrors: (props?: cloudwatch.MetricOptions) => stage.metricClientError({ statistic: cloudwatch.Stats.SUM, ...props }),
    /** `Latency`, p90: request to response, in milliseconds. */
    latency: (props?: cloudwatch.MetricOptions) => stage.metricLatency({ statistic: cloudwatch.Stats.percentile(90), ...props }),
    /** `IntegrationLatency`, p90: the time the handlers took, in milliseconds. */
    integrationLatency: (props?: cloudwatch.MetricOptions) =>
      stage.metricIntegrationLatency({ statistic: cloudwatch.Stats.percentile(90), ...props }),
    /** `Count`, sum: the number of requests. */
    count: (props?: cloudwatch.MetricOptions) => stage.metricCount({ statistic: cloudwatch.Stats.SUM, ...props }),
  };
}

/** Creates the API alarms of `specs` on `stage` in the set (each only if enabled). */
export function addApiAlarms(alarms: AlarmSet, specs: ApiAlarmSpecs, stage: ApiStageMetrics, where: string): void {
  const metrics = apiMetrics(stage);
  alarms.add(specs.serverErrorRate, (period: Duration) => metrics.serverErrorRate({ period }), { where });
  alarms.add(specs.clientErrorRate, (period: Duration) => metrics.clientErrorRate({ period }), { where });
  alarms.add(specs.latencyP90, (period: Duration) => metrics.latency({ period }), { where });
}
