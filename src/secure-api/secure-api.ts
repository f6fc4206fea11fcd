import { CfnResource, Names } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ApiAuthorization, ApiAuthorizationKind } from './api-authorization';
import { apiWidgets, SECURE_API_ALARMS, THROTTLED_REQUESTS } from './secure-api-monitoring';
import { ApiRoute, ApiRouteOptions, ApiUsagePlanOptions, SecureApiProps } from './secure-api-props';
import { addCorsToGatewayResponses, childResource, RouteTargetFactory } from './secure-api-routes';
import { validateApiProps, validateRoute, validateUsagePlanOptions, validateWorkflowRoute } from './secure-api-validation';
import { workflowIntegration } from './workflow-route';
import { ApiCloudWatchRole } from '../core/api-cloudwatch-role';
import { ApiMethod } from '../core/api-method';
import { ComplianceProfile } from '../core/compliance-profile';
import { BulwarkError } from '../core/errors';
import { constructContext } from '../monitoring/construct-context';
import { acknowledge, KNOWN_FINDINGS } from '../private/acknowledgements';
import { AlarmSet } from '../private/alarm-set';
import { addApiAlarms, apiMetrics } from '../private/api-alarms';
import { accessLogGroup, checkFunction, checkHasRoutes, REST_API } from '../private/api-family';
import { apiGatewayAccount, noteUpstream } from '../private/api-gateway-account';
import { checkMethod, executeApiPath, parsePath, pathParameters, RouteTable, warnColonSegments } from '../private/api-routes';
import { API_DEFAULTS, REST_ACCESS_LOG_FIELDS } from '../private/defaults/api-gateway';
import { retainedLogGroup } from '../private/log-groups';
import { serviceRole } from '../private/managed-policy-role';
import { shortPath } from '../private/validation';
import { warn, WARNINGS } from '../private/warnings';
import { protectWithFirewall } from '../private/web-firewall';
import { Workflow } from '../workflow/workflow';

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

  private readonly alarmSet: AlarmSet;
  private readonly defaultAuthorization?: ApiAuthorization;
  private readonly routeTable: RouteTable;
  private readonly routeList: ApiRoute[] = [];
  private readonly routesScope: Construct;
  private readonly authorizersScope: Construct;
  private readonly authorizers = new Map<ApiAuthorization, apigateway.IAuthorizer>();
  private readonly usagePlans: apigateway.UsagePlan[] = [];
  private readonly cors?: apigateway.CorsOptions;
  private readonly managedRoles: boolean;
  private workflowRole?: iam.Role;
  /** Routes that need an API key, as `METHOD /path`. */
  private readonly keyedRoutes: string[] = [];

  constructor(scope: Construct, id: string, props: SecureApiProps = {}) {
    super(scope, id);
    const settings = validateApiProps(this, props);
    const context = constructContext(this, props);
    this.alarmSet = context.alarms(Object.values(SECURE_API_ALARMS), props.alarms, 'SecureApiAlarmsProps');
    this.complianceProfile = context.profile;
    this.defaultAuthorization = props.authorization ?? (props.userPool ? ApiAuthorization.cognito(props.userPool) : undefined);
    this.cors = props.cors;
    this.managedRoles = context.traits.managedPolicies;
    const key = context.key();

    // Logs. Access logs go to a group of ours (or yours); execution logs to the group API Gateway
    // would otherwise create itself without a retention.
    this.accessLogGroup = accessLogGroup(this, props.accessLogGroup, props.logRetention, key);

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
        throttlingRateLimit: settings.throttle.rateLimit,
        throttlingBurstLimit: settings.throttle.burstLimit,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: apigateway.AccessLogFormat.custom(JSON.stringify(REST_ACCESS_LOG_FIELDS)),
      },
    });
    this.stage = this.api.deploymentStage;
    addCorsToGatewayResponses(this.api, props.cors);
    const cfnStage = this.stage.node.defaultChild as apigateway.CfnStage;
    acknowledge(cfnStage, KNOWN_FINDINGS.apiStageCache);
    acknowledge(cfnStage, KNOWN_FINDINGS.apiClientCertificate);

    this.executionLogGroup = retainedLogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${API_DEFAULTS.stageName}`,
      retention: props.logRetention,
      key,
    });
    this.stage.node.addDependency(this.executionLogGroup);
    if (this.defaultAuthorization?._userPool) {
      noteUpstream(this, this.defaultAuthorization._userPool, this.defaultAuthorization._userPool.userPoolArn);
    }
    if ((props.cloudWatchRole ?? ApiCloudWatchRole.CREATE) === ApiCloudWatchRole.CREATE) {
      this.stage.node.addDependency(apiGatewayAccount(this, this.api.node.defaultChild as CfnResource));
    }

    this.requestValidator = this.api.addRequestValidator('RequestValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    // Firewall.
    const firewall = protectWithFirewall(this, props.firewall, key, this.stage.stageArn, WARNINGS.apiNoFirewall);
    this.webAclArn = firewall?.webAclArn;
    this.webAcl = firewall?.webAcl;
    this.firewallLogGroup = firewall?.logGroup;

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
    for (const route of props.routes ?? []) {
      this.addRoute(route.method, route.path, route.handler, route.options);
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
    const where = shortPath(this);
    addApiAlarms(this.alarmSet, SECURE_API_ALARMS, this.stage, where);
    this.alarmSet.add(SECURE_API_ALARMS.throttledRequests, (period) => this.metricThrottledRequests({ period }), { where });
    context.addSection('API', ...apiWidgets(this));

    // Routes (and the usage plans their API keys need) are added after construction.
    checkHasRoutes(this, () => this.routeList.length, REST_API);
    this.node.addValidation({ validate: () => this.checkApiKeys() });
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
    return this.alarmSet.alarms;
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
    return this.addMethod(method, path, options, {
      check: (label) => checkFunction(this, `handler of ${label}`, handler),
      make: () => ({ integration: new apigateway.LambdaIntegration(handler, { allowTestInvoke: false }) }),
    });
  }

  /**
   * Adds a route that starts an execution of `workflow` (Step Functions `StartExecution`, called
   * by API Gateway with a role of this API that may start only this API's workflows; no function in
   * between). The request is authorized and validated like any route's, and `requestSchema`
   * defaults to "a JSON object". The execution's input is `{"body": <the JSON body>, "path":
   * {<path parameters>}, "caller": "<who called>", "requestId": "<the API request id>"}`: `caller`
   * is the user pool subject (Cognito), the caller's ARN (IAM) or the authorizer's principal id
   * (Lambda), and is left out on anonymous routes. The execution is named after the request id when
   * that has API Gateway's own form (clients can set their own), else by Step Functions.
   *
   * Answers: 202 `{"executionName": "<name>"}` once the execution has started; 400 when Step
   * Functions refuses the input (over 256 KiB once escaped); 409 when the name is taken by an
   * execution with another input; 429 when it throttles; 500 otherwise (counted by the 5XX alarm).
   * Only JSON bodies are accepted (415 for other content types).
   *
   * @param method POST, PUT, PATCH or DELETE (a GET could be repeated by browsers and caches)
   * @param path `/orders`, `/orders/{orderId}/cancel` or `/`
   * @param workflow the workflow to start
   * @param options authorization, validation, API keys
   */
  public addWorkflowRoute(method: ApiMethod, path: string, workflow: Workflow, options: ApiRouteOptions = {}): ApiRoute {
    options = options ?? {};
    const withSchema: ApiRouteOptions = { ...options, requestSchema: options.requestSchema ?? { type: apigateway.JsonSchemaType.OBJECT } };
    return this.addMethod(method, path, withSchema, {
      check: (label, checkedMethod) => validateWorkflowRoute(this, label, checkedMethod, workflow),
      make: (segments, authorization) => {
        const role = this.workflowRole ??= serviceRole(this, 'WorkflowRole', new iam.ServicePrincipal('apigateway.amazonaws.com'),
          this.managedRoles, `Lets the API ${shortPath(this)} start the executions of its workflow routes`);
        return {
          ...workflowIntegration(workflow, role, pathParameters(segments), authorization, this.cors),
          // Deployed before the method, so that the first requests are not refused for a policy still on its way.
          grant: workflow.grantStartExecution(role),
        };
      },
    });
  }

  /**
   * Adds the method of a route, with what every route has: authorization, validation, API keys and
   * warnings. The target is checked before the route is registered, and made after.
   */
  private addMethod(method: ApiMethod, path: string, options: ApiRouteOptions, target: RouteTargetFactory): ApiRoute {
    const label = `route '${String(method)} ${String(path)}'`;
    const checkedMethod = checkMethod(this, `method of ${label}`, method);
    const segments = parsePath(this, `path of ${label}`, path);
    options = options ?? {};
    const authorization = validateRoute(this, label, checkedMethod, options, this.cors !== undefined, this.defaultAuthorization);
    target.check(label, checkedMethod);
    this.routeTable.add(label, checkedMethod, segments);
    const { integration, methodResponses, grant } = target.make(segments, authorization);

    const resource = segments.reduce<apigateway.IResource>(childResource, this.api.root);
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
    const apiMethod = resource.addMethod(checkedMethod, integration, {
      ...this.authorizationOptions(authorization),
      requestValidator: this.requestValidator,
      requestParameters: Object.keys(requestParameters).length > 0 ? requestParameters : undefined,
      // Under $default, not a content type: API Gateway validates a body only against the model of
      // its Content-Type, so a JSON body sent as text/plain would skip an application/json model.
      requestModels: model ? { $default: model } : undefined,
      methodResponses,
      apiKeyRequired: options.apiKeyRequired,
    });
    grant?.applyBefore(apiMethod);
    if (!authorization) {
      // On the route, so that acknowledging one anonymous route does not hide the next one.
      warn(routeScope, WARNINGS.restAnonymousRoute, label);
    }
    warnColonSegments(routeScope, label, segments, REST_API.colonSegment);
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

  /** The share of requests answered with 5XX (`5XXError`, average: 0 to 1; over 5 minutes unless given). */
  public metricServerErrorRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return apiMetrics(this.stage).serverErrorRate(props);
  }

  /** The share of requests answered with 4XX (`4XXError`, average: 0 to 1; over 5 minutes unless given). */
  public metricClientErrorRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return apiMetrics(this.stage).clientErrorRate(props);
  }

  /** Requests answered with 5XX (`5XXError`, sum over 5 minutes unless given; the average is `metricServerErrorRate`). */
  public metricServerError(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return apiMetrics(this.stage).serverErrors(props);
  }

  /** Requests answered with 4XX (`4XXError`, sum over 5 minutes unless given; the average is `metricClientErrorRate`). */
  public metricClientError(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return apiMetrics(this.stage).clientErrors(props);
  }

  /** The time from request to response in milliseconds (`Latency`, p90 over 5 minutes unless given). */
  public metricLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return apiMetrics(this.stage).latency(props);
  }

  /** The time the handlers took in milliseconds (`IntegrationLatency`, p90 over 5 minutes unless given). */
  public metricIntegrationLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return apiMetrics(this.stage).integrationLatency(props);
  }

  /** The number of requests (`Count`, sum over 5 minutes unless given). */
  public metricCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return apiMetrics(this.stage).count(props);
  }

  /** Requests refused with HTTP 429, from the access log (sum over 5 minutes unless given). */
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

  /** The authorizer of an authorization object: one per object and API, named by its kind (`Cognito`, `Token2`, ...). */
  private authorizerFor(authorization: ApiAuthorization): apigateway.IAuthorizer {
    let authorizer = this.authorizers.get(authorization);
    if (!authorizer) {
      const count = [...this.authorizers.keys()].filter((a) => a.kind === authorization.kind).length;
      const base = { COGNITO: 'Cognito', LAMBDA_TOKEN: 'Token', LAMBDA_REQUEST: 'Request', IAM: 'Iam' }[authorization.kind];
      if (authorization._userPool) {
        noteUpstream(this, authorization._userPool, authorization._userPool.userPoolArn);
      }
      authorizer = authorization._createAuthorizer(this.authorizersScope, count === 0 ? base : `${base}${count + 1}`);
      this.authorizers.set(authorization, authorizer);
    }
    return authorizer;
  }

  private checkApiKeys(): string[] {
    if (this.keyedRoutes.length > 0 && this.usagePlans.length === 0) {
      return [`${BulwarkError.describe(this)}: ${this.keyedRoutes.map((r) => `route '${r}'`).join(', ')} `
        + `require${this.keyedRoutes.length > 1 ? '' : 's'} an API key, but this API has no usage plan to hold keys: add one with addUsagePlan()`];
    }
    return [];
  }
}
