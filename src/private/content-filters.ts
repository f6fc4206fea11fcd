import { Token } from 'aws-cdk-lib';

/*
 * The content filters of EventBridge event patterns and SNS filter policies, which share one
 * grammar: `{ prefix: 'a' }`, `{ numeric: ['>', 0, '<=', 5] }`, `{ 'anything-but': [...] }`, ...
 * What each filter takes, so that a value the service would reject fails at synthesis.
 */

/** Which service reads the filter. */
export type FilterService = 'EventBridge' | 'SNS';

/** The keys of EventBridge content filters (what `events.Match` renders). */
export const CONTENT_FILTERS = ['prefix', 'suffix', 'anything-but', 'numeric', 'exists', 'cidr', 'equals-ignore-case', 'wildcard'];

/**
 * The filters each service knows: SNS has no wildcard filter
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html).
 */
const FILTERS: Record<FilterService, readonly string[]> = {
  EventBridge: CONTENT_FILTERS,
  SNS: CONTENT_FILTERS.filter((f) => f !== 'wildcard'),
};

/** The comparison operators of a numeric filter: `=`, a lower bound, an upper bound. */
const NUMERIC_LOWER = ['>', '>='];
const NUMERIC_UPPER = ['<', '<='];

/**
 * Why the value of a content filter is not one the service accepts, or undefined (also for values
 * that stay references until deployment). The shapes are those of EventBridge's content filtering
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html):
 * `numeric` takes `['=', n]`, a lower bound (`>` or `>=`), an upper bound (`<` or `<=`), or a lower
 * then an upper bound, with numbers.
 */
export function contentFilterProblem(filter: string, value: unknown, service: FilterService): string | undefined {
  const problem = filterProblem(filter, value, service);
  return problem === undefined ? undefined
    : `${problem}; ${service === 'SNS' ? 'sns.SubscriptionFilter writes conditions' : 'events.Match writes filters'} that ${service} accepts`;
}

function filterProblem(filter: string, value: unknown, service: FilterService): string | undefined {
  if (isReference(value)) {
    return undefined;
  }
  const isString = (v: unknown) => typeof v === 'string' || isReference(v);
  const isNumber = (v: unknown) => (typeof v === 'number' && Number.isFinite(v)) || isReference(v);
  const ignoreCase = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v)
    && Object.keys(v).length === 1 && isString((v as Record<string, unknown>)['equals-ignore-case']);
  if (!FILTERS[service].includes(filter)) {
    return `${service} ${service === 'SNS' ? 'filter policies' : 'event patterns'} have no '${filter}' filter; the filters are ${FILTERS[service].join(', ')}`;
  }
  switch (filter) {
    case 'prefix':
    case 'suffix':
      return isString(value) || ignoreCase(value) ? undefined
        : `${filter} takes a string or { 'equals-ignore-case': string }`;
    case 'equals-ignore-case':
    case 'wildcard':
    case 'cidr':
      if (!isString(value)) {
        return `${filter} takes a string`;
      }
      return filter === 'cidr' ? cidrProblem(value as string) : undefined;
    case 'exists':
      return typeof value === 'boolean' ? undefined : 'exists takes true or false';
    case 'numeric':
      return numericProblem(value);
    case 'anything-but':
      return anythingButProblem(value, isString, isNumber);
    default:
      return undefined;
  }
}

function numericProblem(value: unknown): string | undefined {
  const usage = 'numeric takes [\'=\', n], [\'>\' or \'>=\', n], [\'<\' or \'<=\', n] or a lower then an upper bound '
    + '([\'>\', 0, \'<=\', 5]), each n a number';
  if (!Array.isArray(value) || (value.length !== 2 && value.length !== 4)) {
    return usage;
  }
  const [op, n, upperOp, upper] = value as unknown[];
  const number = (v: unknown) => (typeof v === 'number' && Number.isFinite(v)) || isReference(v);
  if (!number(n) || (value.length === 4 && !number(upper))) {
    return usage;
  }
  if (value.length === 2) {
    return op === '=' || NUMERIC_LOWER.includes(op as string) || NUMERIC_UPPER.includes(op as string) ? undefined
      : `'${String(op)}' is not a numeric operator; ${usage}`;
  }
  if (!NUMERIC_LOWER.includes(op as string) || !NUMERIC_UPPER.includes(upperOp as string)) {
    return `a numeric range is a lower bound (> or >=) then an upper bound (< or <=); ${usage}`;
  }
  if (typeof n === 'number' && typeof upper === 'number' && n >= upper) {
    return `the lower bound ${n} is not below the upper bound ${upper}, so the range matches nothing`;
  }
  return undefined;
}

function anythingButProblem(value: unknown, isString: (v: unknown) => boolean, isNumber: (v: unknown) => boolean): string | undefined {
  const usage = 'anything-but takes a string, a number, a list of only strings or only numbers, or one of { prefix }, { suffix } '
    + '(non-empty strings), { \'equals-ignore-case\' } or { wildcard } (a string or a list of strings)';
  if (isString(value) || isNumber(value)) {
    return undefined;
  }
  if (Array.isArray(value)) {
    return value.length > 0 && (value.every(isString) || value.every(isNumber)) ? undefined : usage;
  }
  if (value === null || typeof value !== 'object' || Object.keys(value).length !== 1) {
    return usage;
  }
  const [[key, inner]] = Object.entries(value as Record<string, unknown>);
  switch (key) {
    case 'prefix':
    case 'suffix':
      return isString(inner) && inner !== '' ? undefined : usage;
    case 'equals-ignore-case':
    case 'wildcard':
      return isString(inner) || (Array.isArray(inner) && inner.length > 0 && inner.every(isString)) ? undefined : usage;
    default:
      return usage;
  }
}

/** Why `cidr` is not an IPv4 or IPv6 block in CIDR notation (`10.0.0.0/24`), or undefined. */
function cidrProblem(cidr: string): string | undefined {
  if (Token.isUnresolved(cidr)) {
    return undefined;
  }
  const [address, bits, extra] = cidr.split('/');
  const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  const ipv6 = !ipv4 && /^[0-9a-fA-F:]+$/.test(address) && address.includes(':');
  const max = ipv4 ? 32 : 128;
  const valid = extra === undefined && bits !== undefined && /^\d{1,3}$/.test(bits) && Number(bits) <= max
    && ((ipv4 && ipv4.slice(1).every((o) => Number(o) <= 255)) || ipv6);
  return valid ? undefined : 'cidr takes an IPv4 or IPv6 block in CIDR notation, e.g. \'10.0.0.0/24\'';
}

/** A CloudFormation reference (`Ref`, `Fn::...`): its value is known only at deployment. */
export function isReference(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return typeof value === 'string' && Token.isUnresolved(value);
  }
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

