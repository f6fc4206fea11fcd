import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ApiAuthorization } from './api-authorization';
import { SecureApiAlarmsProps } from './secure-api-alarms';
import { ApiCloudWatchRole } from '../core/api-cloudwatch-role';
import { ApiDomainOptions } from '../core/api-domain';
import { ApiMethod } from '../core/api-method';
import { ApiThrottleOptions } from '../core/api-throttle';
import { WebFirewallOptions } from '../core/web-firewall-options';
import { MonitoredConstructProps } from '../monitoring/monitored-props';

// The public props of SecureApi and its routes and usage plans.

/**
 * Properties of `SecureApi`.
 */
export interface SecureApiProps extends MonitoredConstructProps {
  /**
   * Routes to add now, each made with `ApiRouteDefinition.of()` (more can be added with `addRoute()`).
   *
   * @default - none
   */
  readonly routes?: ApiRouteDefinition[];

  /**
   * Proxy mode: one function handles every path and method (`ANY /` and `ANY /{proxy+}`) that no
   * route takes, with the API's authorization.
   *
   * @default - none: requests without a route get 403 from API Gateway
   */
  readonly defaultHandler?: lambda.IFunction;

  /**
   * The Cognito user pool whose tokens authorize the routes (a `UserDirectory`'s `userPool`):
   * shorthand for `authorization: ApiAuthorization.cognito(userPool)`.
   *
   * @default - none: give `authorization`, or authorization on each route
   */
  readonly userPool?: cognito.IUserPool;

  /**
   * How routes authorize callers unless they say otherwise. Cannot be combined with `userPool`.
   *
   * @default - Cognito with `userPool`; without either, each route needs its own authorization
   */
  readonly authorization?: ApiAuthorization;

  /**
   * CORS for browser clients: API Gateway answers preflight (OPTIONS) requests on every path and,
   * with exactly one origin, adds the CORS headers to its own 4XX and 5XX answers (401, 403, 400,
   * 429), so that browsers see the real status. Your handlers must still add the CORS headers to
   * their responses. `*` origins cannot be combined with `allowCredentials`.
   *
   * @default - no CORS: browsers on other origins cannot call the API
   */
  readonly cors?: apigateway.CorsOptions;

  /**
   * Throttling of the whole stage (every route).
   *
   * @default - 1,000 requests per second with bursts of 2,000 (the account's default regional
   * quota is 10,000 per second, shared by every API)
   */
  readonly throttle?: ApiThrottleOptions;

  /**
   * Who sets API Gateway's account-level CloudWatch role, which execution logging needs.
   *
   * @default ApiCloudWatchRole.CREATE
   */
  readonly cloudWatchRole?: ApiCloudWatchRole;

  /**
   * A log group of your own for the JSON access logs.
   *
   * @default - a log group retained on deletion, with `logRetention`; encrypted with the stack key in REGULATED
   */
  readonly accessLogGroup?: logs.ILogGroup;

  /**
   * Retention of the created access and execution log groups.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The AWS WAF web ACL in front of the stage.
   *
   * @default - a web ACL with AWS managed rule groups and a rate-based rule, with logging
   */
  readonly firewall?: WebFirewallOptions;

  /**
   * A custom domain name.
   *
   * @default - none: the API is served at its execute-api URL
   */
  readonly domain?: ApiDomainOptions;

  /**
   * Turns off the default `execute-api` endpoint, so that clients can only use `domain` (one
   * entry point to document, monitor and rotate). Needs `domain`.
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
   * @default - 5XX rate, 4XX rate, p90 latency and throttled-requests alarms with their documented defaults
   */
  readonly alarms?: SecureApiAlarmsProps;
}

/** Options of one route of a `SecureApi`. */
export interface ApiRouteOptions {
  /**
   * How callers of this route are authorized, instead of the API's `authorization`.
   *
   * @default - the API's `authorization` (or its `userPool`)
   */
  readonly authorization?: ApiAuthorization;

  /**
   * Lets anyone call this route without authorization (a health check, a public catalog). The
   * construct warns (acknowledgeably) and AwsSolutions-APIG4 and AwsSolutions-COG4 stay visible
   * for the route, as your choice. Cannot be combined with `authorization`.
   *
   * @default false
   */
  readonly allowAnonymous?: boolean;

  /**
   * A JSON schema (draft 4) the request body must match, whatever its Content-Type; API Gateway
   * answers 400 to bodies that do not, before the handler runs.
   *
   * @default - the body is not validated (its parameters still are)
   */
  readonly requestSchema?: apigateway.JsonSchema;

  /**
   * Query string parameters every request must carry; API Gateway answers 400 without them. Path
   * parameters are always required.
   *
   * @default - none
   */
  readonly requiredQueryStrings?: string[];

  /**
   * Headers every request must carry; API Gateway answers 400 without them.
   *
   * @default - none
   */
  readonly requiredHeaders?: string[];

  /**
   * Whether callers must send an API key of a usage plan (`addUsagePlan`) in `x-api-key`, on top of
   * the route's authorization. API keys identify clients for quotas; they do not authorize.
   *
   * @default false
   */
  readonly apiKeyRequired?: boolean;
}

/**
 * A route for the `routes` prop of `SecureApi`, made with `ApiRouteDefinition.of()` from the same
 * arguments as `addRoute()`.
 *
 * A class rather than a struct, so that no language can lose a route's options: from Python, a
 * struct inside a list may be written as a dict, and jsii drops the keys of such a dict that are not
 * the struct's camelCase names (`api_key_required`, `required_headers`, ...) without a word: the
 * route would be made less protected than written. `of()` takes the options as keyword arguments
 * (Python) or a builder (Java), which refuse unknown names.
 */
export class ApiRouteDefinition {
  /**
   * A route: `method` requests to `path` go to `handler`.
   *
   * @param method the HTTP method (`ANY` takes every method no other route of the path takes)
   * @param path `/orders`, `/orders/{orderId}`, `/files/{key+}` (a greedy parameter, last only) or `/`
   * @param handler the function that handles the requests (Lambda proxy integration), such as a SecureFunction's `lambdaFunction`
   * @param options authorization, validation, API keys
   */
  public static of(method: ApiMethod, path: string, handler: lambda.IFunction, options: ApiRouteOptions = {}): ApiRouteDefinition {
    return new ApiRouteDefinition(method, path, handler, options ?? {});
  }

  /** The HTTP method. */
  public readonly method: ApiMethod;

  /** The path. */
  public readonly path: string;

  /** The function that handles the requests. */
  public readonly handler: lambda.IFunction;

  /** Authorization, validation, API keys. */
  public readonly options: ApiRouteOptions;

  private constructor(method: ApiMethod, path: string, handler: lambda.IFunction, options: ApiRouteOptions) {
    this.method = method;
    this.path = path;
    this.handler = handler;
    this.options = options;
  }
}

/** A route of a `SecureApi` and what was made for it. */
export interface ApiRoute {
  /** The HTTP method. */
  readonly method: ApiMethod;

  /** The path as given. */
  readonly path: string;

  /** The API Gateway method. */
  readonly apiMethod: apigateway.Method;

  /**
   * How the route authorizes callers.
   *
   * @default - none: the route allows anonymous callers
   */
  readonly authorization?: ApiAuthorization;
}

/** Options of `SecureApi.addUsagePlan()`. */
export interface ApiUsagePlanOptions {
  /**
   * The API keys of the plan's clients (send them in `x-api-key`).
   *
   * @default - none; add them later with the returned plan's `addApiKey()`
   */
  readonly apiKeys?: apigateway.IApiKey[];

  /**
   * Throttling per API key.
   *
   * @default - the stage's throttling
   */
  readonly throttle?: ApiThrottleOptions;

  /**
   * The number of requests an API key may make per day, week or month.
   *
   * @default - no quota
   */
  readonly quota?: apigateway.QuotaSettings;

  /**
   * A description of the plan.
   *
   * @default - none
   */
  readonly description?: string;
}
