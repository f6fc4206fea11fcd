import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { checkInteger } from './validation';
import { LatencyAlarmOptions, ThresholdAlarmOptions } from '../core/alarm-options';
import { BulwarkError } from '../core/errors';

/** Options with every default filled in. */
export type ResolvedAlarmOptions = ThresholdAlarmOptions & { threshold: number; evaluationPeriods: number; period: Duration };

/**
 * A "metric > threshold" alarm, its options validated against CloudWatch's rules before anything is
 * made: `makeMetric` receives the validated period.
 */
export function thresholdAlarm(scope: Construct, id: string, prop: string, makeMetric: (period: Duration) => cloudwatch.IMetric,
  options: ResolvedAlarmOptions, description: string): cloudwatch.Alarm {
  validateAlarmOptions(scope, prop, options);
  return new cloudwatch.Alarm(scope, id, {
    metric: makeMetric(options.period),
    alarmDescription: description,
    threshold: options.threshold,
    evaluationPeriods: options.evaluationPeriods,
    datapointsToAlarm: options.datapointsToAlarm,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

export function validateAlarmOptions(scope: Construct, prop: string, options: ResolvedAlarmOptions): void {
  checkInteger(scope, `${prop}.evaluationPeriods`, options.evaluationPeriods, 1, 100);
  checkInteger(scope, `${prop}.datapointsToAlarm`, options.datapointsToAlarm, 1, options.evaluationPeriods);
  if (!Token.isUnresolved(options.threshold) && (typeof options.threshold !== 'number' || !Number.isFinite(options.threshold) || options.threshold < 0)) {
    throw BulwarkError.invalid(scope, `${prop}.threshold`, options.threshold, 'it must be a number of 0 or more');
  }
  if (!(options.period instanceof Duration)) {
    throw BulwarkError.invalid(scope, `${prop}.period`, options.period, 'it must be a Duration');
  }
  if (options.period.isUnresolved()) {
    return;
  }
  const seconds = options.period.toSeconds({ integral: false });
  if (![10, 30].includes(seconds) && (seconds < 60 || seconds % 60 !== 0)) {
    throw BulwarkError.invalid(scope, `${prop}.period`, options.period, 'CloudWatch takes 10 seconds, 30 seconds or a multiple of 60 seconds');
  }
  // PutMetricAlarm: period x evaluationPeriods may not exceed one day, or 7 days for periods of an hour or more.
  const limit = seconds >= 3600 ? Duration.days(7) : Duration.days(1);
  if (!Token.isUnresolved(options.evaluationPeriods) && seconds * options.evaluationPeriods > limit.toSeconds()) {
    throw new BulwarkError(scope, `${prop}: period (${options.period.toHumanString()}) x evaluationPeriods (${options.evaluationPeriods}) `
      + `exceeds CloudWatch's ${limit.toHumanString()} for this period`);
  }
}

/**
 * Validates a latency alarm's options (`maxLatency`: whole milliseconds from 1 ms to 60 s; API
 * Gateway answers within 30 s or times out) and returns them as threshold options in milliseconds.
 */
export function latencyAsThreshold(scope: Construct, prop: string, options: LatencyAlarmOptions): ResolvedAlarmOptions {
  const maxLatency: unknown = options.maxLatency;
  if (!(maxLatency instanceof Duration)) {
    throw BulwarkError.invalid(scope, `${prop}.maxLatency`, maxLatency, 'it must be a Duration');
  }
  const ms = maxLatency.isUnresolved() ? undefined : maxLatency.toMilliseconds({ integral: false });
  if (ms !== undefined && (!Number.isInteger(ms) || ms < 1 || ms > 60000)) {
    throw BulwarkError.invalid(scope, `${prop}.maxLatency`, maxLatency, 'it must be a whole number of milliseconds from 1 millisecond to 60 seconds');
  }
  const resolved = { ...options, threshold: ms ?? 0 } as ResolvedAlarmOptions;
  validateAlarmOptions(scope, prop, resolved);
  return resolved;
}
