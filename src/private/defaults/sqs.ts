import { Duration } from 'aws-cdk-lib';

/** Secure defaults for every SQS queue the library creates. */
export const SQS_DEFAULTS = {
  /** Dead-letter queues keep messages as long as SQS allows, to leave time to inspect and redrive. */
  deadLetterRetention: Duration.days(14),
  /** Source queues keep messages 4 days (the SQS default), stated explicitly. */
  retention: Duration.days(4),
  /** AWS's advice for Lambda consumers: survive a few throttles before dead-lettering. */
  maxReceiveCount: 5,
  /** Lambda's SQS event source: AWS recommends a visibility timeout of 6x the function timeout plus the batching window. */
  visibilityTimeoutFactor: 6,
  batchSize: 10,
} as const;

/** SQS limits, for validation. */
export const SQS_LIMITS = {
  minRetention: Duration.seconds(60),
  maxRetention: Duration.days(14),
  maxVisibilityTimeout: Duration.hours(12),
  maxReceiveCount: 1000,
  /** Lambda event source: standard queues take up to 10,000 per batch (above 10 a batching window is required). */
  maxBatchSizeStandard: 10000,
  maxBatchSizeFifo: 10,
  maxBatchSizeWithoutWindow: 10,
  maxBatchingWindow: Duration.minutes(5),
  minMaxConcurrency: 2,
  maxMaxConcurrency: 1000,
} as const;
