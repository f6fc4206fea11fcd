import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct, IConstruct } from 'constructs';
import { checkInteger } from './validation';
import { BulwarkError } from '../core/errors';

/*
 * Alarms as data. A construct declares its alarms as specs (what is measured, which way it
 * breaches, the defaults, the runbook text), builds one AlarmSet from its `alarms` prop, which
 * validates every option before any resource exists, then asks the set for each alarm as the
 * resources it watches appear. The set creates the alarm in an `Alarms` child, wires its actions
 * once (through the monitoring sink) and remembers it for the construct's `alarms`.
 */

/** What the user's options measure, and so how they become a CloudWatch threshold. */
export enum AlarmMeasure {
  /** `threshold`: a count or amount, 0 or more. */
  COUNT = 'COUNT',
  /** `threshold`: a share from 0 to 1 (the average of a 0/1 metric, such as API Gateway's 5XXError). */
  RATE = 'RATE',
  /** `threshold`: a percentage from 0 to 100 (CPU or memory utilization). */
  PERCENT = 'PERCENT',
  /** `maxAge`: a Duration, compared in whole seconds. */
  AGE = 'AGE',
  /** `maxLatency`: a Duration, compared in whole milliseconds. */
  LATENCY = 'LATENCY',
}

/** Which side of the threshold breaches. */
export enum AlarmComparison {
  /** The metric is greater than the threshold (errors, depth, age, latency). */
  ABOVE = 'ABOVE',
  /** The metric is less than the threshold (running tasks, free storage, a heartbeat's count). */
  BELOW = 'BELOW',
}

/** An alarm's defaults, in the measure's own unit (`maxAge` for AGE, `threshold` for COUNT...). */
export interface AlarmDefaults {
  readonly threshold?: number;
  readonly maxAge?: Duration;
  readonly maxLatency?: Duration;
  readonly period: Duration;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm?: number;
}

/** An alarm's options with every default filled in, and its CloudWatch threshold. */
export interface ResolvedAlarm {
  readonly enabled: boolean;
  readonly period: Duration;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm?: number;
  /** In CloudWatch's unit: seconds for AGE, milliseconds for LATENCY (a token when the Duration's amount is one). */
  readonly threshold: number;
  readonly maxAge?: Duration;
  readonly maxLatency?: Duration;
}

/** What a description is written from. */
export interface AlarmContext<X> {
  /** Whose alarm it is, as the construct phrases it ("the queue of Stack/Orders"). */
  readonly where: string;
  readonly alarm: ResolvedAlarm;
  /** Anything else the text needs (a subscription id, a subscriber kind). */
  readonly extra: X;
}

/** One alarm a construct can make: its data, never its resources. */
export interface AlarmSpec<X = undefined> {
  /** Its construct id in the `Alarms` child. Construct ids are API: never change it. */
  readonly id: string;
  /** Its key in the construct's alarms props (`deadLetterQueueMessages`). */
  readonly option: string;
  readonly measure: AlarmMeasure;
  readonly defaults: AlarmDefaults;
  /** @default AlarmComparison.ABOVE */
  readonly comparison?: AlarmComparison;
  /** @default NOT_BREACHING: no data means nothing failed (errors, dead letters) */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
  /** AGE and LATENCY: the range of `maxAge` / `maxLatency`. */
  readonly range?: { readonly min: Duration; readonly max: Duration };
  /** What broke and what to do (CloudWatch keeps at most 1,024 characters). */
  readonly describe: (context: AlarmContext<X>) => string;
}

/** Where alarms go: `IMonitoring` (structurally, so that the kit imports no building block). */
export interface AlarmSink {
  addAlarm(alarm: cloudwatch.AlarmBase): void;
}

/** Options of an `AlarmSet`. */
export interface AlarmSetOptions {
  /** The name of the alarms prop, for messages. @default 'alarms' */
  readonly prop?: string;
  /** The props struct's type name, for messages (`QueueWorkerAlarmsProps`). */
  readonly typeName: string;
}

/** Where and for whom `AlarmSet.add()` creates an alarm. */
export interface AlarmPlacement<X> {
  /** The construct the alarm watches for: the alarm goes in its `Alarms` child. @default the set's owner */
  readonly scope?: Construct;
  readonly where: string;
  readonly extra?: X;
}

/** The construct id of the child every alarm is created in. Construct ids are API. */
export const ALARMS_ID = 'Alarms';

const COMMON_KEYS = ['enabled', 'period', 'evaluationPeriods', 'datapointsToAlarm'];
const MEASURE_KEY: Record<AlarmMeasure, string> = {
  [AlarmMeasure.COUNT]: 'threshold',
  [AlarmMeasure.RATE]: 'threshold',
  [AlarmMeasure.PERCENT]: 'threshold',
  [AlarmMeasure.AGE]: 'maxAge',
  [AlarmMeasure.LATENCY]: 'maxLatency',
};
/** LATENCY's range unless a spec says otherwise: API Gateway answers within 30 s or times out. */
const LATENCY_RANGE = { min: Duration.millis(1), max: Duration.seconds(60) };

/**
 * A construct's alarms: every option validated at construction, each alarm created on demand in a
 * stable `Alarms` child and registered with the sink once.
 */
export class AlarmSet {
  private readonly resolvedAlarms = new Map<string, ResolvedAlarm>();
  private readonly given: Record<string, unknown>;
  private readonly prop: string;
  private readonly created: cloudwatch.Alarm[] = [];

  /**
   * @param owner the construct whose props these are (errors name it)
   * @param sink where alarms are registered, resolved on first use
   * @param specs every alarm the construct can make
   * @param given the user's alarms prop
   */
  constructor(private readonly owner: Construct, private readonly sink: () => AlarmSink, specs: ReadonlyArray<AlarmSpec<any>>,
    given: unknown, options: AlarmSetOptions) {
    this.prop = options.prop ?? 'alarms';
    if (given !== undefined && given !== null && (typeof given !== 'object' || Array.isArray(given) || Token.isUnresolved(given))) {
      throw BulwarkError.invalid(owner, this.prop, given, `it must be a ${options.typeName} object, or left out for the defaults`);
    }
    this.given = (given ?? {}) as Record<string, unknown>;
    const known = specs.map((s) => s.option);
    for (const [name, value] of Object.entries(this.given)) {
      if (value !== undefined && !known.includes(name)) {
        throw BulwarkError.invalid(owner, `${this.prop}.${name}`, value,
          `'${name}' is not an alarm of ${options.typeName}; its alarms are ${known.join(', ')}`);
      }
    }
    for (const spec of specs) {
      if (!this.resolvedAlarms.has(spec.option)) {
        this.resolvedAlarms.set(spec.option, resolveAlarm(owner, `${this.prop}.${spec.option}`, spec, this.given[spec.option]));
      }
    }
  }

  /** The resolved options of `spec`. */
  public options(spec: AlarmSpec<any>): ResolvedAlarm {
    const resolved = this.resolvedAlarms.get(spec.option);
    if (!resolved) {
      throw new Error(`cdk-bulwark internal error: alarm ${spec.option} is not in the set of ${this.owner.node.path}`);
    }
    return resolved;
  }

  /** Whether the alarm of `spec` is made. */
  public isEnabled(spec: AlarmSpec<any>): boolean {
    return this.options(spec).enabled;
  }

  /**
   * Refuses options for `spec` that cannot take effect (an option is never silently dropped).
   * `enabled: false` alone is accepted: it asks for nothing.
   *
   * @param reason why the alarm cannot be made, and what to do instead
   */
  public refuse(spec: AlarmSpec<any>, reason: string): void {
    const given = this.given[spec.option];
    if (given === undefined || given === null) {
      return;
    }
    const asked = Object.entries(given as Record<string, unknown>).filter(([k, v]) => v !== undefined && !(k === 'enabled' && v === false));
    if (asked.length > 0) {
      throw BulwarkError.invalid(this.owner, `${this.prop}.${spec.option}`, given, `it cannot take effect: ${reason}`);
    }
  }

  /**
   * Creates the alarm of `spec` on `metric` in the `Alarms` child of `placement.scope`, registers it
   * with the sink and returns it; returns undefined when the alarm is disabled.
   */
  public add<X>(spec: AlarmSpec<X>, metric: (period: Duration) => cloudwatch.IMetric, placement: AlarmPlacement<X>): cloudwatch.Alarm | undefined {
    const alarm = this.options(spec);
    if (!alarm.enabled) {
      return undefined;
    }
    const scope = placement.scope ?? this.owner;
    const group = (scope.node.tryFindChild(ALARMS_ID) as Construct | undefined) ?? new Construct(scope, ALARMS_ID);
    const created = new cloudwatch.Alarm(group, spec.id, {
      metric: metric(alarm.period),
      alarmDescription: spec.describe({ where: placement.where, alarm, extra: placement.extra as X }),
      threshold: alarm.threshold,
      evaluationPeriods: alarm.evaluationPeriods,
      datapointsToAlarm: alarm.datapointsToAlarm,
      comparisonOperator: spec.comparison === AlarmComparison.BELOW
        ? cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD
        : cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: spec.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.sink().addAlarm(created);
    this.created.push(created);
    return created;
  }

  /** Every alarm created so far, in order. */
  public get alarms(): cloudwatch.IAlarm[] {
    return [...this.created];
  }
}

/**
 * The options of one alarm with its defaults filled in, validated against CloudWatch's rules and
 * the spec's measure. Throws a BulwarkError naming `prop`.
 */
export function resolveAlarm(scope: IConstruct, prop: string, spec: AlarmSpec<any>, given: unknown): ResolvedAlarm {
  if (given !== undefined && given !== null && (typeof given !== 'object' || Array.isArray(given) || Token.isUnresolved(given))) {
    throw BulwarkError.invalid(scope, prop, given, 'it must be an object of alarm options ({ enabled, threshold, period, ... }), or left out');
  }
  const measureKey = MEASURE_KEY[spec.measure];
  const allowed = [...COMMON_KEYS, measureKey];
  for (const [key, value] of Object.entries((given ?? {}) as Record<string, unknown>)) {
    if (value !== undefined && !allowed.includes(key)) {
      throw BulwarkError.invalid(scope, `${prop}.${key}`, value, `this alarm takes ${allowed.join(', ')}`);
    }
  }
  const options: Record<string, any> = { ...spec.defaults };
  for (const [key, value] of Object.entries((given ?? {}) as Record<string, unknown>)) {
    if (value !== undefined && value !== null) {
      options[key] = value;
    }
  }
  const enabled: unknown = options.enabled ?? true;
  if (typeof enabled !== 'boolean') {
    throw BulwarkError.invalid(scope, `${prop}.enabled`, enabled, 'it must be true or false');
  }
  checkInteger(scope, `${prop}.evaluationPeriods`, options.evaluationPeriods, 1, 100);
  const maxDatapoints = Token.isUnresolved(options.evaluationPeriods) ? 100 : options.evaluationPeriods;
  checkInteger(scope, `${prop}.datapointsToAlarm`, options.datapointsToAlarm, 1, maxDatapoints);
  const threshold = thresholdOf(scope, prop, spec, options);
  checkPeriod(scope, prop, options.period, options.evaluationPeriods);
  return {
    enabled,
    period: options.period,
    evaluationPeriods: options.evaluationPeriods,
    datapointsToAlarm: options.datapointsToAlarm,
    threshold,
    maxAge: options.maxAge,
    maxLatency: options.maxLatency,
  };
}

/** The CloudWatch threshold of the options, in the metric's unit. */
function thresholdOf(scope: IConstruct, prop: string, spec: AlarmSpec<any>, options: Record<string, any>): number {
  switch (spec.measure) {
    case AlarmMeasure.COUNT:
    case AlarmMeasure.RATE:
    case AlarmMeasure.PERCENT: {
      const threshold: unknown = options.threshold;
      if (Token.isUnresolved(threshold)) {
        return threshold as number;
      }
      if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold < 0) {
        throw BulwarkError.invalid(scope, `${prop}.threshold`, threshold, 'it must be a number of 0 or more');
      }
      if (spec.measure === AlarmMeasure.RATE && threshold >= 1 && spec.comparison !== AlarmComparison.BELOW) {
        throw BulwarkError.invalid(scope, `${prop}.threshold`, threshold,
          'it is a share of requests from 0 to 1 (0.05 is 5 %), so the alarm would never fire at 1 or more');
      }
      if (spec.measure === AlarmMeasure.RATE && threshold > 1) {
        throw BulwarkError.invalid(scope, `${prop}.threshold`, threshold, 'it is a share from 0 to 1 (0.05 is 5 %)');
      }
      if (spec.measure === AlarmMeasure.PERCENT && (threshold >= 100 || threshold === 0)) {
        throw BulwarkError.invalid(scope, `${prop}.threshold`, threshold, 'it is a percentage, so it must be above 0 and below 100 '
          + '(the alarm would fire at every data point at 0, and never at 100)');
      }
      if (spec.comparison === AlarmComparison.BELOW && threshold === 0) {
        throw BulwarkError.invalid(scope, `${prop}.threshold`, threshold, 'the alarm fires when the metric is below it, and the metric is never below 0');
      }
      return threshold;
    }
    case AlarmMeasure.AGE: {
      const maxAge: unknown = options.maxAge;
      if (!(maxAge instanceof Duration)) {
        throw BulwarkError.invalid(scope, `${prop}.maxAge`, maxAge, 'it must be a Duration');
      }
      if (maxAge.isUnresolved()) {
        return tokenThreshold(scope, `${prop}.maxAge`, maxAge, 'seconds', () => maxAge.toSeconds());
      }
      const range = spec.range ?? { min: Duration.seconds(1), max: Duration.days(14) };
      const seconds = maxAge.toSeconds({ integral: false });
      if (!Number.isInteger(seconds) || seconds < range.min.toSeconds() || seconds > range.max.toSeconds()) {
        throw BulwarkError.invalid(scope, `${prop}.maxAge`, maxAge,
          `it must be a whole number of seconds from ${range.min.toHumanString()} to ${range.max.toHumanString()}`);
      }
      return seconds;
    }
    case AlarmMeasure.LATENCY: {
      const maxLatency: unknown = options.maxLatency;
      if (!(maxLatency instanceof Duration)) {
        throw BulwarkError.invalid(scope, `${prop}.maxLatency`, maxLatency, 'it must be a Duration');
      }
      if (maxLatency.isUnresolved()) {
        return tokenThreshold(scope, `${prop}.maxLatency`, maxLatency, 'millis', () => maxLatency.toMilliseconds());
      }
      const range = spec.range ?? LATENCY_RANGE;
      const ms = maxLatency.toMilliseconds({ integral: false });
      if (!Number.isInteger(ms) || ms < range.min.toMilliseconds() || ms > range.max.toMilliseconds()) {
        throw BulwarkError.invalid(scope, `${prop}.maxLatency`, maxLatency,
          `it must be a whole number of milliseconds from ${describeRange(range)}`);
      }
      return ms;
    }
  }
}

/**
 * The threshold of a Duration whose amount is a token: CloudWatch compares it in `unit`, so the
 * token must already be in that unit (a token cannot be converted at synthesis).
 */
function tokenThreshold(scope: IConstruct, prop: string, value: Duration, unit: string, convert: () => number): number {
  try {
    return convert();
  } catch {
    throw BulwarkError.invalid(scope, prop, value.toString(),
      `its amount is a token, which cannot be converted at synthesis; give it as Duration.${unit}(...), the unit the alarm compares in`);
  }
}

function describeRange(range: { min: Duration; max: Duration }): string {
  const show = (d: Duration) => {
    const ms = d.toMilliseconds();
    return ms === 1 ? '1 millisecond' : ms % 1000 === 0 ? `${ms / 1000} seconds` : `${ms} milliseconds`;
  };
  return `${show(range.min)} to ${show(range.max)}`;
}

/** CloudWatch's rules for a period (PutMetricAlarm): 10 s, 30 s or a multiple of 60 s; period x evaluation periods within a day (7 days from an hour). */
function checkPeriod(scope: IConstruct, prop: string, period: unknown, evaluationPeriods: number): void {
  if (!(period instanceof Duration)) {
    throw BulwarkError.invalid(scope, `${prop}.period`, period, 'it must be a Duration');
  }
  if (period.isUnresolved()) {
    return;
  }
  const seconds = period.toSeconds({ integral: false });
  if (![10, 30].includes(seconds) && (seconds < 60 || seconds % 60 !== 0)) {
    throw BulwarkError.invalid(scope, `${prop}.period`, period, 'CloudWatch takes 10 seconds, 30 seconds or a multiple of 60 seconds');
  }
  const limit = seconds >= 3600 ? Duration.days(7) : Duration.days(1);
  if (!Token.isUnresolved(evaluationPeriods) && seconds * evaluationPeriods > limit.toSeconds()) {
    throw new BulwarkError(scope, `${prop}: period (${period.toHumanString()}) x evaluationPeriods (${evaluationPeriods}) `
      + `exceeds CloudWatch's ${limit.toHumanString()} for this period`);
  }
}
