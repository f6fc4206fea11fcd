import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AgeAlarmOptions, ThresholdAlarmOptions } from './alarm-options';

/** Alarms of a stream consumer. Every alarm notifies the stack's `Monitoring` alarm topic; set `enabled: false` to skip one. */
export interface StreamConsumerAlarmsProps {
  /**
   * How far behind the consumer is: the age of the newest record of the last batch it processed
   * (`IteratorAge`, maximum). Records expire from the stream (DynamoDB after 24 hours): a consumer
   * that falls that far behind loses them.
   *
   * @default - maximum > 5 minutes in 5 consecutive 1-minute periods
   */
  readonly iteratorAge?: AgeAlarmOptions;

  /**
   * Batches the consumer gave up on, in the failure queue (each message describes a batch: shard,
   * sequence numbers; the records stay in the stream until they expire).
   *
   * @default - more than 0 messages in a 1-minute period
   */
  readonly failureQueueMessages?: ThresholdAlarmOptions;

  /**
   * Batches Lambda could not write to the failure queue (`DestinationDeliveryFailures` of the
   * function, sum): lost unless read from the stream again in time.
   *
   * @default - more than 0 over one 5-minute period
   */
  readonly destinationDeliveryFailures?: ThresholdAlarmOptions;
}

/** How a function consumes a stream (a `SecureTable`'s, with `addStreamConsumer()`). */
export interface StreamConsumerOptions {
  /**
   * Records per batch (1 to 10,000).
   *
   * @default 100
   */
  readonly batchSize?: number;

  /**
   * How long Lambda gathers records before it calls the function (0 to 300 seconds).
   *
   * @default - none: as soon as records are there
   */
  readonly maxBatchingWindow?: Duration;

  /**
   * Where in the stream the consumer starts.
   *
   * @default lambda.StartingPosition.TRIM_HORIZON (the oldest record the stream still has: none is skipped)
   */
  readonly startingPosition?: lambda.StartingPosition;

  /**
   * Batches processed at once per shard (1 to 10), in order per key.
   *
   * @default 1
   */
  readonly parallelizationFactor?: number;

  /**
   * How often a failed batch is retried (0 to 10,000) before it goes to the failure queue. The
   * function reports the records that failed (`batchItemFailures`), and a failing batch is split in
   * two to isolate a bad record.
   *
   * @default 3
   */
  readonly retryAttempts?: number;

  /**
   * Records older than this are not processed but go to the failure queue (1 minute to 7 days).
   *
   * @default - records are processed until they expire from the stream
   */
  readonly maxRecordAge?: Duration;

  /**
   * A queue of yours for the batches the consumer gives up on (standard, not FIFO). If it is
   * encrypted with a customer-managed key, import it with its key (`sqs.Queue.fromQueueAttributes({
   * queueArn, keyArn })`) so that the function is allowed the key.
   *
   * @default - a dead-letter queue created for the consumer (14 days, encrypted, retained)
   */
  readonly failureQueue?: sqs.IQueue;

  /**
   * Alarm thresholds.
   *
   * @default - every alarm with its defaults (see `StreamConsumerAlarmsProps`)
   */
  readonly alarms?: StreamConsumerAlarmsProps;
}
