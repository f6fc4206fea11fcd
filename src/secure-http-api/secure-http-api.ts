import { Annotations, ArnFormat, Duration, Names, Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HttpApiAuthorization, HttpApiAuthorizationType, HttpApiLambdaResponseType } from './http-api-authorization';
import { SecureHttpApiAlarmsProps } from './secure-http-api-alarms';
import { createHttpApiAlarms, httpApiWidgets, validateHttpApiAlarms } from './secure-http-api-monitoring';
import { ApiMethod } from '../core/api-method';
import { ApiThrottleOptions } from '../core/api-throttle';
import { ComplianceProfile, CompliancePolicy } from '../core/compliance-profile';
import { BulwarkError } from '../core/errors';
import { MonitoredConstructProps } from '../monitoring/monitored-props';
import { IMonitoring, Monitoring } from '../monitoring/monitoring';
import { checkMethod, checkRouteKeys, executeApiPath, parsePath, RouteTable } from '../private/api-routes';
import { API_DEFAULTS, API_LIMITS } from '../private/defaults/api-gateway';
import {
  HTTP_API_ACCESS_LOG_FIELDS,
  HTTP_API_AUTHORIZER_DEFAULTS,
  HTTP_API_LIMITS,
} from '../private/defaults/http-api';
import { retainedLogGroup } from '../private/log-groups';
import { stackKey } from '../private/stack-key';
import { checkDuration, checkInteger, definedOnly, shortPath } from '../private/validation';

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

/** One route of a `SecureHttpApi`, for the `routes` prop. */
export interface HttpApiRouteProps extends HttpApiRouteOptions {
  /** The HTTP method; `ANY` takes every method that no other route of the path takes. */
  readonly method: ApiMethod;

  /**
   * The path: `/`, `/orders`, `/orders/{orderId}`, or a greedy last segment such as
   * `/files/{proxy+}`.
   */
  readonly path: string;

  /** The function that answers (a `SecureFunction`'s `lambdaFunction`, or any `IFunction`). */
  readonly handler: lambda.IFunction;
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
   * Routes to add now; more can be added with `addRoute()`.
   *
   * @default - none
   */
  readonly routes?: HttpApiRouteProps[];

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
   * @default - a log group with one-year retention, retained on deletion; encrypted with the stack
   * key in REGULATED
   */
  readonly accessLogGroup?: logs.ILogGroup;

  /**
   * Retention of the created access log group (not with `accessLogGroup`).
   *
   * @default logs.RetentionDays.ONE_YEAR
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
   * A custom domain name (such as `api.example.com`) for the API, served with `certificate` over
   * TLS 1.2 or later. Point a DNS record at `customDomain.regionalDomainName` yourself.
   *
   * @default - only the execute-api endpoint
   */
  readonly domainName?: string;

  /**
   * The ACM certificate of `domainName`, in the API's region. Required with `domainName`.
   *
   * @default - none
   */
  readonly certificate?: acm.ICertificate;

  /**
   * Turn off the default `https://<api-id>.execute-api.<region>.amazonaws.com` endpoint so clients
   * can only use `domainName`. Requires `domainName`.
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

/**
 * An API Gateway HTTP API (v2) with Lambda handlers where every route is authorized unless you
 * opt out per route: JWT (any OpenID Connect issuer), Cognito, IAM or Lambda authorizers; the
 * `$default` stage with auto-deploy and throttling of every route; JSON access logs to a retained
 * log group; alarms on the 5xx rate, 4xx rate and p90 latency, and a dashboard section.
 *
 * WAF cannot be attached to an HTTP API (AWS WAF protects REST APIs, AppSync, CloudFront and
 * ALBs). When you need a web ACL (managed rule groups, rate-based rules by IP), either put a
 * CloudFront distribution with a WAF web ACL in front of this API and keep clients off the direct
 * endpoint (a custom domain with `disableExecuteApiEndpoint`, and a secret header that CloudFront
 * adds and a Lambda authorizer checks), or use the REST `SecureApi`, which has WAF built in.
 *
 * @example
 * declare const handler: lambda.IFunction;
 * const api = new SecureHttpApi(this, 'Api', {
 *   authorization: HttpApiAuthorization.jwt('https://example.auth0.com/', ['orders-api']),
 * });
 * api.addRoute(ApiMethod.GET, '/orders/{orderId}', handler);
 */
export class SecureHttpApi extends Construct {
  /** The HTTP API. */
  public readonly httpApi: apigwv2.HttpApi;

  /** The `$default` stage (auto-deployed, throttled, access-logged). */
  public readonly stage: apigwv2.HttpStage;

  /** The log group of the access logs. */
  public readonly accessLogGroup: logs.ILogGroup;

  /**
   * The custom domain name.
   *
   * @default - none unless `domainName` is given
   */
  public readonly customDomain?: apigwv2.DomainName;

  /** The compliance profile in force. */
  public readonly complianceProfile: ComplianceProfile;

  private readonly defaultAuthorization?: HttpApiAuthorization;
  private readonly routeTable: RouteTable;
  private readonly routesGroup: Construct;
  private readonly routeList: apigwv2.HttpRoute[] = [];
  /** IAM-authorized routes, for grantInvoke(): method, path and the resource ARN to grant. */
  private readonly iamRoutes: Array<{ method?: ApiMethod; path?: string; arn: string }> = [];
  private readonly routeAuthorizers = new Map<HttpApiAuthorization, apigwv2.IHttpRouteAuthorizer>();
  private readonly authorizerCounts = new Map<HttpApiAuthorizationType, number>();
  private readonly registeredAlarms: cloudwatch.IAlarm[] = [];

  constructor(scope: Construct, id: string, props: SecureHttpApiProps = {}) {
    super(scope, id);
    this.validateProps(props);
    validateHttpApiAlarms(this, props.alarms);

    // Defaults.
    this.complianceProfile = CompliancePolicy.resolve(this, props.complianceProfile);
    const regulated = this.complianceProfile === ComplianceProfile.REGULATED;
    const monitoring: IMonitoring = props.monitoring ?? Monitoring.of(this);
    const throttle = { ...API_DEFAULTS.throttle, ...definedOnly(props.throttle) };
    this.defaultAuthorization = props.authorization;
    if (props.authorization !== undefined) {
      this.checkAuthorization('authorization', props.authorization);
    }

    // API, access logs, stage, custom domain.
    this.httpApi = new apigwv2.HttpApi(this, 'Api', {
      // Names of HTTP APIs need not be unique: this one only makes the console readable.
      apiName: Names.uniqueResourceName(this, { maxLength: 128 }),
      createDefaultStage: false,
      corsPreflight: props.cors,
      disableExecuteApiEndpoint: props.disableExecuteApiEndpoint,
      description: props.description,
    });
    this.accessLogGroup = props.accessLogGroup ?? this.createAccessLogGroup(regulated, props.accessLogRetention);
    this.stage = new apigwv2.HttpStage(this, 'Stage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: throttle.rateLimit, burstLimit: throttle.burstLimit },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogGroup),
        format: apigw.AccessLogFormat.custom(JSON.stringify(HTTP_API_ACCESS_LOG_FIELDS)),
      },
    });
    if (props.domainName !== undefined && props.certificate !== undefined) {
      this.customDomain = new apigwv2.DomainName(this, 'DomainName', {
        domainName: props.domainName,
        certificate: props.certificate,
        endpointType: apigwv2.EndpointType.REGIONAL,
        securityPolicy: apigwv2.SecurityPolicy.TLS_1_2,
      });
      new apigwv2.ApiMapping(this, 'ApiMapping', { api: this.httpApi, domainName: this.customDomain, stage: this.stage });
    }

    // Routes.
    this.routeTable = new RouteTable(this);
    this.routesGroup = new Construct(this, 'Routes');
    (props.routes ?? []).forEach((route, index) => {
      if (route === null || typeof route !== 'object') {
        throw BulwarkError.invalid(this, `routes[${index}]`, route, 'each route must be an object with method, path and handler');
      }
      checkRouteKeys(this, `routes[${index}]`, route, ['method', 'path', 'handler', 'authorization', 'allowAnonymous'], 'HttpApiRouteProps');
      this.addRoute(route.method, route.path, route.handler, { authorization: route.authorization, allowAnonymous: route.allowAnonymous });
    });
    if (props.defaultHandler !== undefined) {
      this.addDefaultRoute(props.defaultHandler, props.defaultHandlerOptions ?? {});
    }

    // Alarms and dashboard.
    const alarmsGroup = new Construct(this, 'Alarms');
    for (const alarm of createHttpApiAlarms(alarmsGroup, this.stage, props.alarms)) {
      monitoring.addAlarm(alarm);
      this.registeredAlarms.push(alarm);
    }
    monitoring.addSection(`HTTP API ${shortPath(this)}`, ...httpApiWidgets(this.stage));

    // Routes can still be added.
    this.node.addValidation({ validate: () => this.validateHasRoutes() });
  }

  /** The URL of the `$default` stage on the execute-api endpoint (ends with `/`). */
  public get url(): string {
    return this.stage.url;
  }

  /** The alarms this construct created. */
  public get alarms(): cloudwatch.IAlarm[] {
    return [...this.registeredAlarms];
  }

  /** Every route added so far, the `$default` route included. */
  public get routes(): apigwv2.HttpRoute[] {
    return [...this.routeList];
  }

  /**
   * Adds a route answered by a Lambda function (payload format 2.0). The function's resource
   * policy lets API Gateway invoke it from this API and this route's path only.
   *
   * @param method the HTTP method
   * @param path the path: `/`, `/orders`, `/orders/{orderId}`, `/files/{proxy+}`
   * @param handler the function (a `SecureFunction`'s `lambdaFunction`, or any `IFunction`)
   * @param options the route's own authorization, or `allowAnonymous: true`
   */
  public addRoute(method: ApiMethod, path: string, handler: lambda.IFunction, options: HttpApiRouteOptions = {}): apigwv2.HttpRoute {
    const shownPath = typeof path === 'string' ? path : String(path);
    const prop = `route '${method} ${shownPath}'`;
    const checked = checkMethod(this, `method of route '${String(method)} ${shownPath}'`, method);
    const segments = parsePath(this, `path of route '${checked} ${shownPath}'`, path);
    this.checkHandler(`handler of ${prop}`, handler);
    const authorization = this.resolveAuthorization(prop, options);
    this.routeTable.add(prop, checked, segments);

    const route = this.createRoute(`${checked}${path}`, apigwv2.HttpRouteKey.with(path, apigwv2.HttpMethod[checked]), handler, authorization, prop);
    if (authorization?.kind === HttpApiAuthorizationType.IAM) {
      this.iamRoutes.push({ method: checked, path, arn: this.executeApiArn(`*/${checked === ApiMethod.ANY ? '*' : checked}${executeApiPath(segments)}`) });
    }
    return route;
  }

  /**
   * Lets `grantee` call IAM-authorized routes: `execute-api:Invoke` on exactly those routes (path
   * parameters become `*`). Give a method and a path for one route, or leave them out to grant
   * every IAM-authorized route added so far (routes added later are not included). The `$default`
   * route's grant covers the whole API, because it answers every path.
   *
   * HTTP APIs have no resource policy: the grantee must be an identity of this account (a role or
   * user); callers in other accounts assume such a role.
   *
   * @param grantee the role or user
   * @param method only routes of this method
   * @param path only routes of this path, exactly as added
   */
  public grantInvoke(grantee: iam.IGrantable, method?: ApiMethod, path?: string): iam.Grant {
    if (method !== undefined) {
      checkMethod(this, 'grantInvoke() method', method);
    }
    const matching = this.iamRoutes.filter((r) => (method === undefined || r.method === method) && (path === undefined || r.path === path));
    if (matching.length === 0) {
      const wanted = `${method ?? 'any method'} ${path ?? 'any path'}`;
      throw BulwarkError.invalid(this, 'grantInvoke()', wanted,
        'no route authorized with HttpApiAuthorization.iam() matches it (other routes do not check IAM permissions); add the route first, '
        + `or call grantInvoke() for one of: ${this.iamRoutes.map((r) => `${r.method ?? '$default'} ${r.path ?? ''}`.trim()).join(', ') || 'none yet'}`);
    }
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: [...new Set(matching.map((r) => r.arn))],
    });
    if (!grant.success) {
      throw BulwarkError.invalid(this, 'grantInvoke() grantee', grantee.grantPrincipal.toString(),
        'HTTP APIs have no resource policy, so only an identity with a policy in this account (a role or user) can be granted; '
        + 'let callers from other accounts or services assume such a role');
    }
    return grant;
  }

  /** Requests (`Count`, sum over 5 minutes unless changed). */
  public metricCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stage.metricCount({ statistic: cloudwatch.Stats.SUM, ...props });
  }

  /** Server errors (`5xx`, sum over 5 minutes unless changed; the average is the error rate). */
  public metricServerError(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stage.metricServerError({ statistic: cloudwatch.Stats.SUM, ...props });
  }

  /** Client errors (`4xx`, sum over 5 minutes unless changed; the average is the error rate). */
  public metricClientError(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stage.metricClientError({ statistic: cloudwatch.Stats.SUM, ...props });
  }

  /** Time from request to answer in milliseconds (`Latency`, p90 over 5 minutes unless changed). */
  public metricLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stage.metricLatency({ statistic: 'p90', ...props });
  }

  /** Time the handlers took in milliseconds (`IntegrationLatency`, p90 over 5 minutes unless changed). */
  public metricIntegrationLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stage.metricIntegrationLatency({ statistic: 'p90', ...props });
  }

  /** Bytes processed (`DataProcessed`, sum over 5 minutes unless changed). */
  public metricDataProcessed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stage.metricDataProcessed({ statistic: cloudwatch.Stats.SUM, ...props });
  }

  private addDefaultRoute(handler: lambda.IFunction, options: HttpApiRouteOptions): void {
    const prop = 'the $default route (defaultHandler)';
    this.checkHandler('defaultHandler', handler);
    if (options === null || typeof options !== 'object') {
      throw BulwarkError.invalid(this, 'defaultHandlerOptions', options, 'it must be an object with authorization or allowAnonymous');
    }
    const authorization = this.resolveAuthorization(prop, options);
    this.createRoute('DefaultRoute', apigwv2.HttpRouteKey.DEFAULT, handler, authorization, prop);
    if (authorization?.kind === HttpApiAuthorizationType.IAM) {
      this.iamRoutes.push({ arn: this.executeApiArn('*') });
    }
  }

  private createRoute(id: string, routeKey: apigwv2.HttpRouteKey, handler: lambda.IFunction,
    authorization: HttpApiAuthorization | undefined, prop: string): apigwv2.HttpRoute {
    const route = new apigwv2.HttpRoute(this.routesGroup, id, {
      httpApi: this.httpApi,
      routeKey,
      // One integration per route, scoped permission per route: CDK's HttpLambdaIntegration lets
      // API Gateway invoke the function for this API and this route's path only (any stage, any method).
      integration: new integrations.HttpLambdaIntegration('Integration', handler),
      authorizer: authorization ? this.authorizerFor(authorization) : new apigwv2.HttpNoneAuthorizer(),
      authorizationScopes: authorization?.scopes,
    });
    if (!authorization) {
      Annotations.of(route).addWarningV2('cdk-bulwark:http-api:anonymous-route',
        `${prop} of ${shortPath(this)} allows anonymous access (allowAnonymous: true): anyone on the internet can call it. `
        + 'Acknowledge this warning if the route is meant to be public.');
    }
    this.routeList.push(route);
    return route;
  }

  /** The route's authorization, or undefined for an anonymous route; throws when the route has neither. */
  private resolveAuthorization(prop: string, options: HttpApiRouteOptions): HttpApiAuthorization | undefined {
    if (options === null || typeof options !== 'object') {
      throw BulwarkError.invalid(this, `options of ${prop}`, options, 'they must be an object with authorization or allowAnonymous');
    }
    if (options.allowAnonymous !== undefined && typeof options.allowAnonymous !== 'boolean') {
      throw BulwarkError.invalid(this, `allowAnonymous of ${prop}`, options.allowAnonymous, 'it must be true or false');
    }
    if (options.allowAnonymous === true && options.authorization !== undefined) {
      throw new BulwarkError(this, `${prop} has both authorization and allowAnonymous: true; a route is either authorized or public. `
        + 'Remove allowAnonymous to authorize it, or remove authorization to make it public');
    }
    if (options.allowAnonymous === true) {
      return undefined;
    }
    if (options.authorization !== undefined) {
      this.checkAuthorization(`authorization of ${prop}`, options.authorization);
      return options.authorization;
    }
    if (this.defaultAuthorization !== undefined) {
      return this.defaultAuthorization;
    }
    throw new BulwarkError(this, `${prop} has no authorization. Give the API a default (authorization: HttpApiAuthorization.jwt(...), `
      + '.cognito(...), .iam() or .lambdaAuthorizer(...)), give the route its own authorization, or set allowAnonymous: true on the route '
      + 'to make it public on purpose');
  }

  /** The CDK authorizer of an authorization object: one per object and API. */
  private authorizerFor(authorization: HttpApiAuthorization): apigwv2.IHttpRouteAuthorizer {
    const existing = this.routeAuthorizers.get(authorization);
    if (existing) {
      return existing;
    }
    const count = (this.authorizerCounts.get(authorization.kind) ?? 0) + 1;
    this.authorizerCounts.set(authorization.kind, count);
    const kind = { JWT: 'Jwt', COGNITO: 'Cognito', IAM: 'Iam', LAMBDA: 'Lambda' }[authorization.kind];
    const id = `${kind}Authorizer${count > 1 ? count : ''}`;
    const identitySource = [...HTTP_API_AUTHORIZER_DEFAULTS.identitySource];
    let authorizer: apigwv2.IHttpRouteAuthorizer;
    switch (authorization.kind) {
      case HttpApiAuthorizationType.JWT:
        authorizer = new authorizers.HttpJwtAuthorizer(id, authorization.issuerUrl!, {
          jwtAudience: authorization.audience!,
          identitySource,
          authorizerName: id,
        });
        break;
      case HttpApiAuthorizationType.COGNITO:
        authorizer = new authorizers.HttpUserPoolAuthorizer(id, authorization.userPool!, {
          userPoolClients: authorization.clients!,
          userPoolRegion: authorization.userPool!.env.region,
          identitySource,
          authorizerName: id,
        });
        break;
      case HttpApiAuthorizationType.IAM:
        authorizer = new authorizers.HttpIamAuthorizer();
        break;
      case HttpApiAuthorizationType.LAMBDA:
        authorizer = new authorizers.HttpLambdaAuthorizer(id, authorization.handler!, {
          identitySource: authorization.identitySource ?? identitySource,
          resultsCacheTtl: authorization.resultsCacheTtl ?? API_DEFAULTS.resultsCacheTtl,
          responseTypes: (authorization.responseTypes ?? [HttpApiLambdaResponseType.SIMPLE])
            .map((t) => authorizers.HttpLambdaResponseType[t]),
          authorizerName: id,
        });
        break;
    }
    this.routeAuthorizers.set(authorization, authorizer);
    return authorizer;
  }

  /** Validates an authorization's factory arguments (the factories have no construct to name). */
  private checkAuthorization(prop: string, authorization: unknown): void {
    if (!(authorization instanceof HttpApiAuthorization)) {
      throw BulwarkError.invalid(this, prop, authorization,
        'it must be made with HttpApiAuthorization.jwt(), .cognito(), .iam() or .lambdaAuthorizer()');
    }
    if (this.routeAuthorizers.has(authorization)) {
      return;
    }
    switch (authorization.kind) {
      case HttpApiAuthorizationType.JWT:
        this.checkIssuerUrl(`${prop}: issuerUrl`, authorization.issuerUrl);
        this.checkStrings(`${prop}: audience`, authorization.audience, 'give at least one audience (client id or API identifier) the tokens are for');
        this.checkScopes(prop, authorization.scopes);
        break;
      case HttpApiAuthorizationType.COGNITO:
        if (!Construct.isConstruct(authorization.userPool) || typeof (authorization.userPool as any).userPoolId !== 'string') {
          throw BulwarkError.invalid(this, `${prop}: userPool`, authorization.userPool, 'it must be a Cognito user pool (cognito.IUserPool)');
        }
        if (!Array.isArray(authorization.clients) || authorization.clients.length === 0
          || authorization.clients.some((c) => !Construct.isConstruct(c) || typeof (c as any).userPoolClientId !== 'string')) {
          throw BulwarkError.invalid(this, `${prop}: clients`, Array.isArray(authorization.clients)
            ? authorization.clients.map((c) => (Construct.isConstruct(c) ? c.node.path : c)) : authorization.clients,
          'give at least one app client of the user pool (cognito.IUserPoolClient) whose tokens the API accepts');
        }
        this.checkScopes(prop, authorization.scopes);
        break;
      case HttpApiAuthorizationType.LAMBDA:
        this.checkHandler(`${prop}: handler`, authorization.handler);
        this.checkLambdaAuthorizer(prop, authorization);
        break;
      default:
        break;
    }
  }

  private checkLambdaAuthorizer(prop: string, authorization: HttpApiAuthorization): void {
    const sources = authorization.identitySource;
    if (sources !== undefined) {
      if (!Array.isArray(sources)) {
        throw BulwarkError.invalid(this, `${prop}: identitySource`, sources, 'it must be a list of identity sources');
      }
      for (const source of sources) {
        if (typeof source !== 'string' || (!Token.isUnresolved(source)
          && !/^\$(request\.(header|querystring)\.[^\s.]+|context\.\S+|stageVariables\.\S+)$/.test(source))) {
          throw BulwarkError.invalid(this, `${prop}: identitySource`, source,
            'each must be $request.header.<name>, $request.querystring.<name>, $context.<variable> or $stageVariables.<name>');
        }
      }
    }
    const ttl = authorization.resultsCacheTtl;
    checkDuration(this, `${prop}: resultsCacheTtl`, ttl, Duration.seconds(0), API_LIMITS.maxResultsCacheTtl);
    const caching = ttl === undefined || ttl.isUnresolved() || ttl.toSeconds() > 0;
    if (caching && sources !== undefined && sources.length === 0) {
      throw BulwarkError.invalid(this, `${prop}: identitySource`, sources,
        'results are cached by identity source, so give at least one (e.g. $request.header.Authorization), or set resultsCacheTtl: Duration.seconds(0)');
    }
    const types = authorization.responseTypes;
    const allowed = Object.values(HttpApiLambdaResponseType) as string[];
    if (types !== undefined && (!Array.isArray(types) || types.length === 0 || types.some((t) => !allowed.includes(t)))) {
      throw BulwarkError.invalid(this, `${prop}: responseTypes`, types, `give one or more of ${allowed.join(', ')}`);
    }
  }

  private checkIssuerUrl(prop: string, issuerUrl: unknown): void {
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
      throw BulwarkError.invalid(this, prop, issuerUrl,
        'it must be an https:// URL without query or fragment, exactly as in the tokens\' iss claim (API Gateway fetches its '
        + '/.well-known/openid-configuration over HTTPS)');
    }
  }

  private checkStrings(prop: string, values: unknown, allowed: string): void {
    if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'string' || v.trim() === '')) {
      throw BulwarkError.invalid(this, prop, values, allowed);
    }
  }

  private checkScopes(prop: string, scopes: unknown): void {
    if (scopes === undefined) {
      return;
    }
    if (!Array.isArray(scopes) || scopes.length === 0
      || scopes.some((s) => typeof s !== 'string' || (!Token.isUnresolved(s) && !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(s)))) {
      throw BulwarkError.invalid(this, `${prop}: scopes`, scopes,
        'give one or more OAuth scopes (printable characters without spaces, quotes or backslashes), or leave scopes unset');
    }
  }

  private checkHandler(prop: string, handler: unknown): void {
    if (!Construct.isConstruct(handler) || typeof (handler as Partial<lambda.IFunction>).functionArn !== 'string') {
      throw BulwarkError.invalid(this, prop, Construct.isConstruct(handler) ? handler.node.path : handler,
        'it must be a Lambda function (lambda.IFunction), such as a SecureFunction\'s lambdaFunction');
    }
  }

  private validateProps(props: SecureHttpApiProps): void {
    if (props === null || typeof props !== 'object') {
      throw BulwarkError.invalid(this, 'props', props, 'they must be an object');
    }
    if (props.routes !== undefined && !Array.isArray(props.routes)) {
      throw BulwarkError.invalid(this, 'routes', props.routes, 'it must be a list of { method, path, handler } routes');
    }
    this.validateThrottle(props.throttle);
    if (props.accessLogGroup !== undefined) {
      if (!Construct.isConstruct(props.accessLogGroup) || typeof (props.accessLogGroup as any).logGroupArn !== 'string') {
        throw BulwarkError.invalid(this, 'accessLogGroup', props.accessLogGroup, 'it must be a CloudWatch Logs log group (logs.ILogGroup)');
      }
      if (props.accessLogRetention !== undefined) {
        throw new BulwarkError(this, 'accessLogRetention applies to the created log group; it cannot be given together with accessLogGroup '
          + '(set the retention on your log group)');
      }
    }
    if (props.accessLogRetention !== undefined && !(Object.values(logs.RetentionDays) as unknown[]).includes(props.accessLogRetention)) {
      throw BulwarkError.invalid(this, 'accessLogRetention', props.accessLogRetention, 'it must be a logs.RetentionDays value');
    }
    if (props.cors !== undefined) {
      this.validateCors(props.cors);
    }
    this.validateDomain(props);
    if (props.defaultHandler === undefined && props.defaultHandlerOptions !== undefined) {
      throw new BulwarkError(this, 'defaultHandlerOptions apply to the $default route, which needs defaultHandler; give defaultHandler or '
        + 'remove defaultHandlerOptions');
    }
  }

  private validateThrottle(throttle: ApiThrottleOptions | undefined): void {
    if (throttle === undefined) {
      return;
    }
    if (throttle === null || typeof throttle !== 'object') {
      throw BulwarkError.invalid(this, 'throttle', throttle, 'it must be an object with rateLimit and burstLimit');
    }
    const rate = throttle.rateLimit;
    if (rate !== undefined && !Token.isUnresolved(rate) && (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0)) {
      throw BulwarkError.invalid(this, 'throttle.rateLimit', rate, 'it must be a finite number of requests per second, 0 or more');
    }
    checkInteger(this, 'throttle.burstLimit', throttle.burstLimit, 0, 2147483647);
    if (rate === 0 || throttle.burstLimit === 0) {
      Annotations.of(this).addWarningV2('cdk-bulwark:http-api:throttle-rejects-all',
        `throttle.${rate === 0 ? 'rateLimit' : 'burstLimit'} is 0: API Gateway answers every request with 429. Acknowledge this warning if the API `
        + 'is meant to be closed.');
    }
  }

  private validateCors(cors: apigwv2.CorsPreflightOptions): void {
    if (cors === null || typeof cors !== 'object') {
      throw BulwarkError.invalid(this, 'cors', cors, 'it must be an object with at least allowOrigins');
    }
    const origins = cors.allowOrigins;
    if (!Array.isArray(origins) || origins.length === 0 || origins.some((o) => typeof o !== 'string')) {
      throw BulwarkError.invalid(this, 'cors.allowOrigins', origins, 'give the origins browsers may call from, such as [\'https://app.example.com\']');
    }
    for (const origin of origins) {
      if (!Token.isUnresolved(origin) && origin !== '*' && !/^https?:\/\/(\*\.)?[A-Za-z0-9.-]+(:\d+)?$/.test(origin)) {
        throw BulwarkError.invalid(this, 'cors.allowOrigins', origin,
          'each must be * or scheme://host[:port] without a path or trailing slash, such as https://app.example.com');
      }
    }
    if (cors.allowCredentials !== undefined && typeof cors.allowCredentials !== 'boolean') {
      throw BulwarkError.invalid(this, 'cors.allowCredentials', cors.allowCredentials, 'it must be true or false');
    }
    if (cors.allowCredentials === true && origins.includes('*')) {
      throw BulwarkError.invalid(this, 'cors.allowOrigins', origins,
        'it cannot contain * when allowCredentials is true (browsers refuse credentials for a wildcard origin); list the origins');
    }
    const allowedMethods = Object.values(apigwv2.CorsHttpMethod) as unknown[];
    if (cors.allowMethods !== undefined && (!Array.isArray(cors.allowMethods) || cors.allowMethods.some((m) => !allowedMethods.includes(m)))) {
      throw BulwarkError.invalid(this, 'cors.allowMethods', cors.allowMethods, `each must be one of ${allowedMethods.join(', ')}`);
    }
    checkDuration(this, 'cors.maxAge', cors.maxAge, Duration.seconds(0), HTTP_API_LIMITS.maxCorsMaxAge);
  }

  private validateDomain(props: SecureHttpApiProps): void {
    const { domainName, certificate } = props;
    if (certificate !== undefined && domainName === undefined) {
      throw new BulwarkError(this, 'certificate is given without domainName; the certificate serves a custom domain name: give domainName as well');
    }
    if (domainName !== undefined) {
      if (typeof domainName !== 'string' || (!Token.isUnresolved(domainName)
        && !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(domainName))) {
        throw BulwarkError.invalid(this, 'domainName', domainName, 'it must be a lower-case DNS name such as api.example.com');
      }
      if (certificate === undefined) {
        throw BulwarkError.invalid(this, 'domainName', domainName, 'it needs certificate: an ACM certificate for the name, in the API\'s region');
      }
      if (!Construct.isConstruct(certificate) || typeof (certificate as any).certificateArn !== 'string') {
        throw BulwarkError.invalid(this, 'certificate', certificate, 'it must be an ACM certificate (acm.ICertificate)');
      }
    }
    if (props.disableExecuteApiEndpoint !== undefined && typeof props.disableExecuteApiEndpoint !== 'boolean') {
      throw BulwarkError.invalid(this, 'disableExecuteApiEndpoint', props.disableExecuteApiEndpoint, 'it must be true or false');
    }
    if (props.disableExecuteApiEndpoint === true && domainName === undefined) {
      throw new BulwarkError(this, 'disableExecuteApiEndpoint is true without domainName: nobody could reach the API; give domainName and '
        + 'certificate, or leave the execute-api endpoint on');
    }
  }

  private validateHasRoutes(): string[] {
    return this.routeList.length > 0 ? [] : [
      `${BulwarkError.describe(this)} has no routes: API Gateway cannot deploy an HTTP API stage without routes. `
      + 'Add routes with the routes prop or addRoute(), or give defaultHandler.',
    ];
  }

  private createAccessLogGroup(regulated: boolean, retention?: logs.RetentionDays): logs.ILogGroup {
    return retainedLogGroup(this, 'AccessLogs', { retention, key: regulated ? stackKey(this) : undefined });
  }

  private executeApiArn(resourceName: string): string {
    return Stack.of(this).formatArn({
      service: 'execute-api',
      resource: this.httpApi.apiId,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      resourceName,
    });
  }
}
