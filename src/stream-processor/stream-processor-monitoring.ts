import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { HANDLER_ALARMS } from '../function/handler';
import { AlarmMeasure, AlarmSpec } from '../private/alarm-set';
import { KINESIS_ALARM_DEFAULTS } from '../private/defaults/kinesis';
import { STREAM_CONSUMER_ALARMS } from '../private/stream-consumer';

// Internal to the library (not re-exported from index.ts): the alarms and dashboard widgets of a StreamProcessor.

/** The alarms of a StreamProcessor, keyed like `StreamProcessorAlarmsProps`. */
export const STREAM_PROCESSOR_ALARMS = {
  ...STREAM_CONSUMER_ALARMS,
  writeThrottles: {
    id: 'WriteThrottlesAlarm',
    option: 'writeThrottles',
    measure: AlarmMeasure.COUNT,
    defaults: KINESIS_ALARM_DEFAULTS.writeThrottles,
    describe: ({ where }) => `The stream of ${where} refused records for throughput (WriteProvisionedThroughputExceeded): producers are `
      + 'retrying, and records they give up on are lost. A provisioned stream needs more shards (aws kinesis update-shard-count, or shardCount); '
      + 'an on-demand stream was written faster than twice its previous peak and scales within minutes. Check that partition keys spread '
      + 'the writes: one hot key is limited to one shard.',
  },
  ...HANDLER_ALARMS,
} satisfies Record<string, AlarmSpec>;

/** The stream's write throttles, summed: each record refused. */
export function writeThrottles(stream: kinesis.IStream): (period: Duration) => cloudwatch.IMetric {
  return (period) => stream.metricWriteProvisionedThroughputExceeded({ period, statistic: cloudwatch.Stats.SUM });
}

/** Dashboard widgets of the stream: records in, write throttles, how far behind the consumer is. */
export function streamWidgets(stream: kinesis.IStream, iteratorAge: cloudwatch.IMetric): cloudwatch.IWidget[] {
  return [
    new cloudwatch.GraphWidget({
      title: 'Records in (left) / write throttles (right)',
      width: 8,
      left: [stream.metricIncomingRecords({ statistic: cloudwatch.Stats.SUM })],
      right: [stream.metricWriteProvisionedThroughputExceeded({ statistic: cloudwatch.Stats.SUM })],
    }),
    new cloudwatch.GraphWidget({ title: 'Consumer iterator age (ms, max)', width: 8, left: [iteratorAge] }),
  ];
}
