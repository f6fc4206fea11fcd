import { Duration } from 'aws-cdk-lib';

/** Step Functions defaults of a Workflow. */
export const STATES_DEFAULTS = {
  /**
   * A Standard execution that never ends (a lost callback, a task without a timeout) would run for a
   * year and never be alarmed on: Standard executions time out after a day unless `timeout` says
   * otherwise.
   */
  standardTimeout: Duration.hours(24),
  /** Express executions run at most five minutes (the service's limit). */
  expressTimeout: Duration.minutes(5),
  /** How long Step Functions reuses a data key of a customer-managed key (the service's default). */
  kmsDataKeyReusePeriod: Duration.minutes(5),
} as const;

/** Step Functions limits, for validation (Step Functions developer guide, "Step Functions service quotas"). */
export const STATES_LIMITS = {
  /** A Standard execution runs at most one year. */
  maxStandardTimeout: Duration.days(365),
  /** An Express execution runs at most five minutes. */
  maxExpressTimeout: Duration.minutes(5),
  /** State machine names: 1 to 80 characters of letters, digits, '-' and '_'. */
  stateMachineName: /^[A-Za-z0-9_-]{1,80}$/,
} as const;

/** Default alarm settings of a Workflow. */
export const STATES_ALARM_DEFAULTS = {
  /** Any failed execution in 5 minutes. */
  executionsFailed: { threshold: 0, period: Duration.minutes(5), evaluationPeriods: 1 },
  /** Any execution that timed out in 5 minutes. */
  executionsTimedOut: { threshold: 0, period: Duration.minutes(5), evaluationPeriods: 1 },
  /** Any execution aborted (stopped) in 5 minutes. */
  executionsAborted: { threshold: 0, period: Duration.minutes(5), evaluationPeriods: 1 },
  /** Any throttled state transition in 5 minutes. */
  executionThrottled: { threshold: 0, period: Duration.minutes(5), evaluationPeriods: 1 },
  /** Express: p90 execution time above 4 minutes for 5 minutes (the limit is 5 minutes). */
  executionTimeP90: { maxLatency: Duration.minutes(4), period: Duration.minutes(1), evaluationPeriods: 5 },
} as const;
