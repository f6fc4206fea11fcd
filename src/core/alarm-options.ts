import { Duration } from 'aws-cdk-lib';

/**
 * Settings shared by every alarm a cdk-bulwark construct creates.
 *
 * Each alarm has documented defaults (see the construct's `*AlarmsProps`); set only what you
 * want to change.
 */
export interface AlarmOptions {
  /**
   * Whether to create the alarm at all.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The period over which the metric is aggregated.
   *
   * @default - per alarm, see the construct's alarm props
   */
  readonly period?: Duration;

  /**
   * The number of periods over which data is compared to the threshold.
   *
   * @default - per alarm, see the construct's alarm props
   */
  readonly evaluationPeriods?: number;

  /**
   * The number of breaching data points within `evaluationPeriods` that trigger the alarm.
   *
   * @default - equal to `evaluationPeriods`
   */
  readonly datapointsToAlarm?: number;
}

/** An alarm on a count or a rate: it fires when the metric is above `threshold`. */
export interface ThresholdAlarmOptions extends AlarmOptions {
  /**
   * The alarm fires when the metric is greater than this value.
   *
   * @default - per alarm, see the construct's alarm props
   */
  readonly threshold?: number;
}

/** An alarm on an age or a duration: it fires when the metric is above `maxAge`. */
export interface AgeAlarmOptions extends AlarmOptions {
  /**
   * The alarm fires when the metric is greater than this age.
   *
   * @default - per alarm, see the construct's alarm props
   */
  readonly maxAge?: Duration;
}

/** An alarm on a latency: it fires when the metric is above `maxLatency`. */
export interface LatencyAlarmOptions extends AlarmOptions {
  /**
   * The alarm fires when the latency statistic is greater than this.
   *
   * @default - per alarm, see the construct's alarm props
   */
  readonly maxLatency?: Duration;
}
