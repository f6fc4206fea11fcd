import { Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { IConstruct } from 'constructs';
import { ApiAuthorization, ApiAuthorizationKind, CognitoApiAuthorizationOptions, LambdaRequestAuthorizationOptions, LambdaTokenAuthorizationOptions } from './api-authorization';
import { ApiRouteDefinition } from './secure-api-props';
import type { ApiRouteOptions, ApiUsagePlanOptions, SecureApiProps } from './secure-api-props';
import { ApiMethod } from '../core/api-method';
import { ApiThrottleOptions } from '../core/api-throttle';
import { BulwarkError } from '../core/errors';
import {
  authorizationPart, checkAccessLogs, checkCors, checkDomain, checkFunction, checkPropsObject, checkResultsCacheTtl, checkScopes,
  checkCloudWatchRole, checkThrottle, REST_API, routeAuthorization,
} from '../private/api-family';
import { checkRouteDefinitions } from '../private/api-routes';
import { API_DEFAULTS } from '../private/defaults/api-gateway';
import { checkKnownProps, KnownKeys, propKeys } from '../private/props';
import { validateWebFirewallOptions } from '../private/web-firewall';
import { Workflow } from '../workflow/workflow';

// Internal to the library: every check of SecureApi's input, run before anything is made. What
// every API checks alike (throttle, CORS, domain, access logs, handlers, scopes, cache TTLs) is the
// API family's (src/private/api-family.ts); what is REST's alone is here.

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const QUERY_STRING_NAME = /^[A-Za-z0-9._~-]+$/;
const IDENTITY_SOURCE = /^(method\.request\.(header|querystring|multivaluequerystring|multivalueheader)\.[^\s]+|stageVariables\.[A-Za-z0-9_]+|context\.[A-Za-z0-9_.]+)$/;
const JSON_SCHEMA_TYPES = Object.values(apigateway.JsonSchemaType) as string[];
const PROPS = propKeys<SecureApiProps>()('SecureApiProps', ['complianceProfile', 'monitoring', 'routes', 'defaultHandler', 'userPool',
  'authorization', 'cors', 'throttle', 'cloudWatchRole', 'accessLogGroup', 'logRetention', 'firewall', 'domain', 'disableExecuteApiEndpoint',
  'description', 'alarms']);
const ROUTE_OPTIONS = propKeys<ApiRouteOptions>()('ApiRouteOptions', ['authorization', 'allowAnonymous', 'requestSchema', 'requiredQueryStrings',
  'requiredHeaders', 'apiKeyRequired']);
/** The keys of each factory's options (IAM takes none). */
const AUTHORIZATION_OPTIONS: Partial<Record<ApiAuthorizationKind, KnownKeys>> = {
  [ApiAuthorizationKind.COGNITO]: propKeys<CognitoApiAuthorizationOptions>()('CognitoApiAuthorizationOptions', ['scopes', 'resultsCacheTtl']),
  [ApiAuthorizationKind.LAMBDA_TOKEN]: propKeys<LambdaTokenAuthorizationOptions>()('LambdaTokenAuthorizationOptions',
    ['headerName', 'validationRegex', 'resultsCacheTtl']),
  [ApiAuthorizationKind.LAMBDA_REQUEST]: propKeys<LambdaRequestAuthorizationOptions>()('LambdaRequestAuthorizationOptions', ['resultsCacheTtl']),
};
const JSON_SCHEMA = propKeys<apigateway.JsonSchema>()('apigateway.JsonSchema', ['schema', 'id', 'ref', 'type', 'title', 'description', 'enum',
  'default', 'format', 'definitions', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern',
  'items', 'additionalItems', 'maxItems', 'minItems', 'uniqueItems', 'contains', 'maxProperties', 'minProperties', 'required', 'properties',
  'additionalProperties', 'patternProperties', 'dependencies', 'propertyNames', 'allOf', 'anyOf', 'oneOf', 'not'],
{ name: 'JsonSchema', module: 'aws-cdk-lib/aws-apigateway' });
const USAGE_PLAN_OPTIONS = propKeys<ApiUsagePlanOptions>()('ApiUsagePlanOptions', ['apiKeys', 'throttle', 'quota', 'description']);
const QUOTA = propKeys<apigateway.QuotaSettings>()('apigateway.QuotaSettings', ['limit', 'offset', 'period'],
  { name: 'QuotaSettings', module: 'aws-cdk-lib/aws-apigateway' });

/** Settings derived from the props. */
export interface SecureApiSettings {
  /** The stage's throttle, defaults filled in. */
  readonly throttle: ApiThrottleOptions;
}

/** Validates the props of `SecureApi` (routes given later are validated as they are added). */
export function validateApiProps(scope: IConstruct, props: SecureApiProps): SecureApiSettings {
  checkPropsObject(scope, props, 'SecureApiProps');
  checkKnownProps(scope, props, PROPS);
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
  checkRouteDefinitions(scope, props.routes, (r) => r instanceof ApiRouteDefinition, 'ApiRouteDefinition');
  if (props.defaultHandler !== undefined) {
    checkFunction(scope, 'defaultHandler', props.defaultHandler);
  }
  checkCloudWatchRole(scope, props.cloudWatchRole);
  const throttle = checkThrottle(scope, 'throttle', props.throttle, REST_API, API_DEFAULTS.throttle);
  checkCors(scope, props.cors, REST_API);
  validateWebFirewallOptions(scope, 'firewall', props.firewall);
  checkDomain(scope, props.domain, props.disableExecuteApiEndpoint);
  // logRetention also applies to the execution log group, so it is allowed with accessLogGroup.
  checkAccessLogs(scope, props.accessLogGroup, 'logRetention', props.logRetention);
  return { throttle };
}

/**
 * Validates the options of a route of `addRoute()` or `addWorkflowRoute()` (its method and path
 * are parsed by the route table, its target by the caller) and returns its authorization:
 * undefined for an anonymous route.
 */
export function validateRoute(scope: IConstruct, label: string, method: ApiMethod, options: ApiRouteOptions,
  hasCors: boolean, apiDefault: ApiAuthorization | undefined): ApiAuthorization | undefined {
  if (options === null || typeof options !== 'object') {
    throw BulwarkError.invalid(scope, `options of ${label}`, options, 'they must be an ApiRouteOptions object');
  }
  checkKnownProps(scope, options, ROUTE_OPTIONS, `options of ${label}`);
  if (method === ApiMethod.OPTIONS && hasCors) {
    throw new BulwarkError(scope, `${label}: with cors set, API Gateway answers OPTIONS requests itself; remove the route or cors`);
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
  return routeAuthorization(scope, label, options, apiDefault, 'give the API userPool or authorization');
}

/** The methods that may start a workflow: not GET, HEAD or OPTIONS, which clients and caches take as safe to repeat. */
const WORKFLOW_METHODS: ApiMethod[] = [ApiMethod.POST, ApiMethod.PUT, ApiMethod.PATCH, ApiMethod.DELETE];

/** Validates the target of `addWorkflowRoute()`: a Workflow, and a method that changes state. */
export function validateWorkflowRoute(scope: IConstruct, label: string, method: ApiMethod, workflow: unknown): void {
  if (!WORKFLOW_METHODS.includes(method)) {
    throw BulwarkError.invalid(scope, `method of ${label}`, method, 'a route that starts a workflow must take POST, PUT, PATCH or DELETE: '
      + `browsers, crawlers and caches take ${method === ApiMethod.ANY ? 'GET, HEAD and OPTIONS (which ANY includes)' : `${method} requests`} as safe to send on their own`);
  }
  if (!(workflow instanceof Workflow)) {
    throw BulwarkError.invalid(scope, `workflow of ${label}`, workflow === null || workflow === undefined ? workflow : String(workflow),
      'it must be a Workflow of this library (its role grants and key come with it)');
  }
}

/** Validates the options of `addUsagePlan`. */
export function validateUsagePlanOptions(scope: IConstruct, label: string, options: ApiUsagePlanOptions): void {
  if (options === null || typeof options !== 'object') {
    throw BulwarkError.invalid(scope, `options of ${label}`, options, 'they must be an ApiUsagePlanOptions object');
  }
  checkKnownProps(scope, options, USAGE_PLAN_OPTIONS, `options of ${label}`);
  checkThrottle(scope, `throttle of ${label}`, options.throttle, undefined);
  const quota = options.quota;
  if (quota !== undefined) {
    if (quota === null || typeof quota !== 'object') {
      throw BulwarkError.invalid(scope, `quota of ${label}`, quota, 'it must be a QuotaSettings object');
    }
    checkKnownProps(scope, quota, QUOTA, `quota of ${label}`);
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

function checkAuthorization(scope: IConstruct, prop: string, authorization: ApiAuthorization): void {
  if (!(authorization instanceof ApiAuthorization)) {
    throw BulwarkError.invalid(scope, prop, authorization === null ? null : String(authorization),
      'it must be made with ApiAuthorization.cognito(), .iam(), .lambdaToken() or .lambdaRequest()');
  }
  const a = authorization;
  const part = (name: string) => authorizationPart(prop, name);
  const optionKeys = AUTHORIZATION_OPTIONS[a.kind];
  if (optionKeys) {
    checkKnownProps(scope, a._options, optionKeys, `${prop}: options`);
  }
  if (a.kind === ApiAuthorizationKind.COGNITO && (!a._userPool || typeof a._userPool.userPoolArn !== 'string')) {
    throw BulwarkError.invalid(scope, part('userPool'), a._userPool ?? null, 'it must be a Cognito user pool (IUserPool)');
  }
  if (a.kind === ApiAuthorizationKind.LAMBDA_TOKEN || a.kind === ApiAuthorizationKind.LAMBDA_REQUEST) {
    checkFunction(scope, part('handler'), a._handler);
  }
  checkScopes(scope, part('scopes'), a._scopes);
  checkResultsCacheTtl(scope, part('resultsCacheTtl'), a._resultsCacheTtl);
  if (a._headerName !== undefined && (typeof a._headerName !== 'string' || !HEADER_NAME.test(a._headerName))) {
    throw BulwarkError.invalid(scope, part('headerName'), a._headerName, 'it must be an HTTP header name');
  }
  if (a._validationRegex !== undefined) {
    try {
      new RegExp(a._validationRegex);
    } catch {
      throw BulwarkError.invalid(scope, part('validationRegex'), a._validationRegex, 'it must be a valid regular expression');
    }
  }
  if (a.kind === ApiAuthorizationKind.LAMBDA_REQUEST) {
    const sources = a._identitySources;
    if (!Array.isArray(sources) || sources.length === 0) {
      throw BulwarkError.invalid(scope, part('identitySources'), sources ?? null,
        'it must list at least one identity source, such as method.request.header.Authorization');
    }
    const bad = sources.find((s) => typeof s !== 'string' || (!Token.isUnresolved(s) && !IDENTITY_SOURCE.test(s)));
    if (bad !== undefined) {
      throw BulwarkError.invalid(scope, part('identitySources'), bad,
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

/** A JSON schema for API Gateway models (draft 4): types known, properties and items schemas, required a list of names. */
function checkSchema(scope: IConstruct, prop: string, schema: unknown, at: string = ''): void {
  const fail = (detail: string): never => {
    throw new BulwarkError(scope, `${prop} is not a valid JSON schema${at ? ` at ${at}` : ''}: ${detail}`);
  };
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    fail(`a schema must be an object, got ${BulwarkError.show(schema)}`);
  }
  const s = schema as Record<string, unknown>;
  // A misspelled keyword (requred, maxLenght) would be ignored by API Gateway: the body would be less validated than written.
  checkKnownProps(scope, s, JSON_SCHEMA, `${prop}${at}`);
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
