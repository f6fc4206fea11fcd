import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmMeasure, AlarmSpec } from '../private/alarm-set';
import { ATHENA_ALARM_DEFAULTS } from '../private/defaults/athena';

// Internal to the library (not re-exported from index.ts): the alarms and dashboard widgets of a QueryWorkgroup.

/** The alarms of a QueryWorkgroup, keyed like `QueryWorkgroupAlarmsProps`. */
export const QUERY_WORKGROUP_ALARMS = {
  failedQueries: {
    id: 'FailedQueriesAlarm',
    option: 'failedQueries',
    measure: AlarmMeasure.COUNT,
    defaults: ATHENA_ALARM_DEFAULTS.failedQueries,
    describe: ({ where }) => `Queries of the Athena workgroup ${where} failed or were cancelled. Athena console > Query editor > Recent queries `
      + '(or aws athena list-query-executions --work-group <name>, then get-query-execution) shows each one\'s reason: a syntax or schema error, '
      + 'missing S3 or Glue permissions of the caller, a user\'s cancellation, or the bytes-scanned cutoff (raise bytesScannedCutoffPerQuery, '
      + 'or partition and filter the data).',
  },
  processedBytes: {
    id: 'ProcessedBytesAlarm',
    option: 'processedBytes',
    measure: AlarmMeasure.COUNT,
    defaults: ATHENA_ALARM_DEFAULTS.processedBytes,
    describe: ({ where }) => `The queries of the Athena workgroup ${where} scanned more bytes in a day than the threshold: Athena bills $5 per `
      + 'TB scanned. Find the heavy queries (aws athena list-query-executions, then get-query-execution: Statistics.DataScannedInBytes) and '
      + 'who runs them; partition the data, store it as Parquet, or lower bytesScannedCutoffPerQuery.',
  },
} satisfies Record<string, AlarmSpec>;

/** One Athena metric of the workgroup's DML queries in one state. */
function athenaMetric(workgroup: string, metricName: string, state: string, statistic: string, period: Duration): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/Athena',
    metricName,
    dimensionsMap: { WorkGroup: workgroup, QueryState: state, QueryType: 'DML' },
    statistic,
    period,
  });
}

/** The workgroup's metrics, each over `period`. */
export function workgroupMetrics(workgroup: string) {
  return {
    /** Failed and cancelled DML queries (the bytes-scanned cutoff cancels): the sample count of their TotalExecutionTime. */
    failedQueries: (period: Duration) => new cloudwatch.MathExpression({
      expression: 'FILL(f, 0) + FILL(c, 0)',
      usingMetrics: {
        f: athenaMetric(workgroup, 'TotalExecutionTime', 'FAILED', cloudwatch.Stats.SAMPLE_COUNT, period),
        c: athenaMetric(workgroup, 'TotalExecutionTime', 'CANCELED', cloudwatch.Stats.SAMPLE_COUNT, period),
      },
      label: 'Failed or cancelled queries',
      period,
    }),
    /** Bytes scanned in every state (failed and cancelled queries are billed too). */
    processedBytes: (period: Duration) => new cloudwatch.MathExpression({
      expression: 'FILL(s, 0) + FILL(f, 0) + FILL(c, 0)',
      usingMetrics: {
        s: athenaMetric(workgroup, 'ProcessedBytes', 'SUCCEEDED', cloudwatch.Stats.SUM, period),
        f: athenaMetric(workgroup, 'ProcessedBytes', 'FAILED', cloudwatch.Stats.SUM, period),
        c: athenaMetric(workgroup, 'ProcessedBytes', 'CANCELED', cloudwatch.Stats.SUM, period),
      },
      label: 'ProcessedBytes',
      period,
    }),
  };
}

/** Dashboard widgets of the workgroup. */
export function workgroupWidgets(workgroup: string): cloudwatch.IWidget[] {
  const metrics = workgroupMetrics(workgroup);
  return [
    new cloudwatch.GraphWidget({ title: 'Failed queries', width: 8, left: [metrics.failedQueries(Duration.minutes(5))] }),
    new cloudwatch.GraphWidget({ title: 'Bytes scanned (hourly)', width: 8, left: [metrics.processedBytes(Duration.hours(1))] }),
  ];
}
