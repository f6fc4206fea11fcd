import { ArnFormat, Stack, Names } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HttpApiAuthorization, HttpApiAuthorizationKind } from './http-api-authorization';
import { httpApiWidgets, SECURE_HTTP_API_ALARMS } from './secure-http-api-monitoring';
import { HttpApiRouteOptions, SecureHttpApiProps } from './secure-http-api-props';
import { validateHttpApiProps, validateRoute } from './secure-http-api-validation';
import { ApiMethod } from '../core/api-method';
import { ComplianceProfile } from '../core/compliance-profile';
import { BulwarkError } from '../core/errors';
import { constructContext } from '../monitoring/construct-context';
import { AlarmSet, ALARMS_ID } from '../private/alarm-set';
import { addApiAlarms, apiMetrics } from '../private/api-alarms';
import { accessLogGroup, checkHasRoutes, HTTP_API, regionalDomain } from '../private/api-family';
import { checkMethod, executeApiPath, parsePath, RouteTable, warnColonSegments } from '../private/api-routes';
import { HTTP_API_ACCESS_LOG_FIELDS } from '../private/defaults/http-api';
import { shortPath } from '../private/validation';
import { warn, WARNINGS } from '../private/warnings';

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
   * @default - none without `domain`
   */
  public readonly domainName?: apigwv2.DomainName;

  /** The compliance profile in force. */
  public readonly complianceProfile: ComplianceProfile;

  private readonly alarmSet: AlarmSet;
  private readonly defaultAuthorization?: HttpApiAuthorization;
  private readonly routeTable: RouteTable;
  private readonly routesGroup: Construct;
  private readonly routeList: apigwv2.HttpRoute[] = [];
  /** IAM-authorized routes, for grantInvoke(): method, path and the resource ARN to grant. */
  private readonly iamRoutes: Array<{ method?: ApiMethod; path?: string; arn: string }> = [];
  private readonly routeAuthorizers = new Map<HttpApiAuthorization, apigwv2.IHttpRouteAuthorizer>();
  private readonly authorizerCounts = new Map<HttpApiAuthorizationKind, number>();
  /** Every route, for the CORS preflight check: its method (none for $default), path segments (none for $default) and whether it is anonymous. */
  private readonly preflightRoutes: PreflightRoute[] = [];

  constructor(scope: Construct, id: string, props: SecureHttpApiProps = {}) {
    super(scope, id);
    const settings = validateHttpApiProps(this, props);
    const context = constructContext(this, props);
    this.alarmSet = context.alarms(Object.values(SECURE_HTTP_API_ALARMS), props.alarms, 'SecureHttpApiAlarmsProps');
    this.complianceProfile = context.profile;
    this.defaultAuthorization = props.authorization;

    // API, access logs, stage, custom domain.
    this.httpApi = new apigwv2.HttpApi(this, 'Api', {
      // Names of HTTP APIs need not be unique: this one only makes the console readable.
      apiName: Names.uniqueResourceName(this, { maxLength: 128 }),
      createDefaultStage: false,
      corsPreflight: props.cors,
      disableExecuteApiEndpoint: props.disableExecuteApiEndpoint,
      description: props.description,
    });
    this.accessLogGroup = accessLogGroup(this, props.accessLogGroup, settings.logRetention, context.key());
    this.stage = new apigwv2.HttpStage(this, 'Stage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: settings.throttle.rateLimit, burstLimit: settings.throttle.burstLimit },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogGroup),
        format: apigw.AccessLogFormat.custom(JSON.stringify(HTTP_API_ACCESS_LOG_FIELDS)),
      },
    });
    this.domainName = settings.domain ? regionalDomain(this, this.httpApi, this.stage, settings.domain) : undefined;

    // Routes.
    this.routeTable = new RouteTable(this);
    this.routesGroup = new Construct(this, 'Routes');
    for (const route of props.routes ?? []) {
      this.addRoute(route.method, route.path, route.handler, route.options);
    }
    if (props.defaultHandler !== undefined) {
      this.addDefaultRoute(props.defaultHandler, props.defaultHandlerOptions ?? {});
    }

    // Alarms and dashboard. The descriptions name the Alarms group, as they always have.
    const alarmsGroup = new Construct(this, ALARMS_ID);
    addApiAlarms(this.alarmSet, SECURE_HTTP_API_ALARMS, this.stage, `the HTTP API of ${shortPath(alarmsGroup, 120)}`);
    context.addSection('HTTP API', ...httpApiWidgets(this.stage));

    // Routes can still be added.
    checkHasRoutes(this, () => this.routeList.length, HTTP_API);
    if (props.cors !== undefined) {
      this.node.addValidation({ validate: () => this.warnAuthorizedPreflights() });
    }
  }

  /** The URL of the `$default` stage on the execute-api endpoint (ends with `/`). */
  public get url(): string {
    return this.stage.url;
  }

  /** The alarms this construct created. */
  public get alarms(): cloudwatch.IAlarm[] {
    return this.alarmSet.alarms;
  }

  /** Every route added so far, the `$default` route included. */
  public get routes(): apigwv2.HttpRoute[] {
    return [...this.routeList];
  }

  /**
   * The custom domain name.
   *
   * @default - none without `domain`
   * @deprecated use `domainName`, the name `SecureApi` uses.
   */
  public get customDomain(): apigwv2.DomainName | undefined {
    return this.domainName;
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
    const label = `route '${method} ${shownPath}'`;
    const checked = checkMethod(this, `method of route '${String(method)} ${shownPath}'`, method);
    const segments = parsePath(this, `path of route '${checked} ${shownPath}'`, path);
    const authorization = validateRoute(this, label, `handler of ${label}`, handler, options, this.defaultAuthorization,
      (a) => this.routeAuthorizers.has(a));
    this.routeTable.add(label, checked, segments);

    const route = this.createRoute(`${checked}${path}`, apigwv2.HttpRouteKey.with(path, apigwv2.HttpMethod[checked]), handler, authorization, label);
    warnColonSegments(route, label, segments, HTTP_API.colonSegment);
    this.preflightRoutes.push({ route, label, method: checked, segments, anonymous: !authorization });
    if (authorization?.kind === HttpApiAuthorizationKind.IAM) {
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

  /** The share of requests answered with a server error (`5xx`, average: 0 to 1; over 5 minutes unless changed). */
  public metricServerErrorRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return apiMetrics(this.stage).serverErrorRate(props);
  }

  /** The share of requests answered with a client error (`4xx`, average: 0 to 1; over 5 minutes unless changed). */
  public metricClientErrorRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return apiMetrics(this.stage).clientErrorRate(props);
  }

  /** Server errors (`5xx`, sum over 5 minutes unless changed; the average is `metricServerErrorRate`). */
  public metricServerError(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return apiMetrics(this.stage).serverErrors(props);
  }

  /** Client errors (`4xx`, sum over 5 minutes unless changed; the average is `metricClientErrorRate`). */
  public metricClientError(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return apiMetrics(this.stage).clientErrors(props);
  }

  /** Time from request to answer in milliseconds (`Latency`, p90 over 5 minutes unless changed). */
  public metricLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return apiMetrics(this.stage).latency(props);
  }

  /** Time the handlers took in milliseconds (`IntegrationLatency`, p90 over 5 minutes unless changed). */
  public metricIntegrationLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return apiMetrics(this.stage).integrationLatency(props);
  }

  /** Requests (`Count`, sum over 5 minutes unless changed). */
  public metricCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return apiMetrics(this.stage).count(props);
  }

  /** Bytes processed (`DataProcessed`, sum over 5 minutes unless changed). */
  public metricDataProcessed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stage.metricDataProcessed({ statistic: cloudwatch.Stats.SUM, ...props });
  }

  private addDefaultRoute(handler: lambda.IFunction, options: HttpApiRouteOptions): void {
    const label = 'the $default route (defaultHandler)';
    const authorization = validateRoute(this, label, 'defaultHandler', handler, options, this.defaultAuthorization,
      (a) => this.routeAuthorizers.has(a));
    const route = this.createRoute('DefaultRoute', apigwv2.HttpRouteKey.DEFAULT, handler, authorization, label);
    this.preflightRoutes.push({ route, label, segments: undefined, anonymous: !authorization });
    if (authorization?.kind === HttpApiAuthorizationKind.IAM) {
      this.iamRoutes.push({ arn: this.executeApiArn('*') });
    }
  }

  private createRoute(id: string, routeKey: apigwv2.HttpRouteKey, handler: lambda.IFunction,
    authorization: HttpApiAuthorization | undefined, label: string): apigwv2.HttpRoute {
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
      // On the route, so that acknowledging one anonymous route does not hide the next one.
      warn(route, WARNINGS.httpAnonymousRoute, label, shortPath(this));
    }
    this.routeList.push(route);
    return route;
  }

  /** The CDK authorizer of an authorization object: one per object and API, named by its kind (`JwtAuthorizer`, `JwtAuthorizer2`, ...). */
  private authorizerFor(authorization: HttpApiAuthorization): apigwv2.IHttpRouteAuthorizer {
    let authorizer = this.routeAuthorizers.get(authorization);
    if (!authorizer) {
      const count = (this.authorizerCounts.get(authorization.kind) ?? 0) + 1;
      this.authorizerCounts.set(authorization.kind, count);
      const kind = { JWT: 'Jwt', COGNITO: 'Cognito', IAM: 'Iam', LAMBDA: 'Lambda' }[authorization.kind];
      authorizer = authorization._createAuthorizer(`${kind}Authorizer${count > 1 ? count : ''}`);
      this.routeAuthorizers.set(authorization, authorizer);
    }
    return authorizer;
  }

  /**
   * With cors, API Gateway answers a preflight (OPTIONS) request itself only when no route takes it.
   * An authorized ANY route, or an authorized $default route, takes it and sends it to the authorizer,
   * which refuses it: browsers send preflights without a token. An anonymous OPTIONS route for the
   * same path (for $default: OPTIONS /{proxy+}) takes it first (HTTP API route selection: a method
   * before ANY, an exact path before a greedy one). "Configure CORS for HTTP APIs in API Gateway",
   * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html.
   */
  private warnAuthorizedPreflights(): string[] {
    const shape = (segments: string[]) => segments.map((s) => (s.startsWith('{') ? (s.endsWith('+}') ? '{+}' : '{}') : s)).join('/');
    const anonymousOptions = new Set(this.preflightRoutes
      .filter((r) => r.anonymous && r.method === ApiMethod.OPTIONS).map((r) => shape(r.segments!)));
    for (const route of this.preflightRoutes) {
      if (route.anonymous || (route.segments !== undefined && route.method !== ApiMethod.ANY)) {
        continue;
      }
      const needed = route.segments === undefined ? ['{+}'] : [shape(route.segments)];
      if (!needed.some((n) => anonymousOptions.has(n))) {
        const options = route.segments === undefined ? 'an OPTIONS /{proxy+} route' : `an OPTIONS /${route.segments.join('/')} route`;
        warn(route.route, WARNINGS.authorizedPreflight, `${route.label} of ${shortPath(this)}`, options);
      }
    }
    return [];
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

/** A route as the CORS preflight check sees it. */
interface PreflightRoute {
  readonly route: apigwv2.HttpRoute;
  readonly label: string;
  /** Its method; none for the $default route. */
  readonly method?: ApiMethod;
  /** Its path's segments; none for the $default route. */
  readonly segments?: string[];
  readonly anonymous: boolean;
}
