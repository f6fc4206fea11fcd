import { Annotations, Names } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ApiAuthorization, ApiAuthorizationKind } from './api-authorization';
import { SecureApiAlarmsProps } from './secure-api-alarms';
import { apiWidgets, createApiAlarms, THROTTLED_REQUESTS, validateApiAlarms } from './secure-api-monitoring';
import { validateApiProps, validateRouteOptions, validateUsagePlanOptions } from './secure-api-validation';
import { ApiMethod } from '../core/api-method';
import { ApiThrottleOptions } from '../core/api-throttle';
import { ComplianceProfile, CompliancePolicy } from '../core/compliance-profile';
import { BulwarkError } from '../core/errors';
import { WebFirewallOptions } from '../core/web-firewall-options';
import { MonitoredConstructProps } from '../monitoring/monitored-props';
import { IMonitoring, Monitoring } from '../monitoring/monitoring';
import { acknowledge, KNOWN_FINDINGS } from '../private/acknowledgements';
import { apiGatewayAccount } from '../private/api-gateway-account';
import { checkMethod, checkRouteKeys, executeApiPath, parsePath, pathParameters, RouteTable } from '../private/api-routes';
import { API_DEFAULTS, REST_ACCESS_LOG_FIELDS } from '../private/defaults/api-gateway';
import { retainedLogGroup } from '../private/log-groups';
import { stackKey } from '../private/stack-key';
import { definedOnly, shortPath } from '../private/validation';
import { noWebFirewallWarning, WebFirewall, webFirewallEnabled } from '../private/web-firewall';

/**
 * Who sets API Gateway's account-level CloudWatch Logs role, which execution logging needs. It is
 * one setting per account and region, shared by every REST API there.
 */
export enum ApiCloudWatchRole {
  /**
   * This stack sets it: a role with a customer-managed policy and the `AWS::ApiGateway::Account`
   * setting, made once per app and environment and retained when the stack is deleted. It replaces
   * a role set before (by the console, another stack or CDK's own `cloudWatchRole`), so the
   * construct warns (acknowledgeably). Deploys in a fresh account.
   */
  CREATE = 'CREATE',
  /**
   * The account already has one (set by a platform team, a landing zone or another stack). Nothing
   * is made; in an account without it, the stage fails to deploy ("CloudWatch Logs role ARN must
   * be set in account settings to enable logging").
   */
  EXISTING = 'EXISTING',
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

/** A route of a `SecureApi`, given in its props. */
export interface ApiRouteProps extends ApiRouteOptions {
  /** The HTTP method. */
  readonly method: ApiMethod;

  /** The path: `/orders`, `/orders/{orderId}`, `/files/{key+}` (a greedy parameter, last only), or `/`. */
  readonly path: string;

  /** The function that handles the requests (Lambda proxy integration), such as a SecureFunction's `lambdaFunction`. */
  readonly handler: lambda.IFunction;
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

/** A custom domain name for a `SecureApi`. */
export interface ApiDomainOptions {
  /** The domain name, such as `api.example.com`. */
  readonly domainName: string;

  /**
   * An ACM certificate for `domainName`, in the API's region (a regional endpoint). TLS 1.2 is the
   * minimum version.
   */
  readonly certificate: acm.ICertificate;

  /**
   * The base path the API is served under (`orders` serves it at `https://api.example.com/orders/...`).
   *
   * @default - the root of the domain
   */
  readonly basePath?: string;
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

/** The keys of `ApiRouteProps`. */
const ROUTE_KEYS = ['method', 'path', 'handler', 'authorization', 'allowAnonymous', 'requestSchema', 'requiredQueryStrings', 'requiredHeaders',
  'apiKeyRequired'] as const satisfies ReadonlyArray<keyof ApiRouteProps>;

/**
 * Properties of `SecureApi`.
 */
export interface SecureApiProps extends MonitoredConstructProps {
  /**
   * Routes to add now (more can be added with `addRoute()`).
   *
   * @default - none
   */
  readonly routes?: ApiRouteProps[];

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

/**
 * A REST API (API Gateway) in front of Lambda handlers, where every route is authorized and
 * every request is validated, throttled, logged and filtered by a firewall.
 *
 * Defaults: a regional endpoint; Cognito user pool authorization (or IAM, or a Lambda authorizer;
 * anonymous routes only by `allowAnonymous`); a request validator for bodies and parameters on
 * every method, with optional JSON schemas; stage throttling; JSON access logs and ERROR execution
 * logs (no data trace) to retained log groups; X-Ray tracing; an AWS WAF web ACL with AWS managed
 * rule groups, a rate-based rule and logging with `Authorization` and `Cookie` redacted; alarms on
 * the 5XX and 4XX rates, p90 latency and throttled requests; a dashboard section.
 *
 * @example
 * declare const users: cognito.IUserPool;
 * declare const listOrders: lambda.IFunction;
 * const api = new SecureApi(this, 'OrdersApi', { userPool: users });
 * api.addRoute(ApiMethod.GET, '/orders', listOrders);
 */
export class SecureApi extends Construct {
  /** The REST API. */
  public readonly api: apigateway.RestApi;

  /** The stage (`prod`). */
  public readonly stage: apigateway.Stage;

  /** The log group of the JSON access logs. */
  public readonly accessLogGroup: logs.ILogGroup;

  /** The log group API Gateway writes the stage's execution logs to (created here, so it has a retention). */
  public readonly executionLogGroup: logs.LogGroup;

  /** The request validator every method uses (bodies and parameters). */
  public readonly requestValidator: apigateway.RequestValidator;

  /**
   * The ARN of the web ACL in front of the stage.
   *
   * @default - none when `firewall.enabled` is false
   */
  public readonly webAclArn?: string;

  /**
   * The created web ACL.
   *
   * @default - none when `firewall.enabled` is false or `firewall.webAclArn` is given
   */
  public readonly webAcl?: wafv2.CfnWebACL;

  /**
   * The log group of the created web ACL (`aws-waf-logs-...`).
   *
   * @default - none when no web ACL is created
   */
  public readonly firewallLogGroup?: logs.ILogGroup;

  /**
   * The custom domain name.
   *
   * @default - none without `domain`
   */
  public readonly domainName?: apigateway.DomainName;

  /** The metric filter that counts throttled (HTTP 429) requests in the access log. */
  public readonly throttledRequestsMetricFilter: logs.MetricFilter;

  /** The compliance profile in force. */
  public readonly complianceProfile: ComplianceProfile;

  private readonly monitoring: IMonitoring;
  private readonly defaultAuthorization?: ApiAuthorization;
  private readonly routeTable: RouteTable;
  private readonly routeList: ApiRoute[] = [];
  private readonly routesScope: Construct;
  private readonly authorizersScope: Construct;
  private readonly authorizers = new Map<ApiAuthorization, apigateway.IAuthorizer>();
  private readonly registeredAlarms: cloudwatch.IAlarm[] = [];
  private readonly usagePlans: apigateway.UsagePlan[] = [];
  private readonly regulated: boolean;
  private readonly hasCors: boolean;
  /** Routes that need an API key, as `METHOD /path`. */
  private readonly keyedRoutes: string[] = [];

  constructor(scope: Construct, id: string, props: SecureApiProps = {}) {
    super(scope, id);
    validateApiProps(this, props);
    validateApiAlarms(this, props.alarms);

    // Defaults.
    this.complianceProfile = CompliancePolicy.resolve(this, props.complianceProfile);
    this.regulated = this.complianceProfile === ComplianceProfile.REGULATED;
    this.monitoring = props.monitoring ?? Monitoring.of(this);
    this.defaultAuthorization = props.authorization ?? (props.userPool ? ApiAuthorization.cognito(props.userPool) : undefined);
    this.hasCors = props.cors !== undefined;
    const throttle = { ...API_DEFAULTS.throttle, ...definedOnly(props.throttle) };
    const key = this.regulated ? stackKey(this) : undefined;

    // Logs. Access logs go to a group of ours (or yours); execution logs to the group API Gateway
    // would otherwise create itself without a retention.
    this.accessLogGroup = props.accessLogGroup ?? retainedLogGroup(this, 'AccessLogs', { retention: props.logRetention, key });

    // API and stage.
    this.api = new apigateway.RestApi(this, 'Api', {
      // API names need not be unique, but CloudWatch metrics are keyed by them: two APIs of one name
      // would share their alarms' metrics.
      restApiName: Names.uniqueResourceName(this, { maxLength: 255, separator: '-' }),
      description: props.description,
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      // Set explicitly, so that CDK's feature flag does not decide: the role is made by
      // apiGatewayAccount() below (once per app), never one per API.
      cloudWatchRole: false,
      disableExecuteApiEndpoint: props.disableExecuteApiEndpoint,
      defaultCorsPreflightOptions: props.cors,
      deployOptions: {
        stageName: API_DEFAULTS.stageName,
        tracingEnabled: true,
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        throttlingRateLimit: throttle.rateLimit,
        throttlingBurstLimit: throttle.burstLimit,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: apigateway.AccessLogFormat.custom(JSON.stringify(REST_ACCESS_LOG_FIELDS)),
      },
    });
    this.stage = this.api.deploymentStage;
    this.addCorsToGatewayResponses(props.cors);
    const cfnStage = this.stage.node.defaultChild as apigateway.CfnStage;
    acknowledge(cfnStage, KNOWN_FINDINGS.apiStageCache);
    acknowledge(cfnStage, KNOWN_FINDINGS.apiClientCertificate);

    this.executionLogGroup = retainedLogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${API_DEFAULTS.stageName}`,
      retention: props.logRetention,
      key,
    });
    this.stage.node.addDependency(this.executionLogGroup);
    if ((props.cloudWatchRole ?? ApiCloudWatchRole.CREATE) === ApiCloudWatchRole.CREATE) {
      this.stage.node.addDependency(apiGatewayAccount(this));
    }

    this.requestValidator = this.api.addRequestValidator('RequestValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    // Firewall.
    if (webFirewallEnabled(props.firewall)) {
      const firewall = new WebFirewall(this, 'Firewall', { options: props.firewall, propName: 'firewall', regulated: this.regulated, key });
      firewall.associate('Association', this.stage.stageArn);
      this.webAclArn = firewall.webAclArn;
      this.webAcl = firewall.webAcl;
      this.firewallLogGroup = firewall.logGroup;
    } else {
      const warning = noWebFirewallWarning('api', 'firewall');
      Annotations.of(this).addWarningV2(warning.id, warning.message);
    }

    // Custom domain.
    if (props.domain) {
      this.domainName = new apigateway.DomainName(this, 'Domain', {
        domainName: props.domain.domainName,
        certificate: props.domain.certificate,
        endpointType: apigateway.EndpointType.REGIONAL,
        securityPolicy: apigateway.SecurityPolicy.TLS_1_2,
      });
      this.domainName.addBasePathMapping(this.api, { basePath: props.domain.basePath, stage: this.stage });
    }

    // Routes.
    this.routeTable = new RouteTable(this);
    this.routesScope = new Construct(this, 'Routes');
    this.authorizersScope = new Construct(this, 'Authorizers');
    if (props.defaultHandler) {
      this.addRoute(ApiMethod.ANY, '/', props.defaultHandler);
      this.addRoute(ApiMethod.ANY, '/{proxy+}', props.defaultHandler);
    }
    for (const [index, route] of (props.routes ?? []).entries()) {
      if (route === null || typeof route !== 'object') {
        throw BulwarkError.invalid(this, `routes[${index}]`, route, 'it must be a route: { method, path, handler, ... }');
      }
      checkRouteKeys(this, `routes[${index}]`, route, ROUTE_KEYS, 'ApiRouteProps');
      this.addRoute(route.method, route.path, route.handler, route);
    }

    // Alarms and dashboard.
    this.throttledRequestsMetricFilter = new logs.MetricFilter(this, 'ThrottledRequestsFilter', {
      logGroup: this.accessLogGroup,
      filterPattern: logs.FilterPattern.stringValue('$.status', '=', '429'),
      metricNamespace: THROTTLED_REQUESTS.namespace,
      metricName: THROTTLED_REQUESTS.metricName,
      metricValue: '1',
      dimensions: { ApiId: '$.apiId' },
      unit: cloudwatch.Unit.COUNT,
    });
    this.registeredAlarms.push(...createApiAlarms(this, this, this.monitoring, props.alarms));
    this.monitoring.addSection(`API ${shortPath(this)}`, ...apiWidgets(this));

    // Routes (and the usage plans their API keys need) are added after construction.
    this.node.addValidation({ validate: () => this.checkRoutes() });
  }

  /** The URL of the stage (`https://<id>.execute-api.<region>.amazonaws.com/prod/`). */
  public get url(): string {
    return this.api.url;
  }

  /** Every route added so far. */
  public get routes(): ApiRoute[] {
    return [...this.routeList];
  }

  /** The alarms this construct created. */
  public get alarms(): cloudwatch.IAlarm[] {
    return [...this.registeredAlarms];
  }

  /**
   * Adds a route: `method` requests to `path` go to `handler` (Lambda proxy integration). The
   * handler's resource policy lets only this route of this API invoke it.
   *
   * @param method the HTTP method (`ANY` takes every method no other route of the path takes)
   * @param path `/orders`, `/orders/{orderId}`, `/files/{key+}` or `/`
   * @param handler the function, such as a SecureFunction's `lambdaFunction`
   * @param options authorization, validation, API keys
   */
  public addRoute(method: ApiMethod, path: string, handler: lambda.IFunction, options: ApiRouteOptions = {}): ApiRoute {
    const label = `route '${String(method)} ${String(path)}'`;
    const checkedMethod = checkMethod(this, `method of ${label}`, method);
    const segments = parsePath(this, `path of ${label}`, path);
    if (!handler || typeof (handler as lambda.IFunction).functionArn !== 'string') {
      throw BulwarkError.invalid(this, `handler of ${label}`, handler === undefined ? undefined : String(handler),
        'it must be a Lambda function (an IFunction, such as a SecureFunction\'s lambdaFunction)');
    }
    validateRouteOptions(this, label, options ?? {});
    options = options ?? {};
    if (checkedMethod === ApiMethod.OPTIONS && this.hasCors) {
      throw new BulwarkError(this, `${label}: with cors set, API Gateway answers OPTIONS requests itself; remove the route or cors`);
    }
    const authorization = options.allowAnonymous ? undefined : options.authorization ?? this.defaultAuthorization;
    if (!authorization && !options.allowAnonymous) {
      throw new BulwarkError(this, `${label} has no authorization: give the API userPool or authorization, give the route authorization, `
        + 'or, for a route anyone may call, allowAnonymous: true');
    }
    this.routeTable.add(label, checkedMethod, segments);

    const resource = segments.length === 0 ? this.api.root : this.api.root.resourceForPath(path);
    const routeScope = new Construct(this.routesScope, [checkedMethod, ...segments].join(' '));
    const requestParameters: Record<string, boolean> = {};
    for (const name of pathParameters(segments)) {
      requestParameters[`method.request.path.${name}`] = true;
    }
    for (const name of options.requiredQueryStrings ?? []) {
      requestParameters[`method.request.querystring.${name}`] = true;
    }
    for (const name of options.requiredHeaders ?? []) {
      requestParameters[`method.request.header.${name}`] = true;
    }
    const model = options.requestSchema === undefined ? undefined : new apigateway.Model(routeScope, 'RequestModel', {
      restApi: this.api,
      contentType: 'application/json',
      schema: { schema: apigateway.JsonSchemaVersion.DRAFT4, ...options.requestSchema },
      description: `Request body of ${checkedMethod} ${path}`,
    });
    const apiMethod = resource.addMethod(checkedMethod, new apigateway.LambdaIntegration(handler, { allowTestInvoke: false }), {
      ...this.authorizationOptions(authorization),
      requestValidator: this.requestValidator,
      requestParameters: Object.keys(requestParameters).length > 0 ? requestParameters : undefined,
      // Under $default, not a content type: API Gateway validates a body only against the model of
      // its Content-Type, so a JSON body sent as text/plain would skip an application/json model.
      requestModels: model ? { $default: model } : undefined,
      apiKeyRequired: options.apiKeyRequired,
    });
    if (options.allowAnonymous) {
      // On the route, so that acknowledging one anonymous route does not hide the next one.
      Annotations.of(routeScope).addWarningV2('cdk-bulwark:api:anonymous-route',
        `${label} allows anonymous callers (allowAnonymous: true): anyone who can reach the API can call it, limited only by throttling and the firewall.`);
    }
    if (options.apiKeyRequired) {
      this.keyedRoutes.push(`${checkedMethod} ${path}`);
    }
    const route: ApiRoute = { method: checkedMethod, path, apiMethod, authorization };
    this.routeList.push(route);
    return route;
  }

  /**
   * Adds a usage plan on this API's stage: per-client throttling and quotas for the API keys of
   * routes with `apiKeyRequired`.
   *
   * @param id construct id of the plan
   * @param options keys, throttling, quota
   */
  public addUsagePlan(id: string, options: ApiUsagePlanOptions = {}): apigateway.UsagePlan {
    options = options ?? {};
    validateUsagePlanOptions(this, `usage plan '${id}'`, options);
    const plan = this.api.addUsagePlan(id, {
      description: options.description,
      throttle: options.throttle,
      quota: options.quota,
      apiStages: [{ api: this.api, stage: this.stage }],
    });
    for (const apiKey of options.apiKeys ?? []) {
      plan.addApiKey(apiKey);
    }
    this.usagePlans.push(plan);
    return plan;
  }

  /**
   * Lets `grantee` call the IAM-authorized routes (`execute-api:Invoke` on exactly their ARNs):
   * all of them added so far, or the one of `method` and `path`.
   *
   * @param grantee the role or principal
   * @param method the route's method
   * @param path the route's path, as given to `addRoute`
   */
  public grantInvoke(grantee: iam.IGrantable, method?: ApiMethod, path?: string): iam.Grant {
    const iamRoutes = this.routeList.filter((r) => r.authorization?.kind === ApiAuthorizationKind.IAM);
    let routes = iamRoutes;
    if (method !== undefined || path !== undefined) {
      if (method === undefined || path === undefined) {
        throw new BulwarkError(this, 'grantInvoke: give both method and path, or neither (for every IAM-authorized route)');
      }
      routes = iamRoutes.filter((r) => r.method === method && r.path === path);
      if (routes.length === 0) {
        const route = this.routeList.find((r) => r.method === method && r.path === path);
        throw new BulwarkError(this, route
          ? `grantInvoke: route '${method} ${path}' is not authorized with IAM, so execute-api:Invoke does not decide who may call it`
          : `grantInvoke: there is no route '${method} ${path}'; the routes are ${this.routeList.map((r) => `'${r.method} ${r.path}'`).join(', ') || 'none yet'}`);
      }
    } else if (routes.length === 0) {
      throw new BulwarkError(this, 'grantInvoke: no route is authorized with IAM (ApiAuthorization.iam()), so there is nothing to grant');
    }
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: routes.map((r) => this.api.arnForExecuteApi(r.method === ApiMethod.ANY ? '*' : r.method,
        executeApiPath(parsePath(this, 'path', r.path)), this.stage.stageName)),
    });
  }

  /** The share of requests answered with 5XX (`5XXError`, average over 1 minute unless given). */
  public metricServerErrorRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stage.metricServerError({ statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  /** The share of requests answered with 4XX (`4XXError`, average over 1 minute unless given). */
  public metricClientErrorRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stage.metricClientError({ statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  /** The time from request to response (`Latency`, p90 unless given). */
  public metricLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stage.metricLatency({ statistic: cloudwatch.Stats.percentile(90), ...props });
  }

  /** The number of requests (`Count`, sum unless given). */
  public metricCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stage.metricCount({ statistic: cloudwatch.Stats.SUM, ...props });
  }

  /** Requests refused with HTTP 429, from the access log (sum unless given). */
  public metricThrottledRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: THROTTLED_REQUESTS.namespace,
      metricName: THROTTLED_REQUESTS.metricName,
      dimensionsMap: { ApiId: this.api.restApiId },
      statistic: cloudwatch.Stats.SUM,
      ...props,
    });
  }

  private authorizationOptions(authorization?: ApiAuthorization): apigateway.MethodOptions {
    if (!authorization) {
      return { authorizationType: apigateway.AuthorizationType.NONE };
    }
    if (authorization.kind === ApiAuthorizationKind.IAM) {
      return { authorizationType: apigateway.AuthorizationType.IAM };
    }
    return {
      authorizer: this.authorizerFor(authorization),
      authorizationType: authorization.kind === ApiAuthorizationKind.COGNITO
        ? apigateway.AuthorizationType.COGNITO : apigateway.AuthorizationType.CUSTOM,
      authorizationScopes: authorization._scopes,
    };
  }

  private authorizerFor(authorization: ApiAuthorization): apigateway.IAuthorizer {
    const existing = this.authorizers.get(authorization);
    if (existing) {
      return existing;
    }
    const base = { COGNITO: 'Cognito', LAMBDA_TOKEN: 'Token', LAMBDA_REQUEST: 'Request', IAM: 'Iam' }[authorization.kind];
    const count = [...this.authorizers.keys()].filter((a) => a.kind === authorization.kind).length;
    const id = count === 0 ? base : `${base}${count + 1}`;
    const resultsCacheTtl = authorization._resultsCacheTtl ?? API_DEFAULTS.resultsCacheTtl;
    let authorizer: apigateway.IAuthorizer;
    switch (authorization.kind) {
      case ApiAuthorizationKind.COGNITO:
        authorizer = new apigateway.CognitoUserPoolsAuthorizer(this.authorizersScope, id, {
          cognitoUserPools: [authorization._userPool!],
          resultsCacheTtl,
        });
        break;
      case ApiAuthorizationKind.LAMBDA_TOKEN:
        authorizer = new apigateway.TokenAuthorizer(this.authorizersScope, id, {
          handler: authorization._handler!,
          identitySource: apigateway.IdentitySource.header(authorization._headerName ?? 'Authorization'),
          validationRegex: authorization._validationRegex,
          resultsCacheTtl,
        });
        break;
      default:
        authorizer = new apigateway.RequestAuthorizer(this.authorizersScope, id, {
          handler: authorization._handler!,
          identitySources: authorization._identitySources!,
          resultsCacheTtl,
        });
    }
    this.authorizers.set(authorization, authorizer);
    return authorizer;
  }

  /**
   * API Gateway's own answers (401 and 403 from authorizers and the firewall, 400 from validation,
   * 429 from throttling) carry no CORS headers, so browsers report a CORS error instead of the
   * status. With one origin the header is a constant and can be added; several origins would need
   * the request's origin echoed, which gateway responses cannot do.
   */
  private addCorsToGatewayResponses(cors?: apigateway.CorsOptions): void {
    if (!cors || cors.allowOrigins.length !== 1) {
      return;
    }
    const responseHeaders: Record<string, string> = { 'Access-Control-Allow-Origin': `'${cors.allowOrigins[0]}'`, 'Vary': '\'Origin\'' };
    if (cors.allowCredentials) {
      responseHeaders['Access-Control-Allow-Credentials'] = '\'true\'';
    }
    this.api.addGatewayResponse('CorsDefault4xx', { type: apigateway.ResponseType.DEFAULT_4XX, responseHeaders });
    this.api.addGatewayResponse('CorsDefault5xx', { type: apigateway.ResponseType.DEFAULT_5XX, responseHeaders });
  }

  private checkRoutes(): string[] {
    if (this.routeList.length === 0) {
      return [`${BulwarkError.describe(this)} has no routes: add them with routes, defaultHandler or addRoute()`];
    }
    return this.checkApiKeys();
  }

  private checkApiKeys(): string[] {
    if (this.keyedRoutes.length > 0 && this.usagePlans.length === 0) {
      return [`${BulwarkError.describe(this)}: ${this.keyedRoutes.map((r) => `route '${r}'`).join(', ')} `
        + `require${this.keyedRoutes.length > 1 ? '' : 's'} an API key, but this API has no usage plan to hold keys: add one with addUsagePlan()`];
    }
    return [];
  }

}
