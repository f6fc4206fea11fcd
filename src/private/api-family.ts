import { Duration, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { arnRegion, checkSameRegion } from './api-environment';
import { API_LIMITS } from './defaults/api-gateway';
import { retainedLogGroup } from './log-groups';
import { checkKnownProps, KnownKeys, propKeys } from './props';
import { checkDuration, checkEnum, checkRetention, definedOnly } from './validation';
import { warn, Warning, WARNINGS } from './warnings';
import { ApiCloudWatchRole } from '../core/api-cloudwatch-role';
import { ApiDomainOptions } from '../core/api-domain';
import { ApiThrottleOptions } from '../core/api-throttle';
import { BulwarkError } from '../core/errors';

/*
 * The API family: what SecureApi (REST), SecureHttpApi (HTTP) and the APIs still to come
 * (SecureGraphqlApi, the WebSocket API) share, written once: throttling, CORS, the custom domain,
 * the access log group, the authorization checks that apply to every kind of API, and the "no
 * routes" check. Route grammar is in `api-routes.ts`, the alarm specs in `api-alarms.ts`, the web
 * ACL in `web-firewall.ts`. Where the flavours differ by AWS's rules, an `ApiFlavour` says how.
 */

/** How one kind of API differs where the family's checks are concerned. */
export interface ApiFlavour {
  /** Its stage, for messages: `a REST API stage`. */
  readonly stage: string;
  /** The warning for a throttle that rejects every request (ids differ per construct: users acknowledge them). */
  readonly throttleRejectsAll: Warning<[string]>;
}

/** How a kind of API with HTTP routes (REST, HTTP) differs: CORS and path grammar. */
export interface HttpRouteFlavour extends ApiFlavour {
  /** Whether CORS origins may be wildcard subdomains (`https://*.example.com`). */
  readonly wildcardSubdomainOrigins: boolean;
  /** The methods CORS may allow. */
  readonly corsMethods: readonly string[];
  /** The keys of its CORS options. */
  readonly corsKeys: KnownKeys;
  /** The warning for a path segment that starts with ':' (ids differ per construct). */
  readonly colonSegment: Warning<[string, string]>;
}

/** API Gateway REST APIs (`SecureApi`). */
export const REST_API: HttpRouteFlavour = {
  stage: 'a REST API stage',
  throttleRejectsAll: WARNINGS.restThrottleRejectsAll,
  colonSegment: WARNINGS.restColonSegment,
  // The preflight answer of a REST API is a mock integration that compares the Origin header with
  // each allowed origin exactly: `https://*.example.com` would match no browser.
  wildcardSubdomainOrigins: false,
  corsMethods: [...apigateway.Cors.ALL_METHODS, 'ANY'],
  corsKeys: propKeys<apigateway.CorsOptions>()('apigateway.CorsOptions', ['allowOrigins', 'allowHeaders', 'allowMethods', 'allowCredentials',
    'maxAge', 'disableCache', 'exposeHeaders', 'statusCode'], { name: 'CorsOptions', module: 'aws-cdk-lib/aws-apigateway' }),
};

/** API Gateway HTTP APIs (`SecureHttpApi`). */
export const HTTP_API: HttpRouteFlavour = {
  stage: 'an HTTP API stage',
  throttleRejectsAll: WARNINGS.throttleRejectsAll,
  colonSegment: WARNINGS.httpColonSegment,
  wildcardSubdomainOrigins: true,
  corsMethods: Object.values(apigwv2.CorsHttpMethod),
  corsKeys: propKeys<apigwv2.CorsPreflightOptions>()('apigatewayv2.CorsPreflightOptions', ['allowOrigins', 'allowHeaders', 'allowMethods',
    'allowCredentials', 'maxAge', 'exposeHeaders'], { name: 'CorsPreflightOptions', module: 'aws-cdk-lib/aws-apigatewayv2' }),
};

/** API Gateway WebSocket APIs (`SecureWebSocketApi`): no CORS (browsers do not preflight WebSocket handshakes), no paths. */
export const WEBSOCKET_API: ApiFlavour = {
  stage: 'a WebSocket API stage',
  throttleRejectsAll: WARNINGS.websocketThrottleRejectsAll,
};

const THROTTLE = propKeys<ApiThrottleOptions>()('ApiThrottleOptions', ['rateLimit', 'burstLimit']);
const DOMAIN = propKeys<ApiDomainOptions>()('ApiDomainOptions', ['domainName', 'certificate', 'basePath']);

const DOMAIN_NAME = /^(?=.{1,253}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const BASE_PATH = /^[A-Za-z0-9$_.+!*'()-]+$/;
const ORIGIN = /^https?:\/\/(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?$/;
/** An OAuth scope token (RFC 6749 3.3): printable ASCII without space, `"` or `\`. */
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Checks that the props are an object (from JavaScript or Python, anything can be passed). */
export function checkPropsObject(scope: IConstruct, props: unknown, typeName: string): void {
  if (props === null || typeof props !== 'object' || Array.isArray(props)) {
    throw BulwarkError.invalid(scope, 'props', props, `they must be a ${typeName} object`);
  }
}

// Throttling.

/**
 * Checks throttle options (rate a finite number of 0 or more, burst an integer from 0 to 2^31 - 1)
 * and returns them with `defaults` filled in. A burst of 0 with a positive rate is refused: API
 * Gateway would answer every request with 429 while the API looks open. A rate of 0 closes the API
 * on purpose, so it is an acknowledgeable warning. Unresolved tokens pass.
 *
 * @param prop the prop, for messages (`throttle`)
 * @param flavour whose warning a rate of 0 gets; none for a usage plan, which closes only to its own API keys
 * @param defaults what an absent value means (the stage's defaults); without them only given values are compared
 */
export function checkThrottle(scope: IConstruct, prop: string, throttle: ApiThrottleOptions | undefined, flavour: ApiFlavour | undefined,
  defaults: ApiThrottleOptions = {}): ApiThrottleOptions {
  if (throttle !== undefined && (throttle === null || typeof throttle !== 'object' || Array.isArray(throttle))) {
    throw BulwarkError.invalid(scope, prop, throttle, 'it must be an object with rateLimit and burstLimit (ApiThrottleOptions), or left out');
  }
  checkKnownProps(scope, throttle, THROTTLE, prop);
  const given = throttle ?? {};
  const known = (value: unknown): value is number => value !== undefined && !Token.isUnresolved(value);
  if (known(given.rateLimit) && !(typeof given.rateLimit === 'number' && Number.isFinite(given.rateLimit) && given.rateLimit >= 0)) {
    throw BulwarkError.invalid(scope, `${prop}.rateLimit`, given.rateLimit, 'it must be a finite number of requests per second, 0 or more');
  }
  if (known(given.burstLimit) && !(typeof given.burstLimit === 'number' && Number.isInteger(given.burstLimit)
    && given.burstLimit >= 0 && given.burstLimit <= API_LIMITS.maxBurstLimit)) {
    throw BulwarkError.invalid(scope, `${prop}.burstLimit`, given.burstLimit, `it must be an integer from 0 to ${API_LIMITS.maxBurstLimit}`);
  }
  const effective = { ...defaults, ...definedOnly(given) };
  const { rateLimit, burstLimit } = effective;
  if (known(rateLimit) && known(burstLimit) && rateLimit > 0 && burstLimit === 0) {
    throw new BulwarkError(scope, `${prop}.burstLimit is 0 with rateLimit ${rateLimit}: API Gateway would refuse every request; `
      + 'give a burst of at least 1 (or rateLimit 0 to close the API on purpose)');
  }
  if (given.rateLimit === 0 && flavour) {
    warn(scope, flavour.throttleRejectsAll, `${prop}.rateLimit`);
  }
  return effective;
}

// CORS.

/** What the CORS options of every flavour have (`apigateway.CorsOptions`, `apigwv2.CorsPreflightOptions`). */
export interface CorsShape {
  readonly allowOrigins?: string[];
  readonly allowCredentials?: boolean;
  readonly allowMethods?: string[];
  readonly allowHeaders?: string[];
  readonly exposeHeaders?: string[];
  readonly maxAge?: Duration;
}

/** Checks the `cors` prop: origins browsers may call from, credentials only with named origins, methods, headers, max age. */
export function checkCors(scope: IConstruct, cors: CorsShape | undefined, flavour: HttpRouteFlavour): void {
  if (cors === undefined) {
    return;
  }
  if (cors === null || typeof cors !== 'object' || Array.isArray(cors)) {
    throw BulwarkError.invalid(scope, 'cors', cors, 'it must be an object with at least allowOrigins');
  }
  checkKnownProps(scope, cors, flavour.corsKeys, 'cors');
  const origins = cors.allowOrigins;
  if (!Array.isArray(origins) || origins.length === 0) {
    throw BulwarkError.invalid(scope, 'cors.allowOrigins', origins,
      'it must list at least one origin browsers may call from, such as [\'https://app.example.com\']');
  }
  for (const origin of origins) {
    if (typeof origin === 'string' && (origin === '*' || Token.isUnresolved(origin))) {
      continue;
    }
    if (typeof origin !== 'string' || !ORIGIN.test(origin)) {
      throw BulwarkError.invalid(scope, 'cors.allowOrigins', origin,
        'each origin must be * or scheme://host[:port] without a path or trailing slash, such as https://app.example.com');
    }
    if (origin.includes('*') && !flavour.wildcardSubdomainOrigins) {
      throw BulwarkError.invalid(scope, 'cors.allowOrigins', origin, 'REST APIs compare origins exactly and do not support wildcard '
        + 'subdomains; list each origin (or use SecureHttpApi, whose CORS does)');
    }
  }
  if (origins.includes('*') && origins.length > 1) {
    throw BulwarkError.invalid(scope, 'cors.allowOrigins', origins, '* already allows every origin; give * alone or only named origins');
  }
  if (cors.allowCredentials !== undefined && typeof cors.allowCredentials !== 'boolean') {
    throw BulwarkError.invalid(scope, 'cors.allowCredentials', cors.allowCredentials, 'it must be true or false');
  }
  if (cors.allowCredentials === true && origins.includes('*')) {
    throw BulwarkError.invalid(scope, 'cors.allowOrigins', origins, 'it cannot contain * when allowCredentials is true: browsers refuse '
      + 'credentials for any origin, and allowing them would let every website call the API as the user; name the origins instead');
  }
  const methods = cors.allowMethods;
  if (methods !== undefined && (!Array.isArray(methods) || methods.length === 0 || methods.some((m) => !flavour.corsMethods.includes(m)))) {
    throw BulwarkError.invalid(scope, 'cors.allowMethods', methods, `each must be one of ${flavour.corsMethods.join(', ')}`);
  }
  for (const name of ['allowHeaders', 'exposeHeaders'] as const) {
    const headers = cors[name];
    if (headers !== undefined && (!Array.isArray(headers) || headers.some((h) => typeof h !== 'string' || h.trim() === ''))) {
      throw BulwarkError.invalid(scope, `cors.${name}`, headers, 'it must be a list of header names');
    }
  }
  checkDuration(scope, 'cors.maxAge', cors.maxAge, Duration.seconds(0), API_LIMITS.maxCorsMaxAge);
}

// Custom domain.

/**
 * Checks a custom domain (`domain`, or with `prefix` '' the deprecated flat props of the same names)
 * and `disableExecuteApiEndpoint`, which needs one.
 *
 * @param prefix how the domain's props are named in messages: `domain.` or ''
 */
export function checkDomain(scope: IConstruct, domain: ApiDomainOptions | undefined, disableExecuteApiEndpoint: unknown,
  prefix: string = 'domain.'): void {
  if (disableExecuteApiEndpoint !== undefined && typeof disableExecuteApiEndpoint !== 'boolean') {
    throw BulwarkError.invalid(scope, 'disableExecuteApiEndpoint', disableExecuteApiEndpoint, 'it must be true or false');
  }
  if (domain === undefined) {
    if (disableExecuteApiEndpoint === true) {
      throw new BulwarkError(scope, 'disableExecuteApiEndpoint is true without domain: the API would have no endpoint at all; give domain too');
    }
    return;
  }
  if (domain === null || typeof domain !== 'object' || Array.isArray(domain)) {
    throw BulwarkError.invalid(scope, 'domain', domain, 'it must be an ApiDomainOptions object ({ domainName, certificate })');
  }
  checkKnownProps(scope, domain, DOMAIN, 'domain');
  if (domain.domainName === undefined) {
    throw new BulwarkError(scope, `${prefix}certificate is given without ${prefix}domainName: give the domain name the certificate is for`);
  }
  if (typeof domain.domainName !== 'string' || (!Token.isUnresolved(domain.domainName) && !DOMAIN_NAME.test(domain.domainName))) {
    throw BulwarkError.invalid(scope, `${prefix}domainName`, domain.domainName,
      'it must be a lowercase domain name such as api.example.com (labels of letters, digits and hyphens, at most 253 characters)');
  }
  const certificate: unknown = domain.certificate;
  if (certificate === undefined || certificate === null) {
    throw BulwarkError.invalid(scope, `${prefix}domainName`, domain.domainName,
      `it needs ${prefix}certificate: an ACM certificate for the name, in the API's region`);
  }
  if (!Construct.isConstruct(certificate) || typeof (certificate as { certificateArn?: unknown }).certificateArn !== 'string') {
    throw BulwarkError.invalid(scope, `${prefix}certificate`, Construct.isConstruct(certificate) ? certificate.node.path : certificate ?? null,
      'it must be an ACM certificate (acm.ICertificate) for the domain name, in the API\'s region');
  }
  const certificateArn = (certificate as unknown as acm.ICertificate).certificateArn;
  checkSameRegion(scope, `${prefix}certificate`, Token.isUnresolved(certificateArn) ? certificate.node.path : certificateArn,
    arnRegion(certificateArn) ?? (Token.isUnresolved(certificateArn) ? (certificate as unknown as acm.ICertificate).env.region : undefined),
    'a regional custom domain needs an ACM certificate in the API\'s own region (request or import one there)');
  const basePath = domain.basePath;
  if (basePath !== undefined && (typeof basePath !== 'string' || (!Token.isUnresolved(basePath) && !BASE_PATH.test(basePath)))) {
    throw BulwarkError.invalid(scope, `${prefix}basePath`, basePath,
      'it must be one path segment without /, such as orders or v1 (letters, digits and $_.+!*\'()-)');
  }
}

// The account's CloudWatch role.

/** Checks the `cloudWatchRole` choice of an API whose stage writes execution logs (REST and WebSocket). */
export function checkCloudWatchRole(scope: IConstruct, role: unknown): void {
  checkEnum(scope, 'cloudWatchRole', role, ApiCloudWatchRole as unknown as Record<string, string>, 'ApiCloudWatchRole');
}

/**
 * The custom domain of an API Gateway v2 API (HTTP or WebSocket): a REGIONAL domain name with TLS
 * 1.2 (the only policy WebSocket APIs support, and the strictest HTTP APIs offer), mapped to `stage`
 * under `basePath`. Construct ids `DomainName` and `ApiMapping` (API: never change them).
 */
export function regionalDomain(scope: Construct, api: apigwv2.IApi, stage: apigwv2.IStage, domain: ApiDomainOptions): apigwv2.DomainName {
  const domainName = new apigwv2.DomainName(scope, 'DomainName', {
    domainName: domain.domainName,
    certificate: domain.certificate,
    endpointType: apigwv2.EndpointType.REGIONAL,
    securityPolicy: apigwv2.SecurityPolicy.TLS_1_2,
  });
  new apigwv2.ApiMapping(scope, 'ApiMapping', { api, domainName, stage, apiMappingKey: domain.basePath });
  return domainName;
}

// Access logs.

/** Checks `accessLogGroup` (a log group of yours) and the retention of created log groups. */
export function checkAccessLogs(scope: IConstruct, group: unknown, retentionProp: string, retention: unknown): void {
  if (group !== undefined && (!Construct.isConstruct(group) || typeof (group as { logGroupArn?: unknown }).logGroupArn !== 'string')) {
    throw BulwarkError.invalid(scope, 'accessLogGroup', group, 'it must be a CloudWatch Logs log group (logs.ILogGroup)');
  }
  checkRetention(scope, retentionProp, retention);
}

/** The access log group of an API: the one given, else a retained `AccessLogs` group (with `key`, encrypted). */
export function accessLogGroup(scope: Construct, given: logs.ILogGroup | undefined, retention: logs.RetentionDays | undefined,
  key: kms.IKey | undefined): logs.ILogGroup {
  return given ?? retainedLogGroup(scope, 'AccessLogs', { retention, key });
}

// Deprecated aliases.

/**
 * The value of a prop that has a deprecated alias: the new one, else the old one; both given is an
 * error, since nobody can tell which one was meant.
 */
export function aliased<T>(scope: IConstruct, newProp: string, newValue: T | undefined, oldProp: string, oldValue: T | undefined): T | undefined {
  if (newValue !== undefined && oldValue !== undefined) {
    throw new BulwarkError(scope, `${newProp} and ${oldProp} cannot be set together: ${oldProp} is the deprecated name of ${newProp}; `
      + `give only ${newProp}`);
  }
  return newValue ?? oldValue;
}

// Authorization and routes: what every kind of API checks alike.

/** How a part of an authorization is named in messages: `authorization of route 'GET /x': scopes`. */
export function authorizationPart(prop: string, part: string): string {
  return `${prop}: ${part}`;
}

/** Checks that `fn` is a Lambda function (a handler or an authorizer). */
export function checkFunction(scope: IConstruct, prop: string, fn: unknown): void {
  if (!Construct.isConstruct(fn) || typeof (fn as { functionArn?: unknown }).functionArn !== 'string') {
    throw BulwarkError.invalid(scope, prop, Construct.isConstruct(fn) ? fn.node.path : fn,
      'it must be a Lambda function (lambda.IFunction), such as a SecureFunction\'s lambdaFunction');
  }
}

/** Checks OAuth scopes a token must carry: a non-empty list of scope tokens, or none. */
export function checkScopes(scope: IConstruct, prop: string, scopes: unknown): void {
  if (scopes === undefined) {
    return;
  }
  if (!Array.isArray(scopes) || scopes.length === 0 || scopes.some((s) => typeof s !== 'string' || (!Token.isUnresolved(s) && !SCOPE.test(s)))) {
    throw BulwarkError.invalid(scope, prop, scopes,
      'give one or more OAuth scopes (printable characters without spaces, quotes or backslashes), or leave scopes unset');
  }
}

/** Checks an authorizer's results cache TTL: 0 (off) to one hour. */
export function checkResultsCacheTtl(scope: IConstruct, prop: string, ttl: unknown): void {
  checkDuration(scope, prop, ttl as Duration | undefined, Duration.seconds(0), API_LIMITS.maxResultsCacheTtl);
}

/** A route's authorization choice. */
export interface RouteAuthorizationOptions<A> {
  readonly authorization?: A;
  readonly allowAnonymous?: boolean;
}

/**
 * The authorization of a route: its own, else the API's; undefined for an anonymous route. A route
 * with none of them is refused: every route is authorized unless it opts out.
 *
 * @param label the route in messages (`route 'GET /x'`)
 * @param howToDefault how to give the API a default authorization (`give the API userPool or authorization`)
 */
export function routeAuthorization<A>(scope: IConstruct, label: string, options: RouteAuthorizationOptions<A>, apiDefault: A | undefined,
  howToDefault: string): A | undefined {
  if (options.allowAnonymous !== undefined && typeof options.allowAnonymous !== 'boolean') {
    throw BulwarkError.invalid(scope, `allowAnonymous of ${label}`, options.allowAnonymous, 'it must be true or false');
  }
  if (options.allowAnonymous === true && options.authorization !== undefined) {
    throw new BulwarkError(scope, `${label}: allowAnonymous and authorization cannot be set together; a route is either authorized or open to anyone`);
  }
  if (options.allowAnonymous === true) {
    return undefined;
  }
  const authorization = options.authorization ?? apiDefault;
  if (authorization === undefined) {
    throw new BulwarkError(scope, `${label} has no authorization: ${howToDefault}, give the route authorization, or, for a route anyone may `
      + 'call, allowAnonymous: true');
  }
  return authorization;
}

/**
 * The synthesis-time check that an API has routes (routes can be added after construction): API
 * Gateway cannot deploy a stage without them.
 */
export function checkHasRoutes(scope: IConstruct, routeCount: () => number, flavour: ApiFlavour): void {
  scope.node.addValidation({
    validate: () => (routeCount() > 0 ? [] : [
      `${BulwarkError.describe(scope)} has no routes: API Gateway cannot deploy ${flavour.stage} without routes. `
      + 'Add routes with the routes prop or addRoute(), or give defaultHandler.',
    ]),
  });
}
