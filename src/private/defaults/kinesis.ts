import { Duration } from 'aws-cdk-lib';

/** Defaults of every StreamProcessor's stream. */
export const KINESIS_DEFAULTS = {
  /** Kinesis's own minimum and default: records stay a day (longer retention is billed per shard-hour or GB-month). */
  retentionPeriod: Duration.hours(24),
} as const;

/** Kinesis Data Streams limits, for validation (Kinesis developer guide, "Quotas and limits"; CreateStream API). */
export const KINESIS_LIMITS = {
  /** Retention: 24 to 8,760 hours, whole hours. */
  minRetention: Duration.hours(24),
  maxRetention: Duration.hours(8760),
  /** StreamName: 1 to 128 characters of [a-zA-Z0-9_.-]. */
  maxStreamNameLength: 128,
  /** Enhanced fan-out consumer names: 1 to 128 characters of [a-zA-Z0-9_.-]. */
  maxConsumerNameLength: 128,
} as const;

/** The exact actions of StreamProcessor's grants, and what each needs of a customer-managed key. */
export const KINESIS_ACTIONS = {
  /** Producers: put records, and find the stream's shards and mode. */
  write: ['kinesis:PutRecord', 'kinesis:PutRecords', 'kinesis:ListShards', 'kinesis:DescribeStreamSummary'],
  /** Consumers (Lambda's poller uses the function's role: Lambda developer guide, "Using Lambda with Kinesis Data Streams", execution role). */
  read: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'],
  /** An enhanced fan-out consumer, on the consumer's ARN. */
  fanOut: ['kinesis:SubscribeToShard', 'kinesis:DescribeStreamConsumer'],
  keyWrite: ['kms:GenerateDataKey'],
  keyRead: ['kms:Decrypt'],
} as const;

/** Default alarm settings of a StreamProcessor's stream. */
export const KINESIS_ALARM_DEFAULTS = {
  /** Any write the stream refused for throughput, in 5 minutes: producers are retrying or losing records. */
  writeThrottles: { threshold: 0, period: Duration.minutes(5), evaluationPeriods: 1 },
} as const;
