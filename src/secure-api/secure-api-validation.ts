import { Duration, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { IConstruct } from 'constructs';
import { ApiAuthorization, ApiAuthorizationKind } from './api-authorization';
import type { ApiCloudWatchRole, ApiRouteOptions, ApiUsagePlanOptions, SecureApiProps } from './secure-api';
import { ApiThrottleOptions } from '../core/api-throttle';
import { BulwarkError } from '../core/errors';
import { API_LIMITS } from '../private/defaults/api-gateway';
import { checkDuration } from '../private/validation';
import { validateWebFirewallOptions } from '../private/web-firewall';

// Internal to the library: every check of SecureApi's input, run before anything is made.

const CLOUDWATCH_ROLES: ApiCloudWatchRole[] = ['CREATE', 'EXISTING'] as ApiCloudWatchRole[];
const DOMAIN_NAME = /^(?=.{1,253}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const BASE_PATH = /^[A-Za-z0-9$_.+!*'()-]+$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const QUERY_STRING_NAME = /^[A-Za-z0-9._~-]+$/;
const IDENTITY_SOURCE = /^(method\.request\.(header|querystring|multivaluequerystring|multivalueheader)\.[^\s]+|stageVariables\.[A-Za-z0-9_]+|context\.[A-Za-z0-9_.]+)$/;
/** API Gateway stores burst limits as 32-bit integers. */
const MAX_INT32 = 2147483647;
const JSON_SCHEMA_TYPES = Object.values(apigateway.JsonSchemaType) as string[];

/** Validates the props of `SecureApi` (routes are validated as they are added). */
export function validateApiProps(scope: IConstruct, props: SecureApiProps): void {
  if (props === null || typeof props !== 'object') {
    throw BulwarkError.invalid(scope, 'props', props, 'they must be a SecureApiProps object');
  }
  if (props.userPool !== undefined && props.authorization !== undefined) {
    throw new BulwarkError(scope, 'userPool and authorization cannot be set together: userPool is shorthand for '
      + 'authorization: ApiAuthorization.cognito(userPool); give only one');
  }
  if (props.userPool !== undefined && (props.userPool === null || typeof props.userPool.userPoolArn !== 'string')) {
    throw BulwarkError.invalid(scope, 'userPool', props.userPool, 'it must be a Cognito user pool (IUserPool, such as a UserDirectory\'s userPool)');
  }
  if (props.authorization !== undefined) {
    checkAuthorization(scope, 'authorization', props.authorization);
  }
  if (props.routes !== undefined && !Array.isArray(props.routes)) {
    throw BulwarkError.invalid(scope, 'routes', props.routes, 'it must be a list of routes');
  }
  if (props.defaultHandler !== undefined && (props.defaultHandler === null || typeof props.defaultHandler.functionArn !== 'string')) {
    throw BulwarkError.invalid(scope, 'defaultHandler', props.defaultHandler, 'it must be a Lambda function (an IFunction)');
  }
  if (props.cloudWatchRole !== undefined && !CLOUDWATCH_ROLES.includes(props.cloudWatchRole)) {
    throw BulwarkError.invalid(scope, 'cloudWatchRole', props.cloudWatchRole, `it must be one of ${CLOUDWATCH_ROLES.join(', ')}`);
  }
  checkThrottle(scope, 'throttle', props.throttle);
  checkCors(scope, props.cors);
  validateWebFirewallOptions(scope, 'firewall', props.firewall);
  checkDomain(scope, props);
  for (const name of ['disableExecuteApiEndpoint'] as const) {
    if (props[name] !== undefined && typeof props[name] !== 'boolean') {
      throw BulwarkError.invalid(scope, name, props[name], 'it must be true or false');
    }
  }
}

/** Validates one route's options. */
export function validateRouteOptions(scope: IConstruct, label: string, options: ApiRouteOptions): void {
  if (options === null || typeof options !== 'object') {
    throw BulwarkError.invalid(scope, `options of ${label}`, options, 'they must be an ApiRouteOptions object');
  }
  if (options.allowAnonymous !== undefined && typeof options.allowAnonymous !== 'boolean') {
    throw BulwarkError.invalid(scope, `allowAnonymous of ${label}`, options.allowAnonymous, 'it must be true or false');
  }
  if (options.allowAnonymous && options.authorization !== undefined) {
    throw new BulwarkError(scope, `${label}: allowAnonymous and authorization cannot be set together; `
      + 'a route is either authorized or open to anyone');
  }
  if (options.authorization !== undefined) {
    checkAuthorization(scope, `authorization of ${label}`, options.authorization);
  }
  if (options.apiKeyRequired !== undefined && typeof options.apiKeyRequired !== 'boolean') {
    throw BulwarkError.invalid(scope, `apiKeyRequired of ${label}`, options.apiKeyRequired, 'it must be true or false');
  }
  checkNames(scope, `requiredQueryStrings of ${label}`, options.requiredQueryStrings, QUERY_STRING_NAME, 'letters, digits and ._~-');
  checkNames(scope, `requiredHeaders of ${label}`, options.requiredHeaders, HEADER_NAME, 'the characters HTTP allows in header names');
  if (options.requestSchema !== undefined) {
    checkSchema(scope, `requestSchema of ${label}`, options.requestSchema);
  }
}

/** Validates the options of `addUsagePlan`. */
export function validateUsagePlanOptions(scope: IConstruct, label: string, options: ApiUsagePlanOptions): void {
  if (options === null || typeof options !== 'object') {
    throw BulwarkError.invalid(scope, `options of ${label}`, options, 'they must be an ApiUsagePlanOptions object');
  }
  checkThrottle(scope, `throttle of ${label}`, options.throttle);
  const quota = options.quota;
  if (quota !== undefined) {
    if (quota === null || typeof quota !== 'object') {
      throw BulwarkError.invalid(scope, `quota of ${label}`, quota, 'it must be a QuotaSettings object');
    }
    if (quota.limit !== undefined && !Token.isUnresolved(quota.limit) && !(Number.isInteger(quota.limit) && quota.limit >= 0)) {
      throw BulwarkError.invalid(scope, `quota.limit of ${label}`, quota.limit, 'it must be an integer of 0 or more');
    }
    if (quota.offset !== undefined && !Token.isUnresolved(quota.offset) && !(Number.isInteger(quota.offset) && quota.offset >= 0)) {
      throw BulwarkError.invalid(scope, `quota.offset of ${label}`, quota.offset, 'it must be an integer of 0 or more');
    }
  }
  if (options.apiKeys !== undefined && !Array.isArray(options.apiKeys)) {
    throw BulwarkError.invalid(scope, `apiKeys of ${label}`, options.apiKeys, 'it must be a list of API keys');
  }
}

/** Validates throttle options: rate a finite number ≥ 0, burst an integer ≥ 0. */
export function checkThrottle(scope: IConstruct, prop: string, throttle: ApiThrottleOptions | undefined): void {
  if (throttle === undefined) {
    return;
  }
  if (throttle === null || typeof throttle !== 'object') {
    throw BulwarkError.invalid(scope, prop, throttle, 'it must be an ApiThrottleOptions object ({ rateLimit, burstLimit })');
  }
  const { rateLimit, burstLimit } = throttle;
  if (rateLimit !== undefined && !Token.isUnresolved(rateLimit) && !(typeof rateLimit === 'number' && Number.isFinite(rateLimit) && rateLimit >= 0)) {
    throw new BulwarkError(scope, `${prop}.rateLimit is ${Number.isNaN(rateLimit) ? 'NaN' : BulwarkError.show(rateLimit)}; `
      + 'it must be a number of requests per second, 0 or more');
  }
  if (burstLimit !== undefined && !Token.isUnresolved(burstLimit)
    && !(typeof burstLimit === 'number' && Number.isInteger(burstLimit) && burstLimit >= 0 && burstLimit <= MAX_INT32)) {
    throw new BulwarkError(scope, `${prop}.burstLimit is ${Number.isNaN(burstLimit) ? 'NaN' : BulwarkError.show(burstLimit)}; `
      + `it must be an integer from 0 to ${MAX_INT32}`);
  }
  if (rateLimit !== undefined && burstLimit !== undefined && !Token.isUnresolved(rateLimit) && !Token.isUnresolved(burstLimit)
    && rateLimit > 0 && burstLimit === 0) {
    throw new BulwarkError(scope, `${prop}.burstLimit is 0 with rateLimit ${rateLimit}: API Gateway would refuse every request; `
      + 'give a burst of at least 1 (or rateLimit 0 to block on purpose)');
  }
}

function checkAuthorization(scope: IConstruct, prop: string, authorization: ApiAuthorization): void {
  if (!(authorization instanceof ApiAuthorization)) {
    throw BulwarkError.invalid(scope, prop, authorization === null ? null : String(authorization),
      'it must be made with ApiAuthorization.cognito(), .iam(), .lambdaToken() or .lambdaRequest()');
  }
  const a = authorization;
  if (a.kind === ApiAuthorizationKind.COGNITO && (!a._userPool || typeof a._userPool.userPoolArn !== 'string')) {
    throw BulwarkError.invalid(scope, `${prop} (cognito) userPool`, a._userPool ?? null, 'it must be a Cognito user pool (IUserPool)');
  }
  if ((a.kind === ApiAuthorizationKind.LAMBDA_TOKEN || a.kind === ApiAuthorizationKind.LAMBDA_REQUEST)
    && (!a._handler || typeof a._handler.functionArn !== 'string')) {
    throw BulwarkError.invalid(scope, `${prop} handler`, a._handler ?? null, 'it must be a Lambda function (an IFunction)');
  }
  if (a._scopes !== undefined) {
    if (!Array.isArray(a._scopes) || a._scopes.length === 0 || a._scopes.some((s) => typeof s !== 'string' || !/^\S+$/.test(s))) {
      throw BulwarkError.invalid(scope, `${prop} scopes`, a._scopes, 'it must be a non-empty list of scope names without spaces (or left out)');
    }
  }
  checkDuration(scope, `${prop} resultsCacheTtl`, a._resultsCacheTtl, Duration.seconds(0), API_LIMITS.maxResultsCacheTtl);
  if (a._headerName !== undefined && (typeof a._headerName !== 'string' || !HEADER_NAME.test(a._headerName))) {
    throw BulwarkError.invalid(scope, `${prop} headerName`, a._headerName, 'it must be an HTTP header name');
  }
  if (a._validationRegex !== undefined) {
    try {
      new RegExp(a._validationRegex);
    } catch {
      throw BulwarkError.invalid(scope, `${prop} validationRegex`, a._validationRegex, 'it must be a valid regular expression');
    }
  }
  if (a.kind === ApiAuthorizationKind.LAMBDA_REQUEST) {
    const sources = a._identitySources;
    if (!Array.isArray(sources) || sources.length === 0) {
      throw BulwarkError.invalid(scope, `${prop} identitySources`, sources ?? null,
        'it must list at least one identity source, such as method.request.header.Authorization');
    }
    const bad = sources.find((s) => typeof s !== 'string' || (!Token.isUnresolved(s) && !IDENTITY_SOURCE.test(s)));
    if (bad !== undefined) {
      throw BulwarkError.invalid(scope, `${prop} identitySources`, bad,
        'each must be method.request.header.<name>, method.request.querystring.<name>, stageVariables.<name> or context.<name>');
    }
  }
}

function checkNames(scope: IConstruct, prop: string, names: string[] | undefined, pattern: RegExp, allowed: string): void {
  if (names === undefined) {
    return;
  }
  if (!Array.isArray(names)) {
    throw BulwarkError.invalid(scope, prop, names, 'it must be a list of names');
  }
  const bad = names.find((n) => typeof n !== 'string' || !pattern.test(n));
  if (bad !== undefined) {
    throw BulwarkError.invalid(scope, prop, bad, `each name must be non-empty and use only ${allowed}`);
  }
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated !== undefined) {
    throw BulwarkError.invalid(scope, prop, repeated, 'it appears twice');
  }
}

function checkCors(scope: IConstruct, cors: apigateway.CorsOptions | undefined): void {
  if (cors === undefined) {
    return;
  }
  if (cors === null || typeof cors !== 'object') {
    throw BulwarkError.invalid(scope, 'cors', cors, 'it must be a CorsOptions object');
  }
  if (!Array.isArray(cors.allowOrigins) || cors.allowOrigins.length === 0) {
    throw BulwarkError.invalid(scope, 'cors.allowOrigins', cors.allowOrigins ?? null, 'it must list at least one origin, such as https://app.example.com');
  }
  for (const origin of cors.allowOrigins) {
    if (typeof origin !== 'string' || (origin !== '*' && !Token.isUnresolved(origin) && !/^https?:\/\/[^\s/]+$/.test(origin))) {
      throw BulwarkError.invalid(scope, 'cors.allowOrigins', origin, 'each origin must be * or scheme://host[:port] without a path');
    }
  }
  if (cors.allowOrigins.includes('*') && cors.allowOrigins.length > 1) {
    throw BulwarkError.invalid(scope, 'cors.allowOrigins', cors.allowOrigins, '* already allows every origin; give * alone or only named origins');
  }
  if (cors.allowOrigins.includes('*') && cors.allowCredentials === true) {
    throw new BulwarkError(scope, 'cors.allowOrigins is * with cors.allowCredentials true: browsers refuse credentials for any origin, '
      + 'and allowing them would let every website call the API as the user; name the origins instead');
  }
}

function checkDomain(scope: IConstruct, props: SecureApiProps): void {
  const domain = props.domain;
  if (domain === undefined) {
    if (props.disableExecuteApiEndpoint === true) {
      throw new BulwarkError(scope, 'disableExecuteApiEndpoint is true without domain: the API would have no endpoint at all; give domain too');
    }
    return;
  }
  if (domain === null || typeof domain !== 'object') {
    throw BulwarkError.invalid(scope, 'domain', domain, 'it must be an ApiDomainOptions object ({ domainName, certificate })');
  }
  if (domain.domainName === undefined) {
    throw new BulwarkError(scope, 'domain.certificate is given without domain.domainName: give the domain name the certificate is for');
  }
  if (typeof domain.domainName !== 'string' || (!Token.isUnresolved(domain.domainName) && !DOMAIN_NAME.test(domain.domainName))) {
    throw BulwarkError.invalid(scope, 'domain.domainName', domain.domainName,
      'it must be a lowercase domain name such as api.example.com (labels of letters, digits and hyphens, at most 253 characters)');
  }
  if (!domain.certificate || typeof domain.certificate.certificateArn !== 'string') {
    throw BulwarkError.invalid(scope, 'domain.certificate', domain.certificate ?? null,
      'it must be an ACM certificate for the domain name, in the API\'s region');
  }
  if (domain.basePath !== undefined && (typeof domain.basePath !== 'string' || (!Token.isUnresolved(domain.basePath) && !BASE_PATH.test(domain.basePath)))) {
    throw BulwarkError.invalid(scope, 'domain.basePath', domain.basePath,
      'it must be one path segment without /, such as orders or v1 (letters, digits and $_.+!*\'()-)');
  }
}

/** A JSON schema for API Gateway models (draft 4): types known, properties and items schemas, required a list of names. */
function checkSchema(scope: IConstruct, prop: string, schema: unknown, at: string = ''): void {
  const fail = (detail: string): never => {
    throw new BulwarkError(scope, `${prop} is not a valid JSON schema${at ? ` at ${at}` : ''}: ${detail}`);
  };
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    fail(`a schema must be an object, got ${BulwarkError.show(schema)}`);
  }
  const s = schema as Record<string, unknown>;
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    const bad = types.find((t) => !JSON_SCHEMA_TYPES.includes(t as string));
    if (bad !== undefined) {
      fail(`type ${BulwarkError.show(bad)} is not one of ${JSON_SCHEMA_TYPES.join(', ')}`);
    }
  }
  if (s.required !== undefined && (!Array.isArray(s.required) || s.required.some((r) => typeof r !== 'string'))) {
    fail(`required must be a list of property names, got ${BulwarkError.show(s.required)}`);
  }
  if (s.properties !== undefined) {
    if (s.properties === null || typeof s.properties !== 'object' || Array.isArray(s.properties)) {
      fail('properties must be an object of schemas');
    }
    for (const [name, sub] of Object.entries(s.properties as Record<string, unknown>)) {
      checkSchema(scope, prop, sub, `${at}.properties.${name}`);
    }
  }
  for (const key of ['items', 'additionalProperties', 'not'] as const) {
    const sub = s[key];
    if (sub === undefined || typeof sub === 'boolean') {
      continue;
    }
    for (const [i, item] of (Array.isArray(sub) ? sub : [sub]).entries()) {
      checkSchema(scope, prop, item, `${at}.${key}${Array.isArray(sub) ? `[${i}]` : ''}`);
    }
  }
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (s[key] !== undefined) {
      if (!Array.isArray(s[key]) || (s[key] as unknown[]).length === 0) {
        fail(`${key} must be a non-empty list of schemas`);
      }
      (s[key] as unknown[]).forEach((item, i) => checkSchema(scope, prop, item, `${at}.${key}[${i}]`));
    }
  }
  for (const key of ['minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties'] as const) {
    if (s[key] !== undefined && !(Number.isInteger(s[key]) && (s[key] as number) >= 0)) {
      fail(`${key} must be an integer of 0 or more, got ${BulwarkError.show(s[key])}`);
    }
  }
  if (s.pattern !== undefined) {
    try {
      new RegExp(s.pattern as string);
    } catch {
      fail(`pattern ${BulwarkError.show(s.pattern)} is not a valid regular expression`);
    }
  }
  if (s.enum !== undefined && (!Array.isArray(s.enum) || s.enum.length === 0)) {
    fail('enum must be a non-empty list');
  }
}
