import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { BulwarkError } from '../core/errors';

// Internal to the library (not re-exported from index.ts): checks of event patterns, schedule
// expressions and account ids, each failing with an error that names the prop and the value.

/** The fields of `events.EventPattern`. */
const PATTERN_FIELDS = ['version', 'id', 'detailType', 'source', 'account', 'time', 'region', 'resources', 'detail'];

/** The longest event pattern PutRule accepts, in characters of its JSON. */
const MAX_EVENT_PATTERN_LENGTH = 4096;

/** The keys of EventBridge content filters (what `events.Match` renders). */
const CONTENT_FILTERS = ['prefix', 'suffix', 'anything-but', 'numeric', 'exists', 'cidr', 'equals-ignore-case', 'wildcard'];

/**
 * Throws unless `pattern` is an event pattern EventBridge accepts: at least one known field, every
 * field a non-empty list, `detail` a non-empty object whose leaves are non-empty lists, and content
 * filters with known operators. Values that stay references until deployment are not checked.
 */
export function checkEventPattern(scope: IConstruct, prop: string, pattern: unknown): void {
  if (pattern === undefined || pattern === null || typeof pattern !== 'object' || Array.isArray(pattern)) {
    throw BulwarkError.invalid(scope, prop, pattern, 'it must be an events.EventPattern with at least one field, e.g. { source: [\'orders\'] }');
  }
  const resolved = Stack.of(scope).resolve(pattern) as Record<string, unknown>;
  if (isReference(resolved)) {
    return;
  }
  const fields = Object.keys(resolved).filter((k) => resolved[k] !== undefined);
  if (fields.length === 0) {
    throw BulwarkError.invalid(scope, prop, resolved,
      'an empty pattern matches no event and EventBridge rejects it; give at least one field (source, detailType, detail, ...)');
  }
  for (const field of fields) {
    if (!PATTERN_FIELDS.includes(field)) {
      throw BulwarkError.invalid(scope, `${prop}.${field}`, resolved[field],
        `'${field}' is not an event pattern field; the fields are ${PATTERN_FIELDS.join(', ')}`);
    }
    if (field === 'detail') {
      checkPatternObject(scope, `${prop}.detail`, resolved.detail);
    } else {
      checkPatternList(scope, `${prop}.${field}`, resolved[field]);
    }
  }
  // Measured as the rule renders it (CDK writes detailType as detail-type). A reference counts as an
  // empty string, so with references the length is a lower bound.
  let references = false;
  const rendered = JSON.stringify(Object.fromEntries(fields.map((f) => [f === 'detailType' ? 'detail-type' : f, resolved[f]])),
    (_key, value: unknown) => {
      if (isReference(value)) {
        references = true;
        return '';
      }
      return value;
    });
  if (rendered.length > MAX_EVENT_PATTERN_LENGTH) {
    throw new BulwarkError(scope, `${prop} is ${references ? 'at least ' : ''}${rendered.length} characters long as JSON; EventBridge allows at most `
      + `${MAX_EVENT_PATTERN_LENGTH} per rule pattern (PutRule). Shorten it (prefix or wildcard filters instead of long value lists) or split it over several routes`);
  }
}

function checkPatternObject(scope: IConstruct, prop: string, value: unknown): void {
  if (isReference(value)) {
    return;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw BulwarkError.invalid(scope, prop, value, 'it must be an object of fields whose values are lists, e.g. { status: [\'PAID\'] }');
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) {
    throw BulwarkError.invalid(scope, prop, value, 'an empty object matches no event and EventBridge rejects it; remove it or give a field');
  }
  for (const [key, child] of entries) {
    const path = `${prop}.${key}`;
    if (key === '$or') {
      if (!Array.isArray(child) || child.length < 2) {
        throw BulwarkError.invalid(scope, path, child, '$or takes a list of at least two patterns');
      }
      child.forEach((alternative, i) => checkPatternObject(scope, `${path}[${i}]`, alternative));
    } else if (Array.isArray(child)) {
      checkPatternList(scope, path, child);
    } else if (child !== null && typeof child === 'object') {
      checkPatternObject(scope, path, child);
    } else {
      throw BulwarkError.invalid(scope, path, child, `EventBridge matches values in lists: write [${BulwarkError.show(child)}]`);
    }
  }
}

function checkPatternList(scope: IConstruct, prop: string, value: unknown): void {
  if (isReference(value)) {
    return;
  }
  if (!Array.isArray(value)) {
    throw BulwarkError.invalid(scope, prop, value, `EventBridge matches values in lists: write [${BulwarkError.show(value)}]`);
  }
  if (value.length === 0) {
    throw BulwarkError.invalid(scope, prop, value, 'an empty list matches no event and EventBridge rejects it; give at least one value');
  }
  value.forEach((item, i) => {
    if (item === null || ['string', 'number', 'boolean'].includes(typeof item) || isReference(item)) {
      return;
    }
    const keys = typeof item === 'object' && !Array.isArray(item) ? Object.keys(item) : [];
    if (keys.length === 0 || !keys.every((k) => CONTENT_FILTERS.includes(k))) {
      throw BulwarkError.invalid(scope, `${prop}[${i}]`, item,
        `a list holds values or content filters (${CONTENT_FILTERS.join(', ')}); use events.Match to write filters`);
    }
  });
}

/** A CloudFormation reference (`Ref`, `Fn::...`): its value is known only at deployment. */
function isReference(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return typeof value === 'string' && Token.isUnresolved(value);
  }
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
/** The characters each of the six cron fields takes (minutes hours day-of-month month day-of-week year). */
const CRON_FIELDS: Array<[string, RegExp]> = [
  ['minutes', /^[0-9,\-*/]+$/],
  ['hours', /^[0-9,\-*/]+$/],
  ['day-of-month', /^([0-9,\-*/LW]+|\?)$/],
  ['month', /^[0-9A-Za-z,\-*/]+$/],
  ['day-of-week', /^([0-9A-Za-z,\-*/L#]+|\?)$/],
  ['year', /^[0-9,\-*/]+$/],
];

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
    for (const [i, [name, allowed]] of CRON_FIELDS.entries()) {
      if (!allowed.test(fields[i])) {
        return `the ${name} field '${fields[i]}' is not valid cron syntax`;
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

/** Throws unless every id is a 12-digit AWS account id, listed once. Tokens pass. */
export function checkAccountIds(scope: IConstruct, prop: string, ids: readonly string[] | undefined): void {
  if (ids === undefined) {
    return;
  }
  if (!Array.isArray(ids)) {
    throw BulwarkError.invalid(scope, prop, ids, 'it must be a list of 12-digit AWS account ids');
  }
  ids.forEach((id, i) => {
    if (Token.isUnresolved(id)) {
      return;
    }
    if (typeof id !== 'string' || !/^\d{12}$/.test(id)) {
      throw BulwarkError.invalid(scope, `${prop}[${i}]`, id, 'an AWS account id is 12 digits (never \'*\': the bus policy names each publisher account)');
    }
    if (ids.indexOf(id) !== i) {
      throw BulwarkError.invalid(scope, `${prop}[${i}]`, id, 'it is listed twice; list each account once');
    }
  });
}
