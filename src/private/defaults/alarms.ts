import { Duration } from 'aws-cdk-lib';

/** The description every alarm carries at most (CloudWatch's limit is 1,024 characters). */
export const ALARM_DESCRIPTION_MAX = 1024;

/** Default alarm settings, one entry per alarm the library creates. */
export const ALARM_DEFAULTS = {
  /** Any message in a dead-letter queue is a failure someone must look at. */
  deadLetterQueueMessages: { threshold: 0, period: Duration.minutes(1), evaluationPeriods: 1 },
  /** The oldest message waiting longer than this means consumers are not keeping up. */
  oldestMessageAge: { maxAge: Duration.minutes(15), period: Duration.minutes(1), evaluationPeriods: 5 },
  /** Any batch Lambda could not write to a stream consumer's failure destination, in 5 minutes: those records are lost. */
  destinationDeliveryFailures: { threshold: 0, period: Duration.minutes(5), evaluationPeriods: 1 },
  /** A stream consumer more than 5 minutes behind for 5 minutes: it is not keeping up, or keeps retrying a batch. */
  streamIteratorAge: { maxAge: Duration.minutes(5), period: Duration.minutes(1), evaluationPeriods: 5 },
  /** Any function error in 5 minutes (with partial batch responses, a record failure is not a function error). */
  functionErrors: { threshold: 0, period: Duration.minutes(5), evaluationPeriods: 1 },
  /** Any throttled invocation in 5 minutes. */
  functionThrottles: { threshold: 0, period: Duration.minutes(5), evaluationPeriods: 1 },
} as const;
