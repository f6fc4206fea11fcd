import { Annotations as CdkAnnotations, Aws, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  ApiCloudWatchRole, ComplianceProfile, SecureFunction, SecureWebSocketApi, WebSocketAuthorization, WebSocketAuthorizationKind,
} from '../../src';
import { CONNECTIONS_HANDLER_CODE, COGNITO_AUTHORIZER_CODE } from '../../src/websocket-api/connection-handlers';
import { FLAG_SETS, INLINE_CODE, newStack } from '../support/app';
import { actionsOn, expectProperties, logicalIdOf, resourceOf, stackKeyOf, statementsOf } from '../support/template';

const FLAG_SET_ENTRIES = Object.entries(FLAG_SETS);
const ACCOUNT_WARNING = 'cdk-bulwark:api:sets-account-cloudwatch-role';

function plainFunction(stack: Stack, id = 'Fn'): lambda.Function {
  return new lambda.Function(stack, id, { code: INLINE_CODE, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X });
}

/** The template entry of a route, by its route key. */
function routeResource(template: Template, routeKey: string): any {
  const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } }));
  expect(routes).toHaveLength(1);
  return routes[0];
}

/** The integration a route targets. */
function integrationOf(template: Template, route: any): any {
  const id = route.Properties.Target['Fn::Join'][1][1].Ref;
  return template.toJSON().Resources[id];
}

function alarmNamed(template: Template, api: SecureWebSocketApi, id: string): any {
  const alarm = api.alarms.find((a) => a.node.id === id);
  expect(alarm).toBeDefined();
  return resourceOf(template, alarm!);
}

describe.each(FLAG_SET_ENTRIES)('SecureWebSocketApi defaults (%s)', (_flagSet, flags) => {
  describe.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('%s profile', (profile) => {
    const regulated = profile === ComplianceProfile.REGULATED;
    let stack: Stack;
    let api: SecureWebSocketApi;
    let template: Template;

    beforeAll(() => {
      stack = newStack(flags, profile);
      // The recommended flags make warnings fail synthesis: this one is checked below.
      CdkAnnotations.of(stack).acknowledgeWarning(ACCOUNT_WARNING, 'checked on its own');
      api = new SecureWebSocketApi(stack, 'Live', { authorization: WebSocketAuthorization.iam() });
      template = Template.fromStack(stack);
    });

    test('a WebSocket API that reads the route key from the message\'s action field, with stable construct ids', () => {
      expect(api.webSocketApi).toBe(api.node.findChild('Api'));
      expect(api.stage).toBe(api.node.findChild('Stage'));
      expect(api.accessLogGroup).toBe(api.node.findChild('AccessLogs'));
      expect(api.executionLogGroup).toBe(api.node.findChild('ExecutionLogs'));
      expect(api.connectionsTable).toBe(api.node.findChild('Connections'));
      expect(api.connectionsHandler).toBe(api.node.findChild('ConnectionsHandler'));
      expect(api.authorizerFunction).toBeUndefined();
      expect(api.domainName).toBeUndefined();
      expect(api.complianceProfile).toBe(profile);
      template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
      expectProperties(template, api.webSocketApi, { ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' });
    });

    test('one auto-deployed stage: throttled at 1,000 per second with bursts of 2,000, execution logs at ERROR without message bodies', () => {
      template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
      template.resourceCountIs('AWS::ApiGatewayV2::Deployment', 0);
      expectProperties(template, api.stage, {
        ApiId: stack.resolve(api.webSocketApi.apiId),
        StageName: 'prod',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000, LoggingLevel: 'ERROR', DataTraceEnabled: false },
      });
    });

    test('JSON access logs with the connection, route and outcome of every request, to a retained log group', () => {
      const settings = resourceOf(template, api.stage).Properties.AccessLogSettings;
      expect(settings.DestinationArn).toEqual(stack.resolve((api.accessLogGroup as logs.LogGroup).logGroupArn));
      const format = JSON.parse(settings.Format);
      expect(format).toMatchObject({
        requestId: '$context.requestId',
        connectionId: '$context.connectionId',
        eventType: '$context.eventType',
        routeKey: '$context.routeKey',
        status: '$context.status',
        integrationError: '$context.integration.error',
        authorizerError: '$context.authorizer.error',
      });
      // No token, header or body: only context variables.
      expect(Object.values(format).every((v) => typeof v === 'string' && /^\$context\.[A-Za-z.]+$/.test(v))).toBe(true);
      const group = resourceOf(template, api.accessLogGroup);
      expect(group.DeletionPolicy).toBe('Retain');
      expect(group.Properties.RetentionInDays).toBe(365);
      expect(group.Properties.KmsKeyId !== undefined).toBe(regulated);
    });

    test('the execution log group is created first, named as API Gateway names it, with a retention (and the stack key in REGULATED)', () => {
      const group = resourceOf(template, api.executionLogGroup);
      expect(group.Properties.LogGroupName).toEqual({ 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', stack.resolve(api.webSocketApi.apiId), '/prod']] });
      expect(group.Properties.RetentionInDays).toBe(365);
      expect(group.Properties.KmsKeyId).toEqual(regulated ? stack.resolve(stackKeyOf(stack).keyArn) : undefined);
      expect(resourceOf(template, api.stage).DependsOn).toEqual(expect.arrayContaining([logicalIdOf(api.executionLogGroup)]));
    });

    // The warning it gives is checked in the compliance matrix (test/websocket-api/compliance-scenarios.ts).
    test('the account CloudWatch role is set once, after the API exists, and the stage waits for it', () => {
      const accounts = template.findResources('AWS::ApiGateway::Account');
      const [accountId] = Object.keys(accounts);
      expect(Object.keys(accounts)).toHaveLength(1);
      expect(accounts[accountId].DependsOn).toEqual(expect.arrayContaining([logicalIdOf(api.webSocketApi)]));
      expect(resourceOf(template, api.stage).DependsOn).toEqual(expect.arrayContaining([accountId]));
    });

    test('the connections table: connectionId key, TTL on expiresAt, an index by principal', () => {
      expect(api.connectionsIndexName).toBe('byPrincipal');
      expectProperties(template, api.connectionsTable.table, {
        KeySchema: [{ AttributeName: 'connectionId', KeyType: 'HASH' }],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        GlobalSecondaryIndexes: [Match.objectLike({ IndexName: api.connectionsIndexName, KeySchema: [{ AttributeName: 'principalId', KeyType: 'HASH' }] })],
      });
    });

    test('the connection recorder answers $connect and $disconnect and may only write the table', () => {
      const fn = api.connectionsHandler!;
      expectProperties(template, fn.lambdaFunction, {
        Code: { ZipFile: CONNECTIONS_HANDLER_CODE },
        Environment: { Variables: Match.objectLike({ CONNECTIONS_TABLE: stack.resolve(api.connectionsTable.table.tableName) }) },
      });
      const actions = actionsOn(statementsOf(template, fn.role), stack.resolve(api.connectionsTable.table.tableArn));
      expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:DeleteItem']));
      expect(actions.filter((a) => /Get|Query|Scan/.test(a))).toEqual([]);
      for (const key of ['$connect', '$disconnect']) {
        const integration = integrationOf(template, routeResource(template, key));
        expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', TimeoutInMillis: 29000 });
        expect(JSON.stringify(integration.Properties.IntegrationUri)).toContain(logicalIdOf(fn.lambdaFunction));
      }
    });

    test('$connect is IAM-authorized; $disconnect cannot be, and carries the AWS-limit acknowledgement', () => {
      expect(routeResource(template, '$connect').Properties.AuthorizationType).toBe('AWS_IAM');
      expect(routeResource(template, '$disconnect').Properties.AuthorizationType).toBe('NONE');
      template.resourceCountIs('AWS::ApiGatewayV2::Route', 2);
    });

    test('API Gateway may invoke the recorder for this API and each route key only', () => {
      const permissions = Object.values(template.findResources('AWS::Lambda::Permission', {
        Properties: { FunctionName: stack.resolve(api.connectionsHandler!.lambdaFunction.functionArn) },
      }));
      const sources = permissions.map((p) => JSON.stringify(p.Properties.SourceArn)).sort();
      expect(sources).toHaveLength(2);
      expect(sources[0]).toContain('/*$connect');
      expect(sources[1]).toContain('/*$disconnect');
      expect(sources.every((s) => s.includes(JSON.stringify(stack.resolve(api.webSocketApi.apiId))))).toBe(true);
    });

    test('four alarms on the stage: integration, execution and client errors, p90 integration latency', () => {
      expect(api.alarms.map((a) => a.node.id).sort()).toEqual(['ClientErrorsAlarm', 'ExecutionErrorsAlarm', 'IntegrationErrorsAlarm', 'LatencyP90Alarm']);
      const dimensions = [{ Name: 'ApiId', Value: stack.resolve(api.webSocketApi.apiId) }, { Name: 'Stage', Value: 'prod' }];
      expect(JSON.parse(JSON.stringify(alarmNamed(template, api, 'IntegrationErrorsAlarm').Properties))).toMatchObject({
        MetricName: 'IntegrationError',
        Namespace: 'AWS/ApiGateway',
        Statistic: 'Sum',
        Threshold: 5,
        Period: 300,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        Dimensions: JSON.parse(JSON.stringify(dimensions)),
      });
      expect(alarmNamed(template, api, 'ExecutionErrorsAlarm').Properties).toMatchObject({ MetricName: 'ExecutionError', Threshold: 0, Period: 300 });
      expect(alarmNamed(template, api, 'ClientErrorsAlarm').Properties).toMatchObject({ MetricName: 'ClientError', Threshold: 100, Period: 300 });
      expect(alarmNamed(template, api, 'LatencyP90Alarm').Properties).toMatchObject({
        MetricName: 'IntegrationLatency', ExtendedStatistic: 'p90', Threshold: 2500, Period: 60, EvaluationPeriods: 5,
      });
      for (const alarm of api.alarms) {
        expect(resourceOf(template, alarm).Properties.AlarmActions).toHaveLength(1);
      }
    });

    test('a dashboard section with connections, errors and latency', () => {
      const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
      for (const text of ['WebSocket API', 'ConnectCount', 'MessageCount', 'IntegrationError', 'ExecutionError', 'ClientError', 'IntegrationLatency']) {
        expect(body).toContain(text);
      }
    });
  });
});

describe('SecureWebSocketApi options', () => {
  test('every option reaches the template', () => {
    const stack = newStack();
    const subscribe = plainFunction(stack, 'Subscribe');
    const fallback = plainFunction(stack, 'Fallback');
    const connect = plainFunction(stack, 'Connect');
    const logGroup = new logs.LogGroup(stack, 'Mine');
    const api = new SecureWebSocketApi(stack, 'Live', {
      authorization: WebSocketAuthorization.lambdaAuthorizer(plainFunction(stack, 'Auth')),
      routes: { subscribe },
      defaultHandler: fallback,
      connectHandler: connect,
      routeSelectionExpression: '$request.body.message.type',
      stageName: 'live',
      throttle: { rateLimit: 50 },
      cloudWatchRole: ApiCloudWatchRole.EXISTING,
      accessLogGroup: logGroup,
      logRetention: logs.RetentionDays.ONE_MONTH,
      description: 'Order updates',
      domain: {
        domainName: 'live.example.com',
        certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:123456789012:certificate/abc'),
        basePath: 'orders',
      },
      alarms: { clientErrors: { threshold: 500 }, executionErrors: { enabled: false } },
    });
    const template = Template.fromStack(stack);
    expectProperties(template, api.webSocketApi, { RouteSelectionExpression: '$request.body.message.type', Description: 'Order updates' });
    expectProperties(template, api.stage, {
      StageName: 'live',
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 2000, LoggingLevel: 'ERROR' },
      AccessLogSettings: { DestinationArn: stack.resolve(logGroup.logGroupArn) },
    });
    expect(api.accessLogGroup).toBe(logGroup);
    expect(resourceOf(template, api.executionLogGroup).Properties.RetentionInDays).toBe(30);
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
    expect(resourceOf(template, api.stage).DependsOn).not.toEqual(expect.arrayContaining([expect.stringMatching(/Account/)]));
    // The recorder still answers $disconnect; $connect is yours.
    expect(JSON.stringify(integrationOf(template, routeResource(template, '$connect')).Properties.IntegrationUri)).toContain(logicalIdOf(connect));
    expect(JSON.stringify(integrationOf(template, routeResource(template, '$disconnect')).Properties.IntegrationUri))
      .toContain(logicalIdOf(api.connectionsHandler!.lambdaFunction));
    expect(JSON.stringify(integrationOf(template, routeResource(template, 'subscribe')).Properties.IntegrationUri)).toContain(logicalIdOf(subscribe));
    expect(JSON.stringify(integrationOf(template, routeResource(template, '$default')).Properties.IntegrationUri)).toContain(logicalIdOf(fallback));
    expect(routeResource(template, '$connect').Properties.AuthorizationType).toBe('CUSTOM');
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST', IdentitySource: ['route.request.querystring.token'], Name: 'Authorizer',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'live.example.com', DomainNameConfigurations: [Match.objectLike({ EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' })],
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', { ApiMappingKey: 'orders', Stage: stack.resolve(api.stage.stageName) });
    expect(api.alarms.map((a) => a.node.id).sort()).toEqual(['ClientErrorsAlarm', 'IntegrationErrorsAlarm', 'LatencyP90Alarm']);
    expect(alarmNamed(template, api, 'ClientErrorsAlarm').Properties.Threshold).toBe(500);
  });

  test('with both connection handlers of yours, no recorder is made', () => {
    const stack = newStack();
    const api = new SecureWebSocketApi(stack, 'Live', {
      authorization: WebSocketAuthorization.iam(), connectHandler: plainFunction(stack, 'C'), disconnectHandler: plainFunction(stack, 'D'),
    });
    expect(api.connectionsHandler).toBeUndefined();
    expect(api.node.tryFindChild('ConnectionsHandler')).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::DynamoDB::Table', 1);
  });

  test('the Cognito authorizer: a function that checks the pool\'s tokens for the given clients and scopes', () => {
    const stack = newStack();
    const pool = cognito.UserPool.fromUserPoolId(stack, 'Pool', 'us-west-2_abc123');
    const api = new SecureWebSocketApi(stack, 'Live', {
      authorization: WebSocketAuthorization.cognito(pool, [cognito.UserPoolClient.fromUserPoolClientId(stack, 'Web', 'web123'),
        cognito.UserPoolClient.fromUserPoolClientId(stack, 'Mobile', 'mobile456')], { scopes: ['orders/read'], identitySource: 'route.request.header.Authorization' }),
    });
    const template = Template.fromStack(stack);
    expect(api.authorizerFunction).toBe(api.node.findChild('CognitoAuthorizer'));
    expectProperties(template, api.authorizerFunction!.lambdaFunction, {
      Code: { ZipFile: COGNITO_AUTHORIZER_CODE },
      // The pool's own region, from its id.
      Environment: {
        Variables: Match.objectLike({
          ISSUER: { 'Fn::Join': ['', ['https://cognito-idp.us-west-2.', { Ref: 'AWS::URLSuffix' }, '/us-west-2_abc123']] },
          CLIENT_IDS: 'web123,mobile456',
          SCOPES: 'orders/read',
          TOKEN_SOURCE: 'header:Authorization',
        }),
      },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'REQUEST', IdentitySource: ['route.request.header.Authorization'] });
    const permission = Object.values(template.findResources('AWS::Lambda::Permission', {
      Properties: { FunctionName: stack.resolve(api.authorizerFunction!.lambdaFunction.functionArn) },
    }));
    expect(permission).toHaveLength(1);
    expect(JSON.stringify(permission[0].Properties.SourceArn)).toContain('/authorizers/');
  });

  test('a dotted token parameter reaches the authorizer whole; a long construct path still fits the functions\' descriptions', () => {
    const stack = newStack();
    let scope: Construct = stack;
    for (let i = 0; i < 8; i++) {
      scope = new Construct(scope, `AVeryLongConstructIdForNesting${i}`);
    }
    const pool = cognito.UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_abc123');
    const api = new SecureWebSocketApi(scope, 'Live', {
      authorization: WebSocketAuthorization.cognito(pool, [cognito.UserPoolClient.fromUserPoolClientId(stack, 'Web', 'web123')],
        { identitySource: 'route.request.querystring.access.token' }),
    });
    const template = Template.fromStack(stack);
    expect(api.node.path.length).toBeGreaterThan(256);
    const authorizer = resourceOf(template, api.authorizerFunction!.lambdaFunction).Properties;
    expect(authorizer.Environment.Variables.TOKEN_SOURCE).toBe('query:access.token');
    for (const fn of [api.authorizerFunction!, api.connectionsHandler!]) {
      expect(resourceOf(template, fn.lambdaFunction).Properties.Description.length).toBeLessThanOrEqual(256);
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { IdentitySource: ['route.request.querystring.access.token'] });
  });

  test('the Cognito authorizer in REGULATED runs in the VPC you give, in its private subnets with egress', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const pool = new cognito.UserPool(stack, 'Pool');
    const api = new SecureWebSocketApi(stack, 'Live', { authorization: WebSocketAuthorization.cognito(pool, [pool.addClient('Web')], { vpc }) });
    expect(api.authorizerFunction!.vpc).toBe(vpc);
    const template = Template.fromStack(stack);
    const subnets = resourceOf(template, api.authorizerFunction!.lambdaFunction).Properties.VpcConfig.SubnetIds;
    expect(subnets).toEqual(vpc.privateSubnets.map((s) => stack.resolve(s.subnetId)));
  });

  test('grantManageConnections: ManageConnections on POST, GET and DELETE of this stage\'s @connections, in a policy of its own', () => {
    const stack = newStack();
    const api = new SecureWebSocketApi(stack, 'Live', { authorization: WebSocketAuthorization.iam() });
    const pusher = new SecureFunction(stack, 'Pusher', { code: INLINE_CODE, handler: 'index.handler' });
    api.grantManageConnections(pusher);
    api.grantManageConnections(pusher.lambdaFunction);
    const template = Template.fromStack(stack);
    const arn = (method: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':execute-api:eu-west-1:123456789012:',
        stack.resolve(api.webSocketApi.apiId), `/prod/${method}/@connections/*`]],
    });
    const statements = statementsOf(template, pusher.role).filter((s) => [s.Action].flat().includes('execute-api:ManageConnections'));
    expect(statements.length).toBeGreaterThan(0);
    for (const method of ['POST', 'GET', 'DELETE']) {
      expect(actionsOn(statements, arn(method))).toEqual(['execute-api:ManageConnections']);
    }
    // One policy, under the API, however often the grant is made.
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p).includes('ManageConnections'));
    expect(policies).toHaveLength(1);
    expect(api.callbackUrl).toBe(api.stage.callbackUrl);
    expect(stack.resolve(api.url)).toEqual(stack.resolve(api.stage.url));
  });

  test('grantManageConnections to a role of another stack adds the statement to that role', () => {
    const stack = newStack();
    const api = new SecureWebSocketApi(stack, 'Live', { authorization: WebSocketAuthorization.iam() });
    const user = new iam.User(stack, 'Operator');
    expect(api.grantManageConnections(user).success).toBe(true);
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).toContain('execute-api:ManageConnections');
  });

  test('grantConnect: execute-api:Invoke on the $connect route of the stage', () => {
    const stack = newStack();
    const api = new SecureWebSocketApi(stack, 'Live', { authorization: WebSocketAuthorization.iam(), stageName: 'live' });
    const role = new iam.Role(stack, 'Device', { assumedBy: new iam.AccountRootPrincipal() });
    api.grantConnect(role);
    const statements = statementsOf(Template.fromStack(stack), role);
    expect(statements).toEqual([expect.objectContaining({
      Action: 'execute-api:Invoke',
      Resource: stack.resolve(stack.formatArn({ service: 'execute-api', resource: api.webSocketApi.apiId, resourceName: 'live/$connect' })),
    })]);
  });

  test('an anonymous $connect is the user\'s visible opt-in: a warning on the route, no authorization', () => {
    const stack = newStack();
    const api = new SecureWebSocketApi(stack, 'Live', { allowAnonymousConnect: true });
    const template = Template.fromStack(stack);
    expect(routeResource(template, '$connect').Properties.AuthorizationType).toBe('NONE');
    const warnings = Annotations.fromStack(stack).findWarning('/TestStack/Live/Routes/ConnectRoute', Match.stringLikeRegexp('anonymous-connect'));
    expect(warnings).toHaveLength(1);
    expect(api.routes.map((r) => r.routeKey)).toEqual(['$connect', '$disconnect']);
  });

  test('a rate of 0 closes the API on purpose: an acknowledgeable warning', () => {
    const stack = newStack();
    new SecureWebSocketApi(stack, 'Live', { authorization: WebSocketAuthorization.iam(), throttle: { rateLimit: 0, burstLimit: 0 } });
    expect(Annotations.fromStack(stack).findWarning('/TestStack/Live', Match.stringLikeRegexp('websocket-api:throttle-rejects-all'))).toHaveLength(1);
  });

  test('two APIs in one stack do not collide, and share one account setting', () => {
    const stack = newStack();
    const a = new SecureWebSocketApi(stack, 'A', { authorization: WebSocketAuthorization.iam() });
    const b = new SecureWebSocketApi(stack, 'B', { allowAnonymousConnect: true });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 2);
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
    template.resourceCountIs('AWS::DynamoDB::Table', 2);
    expect(resourceOf(template, a.webSocketApi).Properties.Name).not.toEqual(resourceOf(template, b.webSocketApi).Properties.Name);
  });

  test('metrics read the stage with their statistics', () => {
    const stack = newStack();
    const api = new SecureWebSocketApi(stack, 'Live', { authorization: WebSocketAuthorization.iam() });
    const cases: Array<[cloudwatch.Metric, string, string]> = [
      [api.metricConnectCount(), 'ConnectCount', 'Sum'],
      [api.metricMessageCount(), 'MessageCount', 'Sum'],
      [api.metricIntegrationError(), 'IntegrationError', 'Sum'],
      [api.metricExecutionError(), 'ExecutionError', 'Sum'],
      [api.metricClientError({ period: Duration.minutes(1) }), 'ClientError', 'Sum'],
      [api.metricIntegrationLatency(), 'IntegrationLatency', 'p90'],
    ];
    for (const [metric, name, statistic] of cases) {
      expect(metric.metricName).toBe(name);
      expect(metric.statistic).toBe(statistic);
      expect(metric.namespace).toBe('AWS/ApiGateway');
      expect(stack.resolve(metric.dimensions)).toEqual({ ApiId: stack.resolve(api.webSocketApi.apiId), Stage: 'prod' });
    }
    expect(cases[4][0].period.toMinutes()).toBe(1);
    expect(WebSocketAuthorization.iam().kind).toBe(WebSocketAuthorizationKind.IAM);
    expect(Aws.PARTITION).toBeDefined();
  });
});
