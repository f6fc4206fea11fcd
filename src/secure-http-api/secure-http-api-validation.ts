import { Stack, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { HttpApiAuthorization, HttpApiAuthorizationKind, HttpApiJwtOptions, HttpApiLambdaAuthorizerOptions, HttpApiLambdaResponseType } from './http-api-authorization';
import { HttpApiRouteDefinition } from './secure-http-api-props';
import type { HttpApiRouteOptions, SecureHttpApiProps } from './secure-http-api-props';
import { ApiDomainOptions } from '../core/api-domain';
import { ApiThrottleOptions } from '../core/api-throttle';
import { BulwarkError } from '../core/errors';
import {
  aliased, authorizationPart, checkAccessLogs, checkCors, checkDomain, checkFunction, checkPropsObject, checkResultsCacheTtl, checkScopes,
  checkThrottle, HTTP_API, routeAuthorization,
} from '../private/api-family';
import { checkRouteDefinitions } from '../private/api-routes';
import { API_DEFAULTS } from '../private/defaults/api-gateway';
import { checkKnownProps, KnownKeys, propKeys } from '../private/props';

// Internal to the library: every check of SecureHttpApi's input, run before anything is made. What
// every API checks alike (throttle, CORS, domain, access logs, handlers, scopes, cache TTLs) is the
// API family's (src/private/api-family.ts); what is HTTP's alone is here.

const PROPS = propKeys<SecureHttpApiProps>()('SecureHttpApiProps', ['complianceProfile', 'monitoring', 'authorization', 'routes',
  'defaultHandler', 'defaultHandlerOptions', 'throttle', 'accessLogGroup', 'logRetention', 'accessLogRetention', 'cors', 'domain', 'domainName',
  'certificate', 'disableExecuteApiEndpoint', 'description', 'alarms']);
const ROUTE_OPTIONS = propKeys<HttpApiRouteOptions>()('HttpApiRouteOptions', ['authorization', 'allowAnonymous']);
const JWT_OPTIONS = propKeys<HttpApiJwtOptions>()('HttpApiJwtOptions', ['scopes']);
/** The keys of each factory's options (IAM takes none). */
const AUTHORIZATION_OPTIONS: Partial<Record<HttpApiAuthorizationKind, KnownKeys>> = {
  [HttpApiAuthorizationKind.JWT]: JWT_OPTIONS,
  [HttpApiAuthorizationKind.COGNITO]: JWT_OPTIONS,
  [HttpApiAuthorizationKind.LAMBDA]: propKeys<HttpApiLambdaAuthorizerOptions>()('HttpApiLambdaAuthorizerOptions',
    ['identitySource', 'resultsCacheTtl', 'responseTypes']),
};
const IDENTITY_SOURCE = /^\$(request\.(header|querystring)\.[^\s.]+|context\.\S+|stageVariables\.\S+)$/;
const HOW_TO_DEFAULT = 'give the API a default (authorization: HttpApiAuthorization.jwt(...), .cognito(...), .iam() or .lambdaAuthorizer(...))';

/** Settings derived from the props. */
export interface SecureHttpApiSettings {
  /** The stage's throttle, defaults filled in. */
  readonly throttle: ApiThrottleOptions;
  /** The retention of the created access log group (`logRetention`, or its deprecated alias). */
  readonly logRetention?: logs.RetentionDays;
  /** The custom domain (`domain`, or the deprecated `domainName` and `certificate`). */
  readonly domain?: ApiDomainOptions;
}

/** Validates the props of `SecureHttpApi` (routes given later are validated as they are added). */
export function validateHttpApiProps(scope: IConstruct, props: SecureHttpApiProps): SecureHttpApiSettings {
  checkPropsObject(scope, props, 'SecureHttpApiProps');
  checkKnownProps(scope, props, PROPS);
  if (props.authorization !== undefined) {
    checkHttpAuthorization(scope, 'authorization', props.authorization);
  }
  checkRouteDefinitions(scope, props.routes, (r) => r instanceof HttpApiRouteDefinition, 'HttpApiRouteDefinition');
  if (props.defaultHandlerOptions !== undefined && (props.defaultHandlerOptions === null || typeof props.defaultHandlerOptions !== 'object')) {
    throw BulwarkError.invalid(scope, 'defaultHandlerOptions', props.defaultHandlerOptions, 'it must be an object with authorization or allowAnonymous');
  }
  if (props.defaultHandler === undefined && props.defaultHandlerOptions !== undefined) {
    throw new BulwarkError(scope, 'defaultHandlerOptions apply to the $default route, which needs defaultHandler; give defaultHandler or '
      + 'remove defaultHandlerOptions');
  }
  const throttle = checkThrottle(scope, 'throttle', props.throttle, HTTP_API, API_DEFAULTS.throttle);

  const logRetention = aliased(scope, 'logRetention', props.logRetention, 'accessLogRetention', props.accessLogRetention);
  const retentionProp = props.logRetention !== undefined ? 'logRetention' : 'accessLogRetention';
  checkAccessLogs(scope, props.accessLogGroup, retentionProp, logRetention);
  if (props.accessLogGroup !== undefined && logRetention !== undefined) {
    throw new BulwarkError(scope, `${retentionProp} applies to the created log group; it cannot be given together with accessLogGroup `
      + '(set the retention on your log group)');
  }

  checkCors(scope, props.cors, HTTP_API);

  const flat = props.domainName !== undefined || props.certificate !== undefined;
  if (flat && props.domain !== undefined) {
    throw new BulwarkError(scope, `domain and ${props.domainName !== undefined ? 'domainName' : 'certificate'} cannot be set together: `
      + 'domainName and certificate are the deprecated form of domain; give only domain: { domainName, certificate }');
  }
  const domain = flat ? { domainName: props.domainName!, certificate: props.certificate! } : props.domain;
  checkDomain(scope, domain, props.disableExecuteApiEndpoint, flat ? '' : 'domain.');
  return { throttle, logRetention, domain };
}

/**
 * Validates a route's handler and options and returns its authorization: undefined for an
 * anonymous route.
 *
 * @param known authorizations already checked (an object shared by several routes is checked once)
 */
export function validateRoute(scope: IConstruct, label: string, handlerProp: string, handler: lambda.IFunction, options: HttpApiRouteOptions,
  apiDefault: HttpApiAuthorization | undefined, known: (authorization: HttpApiAuthorization) => boolean): HttpApiAuthorization | undefined {
  checkFunction(scope, handlerProp, handler);
  if (options === null || typeof options !== 'object') {
    throw BulwarkError.invalid(scope, `options of ${label}`, options, 'they must be an object with authorization or allowAnonymous');
  }
  checkKnownProps(scope, options, ROUTE_OPTIONS, handlerProp === 'defaultHandler' ? 'defaultHandlerOptions' : `options of ${label}`);
  if (options.authorization !== undefined && !(options.authorization instanceof HttpApiAuthorization && known(options.authorization))) {
    checkHttpAuthorization(scope, `authorization of ${label}`, options.authorization);
  }
  return routeAuthorization(scope, label, options, apiDefault, HOW_TO_DEFAULT);
}

/** Validates an authorization's factory arguments (the factories have no construct to name). */
export function checkHttpAuthorization(scope: IConstruct, prop: string, authorization: unknown): void {
  if (!(authorization instanceof HttpApiAuthorization)) {
    throw BulwarkError.invalid(scope, prop, authorization,
      'it must be made with HttpApiAuthorization.jwt(), .cognito(), .iam() or .lambdaAuthorizer()');
  }
  const part = (name: string) => authorizationPart(prop, name);
  const optionKeys = AUTHORIZATION_OPTIONS[authorization.kind];
  if (optionKeys) {
    checkKnownProps(scope, authorization._options, optionKeys, `${prop}: options`);
  }
  switch (authorization.kind) {
    case HttpApiAuthorizationKind.JWT:
      checkIssuerUrl(scope, part('issuerUrl'), authorization.issuerUrl);
      checkStrings(scope, part('audience'), authorization.audience, 'give at least one audience (client id or API identifier) the tokens are for');
      checkScopes(scope, part('scopes'), authorization.scopes);
      break;
    case HttpApiAuthorizationKind.COGNITO:
      if (!Construct.isConstruct(authorization.userPool) || typeof (authorization.userPool as { userPoolId?: unknown }).userPoolId !== 'string') {
        throw BulwarkError.invalid(scope, part('userPool'), authorization.userPool, 'it must be a Cognito user pool (cognito.IUserPool)');
      }
      if (!Array.isArray(authorization.clients) || authorization.clients.length === 0
        || authorization.clients.some((c) => !Construct.isConstruct(c) || typeof (c as { userPoolClientId?: unknown }).userPoolClientId !== 'string')) {
        throw BulwarkError.invalid(scope, part('clients'), Array.isArray(authorization.clients)
          ? authorization.clients.map((c) => (Construct.isConstruct(c) ? c.node.path : c)) : authorization.clients,
        'give at least one app client of the user pool (cognito.IUserPoolClient) whose tokens the API accepts');
      }
      checkClientsOfPool(scope, part('clients'), authorization.userPool as cognito.IUserPool, authorization.clients);
      checkScopes(scope, part('scopes'), authorization.scopes);
      break;
    case HttpApiAuthorizationKind.LAMBDA:
      checkFunction(scope, part('handler'), authorization.handler);
      checkLambdaAuthorizer(scope, prop, authorization);
      break;
    default:
      break;
  }
}

function checkLambdaAuthorizer(scope: IConstruct, prop: string, authorization: HttpApiAuthorization): void {
  const part = (name: string) => authorizationPart(prop, name);
  const sources = authorization.identitySource;
  if (sources !== undefined) {
    if (!Array.isArray(sources)) {
      throw BulwarkError.invalid(scope, part('identitySource'), sources, 'it must be a list of identity sources');
    }
    for (const source of sources) {
      if (typeof source !== 'string' || (!Token.isUnresolved(source) && !IDENTITY_SOURCE.test(source))) {
        throw BulwarkError.invalid(scope, part('identitySource'), source,
          'each must be $request.header.<name>, $request.querystring.<name>, $context.<variable> or $stageVariables.<name>');
      }
    }
  }
  const ttl = authorization.resultsCacheTtl;
  checkResultsCacheTtl(scope, part('resultsCacheTtl'), ttl);
  const caching = ttl === undefined || ttl.isUnresolved() || ttl.toSeconds() > 0;
  if (caching && sources !== undefined && sources.length === 0) {
    throw BulwarkError.invalid(scope, part('identitySource'), sources,
      'results are cached by identity source, so give at least one (e.g. $request.header.Authorization), or set resultsCacheTtl: Duration.seconds(0)');
  }
  const types = authorization.responseTypes;
  const allowed = Object.values(HttpApiLambdaResponseType) as string[];
  if (types !== undefined && (!Array.isArray(types) || types.length === 0 || types.some((t) => !allowed.includes(t)))) {
    throw BulwarkError.invalid(scope, part('responseTypes'), types, `give one or more of ${allowed.join(', ')}`);
  }
}

function checkIssuerUrl(scope: IConstruct, prop: string, issuerUrl: unknown): void {
  if (typeof issuerUrl === 'string' && Token.isUnresolved(issuerUrl)) {
    return;
  }
  let url: URL | undefined;
  try {
    url = typeof issuerUrl === 'string' ? new URL(issuerUrl) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw BulwarkError.invalid(scope, prop, issuerUrl,
      'it must be an https:// URL without query or fragment, exactly as in the tokens\' iss claim (API Gateway fetches its '
      + '/.well-known/openid-configuration over HTTPS)');
  }
  // The discovery document's or the key set's URL pasted for the issuer: API Gateway would append
  // /.well-known/openid-configuration to it, and no token's iss claim would match it.
  const wellKnown = url.pathname.indexOf('/.well-known/');
  if (wellKnown >= 0) {
    const issuer = `${url.origin}${url.pathname.slice(0, wellKnown)}`;
    throw BulwarkError.invalid(scope, prop, issuerUrl, 'it is the URL of a document the issuer publishes, not the issuer: give the issuer, '
      + `exactly as the tokens' iss claim and the document's "issuer" field say (probably '${issuer}' or '${issuer}/'); `
      + 'API Gateway appends /.well-known/openid-configuration itself');
  }
  // A Cognito user pool's issuer: https://cognito-idp.<region>.amazonaws.com/<pool id>, the pool id
  // starting with the same region, without a trailing slash (the iss claim of its tokens).
  const cognitoHost = /^cognito-idp\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(url.hostname);
  if (cognitoHost) {
    const poolRegion = /^\/([a-z]{2}(?:-[a-z]+)+-\d+)_[A-Za-z0-9]+\/?$/.exec(url.pathname)?.[1];
    if (poolRegion === undefined) {
      throw BulwarkError.invalid(scope, prop, issuerUrl, 'a Cognito issuer is https://cognito-idp.<region>.amazonaws.com/<user pool id>');
    }
    if (poolRegion !== cognitoHost[1]) {
      throw BulwarkError.invalid(scope, prop, issuerUrl, `the user pool id is in ${poolRegion} but the URL names ${cognitoHost[1]}: the pool's `
        + `tokens carry https://cognito-idp.${poolRegion}.amazonaws.com/<pool id>, so every token would be refused`);
    }
    if (url.pathname.endsWith('/')) {
      throw BulwarkError.invalid(scope, prop, issuerUrl, 'Cognito\'s tokens carry the issuer without a trailing slash, so every token would '
        + 'be refused; remove the slash');
    }
  }
}

/**
 * The app clients of a Cognito authorization must belong to its user pool: another pool's tokens
 * carry another issuer and are all refused. Checked where it can be known: literal pool ids, and
 * clients made with a pool's addClient() in this app.
 */
function checkClientsOfPool(scope: IConstruct, prop: string, pool: cognito.IUserPool, clients: cognito.IUserPoolClient[]): void {
  for (const client of clients) {
    const own = (client.node.defaultChild as cognito.CfnUserPoolClient | undefined)?.userPoolId;
    const parent = client.node.scope;
    const clientStack = Stack.of(client);
    const differentIds = typeof own === 'string' && own !== pool.userPoolId
      && (Token.isUnresolved(own) === Token.isUnresolved(pool.userPoolId))
      && JSON.stringify(clientStack.resolve(own)) !== JSON.stringify(clientStack.resolve(pool.userPoolId));
    const differentPool = parent instanceof cognito.UserPool && parent !== pool && parent.userPoolId !== pool.userPoolId;
    if (differentIds || differentPool) {
      const owner = differentPool ? (parent as IConstruct).node.path : Token.isUnresolved(own) ? JSON.stringify(clientStack.resolve(own)) : own;
      throw BulwarkError.invalid(scope, prop, client.node.path, `the client belongs to user pool ${owner}, `
        + `not to ${Token.isUnresolved(pool.userPoolId) ? pool.node.path : pool.userPoolId}: its tokens carry that pool's issuer, so API Gateway `
        + 'would refuse every one; give clients of the same pool');
    }
  }
}

function checkStrings(scope: IConstruct, prop: string, values: unknown, allowed: string): void {
  if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'string' || v.trim() === '')) {
    throw BulwarkError.invalid(scope, prop, values, allowed);
  }
}
