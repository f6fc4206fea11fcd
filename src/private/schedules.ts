import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AlarmMeasure, AlarmSpec } from './alarm-set';
import { EVENTS_ALARM_DEFAULTS, EVENTS_LIMITS } from './defaults/events';
import {
  checkDeadLetterQueue, checkDeliveryDescription, checkDeliveryTarget, grantInvokeTarget, grantSendToQueue, ScheduleDeliveryTarget,
} from './delivery-targets';
import { serviceRole } from './managed-policy-role';
import { checkDuration, checkInteger } from './validation';
import { BulwarkError } from '../core/errors';
import { HubTarget } from '../core/hub-target';

/*
 * EventBridge Scheduler invocations with a role that may invoke only their target, a dead-letter
 * queue and a retry policy; the group they live in and its alarms; and the checks of a schedule.
 * Used by EventHub schedules and by every construct with a schedule trigger.
 */

/** A schedule, as every owner describes it. */
export interface ScheduleSettings {
  readonly schedule: scheduler.ScheduleExpression;
  readonly target: HubTarget;
  readonly input?: scheduler.ScheduleTargetInput;
  readonly description?: string;
  readonly enabled?: boolean;
  readonly timeWindow?: scheduler.TimeWindow;
}

/** What a ScheduledInvocation needs beyond its settings. */
export interface ScheduledInvocationProps extends ScheduleSettings {
  readonly group: scheduler.IScheduleGroup;
  readonly deadLetterQueue: sqs.IQueue;
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
  /** Customer-managed policies instead of an inline one (the profile's `managedPolicies`). */
  readonly managedRole: boolean;
  /** Encrypts the schedule's payload. */
  readonly key?: kms.IKey;
  /** What the role is for, in its description. */
  readonly purpose: string;
}

/** A schedule with its own role, allowed to invoke its one target and write its dead letters. */
export class ScheduledInvocation extends Construct {
  public readonly schedule: scheduler.Schedule;
  public readonly role: iam.IRole;
  public readonly deadLetterQueue: sqs.IQueue;

  constructor(scope: Construct, id: string, props: ScheduledInvocationProps) {
    super(scope, id);
    this.deadLetterQueue = props.deadLetterQueue;
    // Only Scheduler of this account may assume it (confused-deputy protection, as AWS documents).
    const principal = new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
    });
    const role = serviceRole(this, 'Role', principal, props.managedRole, props.purpose);
    this.role = role;
    grantInvokeTarget(this, role, props.target);
    // Scheduler writes dead letters with the schedule's role.
    grantSendToQueue(this, role, this.deadLetterQueue);

    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      schedule: props.schedule,
      target: new ScheduleDeliveryTarget(props.target, role, {
        input: props.input,
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: props.retryAttempts,
        maxEventAge: props.maxEventAge,
      }),
      scheduleGroup: props.group,
      description: props.description,
      enabled: props.enabled ?? true,
      timeWindow: props.timeWindow ?? scheduler.TimeWindow.off(),
      key: props.key,
    });
    // The role's policies must exist before Scheduler first assumes it, and the group before its
    // schedules: the schedule names the group by its literal name, which CloudFormation cannot order by.
    this.schedule.node.addDependency(role, props.group);
  }
}

/**
 * A schedule group. Not retained: a retained group keeps its (generated, fixed) name and would
 * block a redeploy; schedules hold no data.
 */
export function createScheduleGroup(scope: Construct, id: string): scheduler.ScheduleGroup {
  return new scheduler.ScheduleGroup(scope, id, { removalPolicy: RemovalPolicy.DESTROY });
}

/** The alarms of a schedule group, keyed as in the owner's alarms props. */
export const SCHEDULE_GROUP_ALARMS = {
  scheduleInvocationsSentToDlq: {
    id: 'ScheduleInvocationsSentToDlqAlarm',
    option: 'scheduleInvocationsSentToDlq',
    measure: AlarmMeasure.COUNT,
    defaults: EVENTS_ALARM_DEFAULTS.scheduleInvocationsSentToDlq,
    describe: ({ where }) => `EventBridge Scheduler could not invoke the target of a schedule of ${where} after every retry and sent the invocation `
      + 'to the dead-letter queue. Poll the queue in the SQS console: the X-Amz-Scheduler-Schedule-Arn, -Target-Arn and -Error-Code attributes say '
      + 'which schedule failed and why. Fix the target or the schedule\'s role, then invoke the target with each message body (or wait for the next '
      + 'run) and delete the messages.',
  },
  scheduleInvocationsFailedToBeSentToDlq: {
    id: 'ScheduleInvocationsFailedToBeSentToDlqAlarm',
    option: 'scheduleInvocationsFailedToBeSentToDlq',
    measure: AlarmMeasure.COUNT,
    defaults: EVENTS_ALARM_DEFAULTS.scheduleInvocationsFailedToBeSentToDlq,
    describe: ({ where }) => `Schedule invocations of ${where} failed AND could not be written to the dead-letter queue: they are lost. `
      + 'Check that the schedule\'s role may sqs:SendMessage to the queue and, for a KMS-encrypted queue, use kms:GenerateDataKey and kms:Decrypt on its key; '
      + 'then invoke the target for the missed runs.',
  },
} satisfies Record<string, AlarmSpec>;

/** The metrics of `SCHEDULE_GROUP_ALARMS`. */
export function scheduleGroupMetrics(group: scheduler.IScheduleGroup) {
  return {
    scheduleInvocationsSentToDlq: (period: Duration) => group.metricSentToDLQ({ period, statistic: cloudwatch.Stats.SUM }),
    scheduleInvocationsFailedToBeSentToDlq: (period: Duration) =>
      group.metricFailedToBeSentToDLQ(undefined, { period, statistic: cloudwatch.Stats.SUM }),
  };
}

/** The delivery settings of a schedule, each optional (the owner's defaults apply). */
export interface ScheduleDeliveryOptions {
  readonly deadLetterQueue?: sqs.IQueue;
  readonly retryAttempts?: number;
  readonly maxEventAge?: Duration;
}

/** Throws unless the schedule can be made: its expression, target, description, window and delivery settings. */
export function checkSchedule(scope: Construct, prop: string, settings: ScheduleSettings & ScheduleDeliveryOptions): void {
  const expression: unknown = (settings.schedule as scheduler.ScheduleExpression | undefined)?.expressionString;
  if (typeof expression !== 'string') {
    throw BulwarkError.invalid(scope, `${prop} schedule`, settings.schedule,
      'give a scheduler.ScheduleExpression: .rate(Duration), .cron({...}), .at(Date) or .expression(\'rate(5 minutes)\')');
  }
  const problem = scheduleExpressionProblem(expression);
  if (problem) {
    throw BulwarkError.invalid(scope, `${prop} schedule`, expression, problem);
  }
  checkDeliveryTarget(scope, `${prop} target`, settings.target, 'schedule');
  const input: unknown = settings.input;
  if (input !== undefined && typeof (input as Partial<scheduler.ScheduleTargetInput> | null)?.bind !== 'function') {
    throw BulwarkError.invalid(scope, `${prop} input`, input ?? null,
      'it must be a scheduler.ScheduleTargetInput: .fromObject({ ... }) or .fromText(\'...\')');
  }
  const timeWindow: unknown = settings.timeWindow;
  if (timeWindow !== undefined && typeof (timeWindow as Partial<scheduler.TimeWindow> | null)?.mode !== 'string') {
    throw BulwarkError.invalid(scope, `${prop} timeWindow`, timeWindow ?? null, 'it must be a scheduler.TimeWindow: .off() or .flexible(Duration.minutes(n))');
  }
  checkDeliveryDescription(scope, `${prop} description`, settings.description);
  checkDuration(scope, `${prop} timeWindow`, settings.timeWindow?.maxWindow, EVENTS_LIMITS.minTimeWindow, EVENTS_LIMITS.maxTimeWindow);
  checkDeliveryRetry(scope, prop, settings);
  checkDeadLetterQueue(scope, `${prop} deadLetterQueue`, settings.deadLetterQueue, 'schedule');
}

/** Throws unless the retry policy is one EventBridge and Scheduler take (0 to 185 attempts, 1 minute to 24 hours). */
export function checkDeliveryRetry(scope: Construct, prop: string, retry: ScheduleDeliveryOptions): void {
  const at = prop === '' ? '' : `${prop} `;
  checkInteger(scope, `${at}retryAttempts`, retry.retryAttempts, 0, EVENTS_LIMITS.maxRetryAttempts);
  checkDuration(scope, `${at}maxEventAge`, retry.maxEventAge, EVENTS_LIMITS.minMaxEventAge, EVENTS_LIMITS.maxMaxEventAge);
}

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
/**
 * The six cron fields (minutes hours day-of-month month day-of-week year) as EventBridge Scheduler
 * takes them: their values, names and wildcards
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#cron-based).
 */
interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names for values (JAN-DEC, SUN-SAT), in order from `min`. */
  readonly names?: readonly string[];
  /** Whether `?` is allowed (the day fields). */
  readonly question?: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const CRON_FIELDS: readonly CronField[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, question: true },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, question: true },
  { name: 'year', min: 1970, max: 2199 },
];

/** Why a cron field is not valid, or undefined. */
function cronFieldProblem(field: CronField, text: string): string | undefined {
  const allowed = field.names
    ? `${field.min}-${field.max} or ${field.names[0]}-${field.names[field.names.length - 1]}`
    : `${field.min}-${field.max}`;
  const where = `the ${field.name} field '${text}' is not valid cron syntax`;
  if (text === '*' || (text === '?' && field.question)) {
    return undefined;
  }
  if (text === '?') {
    return `${where}: ? is only for day-of-month and day-of-week`;
  }
  /** The number of a value (a number or a name), or undefined when it is neither. */
  const value = (v: string): number | undefined => {
    if (/^\d+$/.test(v)) {
      return Number(v);
    }
    const index = field.names?.indexOf(v.toUpperCase()) ?? -1;
    return index < 0 ? undefined : field.min + index;
  };
  const inRange = (v: string): string | undefined => {
    const n = value(v);
    if (n === undefined) {
      return `${where}: '${v}' is not a ${field.name} value (${allowed})`;
    }
    return n < field.min || n > field.max ? `${where}: ${v} is out of range (${allowed})` : undefined;
  };
  if (field.name === 'day-of-week' && text.includes('#')) {
    // One n#k only: the k-th weekday n of the month.
    const [day, nth, extra] = text.split('#');
    if (extra !== undefined || !/^[1-5]$/.test(nth ?? '')) {
      return `${where}: # takes one day and its week of the month, e.g. MON#2 or 2#2 (the second Monday)`;
    }
    return inRange(day);
  }
  for (const part of text.split(',')) {
    if (part === '') {
      return `${where}: an empty list item`;
    }
    if (field.name === 'day-of-month' && /^(L|LW|\d{1,2}W)$/.test(part)) {
      if (part.endsWith('W') && part !== 'LW') {
        const problem = inRange(part.slice(0, -1));
        if (problem) {
          return problem;
        }
      }
      continue;
    }
    if (field.name === 'day-of-week' && /^([A-Za-z]{3}|\d)?L$/.test(part)) {
      const problem = part === 'L' ? undefined : inRange(part.slice(0, -1));
      if (problem) {
        return problem;
      }
      continue;
    }
    const [range, step, extra] = part.split('/');
    if (extra !== undefined) {
      return `${where}: '${part}' has more than one /`;
    }
    if (step !== undefined && (!/^\d+$/.test(step) || Number(step) < 1 || Number(step) > field.max - field.min + 1)) {
      return `${where}: the increment '${step}' must be a whole number from 1 to ${field.max - field.min + 1}`;
    }
    if (range === '*' && step !== undefined) {
      continue;
    }
    const bounds = range.split('-');
    if (bounds.length > 2 || bounds.some((b) => b === '')) {
      return `${where}: '${range}' is not a value or a range (${allowed}, a range as a-b)`;
    }
    for (const bound of bounds) {
      const problem = inRange(bound);
      if (problem) {
        return problem;
      }
    }
  }
  return undefined;
}

/**
 * Why `expression` is not an EventBridge Scheduler expression, or undefined when it is one (or is
 * a token). Scheduler takes `rate(value unit)`, `cron(six fields)` and `at(yyyy-mm-ddThh:mm:ss)`.
 */
export function scheduleExpressionProblem(expression: string): string | undefined {
  if (Token.isUnresolved(expression)) {
    return undefined;
  }
  const rate = RATE.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    if (value < 1) {
      return 'a rate must be at least 1';
    }
    const singular = !rate[2].endsWith('s');
    if ((value === 1) !== singular) {
      return `write the unit ${value === 1 ? 'singular for 1 (rate(1 hour))' : `plural above 1 (rate(${value} ${rate[2]}s))`}`;
    }
    return undefined;
  }
  if (expression.startsWith('rate(')) {
    return 'a rate is rate(value unit) with a whole value and a unit of minute(s), hour(s) or day(s), e.g. rate(5 minutes)';
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) {
    const fields = cron[1].trim().split(/\s+/);
    if (fields.length !== 6) {
      return `a cron expression has six fields (minutes hours day-of-month month day-of-week year), this one ${fields.length}, e.g. cron(0 8 * * ? *)`;
    }
    for (const [i, field] of CRON_FIELDS.entries()) {
      const problem = cronFieldProblem(field, fields[i]);
      if (problem) {
        return problem;
      }
    }
    if ((fields[2] === '?') === (fields[4] === '?')) {
      return 'exactly one of day-of-month and day-of-week must be ?, e.g. cron(0 8 * * ? *) or cron(0 8 ? * MON-FRI *)';
    }
    return undefined;
  }
  const at = AT.exec(expression);
  if (at) {
    const [, y, mo, d, h, mi, s] = at.map(Number);
    const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
    const valid = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
      && h < 24 && mi < 60 && s < 60;
    return valid ? undefined : 'the date and time of at() do not exist';
  }
  return 'EventBridge Scheduler takes rate(value unit), cron(six fields) or at(yyyy-mm-ddThh:mm:ss), e.g. rate(5 minutes)';
}
