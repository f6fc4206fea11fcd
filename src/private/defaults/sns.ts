import { Duration } from 'aws-cdk-lib';

/** Default alarm settings of the topic-level alarms of a SecureTopic. */
export const SNS_ALARM_DEFAULTS = {
  /** Any notification SNS gave up delivering, in 5 minutes. */
  notificationsFailed: { threshold: 0, period: Duration.minutes(5), evaluationPeriods: 1 },
  /** Any notification SNS could not move to a dead-letter queue (it is lost), in 1 minute. */
  notificationsFailedToRedriveToDlq: { threshold: 0, period: Duration.minutes(1), evaluationPeriods: 1 },
} as const;

/** SNS limits, for validation. */
export const SNS_LIMITS = {
  /** Topic display names: at most 100 characters. */
  maxDisplayName: 100,
  /** A filter policy has at most five keys. */
  maxFilterPolicyKeys: 5,
  /** The product of the number of values of every key of a filter policy must not exceed 150. */
  maxFilterPolicyCombinations: 150,
} as const;
