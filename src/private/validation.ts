import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { BulwarkError } from '../core/errors';

/** Throws unless `value` is an integer in [min, max]. Unresolved tokens pass. */
export function checkInteger(scope: IConstruct, prop: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw BulwarkError.invalid(scope, prop, value, `it must be an integer from ${min} to ${max}`);
  }
}

/**
 * Throws unless `value` is true, false or left out (from JavaScript or Python anything can arrive).
 *
 * @param tokens whether an unresolved token passes (for values only CloudFormation reads)
 */
export function checkBoolean(scope: IConstruct, prop: string, value: unknown, tokens = false): void {
  if (value !== undefined && typeof value !== 'boolean' && !(tokens && Token.isUnresolved(value))) {
    throw BulwarkError.invalid(scope, prop, value, 'it must be true or false');
  }
}

/** Throws unless `value` is a Duration in [min, max]. Unresolved tokens pass. */
export function checkDuration(scope: IConstruct, prop: string, value: Duration | undefined, min: Duration, max: Duration): void {
  if (value === undefined) {
    return;
  }
  if (!(value instanceof Duration)) {
    throw BulwarkError.invalid(scope, prop, value, 'it must be a Duration');
  }
  if (value.isUnresolved()) {
    return;
  }
  const seconds = value.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < min.toSeconds() || seconds > max.toSeconds()) {
    throw BulwarkError.invalid(scope, prop, value,
      `it must be a whole number of seconds from ${min.toHumanString()} to ${max.toHumanString()}`);
  }
}

/**
 * The members of a TypeScript enum as jsii users pass them: the numbers of a numeric enum (not the
 * names its reverse mapping adds), the strings of a string enum.
 */
function enumValues(enumObject: Record<string, string | number>): ReadonlyArray<string | number> {
  const values = Object.values(enumObject);
  return values.some((v) => typeof v === 'number') ? values.filter((v) => typeof v === 'number') : values;
}

/**
 * Throws unless `value` is a member of `enumObject` (`typeName` names it in the message, e.g.
 * `lambda.ApplicationLogLevel`). From JavaScript or Python anything can arrive: a misspelled string,
 * a number, a member name of a numeric enum. Unresolved tokens and null (Python's None: not given) pass.
 */
export function checkEnum(scope: IConstruct, prop: string, value: unknown, enumObject: Record<string, string | number>, typeName: string): void {
  if (value === undefined || value === null || Token.isUnresolved(value)) {
    return;
  }
  const allowed = enumValues(enumObject);
  if (!allowed.includes(value as string | number)) {
    const names = allowed.map((v) => (typeof v === 'number' ? enumObject[v] : v));
    throw BulwarkError.invalid(scope, prop, value, `it must be ${/^[AEIOU]/i.test(typeName) ? 'an' : 'a'} ${typeName} value: ${names.join(', ')}`);
  }
}

/**
 * Throws unless `value` is a CloudWatch Logs retention (`logs.RetentionDays`) that expires: every log
 * group the library creates has a retention, so `INFINITE` is refused like every other "forever"
 * (DESIGN.md, log groups without retention: 0). The one check of every `logRetention` prop.
 * Unresolved tokens and null (not given) pass.
 */
export function checkRetention(scope: IConstruct, prop: string, value: unknown): void {
  if (value === undefined || value === null || Token.isUnresolved(value)) {
    return;
  }
  if (value === logs.RetentionDays.INFINITE) {
    throw new BulwarkError(scope, `${prop} is INFINITE; every log group the library creates expires: choose a logs.RetentionDays `
      + 'value up to TEN_YEARS (or bring a log group of your own where the construct takes one)');
  }
  if (!enumValues(logs.RetentionDays as unknown as Record<string, number>).includes(value as number)) {
    throw BulwarkError.invalid(scope, prop, value, 'it must be a logs.RetentionDays value, from ONE_DAY to TEN_YEARS');
  }
}

/** Throws when two props that exclude each other are both set. */
export function checkExclusive(scope: IConstruct, props: Record<string, unknown>): void {
  const set = Object.entries(props).filter(([, v]) => v !== undefined).map(([k]) => k);
  if (set.length > 1) {
    throw new BulwarkError(scope, `${set.join(' and ')} cannot be set together; give only one of ${Object.keys(props).join(', ')}`);
  }
}

/** Whole seconds of a resolved Duration, or undefined for a token (which cannot be checked). */
export function secondsOf(value: Duration | undefined): number | undefined {
  if (value === undefined || value.isUnresolved()) {
    return undefined;
  }
  return value.toSeconds({ integral: false });
}

/**
 * The construct's path for descriptions, shortened from the left to `max` characters: IAM and
 * CloudWatch descriptions have length limits, construct paths do not.
 */
export function shortPath(scope: IConstruct, max: number = 160): string {
  const path = scope.node.path;
  return path.length <= max ? path : `...${path.slice(path.length - max + 3)}`;
}

/** `{ ...defaults, ...definedOnly(given) }`: an explicit `undefined` does not erase a default. */
export function definedOnly<T extends object>(value: T | undefined | null): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Throws unless `value` is a construct with the string attribute `attribute` (a brought resource's
 * ARN, id or name): from JavaScript or Python a plain object or a string can arrive where an
 * interface is expected, and would fail later with a TypeError. Undefined passes.
 *
 * @param typeName what is expected, for the message (`a KMS key (kms.IKey)`)
 */
export function checkResource(scope: IConstruct, prop: string, value: unknown, attribute: string, typeName: string): void {
  if (value === undefined) {
    return;
  }
  if (!Construct.isConstruct(value) || typeof (value as unknown as Record<string, unknown>)[attribute] !== 'string') {
    throw BulwarkError.invalid(scope, prop, Construct.isConstruct(value) ? value.node.path : value, `it must be ${typeName}`);
  }
}

/**
 * Throws unless `policy` is a RemovalPolicy the resource supports: SNAPSHOT is refused with `noSnapshot`
 * (what CloudFormation cannot snapshot, and what to choose instead) unless it is left out (a resource CloudFormation snapshots).
 */
export function checkRemovalPolicy(scope: IConstruct, policy: RemovalPolicy | undefined, noSnapshot?: string): void {
  if (policy === undefined) {
    return;
  }
  if (policy === RemovalPolicy.SNAPSHOT && noSnapshot !== undefined) {
    throw BulwarkError.invalid(scope, 'removalPolicy', policy, noSnapshot);
  }
  if (!Object.values(RemovalPolicy).includes(policy)) {
    throw BulwarkError.invalid(scope, 'removalPolicy', policy, `it must be RemovalPolicy.${noSnapshot === undefined ? 'SNAPSHOT, ' : ''}RETAIN, RETAIN_ON_UPDATE_OR_DELETE or DESTROY`);
  }
}
