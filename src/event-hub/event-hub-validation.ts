import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct, IConstruct } from 'constructs';
import type { EventHubProps } from './event-hub';
import { HubRouteOptions, HubRouteProps, HubScheduleOptions } from './hub-route';
import { BulwarkError } from '../core/errors';
import { ALARMS_ID } from '../private/alarm-set';
import { CONTENT_FILTERS, contentFilterProblem, isReference } from '../private/content-filters';
import { checkDeadLetterQueueLocation } from '../private/dead-letter-queue';
import { EVENTS_LIMITS } from '../private/defaults/events';
import { checkDeadLetterQueue } from '../private/delivery-targets';
import { checkRouteDelivery } from '../private/event-route';
import { checkKnownProps, propKeys } from '../private/props';
import { checkDeliveryRetry, checkSchedule } from '../private/schedules';
import { checkShape, SHAPES } from '../private/shapes';
import { checkExclusive } from '../private/validation';

// Internal to the library (not re-exported from index.ts): every check of an EventHub's input (its
// props, routes and schedules), each failing with an error that names the prop and the value.

/**
 * EventBridge sends a rule's (and the bus's) dead letters only to a queue in the rule's region; another
 * account is allowed (its queue policy must admit the rule). CDK's own rule targets refuse the same:
 * 'Both the queue and the rule must be in the same region' (aws-events-targets, addToDeadLetterQueueResourcePolicy).
 */
const EVENTBRIDGE_DEAD_LETTER_LOCATION = { service: 'EventBridge', owner: 'the hub\'s rules and bus', account: false };

const PROPS = propKeys<EventHubProps>()('EventHubProps', ['complianceProfile', 'monitoring', 'eventBus', 'publisherAccountIds', 'archiveEnabled',
  'archiveRetention', 'deadLetterQueue', 'key', 'retryAttempts', 'maxEventAge', 'routes', 'alarms']);
const ROUTE_OPTIONS = propKeys<HubRouteOptions>()('HubRouteOptions', ['eventPattern', 'targets', 'description', 'enabled', 'deadLetterQueue',
  'separateDeadLetterQueue', 'retryAttempts', 'maxEventAge']);
const ROUTE_PROPS = propKeys<HubRouteProps>()('HubRouteProps', ['id', 'eventPattern', 'targets', 'description', 'enabled', 'deadLetterQueue',
  'separateDeadLetterQueue', 'retryAttempts', 'maxEventAge']);
const SCHEDULE_OPTIONS = propKeys<HubScheduleOptions>()('HubScheduleOptions', ['schedule', 'target', 'input', 'description', 'enabled',
  'timeWindow', 'deadLetterQueue', 'retryAttempts', 'maxEventAge']);

/** Checks the hub's props. */
export function validateEventHubProps(scope: Construct, props: EventHubProps): void {
  if (props === null || typeof props !== 'object') {
    throw BulwarkError.invalid(scope, 'props', props, 'they must be an EventHubProps object');
  }
  checkKnownProps(scope, props, PROPS);
  if (Array.isArray(props.routes)) {
    props.routes.forEach((route, i) => checkKnownProps(scope, route, ROUTE_PROPS, `routes[${i}]`));
  }
  checkShape(scope, 'eventBus', props.eventBus, SHAPES.eventBus);
  checkShape(scope, 'key', props.key, SHAPES.key);
  checkExclusive(scope, { eventBus: props.eventBus, publisherAccountIds: props.publisherAccountIds });
  if (props.archiveEnabled === false && props.archiveRetention !== undefined) {
    throw new BulwarkError(scope, 'archiveRetention applies to the archive; it cannot be given with archiveEnabled: false');
  }
  checkArchiveRetention(scope, props.archiveRetention);
  checkAccountIds(scope, 'publisherAccountIds', props.publisherAccountIds);
  checkDeadLetterQueue(scope, 'deadLetterQueue', props.deadLetterQueue, 'route');
  checkDeadLetterQueueLocation(scope, 'deadLetterQueue', props.deadLetterQueue, EVENTBRIDGE_DEAD_LETTER_LOCATION);
  checkDeliveryRetry(scope, '', props);
  if (props.routes !== undefined && !Array.isArray(props.routes)) {
    throw BulwarkError.invalid(scope, 'routes', props.routes, 'it must be a list of routes: [{ id, eventPattern, targets }]');
  }
}

/** Checks a route; `taken` holds the hub's route ids and `ownBus` its bus. */
export function validateRoute(scope: Construct, id: string, options: HubRouteOptions, taken: ReadonlyMap<string, unknown>,
  ownBus: events.IEventBus): void {
  checkId(scope, 'route', id, taken);
  const prop = `route '${id}'`;
  if (options === undefined || options === null || typeof options !== 'object') {
    throw BulwarkError.invalid(scope, prop, options, 'give its options: { eventPattern, targets }');
  }
  checkKnownProps(scope, options, ROUTE_OPTIONS, `options of route '${id}'`);
  checkEventPattern(scope, `${prop} eventPattern`, options.eventPattern);
  checkExclusive(scope, {
    [`${prop} deadLetterQueue`]: options.deadLetterQueue,
    [`${prop} separateDeadLetterQueue`]: options.separateDeadLetterQueue || undefined,
  });
  checkRouteDelivery(scope, prop, id, options, EVENTBRIDGE_DEAD_LETTER_LOCATION.owner, ownBus);
}

/** Checks a schedule; `taken` holds the hub's schedule ids. */
export function validateSchedule(scope: Construct, id: string, options: HubScheduleOptions, taken: ReadonlyMap<string, unknown>): void {
  checkId(scope, 'schedule', id, taken);
  const prop = `schedule '${id}'`;
  if (options === undefined || options === null || typeof options !== 'object') {
    throw BulwarkError.invalid(scope, prop, options, 'give its options: { schedule, target }');
  }
  checkKnownProps(scope, options, SCHEDULE_OPTIONS, `options of schedule '${id}'`);
  checkSchedule(scope, prop, options);
}

/** The construct id of the hub's schedule group, beside the schedules. Construct ids are API. */
export const SCHEDULE_GROUP_ID = 'Group';
/** Construct ids beside the schedules under `Schedules`: the schedule group and its alarms. */
const RESERVED_SCHEDULE_IDS = [SCHEDULE_GROUP_ID, ALARMS_ID];

function checkId(scope: Construct, kind: string, id: string, taken: ReadonlyMap<string, unknown>): void {
  if (typeof id !== 'string' || id.trim() === '' || id.includes('/')) {
    throw BulwarkError.invalid(scope, `${kind} id`, id, 'it must be a non-empty string without \'/\' (it becomes a construct id)');
  }
  if (taken.has(id)) {
    throw BulwarkError.invalid(scope, `${kind} id`, id, `the hub already has a ${kind} with this id; ${kind} ids must be unique in the hub`);
  }
  if (kind === 'schedule' && RESERVED_SCHEDULE_IDS.includes(id)) {
    throw BulwarkError.invalid(scope, `${kind} id`, id, `the hub's schedule group and its alarms use ${RESERVED_SCHEDULE_IDS.join(' and ')} `
      + 'beside the schedules; choose another id');
  }
}

/** Whole days, at least one (EventBridge's RetentionDays is an integer, and 0 means "forever"). */
function checkArchiveRetention(scope: Construct, retention: Duration | undefined): void {
  if (retention === undefined) {
    return;
  }
  if (!(retention instanceof Duration)) {
    throw BulwarkError.invalid(scope, 'archiveRetention', retention, 'it must be a Duration, e.g. Duration.days(30)');
  }
  if (retention.isUnresolved()) {
    return;
  }
  const days = retention.toDays({ integral: false });
  if (!Number.isInteger(days) || days < EVENTS_LIMITS.minArchiveRetention.toDays() || days > EVENTS_LIMITS.maxArchiveRetentionDays) {
    throw BulwarkError.invalid(scope, 'archiveRetention', retention,
      `EventBridge keeps archived events for a whole number of days; give Duration.days(n) with n from ${EVENTS_LIMITS.minArchiveRetention.toDays()} `
      + `to ${EVENTS_LIMITS.maxArchiveRetentionDays} (0, "forever", is not offered)`);
  }
}

/** The fields of `events.EventPattern`. */
const PATTERN_FIELDS = ['version', 'id', 'detailType', 'source', 'account', 'time', 'region', 'resources', 'detail'];

/** The longest event pattern PutRule accepts, in characters of its JSON. */
const MAX_EVENT_PATTERN_LENGTH = 4096;

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
    if (keys.length > 1) {
      throw BulwarkError.invalid(scope, `${prop}[${i}]`, item,
        `a content filter has one key, and this one has ${keys.length} (${keys.join(', ')}); list them as separate filters (any of them matches)`);
    }
    const problem = contentFilterProblem(keys[0], (item as Record<string, unknown>)[keys[0]], 'EventBridge');
    if (problem) {
      throw BulwarkError.invalid(scope, `${prop}[${i}]`, item, problem);
    }
  });
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
