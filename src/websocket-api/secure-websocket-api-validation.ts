import { Stack, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import type { SecureWebSocketApiProps } from './secure-websocket-api-props';
import { WebSocketAuthorization, WebSocketAuthorizationKind, WebSocketCognitoOptions, WebSocketLambdaAuthorizerOptions } from './websocket-authorization';
import { ApiThrottleOptions } from '../core/api-throttle';
import { BulwarkError } from '../core/errors';
import {
  authorizationPart, checkAccessLogs, checkCloudWatchRole, checkDomain, checkFunction, checkPropsObject, checkScopes, checkThrottle,
  WEBSOCKET_API,
} from '../private/api-family';
import { API_DEFAULTS } from '../private/defaults/api-gateway';
import { WEBSOCKET_DEFAULTS } from '../private/defaults/websocket-api';
import { checkKnownProps, KnownKeys, propKeys } from '../private/props';
import { checkShape, SHAPES } from '../private/shapes';
import { checkBoolean } from '../private/validation';

// Internal to the library: every check of SecureWebSocketApi's input, run before anything is made.
// What every API checks alike (throttle, domain, access logs, handlers, scopes, the CloudWatch role)
// is the API family's (src/private/api-family.ts); what is WebSocket's alone is here.

const PROPS = propKeys<SecureWebSocketApiProps>()('SecureWebSocketApiProps', ['complianceProfile', 'monitoring', 'authorization',
  'allowAnonymousConnect', 'routes', 'defaultHandler', 'connectHandler', 'disconnectHandler', 'routeSelectionExpression', 'stageName',
  'throttle', 'cloudWatchRole', 'accessLogGroup', 'logRetention', 'domain', 'description', 'alarms']);
const AUTHORIZATION_OPTIONS: Partial<Record<WebSocketAuthorizationKind, KnownKeys>> = {
  [WebSocketAuthorizationKind.LAMBDA]: propKeys<WebSocketLambdaAuthorizerOptions>()('WebSocketLambdaAuthorizerOptions', ['identitySource']),
  [WebSocketAuthorizationKind.COGNITO]: propKeys<WebSocketCognitoOptions>()('WebSocketCognitoOptions', ['scopes', 'identitySource', 'vpc',
    'vpcSubnets']),
};

/** `$request.body.action`, `$request.body.message.type`: a dot-separated path of JSON field names. */
const ROUTE_SELECTION = /^\$request\.body\.[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/;
/** A custom route key: printable characters without `$` first (AWS reserves `$connect`, `$disconnect`, `$default`). */
const ROUTE_KEY = /^[^$\s\x00-\x1f\x7f][^\x00-\x1f\x7f]{0,127}$/;
/** Where a WebSocket authorizer reads the identity. */
const IDENTITY_SOURCE = /^route\.request\.(header|querystring)\.[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
/** A stage name: letters, digits, `-` and `_`, 1 to 128 characters (not `$default`: WebSocket APIs have no default stage). */
const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;

/** Settings derived from the props. */
export interface SecureWebSocketApiSettings {
  readonly throttle: ApiThrottleOptions;
  readonly routeSelectionExpression: string;
  readonly stageName: string;
  readonly logRetention?: logs.RetentionDays;
}

/** Validates the props of `SecureWebSocketApi` (routes added later are validated as they are added). */
export function validateWebSocketApiProps(scope: IConstruct, props: SecureWebSocketApiProps): SecureWebSocketApiSettings {
  checkPropsObject(scope, props, 'SecureWebSocketApiProps');
  checkKnownProps(scope, props, PROPS);
  checkBoolean(scope, 'allowAnonymousConnect', props.allowAnonymousConnect);
  if (props.authorization !== undefined && props.allowAnonymousConnect === true) {
    throw new BulwarkError(scope, 'authorization and allowAnonymousConnect cannot be set together: the $connect route is either authorized '
      + 'or open to anyone');
  }
  if (props.authorization === undefined && props.allowAnonymousConnect !== true) {
    throw new BulwarkError(scope, 'the $connect route has no authorization: give authorization (WebSocketAuthorization.cognito(...), '
      + '.lambdaAuthorizer(...) or .iam()), or, for a public API anyone may connect to, allowAnonymousConnect: true');
  }
  if (props.authorization !== undefined) {
    checkWebSocketAuthorization(scope, 'authorization', props.authorization);
  }
  for (const name of ['connectHandler', 'disconnectHandler', 'defaultHandler'] as const) {
    if (props[name] !== undefined) {
      checkFunction(scope, name, props[name]);
    }
  }
  if (props.routes !== undefined && (props.routes === null || typeof props.routes !== 'object' || Array.isArray(props.routes))) {
    throw BulwarkError.invalid(scope, 'routes', props.routes, 'it must map route keys to handlers, such as { subscribe: fn.lambdaFunction }');
  }
  const routeSelectionExpression = props.routeSelectionExpression ?? WEBSOCKET_DEFAULTS.routeSelectionExpression;
  if (typeof routeSelectionExpression !== 'string'
    || (!Token.isUnresolved(routeSelectionExpression) && !ROUTE_SELECTION.test(routeSelectionExpression))) {
    throw BulwarkError.invalid(scope, 'routeSelectionExpression', routeSelectionExpression,
      'it must be $request.body.<field>, a dot-separated path to the JSON field that holds the route key, such as $request.body.action');
  }
  const stageName = props.stageName ?? API_DEFAULTS.stageName;
  if (typeof stageName !== 'string' || (!Token.isUnresolved(stageName) && !STAGE_NAME.test(stageName))) {
    throw BulwarkError.invalid(scope, 'stageName', stageName, 'it must be 1 to 128 letters, digits, - or _');
  }
  const throttle = checkThrottle(scope, 'throttle', props.throttle, WEBSOCKET_API, API_DEFAULTS.throttle);
  checkAccessLogs(scope, props.accessLogGroup, 'logRetention', props.logRetention);
  checkCloudWatchRole(scope, props.cloudWatchRole);
  checkDomain(scope, props.domain, undefined);
  return { throttle, routeSelectionExpression, stageName, logRetention: props.logRetention };
}

/** Checks a custom route key (`addRoute()` or a key of `routes`). */
export function checkRouteKey(scope: IConstruct, routeKey: unknown): string {
  if (typeof routeKey !== 'string' || Token.isUnresolved(routeKey) || !ROUTE_KEY.test(routeKey)) {
    const reserved = typeof routeKey === 'string' && routeKey.startsWith('$');
    throw BulwarkError.invalid(scope, 'route key', routeKey, reserved
      ? 'route keys starting with $ are AWS\'s ($connect, $disconnect, $default): give connectHandler, disconnectHandler or defaultHandler '
        + 'for those, and custom route keys without $'
      : 'it must be 1 to 128 characters without control characters or leading whitespace: the value the route selection expression finds '
        + 'in a message, such as subscribe');
  }
  return routeKey;
}

/** Validates an authorization's factory arguments (the factories have no construct to name). */
export function checkWebSocketAuthorization(scope: IConstruct, prop: string, authorization: unknown): void {
  if (!(authorization instanceof WebSocketAuthorization)) {
    throw BulwarkError.invalid(scope, prop, authorization,
      'it must be made with WebSocketAuthorization.cognito(), .lambdaAuthorizer() or .iam()');
  }
  const part = (name: string) => authorizationPart(prop, name);
  const optionKeys = AUTHORIZATION_OPTIONS[authorization.kind];
  if (optionKeys && authorization._options !== undefined) {
    if (authorization._options === null || typeof authorization._options !== 'object') {
      throw BulwarkError.invalid(scope, part('options'), authorization._options, 'they must be an object');
    }
    checkKnownProps(scope, authorization._options, optionKeys, part('options'));
  }
  const identitySource = authorization.identitySource;
  if (identitySource !== undefined && (!Array.isArray(identitySource) || identitySource.length === 0
    || identitySource.some((s) => typeof s !== 'string' || (!Token.isUnresolved(s) && !IDENTITY_SOURCE.test(s))))) {
    throw BulwarkError.invalid(scope, part('identitySource'), authorization.kind === WebSocketAuthorizationKind.COGNITO ? identitySource[0] : identitySource,
      'give route.request.querystring.<name> (browsers cannot set headers on a WebSocket handshake) or route.request.header.<name>');
  }
  switch (authorization.kind) {
    case WebSocketAuthorizationKind.LAMBDA:
      checkFunction(scope, part('handler'), authorization.handler);
      return;
    case WebSocketAuthorizationKind.COGNITO: {
      checkShape(scope, part('userPool'), authorization.userPool ?? null, SHAPES.userPool);
      const clients: unknown = authorization.clients;
      if (!Array.isArray(clients) || clients.length === 0
        || clients.some((c) => typeof (c as { userPoolClientId?: unknown } | undefined)?.userPoolClientId !== 'string')) {
        throw BulwarkError.invalid(scope, part('clients'), clients,
          'give at least one app client (cognito.IUserPoolClient) whose tokens are accepted, such as a UserDirectory\'s client');
      }
      // A client of another pool would have every token refused: its tokens name the other pool as issuer.
      const pool = authorization.userPool!;
      for (const client of clients as cognito.IUserPoolClient[]) {
        const cfn = client.node.defaultChild;
        if (cfn instanceof cognito.CfnUserPoolClient && Stack.of(cfn).resolve(cfn.userPoolId) !== undefined
          && JSON.stringify(Stack.of(cfn).resolve(cfn.userPoolId)) !== JSON.stringify(Stack.of(cfn).resolve(pool.userPoolId))) {
          throw BulwarkError.invalid(scope, part('clients'), client.node.path, `it is a client of another user pool than ${pool.node.path}: `
            + 'its tokens would name that pool as issuer and every connection would be refused; give clients of the same pool');
        }
      }
      checkScopes(scope, part('scopes'), authorization.scopes);
      checkShape(scope, part('vpc'), authorization.vpc, SHAPES.vpc);
      if (authorization.vpcSubnets !== undefined && authorization.vpc === undefined) {
        throw new BulwarkError(scope, `${part('vpcSubnets')} is given without vpc: give the VPC the subnets belong to`);
      }
      return;
    }
    case WebSocketAuthorizationKind.IAM:
      return;
  }
}
