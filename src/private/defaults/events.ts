import { Duration } from 'aws-cdk-lib';

/** Defaults of every EventHub (EventBridge bus, rules, archive) and its Scheduler schedules. */
export const EVENTS_DEFAULTS = {
  /**
   * How long the archive keeps events for replay. A month covers a slow-to-notice failure and the
   * 14 days a dead-letter queue keeps events; archive storage is billed per GB-month.
   */
  archiveRetention: Duration.days(30),
  /** EventBridge's and Scheduler's own default (185 attempts), stated explicitly. */
  retryAttempts: 185,
  /** EventBridge's and Scheduler's own default (24 hours), stated explicitly. */
  maxEventAge: Duration.hours(24),
} as const;

/** EventBridge and Scheduler limits, for validation. */
export const EVENTS_LIMITS = {
  /** RetryPolicy.MaximumRetryAttempts: 0 to 185 (rules and schedules). */
  maxRetryAttempts: 185,
  /** RetryPolicy.MaximumEventAgeInSeconds: 60 to 86,400 (rules and schedules). */
  minMaxEventAge: Duration.minutes(1),
  maxMaxEventAge: Duration.hours(24),
  /** PutTargets: at most 5 targets per rule. */
  maxTargetsPerRule: 5,
  /** Rule and schedule descriptions: at most 512 characters. */
  maxDescriptionLength: 512,
  /** Archive RetentionDays is whole days; 0 means "forever", which EventHub does not offer. */
  minArchiveRetention: Duration.days(1),
  /** RetentionDays is a 32-bit integer; EventBridge documents no lower maximum. */
  maxArchiveRetentionDays: 2147483647,
  /** AWS::Events::Rule SqsParameters.MessageGroupId: at most 100 characters. */
  maxRuleMessageGroupIdLength: 100,
  /** AWS::Scheduler::Schedule SqsParameters.MessageGroupId: at most 128 characters (SQS's own limit). */
  maxScheduleMessageGroupIdLength: 128,
  /** A flexible time window: 1 to 1,440 minutes. */
  minTimeWindow: Duration.minutes(1),
  maxTimeWindow: Duration.minutes(1440),
} as const;

/** Default alarm settings of EventHub routes and schedules (DLQ depth uses ALARM_DEFAULTS.deadLetterQueueMessages). */
export const EVENTS_ALARM_DEFAULTS = {
  /** Any event a route could not deliver after every retry, in 5 minutes. */
  failedInvocations: { threshold: 0, period: Duration.minutes(5), evaluationPeriods: 1 },
  /** Any event a route sent to its dead-letter queue, in 5 minutes. */
  invocationsSentToDlq: { threshold: 0, period: Duration.minutes(5), evaluationPeriods: 1 },
  /** Any event a route could not even write to its dead-letter queue (lost unless archived), in 5 minutes. */
  invocationsFailedToBeSentToDlq: { threshold: 0, period: Duration.minutes(5), evaluationPeriods: 1 },
  /** Any schedule invocation sent to the dead-letter queue, in 5 minutes. */
  scheduleInvocationsSentToDlq: { threshold: 0, period: Duration.minutes(5), evaluationPeriods: 1 },
  /** Any schedule invocation that could not be written to the dead-letter queue, in 5 minutes. */
  scheduleInvocationsFailedToBeSentToDlq: { threshold: 0, period: Duration.minutes(5), evaluationPeriods: 1 },
} as const;
