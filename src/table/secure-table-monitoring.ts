import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { AlarmMeasure, AlarmSpec } from '../private/alarm-set';
import { DYNAMODB_ALARM_DEFAULTS } from '../private/defaults/dynamodb';

// Internal to the library (not re-exported from index.ts): the alarm specs, metrics and dashboard widgets of a SecureTable.

/** The data operations whose SystemErrors and latency are watched (DynamoDB reports both per operation). */
export const DATA_OPERATIONS = [
  dynamodb.Operation.GET_ITEM, dynamodb.Operation.BATCH_GET_ITEM, dynamodb.Operation.QUERY, dynamodb.Operation.SCAN,
  dynamodb.Operation.PUT_ITEM, dynamodb.Operation.UPDATE_ITEM, dynamodb.Operation.DELETE_ITEM, dynamodb.Operation.BATCH_WRITE_ITEM,
  dynamodb.Operation.TRANSACT_GET_ITEMS, dynamodb.Operation.TRANSACT_WRITE_ITEMS,
];

/** What a capacity alarm's text is written from. */
export interface CapacityExtra {
  readonly side: 'read' | 'write';
  readonly maxCapacity: number;
  /** An index's alarm: its name. */
  readonly indexName?: string;
}

const LOOK = 'CloudWatch > the table\'s dashboard section, or DynamoDB console > the table > Monitor';

/** The alarms of a SecureTable, keyed like `SecureTableAlarmsProps`. */
export const SECURE_TABLE_ALARMS = {
  throttledRequests: {
    id: 'ThrottledRequestsAlarm',
    option: 'throttledRequests',
    measure: AlarmMeasure.COUNT,
    defaults: DYNAMODB_ALARM_DEFAULTS.throttledRequests,
    describe: ({ where, extra }) => `DynamoDB throttled requests to ${extra ? `the index ${extra.slice(0, 255)} of ` : ''}the table ${where} `
      + `(each throttled attempt counts, also those the SDK then retried with success). Find which side (${LOOK}). A provisioned `
      + 'table: raise the scaling maximum or minimum, or switch to on-demand. An on-demand table: a cap (maxRead/WriteRequestUnits) was reached, '
      + 'or one partition key takes more than 3,000 read or 1,000 write capacity units a second: spread the key (CloudWatch Contributor Insights names the hot keys).',
  } satisfies AlarmSpec<string | undefined>,
  systemErrors: {
    id: 'SystemErrorsAlarm',
    option: 'systemErrors',
    measure: AlarmMeasure.COUNT,
    defaults: DYNAMODB_ALARM_DEFAULTS.systemErrors,
    describe: ({ where }) => `Requests to the table ${where} failed with DynamoDB server errors (HTTP 500, InternalServerError). The SDKs retry `
      + `them, so callers may not have failed. Check the AWS Health Dashboard for DynamoDB in this region and ${LOOK} (SystemErrors by operation); `
      + 'if the errors go on without an event there, open an AWS support case with the request ids from the callers\' logs.',
  } satisfies AlarmSpec,
  consumedReadCapacity: capacityAlarm('consumedReadCapacity', 'ConsumedReadCapacityAlarm'),
  consumedWriteCapacity: capacityAlarm('consumedWriteCapacity', 'ConsumedWriteCapacityAlarm'),
};

function capacityAlarm(option: 'consumedReadCapacity' | 'consumedWriteCapacity', id: string): AlarmSpec<CapacityExtra> {
  return {
    id,
    option,
    measure: AlarmMeasure.RATE,
    defaults: DYNAMODB_ALARM_DEFAULTS[option],
    describe: ({ where, alarm, extra }) => `${extra.indexName ? `The index ${extra.indexName.slice(0, 255)} of the table` : 'The table'} ${where} `
      + `consumes more than ${Math.round(alarm.threshold * 100)}% of its ${extra.side} capacity `
      + `scaling maximum (${extra.maxCapacity} units): auto scaling cannot add more, and ${extra.side}s will be throttled. Raise `
      + `${extra.side === 'read' ? 'readCapacity' : 'writeCapacity'}.maxCapacity (the account's per-table quota permitting), make the requests `
      + `cheaper (smaller items, Query instead of Scan, projections), or switch to TableBilling.onDemand(). ${LOOK} shows which index consumes it.`,
  };
}

/** The dimensions of a table's metrics, or of one index's (DynamoDB reports them apart). */
function tableDimensions(table: dynamodb.ITable, indexName?: string): cloudwatch.DimensionsMap {
  return indexName === undefined ? { TableName: table.tableName } : { TableName: table.tableName, GlobalSecondaryIndexName: indexName };
}

/** The metrics of the alarms, by alarm. */
export function tableMetrics(table: dynamodb.ITable) {
  return {
    /** The table's throttled reads and writes, or an index's (DynamoDB reports them apart). */
    throttledRequests: (indexName?: string) => (period: Duration) => {
      const dimensionsMap = tableDimensions(table, indexName);
      return new cloudwatch.MathExpression({
        expression: 'FILL(r, 0) + FILL(w, 0)',
        usingMetrics: {
          r: table.metric('ReadThrottleEvents', { period, statistic: cloudwatch.Stats.SUM, dimensionsMap }),
          w: table.metric('WriteThrottleEvents', { period, statistic: cloudwatch.Stats.SUM, dimensionsMap }),
        },
        label: 'Throttled requests',
        period,
      });
    },
    systemErrors: (period: Duration) => systemErrors(table, period),
    /** Consumed units per second as a share of `maxCapacity`. */
    consumedCapacity: (metricName: string, maxCapacity: number, indexName?: string) => (period: Duration) => new cloudwatch.MathExpression({
      expression: `c / ${period.toSeconds()} / ${maxCapacity}`,
      usingMetrics: {
        c: table.metric(metricName, {
          period,
          statistic: cloudwatch.Stats.SUM,
          dimensionsMap: tableDimensions(table, indexName),
        }),
      },
      label: `${metricName} / maximum`,
      period,
    }),
  };
}

/**
 * SystemErrors summed over the data operations, each operation FILLed with 0: DynamoDB publishes an
 * operation's metric only when it is called, and metric math adds only where every part has a value,
 * so a plain sum (CDK's metricSystemErrorsForOperations) would be empty for a table never scanned.
 * Ten operations: the most metrics an alarm takes.
 */
export function systemErrors(table: dynamodb.ITable, period?: Duration): cloudwatch.MathExpression {
  const usingMetrics: Record<string, cloudwatch.IMetric> = {};
  DATA_OPERATIONS.forEach((operation, i) => {
    usingMetrics[`e${i}`] = table.metric('SystemErrors', {
      period, statistic: cloudwatch.Stats.SUM, dimensionsMap: { TableName: table.tableName, Operation: operation },
    });
  });
  return new cloudwatch.MathExpression({
    expression: Object.keys(usingMetrics).map((id) => `FILL(${id}, 0)`).join(' + '),
    usingMetrics,
    label: 'System errors',
    period,
  });
}

/** Dashboard widgets of a table. */
export function tableWidgets(table: dynamodb.ITable): cloudwatch.IWidget[] {
  const sum = { statistic: cloudwatch.Stats.SUM };
  const p90 = { statistic: cloudwatch.Stats.percentile(90) };
  return [
    new cloudwatch.GraphWidget({
      title: 'Consumed capacity',
      left: [table.metricConsumedReadCapacityUnits(sum), table.metricConsumedWriteCapacityUnits(sum)],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Throttles / system errors',
      left: [table.metric('ReadThrottleEvents', sum), table.metric('WriteThrottleEvents', sum)],
      right: [systemErrors(table)],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Latency p90 (ms)',
      left: [dynamodb.Operation.GET_ITEM, dynamodb.Operation.QUERY, dynamodb.Operation.PUT_ITEM, dynamodb.Operation.UPDATE_ITEM]
        .map((operation) => table.metricSuccessfulRequestLatency({
          ...p90, dimensionsMap: { TableName: table.tableName, Operation: operation }, label: operation,
        })),
      width: 8,
    }),
  ];
}
