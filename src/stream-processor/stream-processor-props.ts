import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { StreamProcessorAlarmsProps } from './stream-processor-alarms';
import { SecureFunctionProps } from '../function/secure-function';
import { MonitoredConstructProps } from '../monitoring/monitored-props';

/**
 * Properties of `StreamProcessor`. Give exactly one of `handler` and `handlerProps`.
 */
export interface StreamProcessorProps extends MonitoredConstructProps {
  /**
   * The consumer to create: a `SecureFunction` with these props (its profile and monitoring are the
   * processor's unless given).
   *
   * @default - none: `handler` must be given
   */
  readonly handlerProps?: SecureFunctionProps;

  /**
   * A function of yours to consume the stream.
   *
   * @default - a `SecureFunction` created from `handlerProps`
   */
  readonly handler?: lambda.IFunction;

  /**
   * Shards of a provisioned stream (each takes 1 MB or 1,000 records a second in, 2 MB a second out,
   * and costs about $11 a month). Leave it out for an on-demand stream, which scales by itself but
   * is billed per hour even when idle (about $29 a month) and per GB.
   *
   * @default - an on-demand stream
   */
  readonly shardCount?: number;

  /**
   * How long records stay in the stream (24 to 8,760 hours, whole hours). Past 24 hours, retention is billed.
   *
   * @default Duration.hours(24)
   */
  readonly retentionPeriod?: Duration;

  /**
   * A customer-managed key to encrypt the stream with.
   *
   * @default - the stack key in REGULATED; the AWS managed key `aws/kinesis` in STANDARD (free of a
   * key's monthly price, and producers and consumers need no key permission)
   */
  readonly key?: kms.IKey;

  /**
   * A physical name (1 to 128 characters: letters, digits, `_`, `.`, `-`).
   *
   * @default - a name CloudFormation generates
   */
  readonly streamName?: string;

  /**
   * What happens to the stream when it leaves the stack. Deleting a stream deletes the records its
   * consumer has not processed.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Give the consumer an enhanced fan-out subscription: its own 2 MB a second per shard, pushed over
   * HTTP/2 (about 70 ms instead of about 200 ms), whatever other consumers read. Billed per consumer-shard
   * hour and per GB even when idle.
   *
   * @default false (the consumer shares the shards' read throughput, polling)
   */
  readonly enhancedFanOut?: boolean;

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
   * Where in the stream the consumer starts. `AT_TIMESTAMP` needs `startingPositionTimestamp`.
   *
   * @default lambda.StartingPosition.TRIM_HORIZON (the oldest record the stream still has: none is skipped)
   */
  readonly startingPosition?: lambda.StartingPosition;

  /**
   * With `startingPosition` `AT_TIMESTAMP`: the time to start at, in seconds since 1970-01-01 UTC.
   *
   * @default - none
   */
  readonly startingPositionTimestamp?: number;

  /**
   * Batches processed at once per shard (1 to 10), in order per partition key.
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
   * A standard queue of yours for the batches the consumer gives up on (Lambda's on-failure
   * destination: it receives the shard and sequence numbers of the batch, which stays in the stream
   * until it expires). If it is encrypted with a customer-managed key, import it with its key.
   *
   * @default - a dead-letter queue created for the consumer (14 days, encrypted, retained)
   */
  readonly failureQueue?: sqs.IQueue;

  /**
   * Alarm thresholds, or `enabled: false` to skip one.
   *
   * @default - see `StreamProcessorAlarmsProps`
   */
  readonly alarms?: StreamProcessorAlarmsProps;
}
