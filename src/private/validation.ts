import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
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
