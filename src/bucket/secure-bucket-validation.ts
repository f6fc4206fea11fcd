import { Duration, Token } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { BucketEventPatternOptions, BucketEventRouteOptions, BucketEventType } from './bucket-events';
import type { BucketCorsOptions, SecureBucketProps } from './secure-bucket-props';
import { BulwarkError } from '../core/errors';
import { checkDataKey } from '../private/api-environment';
import { S3_LIMITS } from '../private/defaults/s3';
import { checkRouteDelivery } from '../private/event-route';
import { checkLogBucket, LOG_WRITERS } from '../private/log-buckets';
import { checkKnownProps, propKeys } from '../private/props';
import { checkBoolean, checkDuration, checkEnum, checkRemovalPolicy } from '../private/validation';

// Internal to the library: every check of SecureBucket's input, run before anything is made.

const PROPS = propKeys<SecureBucketProps>()('SecureBucketProps', ['bucketName', 'key', 'versioned', 'noncurrentVersionExpiration',
  'abortIncompleteMultipartUploadAfter', 'lifecycleRules', 'serverAccessLogsBucket', 'serverAccessLogsPrefix', 'removalPolicy',
  'eventBridgeEnabled', 'cors', 'alarms', 'complianceProfile', 'monitoring']);
const CORS = propKeys<BucketCorsOptions>()('BucketCorsOptions', ['allowedOrigins', 'allowedMethods', 'allowedHeaders', 'exposedHeaders', 'maxAge']);
const ROUTE_OPTIONS = propKeys<BucketEventRouteOptions>()('BucketEventRouteOptions', ['targets', 'events', 'keyPrefix', 'keySuffix',
  'description', 'enabled', 'deadLetterQueue', 'retryAttempts', 'maxEventAge']);
const PATTERN_OPTIONS = propKeys<BucketEventPatternOptions>()('BucketEventPatternOptions', ['events', 'keyPrefix', 'keySuffix']);

/** Lifecycle durations: whole days, at least one; CloudFormation takes an integer. */
const MAX_DAYS = Duration.days(2147483647);

/** S3's general purpose bucket names (S3 user guide, "General purpose bucket naming rules"). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/;

/** Validates the props of `SecureBucket`. */
export function validateBucketProps(scope: IConstruct, props: SecureBucketProps): void {
  if (props === null || typeof props !== 'object') {
    throw BulwarkError.invalid(scope, 'props', props, 'they must be a SecureBucketProps object, or left out for the defaults');
  }
  checkKnownProps(scope, props, PROPS);
  checkBucketName(scope, props.bucketName);
  checkDataKey(scope, 'key', props.key, 'S3');
  checkBoolean(scope, 'versioned', props.versioned);
  checkBoolean(scope, 'eventBridgeEnabled', props.eventBridgeEnabled);
  checkDays(scope, 'noncurrentVersionExpiration', props.noncurrentVersionExpiration);
  checkDays(scope, 'abortIncompleteMultipartUploadAfter', props.abortIncompleteMultipartUploadAfter);
  if (props.versioned === false && props.noncurrentVersionExpiration !== undefined) {
    throw new BulwarkError(scope, 'noncurrentVersionExpiration applies to the versions of a versioned bucket, and versioned is false; '
      + 'leave it out, or keep versioning on');
  }
  checkLifecycleRules(scope, props.lifecycleRules);
  checkLogBucket(scope, 'serverAccessLogsBucket', props.serverAccessLogsBucket, LOG_WRITERS.serverAccessLogs);
  checkPrefix(scope, 'serverAccessLogsPrefix', props.serverAccessLogsPrefix);
  checkRemovalPolicy(scope, props.removalPolicy, 'CloudFormation cannot snapshot an S3 bucket on deletion: keep RETAIN '
    + '(versioning protects the objects) or, to delete the bucket with the stack, DESTROY (an empty bucket only)');
  checkCors(scope, props.cors);
}

/** Validates an event route's options; `taken` holds the bucket's route ids. */
export function validateEventRoute(scope: Construct, id: string, options: BucketEventRouteOptions, taken: ReadonlySet<string>): void {
  if (typeof id !== 'string' || id.trim() === '' || id.includes('/')) {
    throw BulwarkError.invalid(scope, 'addEventRoute() id', id, 'it must be a non-empty string without \'/\' (it becomes a construct id)');
  }
  if (taken.has(id)) {
    throw BulwarkError.invalid(scope, 'addEventRoute() id', id, 'the bucket already has an event route with this id; route ids must be unique in the bucket');
  }
  const prop = `event route '${id}'`;
  if (options === undefined || options === null || typeof options !== 'object') {
    throw BulwarkError.invalid(scope, prop, options, 'give its options: { targets, events?, keyPrefix?, keySuffix? }');
  }
  checkKnownProps(scope, options, ROUTE_OPTIONS, `options of ${prop}`);
  checkPatternFields(scope, prop, options);
  checkBoolean(scope, `${prop} enabled`, options.enabled);
  checkRouteDelivery(scope, prop, id, options, 'the bucket\'s event rules');
}

/** Validates the options of `eventPattern()`. */
export function validatePatternOptions(scope: IConstruct, options: BucketEventPatternOptions): void {
  if (options === null || typeof options !== 'object') {
    throw BulwarkError.invalid(scope, 'eventPattern() options', options, 'they must be a BucketEventPatternOptions object, or left out');
  }
  checkKnownProps(scope, options, PATTERN_OPTIONS, 'eventPattern() options');
  checkPatternFields(scope, 'eventPattern()', options);
}

/** The event types and key filters of a pattern. */
function checkPatternFields(scope: IConstruct, prop: string, options: BucketEventPatternOptions): void {
  if (options.events !== undefined) {
    if (!Array.isArray(options.events) || options.events.length === 0) {
      throw BulwarkError.invalid(scope, `${prop} events`, options.events, 'it must be a non-empty list of BucketEventType values, or left out for OBJECT_CREATED');
    }
    const types = BucketEventType as unknown as Record<string, string>;
    options.events.forEach((event, i) => checkEnum(scope, `${prop} events[${i}]`, event, types, 'BucketEventType'));
    const unique = new Set(options.events);
    if (unique.size !== options.events.length) {
      throw BulwarkError.invalid(scope, `${prop} events`, options.events, 'it lists an event type twice');
    }
  }
  checkPrefix(scope, `${prop} keyPrefix`, options.keyPrefix);
  checkPrefix(scope, `${prop} keySuffix`, options.keySuffix);
}

function checkBucketName(scope: IConstruct, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) {
    return;
  }
  const problem = typeof name !== 'string' ? 'it must be a string'
    : name.length < S3_LIMITS.minBucketNameLength || name.length > S3_LIMITS.maxBucketNameLength
      ? `it must be ${S3_LIMITS.minBucketNameLength} to ${S3_LIMITS.maxBucketNameLength} characters long`
      : !BUCKET_NAME.test(name) ? 'it may hold only lowercase letters, digits, dots and hyphens, and must start and end with a letter or digit'
        : name.includes('..') || name.includes('.-') || name.includes('-.') ? 'it may not hold two adjacent dots, or a dot next to a hyphen'
          : /^\d+\.\d+\.\d+\.\d+$/.test(name) ? 'it may not look like an IP address'
            : /^(xn--|sthree-|amzn-s3-demo-)/.test(name) ? 'it may not start with xn--, sthree- or amzn-s3-demo- (reserved by S3)'
              : /(-s3alias|--ol-s3|--x-s3|--table-s3|\.mrap)$/.test(name) ? 'it may not end with -s3alias, --ol-s3, --x-s3, --table-s3 or .mrap (reserved by S3)'
                : undefined;
  if (problem) {
    throw BulwarkError.invalid(scope, 'bucketName', name, `${problem} (S3 user guide, "General purpose bucket naming rules")`);
  }
}

function checkDays(scope: IConstruct, prop: string, value: Duration | undefined): void {
  checkDuration(scope, prop, value, Duration.days(S3_LIMITS.minLifecycleDays), MAX_DAYS);
  if (value !== undefined && !value.isUnresolved() && !Number.isInteger(value.toHours() / 24)) {
    throw BulwarkError.invalid(scope, prop, value, 'S3 lifecycle rules count whole days; give Duration.days(n)');
  }
}

/** The id of the bucket's own lifecycle rule. */
export const OWN_LIFECYCLE_RULE = 'NoncurrentVersionsAndIncompleteUploads';

function checkLifecycleRules(scope: IConstruct, rules: s3.LifecycleRule[] | undefined): void {
  if (rules === undefined) {
    return;
  }
  if (!Array.isArray(rules)) {
    throw BulwarkError.invalid(scope, 'lifecycleRules', rules, 'it must be a list of s3.LifecycleRule');
  }
  const ids = new Set<string>([OWN_LIFECYCLE_RULE]);
  rules.forEach((rule, i) => {
    if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) {
      throw BulwarkError.invalid(scope, `lifecycleRules[${i}]`, rule, 'it must be an s3.LifecycleRule object');
    }
    if (rule.id !== undefined && !Token.isUnresolved(rule.id)) {
      if (ids.has(rule.id)) {
        throw BulwarkError.invalid(scope, `lifecycleRules[${i}].id`, rule.id, `S3 needs unique rule ids, and ${rule.id === OWN_LIFECYCLE_RULE
          ? 'the bucket\'s own rule (noncurrent versions and unfinished uploads) has this one' : 'an earlier rule has it'}`);
      }
      ids.add(rule.id);
    }
    for (const prop of ['expiration', 'noncurrentVersionExpiration', 'abortIncompleteMultipartUploadAfter'] as const) {
      checkDays(scope, `lifecycleRules[${i}].${prop}`, rule[prop]);
    }
  });
}

/** Object key patterns of grants: a non-empty key or prefix with `*`, not starting with '/' (keys do not). */
export function checkObjectsPattern(scope: IConstruct, method: string, pattern: string): void {
  if (Token.isUnresolved(pattern)) {
    return;
  }
  if (typeof pattern !== 'string' || pattern === '' || pattern.startsWith('/') || Buffer.byteLength(pattern) > S3_LIMITS.maxKeyLength) {
    throw BulwarkError.invalid(scope, `${method} objectsKeyPattern`, pattern, 'it must be an object key or key pattern such as * or reports/* '
      + `(no leading '/': keys do not start with one), of at most ${S3_LIMITS.maxKeyLength} bytes`);
  }
}

function checkPrefix(scope: IConstruct, prop: string, value: string | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (typeof value !== 'string' || value === '' || value.startsWith('/') || Buffer.byteLength(value) > S3_LIMITS.maxKeyLength) {
    throw BulwarkError.invalid(scope, prop, value, `it must be a non-empty string of at most ${S3_LIMITS.maxKeyLength} bytes (an object key's limit), `
      + 'not starting with \'/\' (keys do not)');
  }
}


/** An origin: `*`, or scheme and host (one `*` wildcard allowed, as S3 allows), with an optional port, and no path. */
const ORIGIN = /^(\*|https?:\/\/[A-Za-z0-9*.-]+(:\d{1,5})?)$/;

function checkCors(scope: IConstruct, cors: BucketCorsOptions | undefined): void {
  if (cors === undefined) {
    return;
  }
  if (cors === null || typeof cors !== 'object') {
    throw BulwarkError.invalid(scope, 'cors', cors, 'it must be a BucketCorsOptions object: { allowedOrigins }');
  }
  checkKnownProps(scope, cors, CORS, 'cors');
  if (!Array.isArray(cors.allowedOrigins) || cors.allowedOrigins.length === 0) {
    throw BulwarkError.invalid(scope, 'cors.allowedOrigins', cors.allowedOrigins, 'it must list at least one origin (https://app.example.com)');
  }
  for (const origin of cors.allowedOrigins) {
    if (Token.isUnresolved(origin)) {
      continue;
    }
    if (typeof origin !== 'string' || !ORIGIN.test(origin) || (origin.match(/\*/g) ?? []).length > 1) {
      throw BulwarkError.invalid(scope, 'cors.allowedOrigins', origin, 'each origin is a scheme and host with an optional port and no path '
        + '(https://app.example.com, http://localhost:3000), with at most one * wildcard, or * alone');
    }
  }
  if (cors.allowedMethods !== undefined) {
    if (!Array.isArray(cors.allowedMethods) || cors.allowedMethods.length === 0) {
      throw BulwarkError.invalid(scope, 'cors.allowedMethods', cors.allowedMethods, 'it must list at least one s3.HttpMethods value, or be left out');
    }
    cors.allowedMethods.forEach((method, i) => checkEnum(scope, `cors.allowedMethods[${i}]`, method, s3.HttpMethods as unknown as Record<string, string>, 's3.HttpMethods'));
  }
  for (const prop of ['allowedHeaders', 'exposedHeaders'] as const) {
    const headers = cors[prop];
    if (headers !== undefined && (!Array.isArray(headers) || headers.some((h) => typeof h !== 'string' || h.trim() === ''))) {
      throw BulwarkError.invalid(scope, `cors.${prop}`, headers, 'it must be a list of header names');
    }
  }
  checkDuration(scope, 'cors.maxAge', cors.maxAge, Duration.seconds(0), MAX_DAYS);
}
