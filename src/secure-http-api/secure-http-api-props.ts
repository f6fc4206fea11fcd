import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { HttpApiAuthorization } from './http-api-authorization';
import { SecureHttpApiAlarmsProps } from './secure-http-api-alarms';
import { ApiDomainOptions } from '../core/api-domain';
import { ApiMethod } from '../core/api-method';
import { ApiThrottleOptions } from '../core/api-throttle';
import { MonitoredConstructProps } from '../monitoring/monitored-props';

// The public props of SecureHttpApi and its routes.

/** Options of one route of a `SecureHttpApi`. */
export interface HttpApiRouteOptions {
  /**
   * How this route checks its callers, instead of the API's `authorization`. Cannot be combined
   * with `allowAnonymous`.
   *
   * @default - the API's `authorization`
   */
  readonly authorization?: HttpApiAuthorization;

  /**
   * Make the route public: anyone on the internet can call it, with no authorization at all.
   * The explicit opt-in for health checks, webhooks that verify their own signatures, public
   * read-only data. Adds the acknowledgeable warning `cdk-bulwark:http-api:anonymous-route`, and
   * cdk-nag's AwsSolutions-APIG4 stays visible on the route.
   *
   * @default false
   */
  readonly allowAnonymous?: boolean;
}

/**
 * A route for the `routes` prop of `SecureHttpApi`, made with `HttpApiRouteDefinition.of()` from the
 * same arguments as `addRoute()`.
 *
 * A class rather than a struct, so that no language can lose a route's options: from Python, a
 * struct inside a list may be written as a dict, and jsii drops the keys of such a dict that are not
 * the struct's camelCase names (`allow_anonymous`) without a word. `of()` takes the options as
 * keyword arguments (Python) or a builder (Java), which refuse unknown names.
 */
export class HttpApiRouteDefinition {
  /**
   * A route: `method` requests to `path` go to `handler`.
   *
   * @param method the HTTP method; `ANY` takes every method that no other route of the path takes
   * @param path `/`, `/orders`, `/orders/{orderId}`, or a greedy last segment such as `/files/{proxy+}`
   * @param handler the function that answers (a `SecureFunction`'s `lambdaFunction`, or any `IFunction`)
   * @param options the route's own authorization, or `allowAnonymous: true`
   */
  public static of(method: ApiMethod, path: string, handler: lambda.IFunction, options: HttpApiRouteOptions = {}): HttpApiRouteDefinition {
    return new HttpApiRouteDefinition(method, path, handler, options ?? {});
  }

  /** The HTTP method. */
  public readonly method: ApiMethod;

  /** The path. */
  public readonly path: string;

  /** The function that answers. */
  public readonly handler: lambda.IFunction;

  /** The route's own authorization, or `allowAnonymous`. */
  public readonly options: HttpApiRouteOptions;

  private constructor(method: ApiMethod, path: string, handler: lambda.IFunction, options: HttpApiRouteOptions) {
    this.method = method;
    this.path = path;
    this.handler = handler;
    this.options = options;
  }
}

/**
 * Properties of `SecureHttpApi`.
 */
export interface SecureHttpApiProps extends MonitoredConstructProps {
  /**
   * How routes check their callers unless a route says otherwise: `HttpApiAuthorization.jwt()`,
   * `.cognito()`, `.iam()` or `.lambdaAuthorizer()`.
   *
   * @default - none: every route must then have its own `authorization` or `allowAnonymous: true`
   */
  readonly authorization?: HttpApiAuthorization;

  /**
   * Routes to add now, each made with `HttpApiRouteDefinition.of()`; more can be added with `addRoute()`.
   *
   * @default - none
   */
  readonly routes?: HttpApiRouteDefinition[];

  /**
   * Proxy mode: one function answers every request that no route takes (the `$default` route).
   * The route is authorized like any other (the API's `authorization`, or `defaultHandlerOptions`).
   *
   * @default - no `$default` route: requests that match no route get 404
   */
  readonly defaultHandler?: lambda.IFunction;

  /**
   * Authorization of the `$default` route, when it differs from the API's.
   *
   * @default - the API's `authorization`
   */
  readonly defaultHandlerOptions?: HttpApiRouteOptions;

  /**
   * Throttling of every route (the stage's default route settings). Requests over the limit get
   * 429 and never reach a handler or authorizer.
   *
   * @default - 1,000 requests per second with bursts of 2,000 (the account's default regional
   * quota is 10,000 per second, shared by every API)
   */
  readonly throttle?: ApiThrottleOptions;

  /**
   * A log group of your own for the JSON access logs. Its retention, encryption and removal
   * policy are yours; a customer-managed key must let `logs.<region>.amazonaws.com` use it.
   *
   * @default - a log group retained on deletion, with `logRetention`; encrypted with the stack key
   * in REGULATED
   */
  readonly accessLogGroup?: logs.ILogGroup;

  /**
   * Retention of the created access log group (not with `accessLogGroup`).
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Retention of the created access log group.
   *
   * @default logs.RetentionDays.ONE_YEAR
   * @deprecated use `logRetention`, the name every construct of the library uses. Cannot be
   * combined with it.
   */
  readonly accessLogRetention?: logs.RetentionDays;

  /**
   * Cross-origin resource sharing for browsers: API Gateway answers preflight `OPTIONS` requests
   * itself and adds the CORS headers to every answer (the handlers' own CORS headers are then
   * ignored). `allowOrigins` is required; `*` cannot be combined with `allowCredentials`.
   * A preflight request that matches an `ANY` route or the `$default` route goes to that route's
   * authorizer and fails (browsers send no token with it): add an `OPTIONS` route with
   * `allowAnonymous: true` for those paths.
   *
   * @default - no CORS: browsers on other origins cannot call the API
   */
  readonly cors?: apigwv2.CorsPreflightOptions;

  /**
   * A custom domain name: regional, TLS 1.2 or later, mapped to the `$default` stage (under
   * `basePath` when given). Point a DNS record at `domainName.regionalDomainName` yourself.
   *
   * @default - only the execute-api endpoint
   */
  readonly domain?: ApiDomainOptions;

  /**
   * A custom domain name (such as `api.example.com`), served with `certificate`.
   *
   * @default - only the execute-api endpoint
   * @deprecated use `domain: { domainName, certificate }`, as for `SecureApi`. Cannot be combined with `domain`.
   */
  readonly domainName?: string;

  /**
   * The ACM certificate of `domainName`, in the API's region.
   *
   * @default - none
   * @deprecated use `domain: { domainName, certificate }`, as for `SecureApi`. Cannot be combined with `domain`.
   */
  readonly certificate?: acm.ICertificate;

  /**
   * Turn off the default `https://<api-id>.execute-api.<region>.amazonaws.com` endpoint so clients
   * can only use the custom domain. Requires `domain`.
   *
   * @default false
   */
  readonly disableExecuteApiEndpoint?: boolean;

  /**
   * A description of the API.
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * Alarm thresholds, or `enabled: false` to skip an alarm.
   *
   * @default - 5xx rate, 4xx rate and p90 latency alarms with their documented defaults
   */
  readonly alarms?: SecureHttpApiAlarmsProps;
}
