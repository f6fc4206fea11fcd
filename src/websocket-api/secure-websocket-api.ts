import { Aws, CfnResource, Duration, Names, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CONNECTION_ATTRIBUTES, CONNECTIONS_HANDLER_CODE, COGNITO_AUTHORIZER_CODE, PRINCIPAL_INDEX } from './connection-handlers';
import { SECURE_WEBSOCKET_API_ALARMS, webSocketMetrics, webSocketWidgets } from './secure-websocket-api-monitoring';
import { SecureWebSocketApiProps } from './secure-websocket-api-props';
import { checkRouteKey, validateWebSocketApiProps } from './secure-websocket-api-validation';
import { WebSocketAuthorization, WebSocketAuthorizationKind } from './websocket-authorization';
import { ApiCloudWatchRole } from '../core/api-cloudwatch-role';
import { ComplianceProfile } from '../core/compliance-profile';
import { BulwarkError } from '../core/errors';
import { SecureFunction } from '../function/secure-function';
import { constructContext } from '../monitoring/construct-context';
import { acknowledge, connectionsFinding, KNOWN_FINDINGS, nagResourceName } from '../private/acknowledgements';
import { AlarmSet } from '../private/alarm-set';
import { userPoolRegion } from '../private/api-environment';
import { accessLogGroup, checkFunction, regionalDomain } from '../private/api-family';
import { apiGatewayAccount, noteUpstream } from '../private/api-gateway-account';
import { ConstructContext } from '../private/context';
import { LAMBDA_LIMITS } from '../private/defaults/lambda';
import { MANAGE_CONNECTIONS, WEBSOCKET_ACCESS_LOG_FIELDS, WEBSOCKET_DEFAULTS, WEBSOCKET_LIMITS } from '../private/defaults/websocket-api';
import { retainedLogGroup } from '../private/log-groups';
import { OwnPolicies } from '../private/managed-policy-role';
import { checkGrantee } from '../private/shapes';
import { sharedNetworkOf } from '../private/stack-resources';
import { shortPath } from '../private/validation';
import { warn, WARNINGS } from '../private/warnings';
import { SecureTable } from '../table/secure-table';

/**
 * An API Gateway WebSocket API with Lambda handlers: an authorized `$connect` route (Cognito,
 * Lambda or IAM; anonymous only by explicit opt-in), a connections table (a `SecureTable` with TTL)
 * that the construct's own `$connect`/`$disconnect` handler keeps, routes chosen by a route selection
 * expression, `grantManageConnections()` so a handler can push messages back to clients through
 * `callbackUrl`; a throttled stage with JSON access logs and ERROR execution logs (the account's
 * CloudWatch role chosen like `SecureApi`'s); alarms on integration, execution and client errors and
 * p90 integration latency, and a dashboard section.
 *
 * WAF and X-Ray do not support WebSocket APIs.
 *
 * @example
 * declare const customers: cognito.IUserPool;
 * declare const webShop: cognito.IUserPoolClient;
 * declare const subscribe: SecureFunction;
 * const live = new SecureWebSocketApi(this, 'Live', {
 *   authorization: WebSocketAuthorization.cognito(customers, [webShop]),
 *   routes: { subscribe: subscribe.lambdaFunction },
 * });
 * live.connectionsTable.grantReadData(subscribe);
 * live.grantManageConnections(subscribe);
 */
export class SecureWebSocketApi extends Construct {
  /** The WebSocket API. */
  public readonly webSocketApi: apigwv2.WebSocketApi;

  /** The stage (auto-deployed, throttled, access- and execution-logged). */
  public readonly stage: apigwv2.WebSocketStage;

  /** The log group of the access logs. */
  public readonly accessLogGroup: logs.ILogGroup;

  /**
   * The execution log group (`API-Gateway-Execution-Logs_<api id>/<stage>`), created before the stage
   * so that it has a retention and, in REGULATED, the stack key.
   */
  public readonly executionLogGroup: logs.LogGroup;

  /**
   * The connections table: one item per open connection (`connectionId`; `principalId`,
   * `connectedAt`, `expiresAt`), with an index `byPrincipal` to find a user's connections. Items
   * expire (TTL on `expiresAt`) after the longest a connection can live, 2 hours.
   */
  public readonly connectionsTable: SecureTable;

  /** The connections table's index by principal (`principalId`): every open connection of one user. */
  public readonly connectionsIndexName: string = PRINCIPAL_INDEX;

  /**
   * The construct's `$connect`/`$disconnect` handler, which keeps the connections table.
   *
   * @default - none when you give both `connectHandler` and `disconnectHandler`
   */
  public readonly connectionsHandler?: SecureFunction;

  /**
   * The Lambda authorizer the construct created for `WebSocketAuthorization.cognito()`.
   *
   * @default - none for other authorizations
   */
  public readonly authorizerFunction?: SecureFunction;

  /**
   * The custom domain name.
   *
   * @default - none without `domain`
   */
  public readonly domainName?: apigwv2.DomainName;

  /** The compliance profile in force. */
  public readonly complianceProfile: ComplianceProfile;

  private readonly alarmSet: AlarmSet;
  private readonly authorizationKind?: WebSocketAuthorizationKind;
  private readonly routesGroup: Construct;
  private readonly routeList: apigwv2.WebSocketRoute[] = [];
  private readonly routeKeys = new Set<string>();
  private readonly grantPolicies: OwnPolicies;

  constructor(scope: Construct, id: string, props: SecureWebSocketApiProps = {}) {
    super(scope, id);
    const settings = validateWebSocketApiProps(this, props);
    const context = constructContext(this, props);
    this.alarmSet = context.alarms(Object.values(SECURE_WEBSOCKET_API_ALARMS), props.alarms, 'SecureWebSocketApiAlarmsProps');
    this.complianceProfile = context.profile;
    this.authorizationKind = props.authorization?.kind;
    this.grantPolicies = new OwnPolicies(this, context.traits.managedPolicies);
    const key = context.key();

    // API, logs, stage, custom domain.
    this.webSocketApi = new apigwv2.WebSocketApi(this, 'Api', {
      // Names need not be unique, but CloudWatch shows them: this one makes the console readable.
      apiName: Names.uniqueResourceName(this, { maxLength: 128 }),
      routeSelectionExpression: settings.routeSelectionExpression,
      description: props.description,
    });
    const cfnApi = this.webSocketApi.node.defaultChild as CfnResource;
    this.accessLogGroup = accessLogGroup(this, props.accessLogGroup, settings.logRetention, key);
    this.stage = new apigwv2.WebSocketStage(this, 'Stage', {
      webSocketApi: this.webSocketApi,
      stageName: settings.stageName,
      // The v2 L2 makes no deployment: only an auto-deployed stage serves the routes.
      autoDeploy: true,
      throttle: { rateLimit: settings.throttle.rateLimit, burstLimit: settings.throttle.burstLimit },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogGroup),
        format: apigw.AccessLogFormat.custom(JSON.stringify(WEBSOCKET_ACCESS_LOG_FIELDS)),
      },
    });
    // Execution logging: errors only, never message bodies. The L2 has no prop for either.
    const cfnStage = this.stage.node.defaultChild as apigwv2.CfnStage;
    cfnStage.addPropertyOverride('DefaultRouteSettings.LoggingLevel', 'ERROR');
    cfnStage.addPropertyOverride('DefaultRouteSettings.DataTraceEnabled', false);
    this.executionLogGroup = retainedLogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.webSocketApi.apiId}/${settings.stageName}`,
      retention: settings.logRetention,
      key,
    });
    this.stage.node.addDependency(this.executionLogGroup);
    if ((props.cloudWatchRole ?? ApiCloudWatchRole.CREATE) === ApiCloudWatchRole.CREATE) {
      this.stage.node.addDependency(apiGatewayAccount(this, cfnApi));
    }
    this.domainName = props.domain ? regionalDomain(this, this.webSocketApi, this.stage, props.domain) : undefined;

    // The connections table and the handler that keeps it.
    this.connectionsTable = new SecureTable(this, 'Connections', {
      partitionKey: { name: CONNECTION_ATTRIBUTES.connectionId, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: CONNECTION_ATTRIBUTES.expiresAt,
      complianceProfile: context.profile,
      monitoring: props.monitoring,
    });
    this.connectionsTable.addGlobalSecondaryIndex({
      indexName: PRINCIPAL_INDEX,
      partitionKey: { name: CONNECTION_ATTRIBUTES.principalId, type: dynamodb.AttributeType.STRING },
    });
    if (props.connectHandler === undefined || props.disconnectHandler === undefined) {
      this.connectionsHandler = new SecureFunction(this, 'ConnectionsHandler', {
        code: lambda.Code.fromInline(CONNECTIONS_HANDLER_CODE),
        handler: 'index.handler',
        description: functionDescription('cdk-bulwark: records the connections of', this),
        timeout: Duration.seconds(10),
        environment: { CONNECTIONS_TABLE: this.connectionsTable.table.tableName },
        logRetention: settings.logRetention,
        complianceProfile: context.profile,
        monitoring: props.monitoring,
      });
      this.connectionsTable.grantWriteData(this.connectionsHandler);
    }
    const recorder = this.connectionsHandler?.lambdaFunction;

    // Routes: $connect carries the authorization; AWS allows authorizers on no other route.
    this.routesGroup = new Construct(this, 'Routes');
    const authorizer = props.authorization ? this.createAuthorizer(props.authorization, context, settings.logRetention, props) : undefined;
    this.authorizerFunction = authorizer?.fn;
    const connect = this.createRoute('ConnectRoute', '$connect', props.connectHandler ?? recorder!, authorizer?.authorizer);
    if (!props.authorization) {
      warn(connect, WARNINGS.websocketAnonymousConnect, shortPath(this));
    }
    this.createRoute('DisconnectRoute', '$disconnect', props.disconnectHandler ?? recorder!);
    if (props.defaultHandler) {
      this.createRoute('DefaultRoute', '$default', props.defaultHandler);
    }
    for (const [routeKey, handler] of Object.entries(props.routes ?? {})) {
      this.addRoute(routeKey, handler);
    }

    // Alarms and dashboard.
    const where = `the WebSocket API of ${shortPath(this, 120)}`;
    const metrics = webSocketMetrics(this.stage);
    this.alarmSet.add(SECURE_WEBSOCKET_API_ALARMS.integrationErrors, (period: Duration) => metrics.integrationErrors({ period }), { where });
    this.alarmSet.add(SECURE_WEBSOCKET_API_ALARMS.executionErrors, (period: Duration) => metrics.executionErrors({ period }), { where });
    this.alarmSet.add(SECURE_WEBSOCKET_API_ALARMS.clientErrors, (period: Duration) => metrics.clientErrors({ period }), { where });
    this.alarmSet.add(SECURE_WEBSOCKET_API_ALARMS.latencyP90, (period: Duration) => metrics.integrationLatency({ period }), { where });
    context.addSection('WebSocket API', ...webSocketWidgets(this.stage));
  }

  /** The URL clients connect to: `wss://<api id>.execute-api.<region>.amazonaws.com/<stage>`. */
  public get url(): string {
    return this.stage.url;
  }

  /**
   * The URL of the `@connections` management API, for `ApiGatewayManagementApiClient`'s `endpoint`:
   * `https://<api id>.execute-api.<region>.amazonaws.com/<stage>`. Callers need
   * `grantManageConnections()`, and a route to the internet: a function in isolated subnets cannot
   * reach it (there is no VPC endpoint for the management API of a public WebSocket API).
   */
  public get callbackUrl(): string {
    return this.stage.callbackUrl;
  }

  /** The alarms this construct created. */
  public get alarms(): cloudwatch.IAlarm[] {
    return this.alarmSet.alarms;
  }

  /** Every route, `$connect` and `$disconnect` included. */
  public get routes(): apigwv2.WebSocketRoute[] {
    return [...this.routeList];
  }

  /**
   * Adds a route for messages whose route key (the value the route selection expression finds in
   * them) is `routeKey`. The function's resource policy lets API Gateway invoke it for this API and
   * route only. Messages on a route are not authorized again: the connection was, when it opened.
   *
   * @param routeKey the route key, such as `subscribe`; must not start with `$`
   * @param handler the function (a `SecureFunction`'s `lambdaFunction`, or any `IFunction`)
   */
  public addRoute(routeKey: string, handler: lambda.IFunction): apigwv2.WebSocketRoute {
    const key = checkRouteKey(this, routeKey);
    // Construct ids cannot hold '/', and must stay unique: encode it (and '%', so that encodings cannot collide).
    return this.createRoute(`Route.${key.replace(/%/g, '%25').replace(/\//g, '%2F')}`, key, handler);
  }

  /**
   * Lets `grantee` use the `@connections` management API of this stage: send a message to a
   * connection (`POST`), read its status (`GET`) and close it (`DELETE`), with
   * `execute-api:ManageConnections`. Use it with `callbackUrl`.
   *
   * A function in the stack's shared network (REGULATED) is refused: it has no route to the
   * internet, and the management API has no VPC endpoint. Give such a function a VPC with a NAT
   * gateway.
   *
   * @param grantee who sends messages to connections
   */
  public grantManageConnections(grantee: iam.IGrantable): iam.Grant {
    checkGrantee(this, 'grantManageConnections()', grantee);
    const fn = grantee instanceof SecureFunction ? grantee
      : grantee instanceof lambda.Function && grantee.node.scope instanceof SecureFunction ? grantee.node.scope : undefined;
    if (fn?.vpc && sharedNetworkOf(fn.vpc)) {
      throw BulwarkError.invalid(this, 'grantManageConnections() grantee', fn.node.path, 'it runs in the stack\'s shared network, which has no '
        + 'route to the internet, and the @connections management API of a public WebSocket API has no VPC endpoint: every call would time out. '
        + 'Give the function a vpc of yours with a NAT gateway (vpcSubnets: private with egress)');
    }
    const stack = Stack.of(this);
    // The partition as a pseudo parameter, whatever the feature flags: the acknowledgement names the ARN exactly.
    const resourceArns = MANAGE_CONNECTIONS.methods.map((method) =>
      `arn:${Aws.PARTITION}:execute-api:${stack.region}:${stack.account}:${this.webSocketApi.apiId}/${this.stage.stageName}/${method}/@connections/*`);
    // A policy of its own on a role of this stack, so that the connection-id wildcard's acknowledgement covers this grant alone.
    const finding = connectionsFinding(resourceArns.map((arn) => nagResourceName(this, arn)));
    const own = this.grantPolicies.of(grantee, (made) => acknowledge(made.policy, finding));
    if (own) {
      return own.grant([new iam.PolicyStatement({ actions: [MANAGE_CONNECTIONS.action], resources: resourceArns })]);
    }
    return iam.Grant.addToPrincipal({ grantee, actions: [MANAGE_CONNECTIONS.action], resourceArns });
  }

  /**
   * Lets `grantee` open connections to an API authorized with `WebSocketAuthorization.iam()`:
   * `execute-api:Invoke` on its `$connect` route. The grantee must be an identity of this account (a
   * role or user); WebSocket APIs have no resource policy.
   *
   * @param grantee the role or user that connects
   */
  public grantConnect(grantee: iam.IGrantable): iam.Grant {
    checkGrantee(this, 'grantConnect()', grantee);
    if (this.authorizationKind !== WebSocketAuthorizationKind.IAM) {
      throw new BulwarkError(this, 'grantConnect() applies to an API authorized with WebSocketAuthorization.iam(); this one is authorized with '
        + `${this.authorizationKind ?? 'nothing (allowAnonymousConnect)'}, which does not check IAM permissions`);
    }
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: [Stack.of(this).formatArn({
        service: 'execute-api',
        resource: this.webSocketApi.apiId,
        resourceName: `${this.stage.stageName}/$connect`,
      })],
    });
    if (!grant.success) {
      throw BulwarkError.invalid(this, 'grantConnect() grantee', grantee.grantPrincipal.toString(),
        'WebSocket APIs have no resource policy, so only an identity with a policy in this account (a role or user) can be granted');
    }
    return grant;
  }

  /** New connections (`ConnectCount`, sum over 5 minutes unless changed). */
  public metricConnectCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return webSocketMetrics(this.stage).connectCount(props);
  }

  /** Messages sent to and from clients (`MessageCount`, sum over 5 minutes unless changed). */
  public metricMessageCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return webSocketMetrics(this.stage).messageCount(props);
  }

  /** Requests whose handler failed (`IntegrationError`, sum over 5 minutes unless changed). */
  public metricIntegrationError(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return webSocketMetrics(this.stage).integrationErrors(props);
  }

  /** Requests that failed inside API Gateway (`ExecutionError`, sum over 5 minutes unless changed). */
  public metricExecutionError(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return webSocketMetrics(this.stage).executionErrors(props);
  }

  /** Requests refused before a handler ran (`ClientError`, sum over 5 minutes unless changed). */
  public metricClientError(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return webSocketMetrics(this.stage).clientErrors(props);
  }

  /** Time the handlers took in milliseconds (`IntegrationLatency`, p90 over 5 minutes unless changed). */
  public metricIntegrationLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return webSocketMetrics(this.stage).integrationLatency(props);
  }

  private createRoute(id: string, routeKey: string, handler: lambda.IFunction,
    authorizer?: apigwv2.IWebSocketRouteAuthorizer): apigwv2.WebSocketRoute {
    const label = routeKey.startsWith('$') ? `the ${routeKey} route` : `route '${routeKey}'`;
    checkFunction(this, `handler of ${label}`, handler);
    if (this.routeKeys.has(routeKey)) {
      throw BulwarkError.invalid(this, 'route key', routeKey, 'the API already has a route with this key (routes prop or addRoute()); '
        + 'each route key can have one handler');
    }
    if (this.routeKeys.size >= WEBSOCKET_LIMITS.maxRoutes) {
      throw BulwarkError.invalid(this, 'route key', routeKey, `the API already has ${WEBSOCKET_LIMITS.maxRoutes} routes, API Gateway's quota `
        + 'per WebSocket API ($connect and $disconnect included)');
    }
    this.routeKeys.add(routeKey);
    const route = new apigwv2.WebSocketRoute(this.routesGroup, id, {
      webSocketApi: this.webSocketApi,
      routeKey,
      // One integration per route: CDK's WebSocketLambdaIntegration lets API Gateway invoke the
      // function for this API and this route key only (any stage).
      integration: new integrations.WebSocketLambdaIntegration('Integration', handler, { timeout: WEBSOCKET_LIMITS.maxIntegrationTimeout }),
      authorizer,
    });
    // AWS allows no authorizer but on $connect. With an anonymous $connect, the other routes are open
    // by the user's own opt-in: their findings stay visible.
    if (routeKey !== '$connect' && this.authorizationKind !== undefined) {
      acknowledge(route.node.defaultChild as CfnResource, KNOWN_FINDINGS.webSocketRouteAuthorization);
    }
    this.routeList.push(route);
    return route;
  }

  private createAuthorizer(authorization: WebSocketAuthorization, context: ConstructContext, logRetention: logs.RetentionDays | undefined,
    props: SecureWebSocketApiProps): { authorizer: apigwv2.IWebSocketRouteAuthorizer; fn?: SecureFunction } {
    switch (authorization.kind) {
      case WebSocketAuthorizationKind.IAM:
        return { authorizer: new authorizers.WebSocketIamAuthorizer() };
      case WebSocketAuthorizationKind.LAMBDA:
        return {
          authorizer: new authorizers.WebSocketLambdaAuthorizer('Authorizer', authorization.handler!, {
            authorizerName: 'Authorizer',
            identitySource: authorization.identitySource ?? [WEBSOCKET_DEFAULTS.identitySource],
          }),
        };
      case WebSocketAuthorizationKind.COGNITO: {
        const pool = authorization.userPool!;
        if (context.traits.vpcFunctions && authorization.vpc === undefined) {
          throw BulwarkError.invalid(this, 'authorization: vpc', undefined, 'WebSocketAuthorization.cognito() needs a vpc in the REGULATED profile: '
            + 'its authorizer function fetches the user pool\'s public keys from cognito-idp over the internet, and the stack\'s shared '
            + 'network has no NAT. Give a VPC with a NAT gateway (vpc, and vpcSubnets if not its private subnets with egress)');
        }
        noteUpstream(this, pool, pool.userPoolArn);
        const source = authorization.identitySource?.[0] ?? WEBSOCKET_DEFAULTS.identitySource;
        // route.request.<querystring|header>.<name>; a name may itself contain dots.
        const [, , where, ...name] = source.split('.');
        const fn = new SecureFunction(this, 'CognitoAuthorizer', {
          code: lambda.Code.fromInline(COGNITO_AUTHORIZER_CODE),
          handler: 'index.handler',
          description: functionDescription('cdk-bulwark: checks the Cognito tokens of connections to', this),
          timeout: Duration.seconds(10),
          environment: {
            ISSUER: `https://cognito-idp.${userPoolRegion(pool)}.${Stack.of(this).urlSuffix}/${pool.userPoolId}`,
            CLIENT_IDS: authorization.clients!.map((c) => c.userPoolClientId).join(','),
            SCOPES: (authorization.scopes ?? []).join(','),
            TOKEN_SOURCE: `${where === 'querystring' ? 'query' : 'header'}:${name.join('.')}`,
          },
          vpc: authorization.vpc,
          vpcSubnets: authorization.vpc ? authorization.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } : undefined,
          logRetention,
          complianceProfile: context.profile,
          monitoring: props.monitoring,
        });
        return {
          authorizer: new authorizers.WebSocketLambdaAuthorizer('Authorizer', fn.lambdaFunction, {
            authorizerName: 'Authorizer',
            identitySource: [source],
          }),
          fn,
        };
      }
    }
  }
}

/** A created function's description: `what` and the API's path, within Lambda's 256 characters. */
function functionDescription(what: string, api: Construct): string {
  return `${what} ${shortPath(api, LAMBDA_LIMITS.maxDescriptionLength - what.length - 1)}`;
}
