import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import { Annotations as AnnotationsOf, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ApiAuthorization, ApiCloudWatchRole, ApiMethod, ApiRouteDefinition, ComplianceProfile, SecureApi, SecureApiProps, UserDirectory } from '../../src';
import { FLAG_SETS, INLINE_CODE, newStack, testApp, testStack, thrownBy } from '../support/app';
import { expectProperties, keyStatementFor, logicalIdOf, resourceOf, stackKeyOf } from '../support/template';

const ACCOUNT_WARNING = 'cdk-bulwark:api:sets-account-cloudwatch-role';

function fn(stack: Stack, id = 'Handler'): lambda.Function {
  return new lambda.Function(stack, id, { code: INLINE_CODE, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X });
}

/** One authorized route, for tests about the API rather than its routes. */
function someRoute(stack: Stack, id = 'Handler') {
  return { routes: [ApiRouteDefinition.of(ApiMethod.GET, '/x', fn(stack, id))] };
}

function pool(stack: Stack, id = 'Pool'): cognito.IUserPool {
  return cognito.UserPool.fromUserPoolId(stack, id, 'eu-west-1_abcdefghi');
}

/** A stack with the account-role warning acknowledged (it has its own tests). */
function apiStack(flags: Record<string, unknown> = {}, profile?: ComplianceProfile): Stack {
  const stack = newStack(flags, profile);
  Annotations.of(stack).acknowledgeWarning(ACCOUNT_WARNING, 'tested on its own');
  return stack;
}

function methodsOf(template: Template): Record<string, any> {
  return template.findResources('AWS::ApiGateway::Method');
}

function methodFor(template: Template, _stack: Stack, api: SecureApi, method: string, path: string): any {
  const route = api.routes.find((r) => r.method === method && r.path === path);
  expect(route).toBeDefined();
  return resourceOf(template, route!.apiMethod);
}

describe.each(Object.entries(FLAG_SETS))('SecureApi defaults (%s)', (_flagSet, flags) => {
  describe.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('%s profile', (profile) => {
    const regulated = profile === ComplianceProfile.REGULATED;
    let stack: Stack;
    let api: SecureApi;
    let template: Template;

    beforeAll(() => {
      stack = apiStack(flags, profile);
      api = new SecureApi(stack, 'Api', { userPool: pool(stack) });
      api.addRoute(ApiMethod.GET, '/orders/{orderId}', fn(stack));
      template = Template.fromStack(stack);
    });

    test('a regional REST API named uniquely, without a CloudWatch role of its own', () => {
      expectProperties(template, api.api, {
        EndpointConfiguration: { Types: ['REGIONAL'] },
        Name: Match.stringLikeRegexp('Api'),
      });
      // CDK's per-API role (cloudWatchRole) would make a second account setting per API.
      expect(Object.keys(template.findResources('AWS::ApiGateway::Account'))).toHaveLength(1);
      expect(JSON.stringify(template.toJSON())).not.toContain('AmazonAPIGatewayPushToCloudWatchLogs');
    });

    test('the stage traces with X-Ray, logs errors without data, throttles, and writes JSON access logs', () => {
      expectProperties(template, api.stage, {
        StageName: 'prod',
        TracingEnabled: true,
        MethodSettings: [Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          ThrottlingRateLimit: 1000,
          ThrottlingBurstLimit: 2000,
        })],
        AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('^\\{"requestId":"\\$context.requestId"') },
      });
      expect(JSON.stringify(resourceOf(template, api.stage).Properties.AccessLogSetting.DestinationArn)).toContain(logicalIdOf(api.accessLogGroup));
      const format = JSON.parse(resourceOf(template, api.stage).Properties.AccessLogSetting.Format);
      expect(format).toMatchObject({ status: '$context.status', apiId: '$context.apiId', authorizerError: '$context.authorizer.error' });
      // No detailed (paid) per-method metrics and no stage cache.
      expect(resourceOf(template, api.stage).Properties.MethodSettings[0].MetricsEnabled).toBeUndefined();
      expect(resourceOf(template, api.stage).Properties.CacheClusterEnabled).toBeUndefined();
    });

    test('access and execution log groups are retained, with a retention, encrypted with the stack key only in REGULATED', () => {
      for (const group of [api.accessLogGroup, api.executionLogGroup]) {
        const resource = resourceOf(template, group);
        // The execution log group has API Gateway's name: deleted if the deployment that creates it rolls back.
        expect(resource.DeletionPolicy).toBe(group === api.executionLogGroup ? 'RetainExceptOnCreate' : 'Retain');
        expect(resource.Properties.RetentionInDays).toBe(365);
        expect(resource.Properties.KmsKeyId).toEqual(regulated ? stack.resolve(stackKeyOf(stack).keyArn) : undefined);
      }
      if (regulated) {
        expect(keyStatementFor(template, stackKeyOf(stack), { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] })).toBeDefined();
      }
    });

    test('every method validates requests and is authorized by the user pool', () => {
      const method = methodFor(template, stack, api, 'GET', '/orders/{orderId}');
      expect(JSON.parse(JSON.stringify(method.Properties))).toMatchObject({
        HttpMethod: 'GET',
        AuthorizationType: 'COGNITO_USER_POOLS',
        AuthorizerId: { Ref: logicalIdOf(api.node.findChild('Authorizers').node.findChild('Cognito')) },
        RequestValidatorId: { Ref: logicalIdOf(api.requestValidator) },
        RequestParameters: { 'method.request.path.orderId': true },
        Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' },
      });
      expectProperties(template, api.requestValidator, { ValidateRequestBody: true, ValidateRequestParameters: true });
      template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
        Type: 'COGNITO_USER_POOLS',
        ProviderARNs: [stack.resolve(pool(stack, 'Again').userPoolArn)],
        IdentitySource: 'method.request.header.Authorization',
        AuthorizerResultTtlInSeconds: 300,
      });
    });

    test('a web ACL is associated with the stage, after the stage exists', () => {
      const association = Object.values(template.findResources('AWS::WAFv2::WebACLAssociation'));
      expect(association).toHaveLength(1);
      expect(JSON.stringify(association[0].Properties.ResourceArn)).toContain(logicalIdOf(api.stage));
      expect(association[0].Properties.WebACLArn).toEqual(stack.resolve(api.webAclArn));
      template.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'REGIONAL' });
      expect(api.firewallLogGroup).toBeDefined();
    });

    test('the Lambda permission lets only this route of this API invoke the handler, with no test-invoke permission', () => {
      const permissions = Object.values(template.findResources('AWS::Lambda::Permission'));
      expect(permissions).toHaveLength(1);
      const sourceArn = JSON.stringify(permissions[0].Properties.SourceArn);
      expect(sourceArn).toContain(logicalIdOf(api.api));
      expect(sourceArn).toContain('/GET/orders/*');
      expect(sourceArn).toContain(logicalIdOf(api.stage));
    });
  });
});

describe('SecureApi account CloudWatch role (deploy-time: execution logging needs it)', () => {
  test('CREATE (the default) makes one retained role with a customer-managed policy and the account setting, before the stage', () => {
    const stack = newStack();
    const api = new SecureApi(stack, 'Api', { userPool: pool(stack), ...someRoute(stack) });
    new SecureApi(stack, 'Second', { userPool: pool(stack, 'Pool2'), ...someRoute(stack, 'H2') });
    const template = Template.fromStack(stack);

    const accounts = template.findResources('AWS::ApiGateway::Account');
    expect(Object.keys(accounts)).toHaveLength(1);
    const [accountId, account] = Object.entries(accounts)[0];
    expect(account.DeletionPolicy).toBe('Retain');
    expect(resourceOf(template, api.stage).DependsOn).toContain(accountId);
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })] } },
    });
    expect(Object.keys(roles)).toHaveLength(1);
    expect(Object.values(roles)[0].DeletionPolicy).toBe('Retain');
    expect(account.Properties.CloudWatchRoleArn).toEqual({ 'Fn::GetAtt': [Object.keys(roles)[0], 'Arn'] });
    const policies = template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Roles: [{ Ref: Object.keys(roles)[0] }] } });
    expect(Object.keys(policies)).toHaveLength(1);
    expect(Object.values(policies)[0].Properties.PolicyDocument.Statement[0].Action).toEqual(expect.arrayContaining(['logs:PutLogEvents', 'logs:CreateLogStream']));
    // The role's policy, and the REST API of the SecureApi that makes it (the first): in an account
    // where no API Gateway resource was ever made, CloudFormation sets the account only after one
    // exists (AWS::ApiGateway::Account, https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-account.html).
    expect([...account.DependsOn].sort()).toEqual([Object.keys(policies)[0], logicalIdOf(api.api)].sort());
    AnnotationsOf.fromStack(stack).hasWarning('/TestStack', Match.stringLikeRegexp(`replacing any role set before.*\\[ack: ${ACCOUNT_WARNING}\\]`));
  });

  test('EXISTING makes nothing and warns nothing', () => {
    const stack = newStack();
    new SecureApi(stack, 'Api', { userPool: pool(stack), cloudWatchRole: ApiCloudWatchRole.EXISTING, ...someRoute(stack) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
    expect(AnnotationsOf.fromStack(stack).findWarning('*', Match.stringLikeRegexp(ACCOUNT_WARNING))).toHaveLength(0);
  });

  test('at most once per app and environment: a second stack depends on the one that makes it', () => {
    const app = testApp();
    const first = testStack(app, 'First');
    const second = testStack(app, 'Second');
    const elsewhere = testStack(app, 'Elsewhere', { env: { account: '123456789012', region: 'us-east-1' } });
    for (const stack of [first, second, elsewhere]) {
      new SecureApi(stack, 'Api', { userPool: pool(stack), ...someRoute(stack) });
    }
    expect(Template.fromStack(first).findResources('AWS::ApiGateway::Account')).not.toEqual({});
    expect(Template.fromStack(second).findResources('AWS::ApiGateway::Account')).toEqual({});
    expect(Template.fromStack(elsewhere).findResources('AWS::ApiGateway::Account')).not.toEqual({});
    expect(second.dependencies).toContain(first);
    expect(elsewhere.dependencies).not.toContain(first);
  });

  test('no cycle: a SecureApi using another stack\'s user pool, made before the SecureApi of the pool\'s stack', () => {
    const app = testApp();
    const users = testStack(app, 'Users');
    const directory = new UserDirectory(users, 'Directory');
    const orders = testStack(app, 'Orders');
    // Orders uses the pool of Users, so Orders depends on Users; it is made first, so it makes the setting.
    new SecureApi(orders, 'Api', { userPool: directory.userPool, ...someRoute(orders) });
    // Depending on Orders for the setting would close a cycle: Users makes its own.
    new SecureApi(users, 'Admin', { userPool: directory.userPool, ...someRoute(users) });
    const assembly = app.synth();
    expect(orders.dependencies).toEqual([users]);
    expect(users.dependencies).toEqual([]);
    for (const stack of [users, orders]) {
      expect(Object.keys(assembly.getStackByName(stack.stackName).template.Resources)
        .filter((id) => assembly.getStackByName(stack.stackName).template.Resources[id].Type === 'AWS::ApiGateway::Account')).toHaveLength(1);
    }
  });

  test('the pool\'s stack first: one setting, in that stack, and the other stack depends on it', () => {
    const app = testApp();
    const users = testStack(app, 'Users');
    const directory = new UserDirectory(users, 'Directory');
    const orders = testStack(app, 'Orders');
    new SecureApi(users, 'Admin', { userPool: directory.userPool, ...someRoute(users) });
    new SecureApi(orders, 'Api', { userPool: directory.userPool, ...someRoute(orders) });
    app.synth();
    expect(orders.dependencies).toEqual([users]);
    Template.fromStack(users).resourceCountIs('AWS::ApiGateway::Account', 1);
    Template.fromStack(orders).resourceCountIs('AWS::ApiGateway::Account', 0);
  });

  test('environment-agnostic stacks each make their own: they may deploy to different accounts or regions', () => {
    const app = testApp();
    const stacks = ['One', 'Two'].map((id) => new Stack(app, id));
    for (const stack of stacks) {
      new SecureApi(stack, 'Api', { userPool: pool(stack), ...someRoute(stack) });
    }
    for (const stack of stacks) {
      Template.fromStack(stack).resourceCountIs('AWS::ApiGateway::Account', 1);
    }
    expect(stacks[1].dependencies).toEqual([]);
  });

  test('the execution log group is the one API Gateway writes to, made before the stage so it has a retention', () => {
    const stack = newStack();
    const api = new SecureApi(stack, 'Api', { userPool: pool(stack), logRetention: logs.RetentionDays.ONE_MONTH, ...someRoute(stack) });
    const template = Template.fromStack(stack);
    expectProperties(template, api.executionLogGroup, {
      LogGroupName: { 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: logicalIdOf(api.api) }, '/prod']] },
      RetentionInDays: 30,
    });
    expect(resourceOf(template, api.stage).DependsOn).toContain(logicalIdOf(api.executionLogGroup));
  });
});

describe('SecureApi routes and authorization', () => {
  test('IAM, Lambda token and Lambda request authorizers; one authorizer per authorization object', () => {
    const stack = apiStack();
    const token = ApiAuthorization.lambdaToken(fn(stack, 'TokenAuth'), { resultsCacheTtl: Duration.seconds(0), validationRegex: '^Bearer .+$' });
    const api = new SecureApi(stack, 'Api', { authorization: token });
    api.addRoute(ApiMethod.GET, '/a', fn(stack));
    api.addRoute(ApiMethod.POST, '/a', fn(stack, 'H2'));
    api.addRoute(ApiMethod.GET, '/b', fn(stack, 'H3'), { authorization: ApiAuthorization.iam() });
    api.addRoute(ApiMethod.GET, '/c', fn(stack, 'H4'), {
      authorization: ApiAuthorization.lambdaRequest(fn(stack, 'RequestAuth'), ['method.request.header.X-Tenant', 'context.sourceIp']),
    });
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::ApiGateway::Authorizer', 2);
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'TOKEN', IdentitySource: 'method.request.header.Authorization', IdentityValidationExpression: '^Bearer .+$', AuthorizerResultTtlInSeconds: 0,
    });
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST', IdentitySource: 'method.request.header.X-Tenant,context.sourceIp', AuthorizerResultTtlInSeconds: 300,
    });
    expect(methodFor(template, stack, api, 'GET', '/a').Properties.AuthorizationType).toBe('CUSTOM');
    expect(methodFor(template, stack, api, 'POST', '/a').Properties.AuthorizerId).toEqual(methodFor(template, stack, api, 'GET', '/a').Properties.AuthorizerId);
    expect(methodFor(template, stack, api, 'GET', '/b').Properties).toMatchObject({ AuthorizationType: 'AWS_IAM' });
    expect(methodFor(template, stack, api, 'GET', '/b').Properties.AuthorizerId).toBeUndefined();
    expect(methodFor(template, stack, api, 'GET', '/c').Properties.AuthorizationType).toBe('CUSTOM');
  });

  test('Cognito scopes are required on the method', () => {
    const stack = apiStack();
    const api = new SecureApi(stack, 'Api');
    api.addRoute(ApiMethod.GET, '/orders', fn(stack), { authorization: ApiAuthorization.cognito(pool(stack), { scopes: ['orders/read'] }) });
    const template = Template.fromStack(stack);
    expect(methodFor(template, stack, api, 'GET', '/orders').Properties.AuthorizationScopes).toEqual(['orders/read']);
  });

  test('an anonymous route has no authorization and warns, naming the route', () => {
    const stack = apiStack();
    const api = new SecureApi(stack, 'Api', { userPool: pool(stack) });
    api.addRoute(ApiMethod.GET, '/health', fn(stack), { allowAnonymous: true });
    const template = Template.fromStack(stack);
    expect(methodFor(template, stack, api, 'GET', '/health').Properties.AuthorizationType).toBe('NONE');
    AnnotationsOf.fromStack(stack).hasWarning('/TestStack/Api/Routes/GET health', Match.stringLikeRegexp("route 'GET /health' allows anonymous callers"));
  });

  test('request schemas become JSON models; query strings and headers become required parameters', () => {
    const stack = apiStack();
    const api = new SecureApi(stack, 'Api', {
      userPool: pool(stack),
      routes: [ApiRouteDefinition.of(ApiMethod.POST, '/orders', fn(stack), {
        requestSchema: { type: apigateway.JsonSchemaType.OBJECT, required: ['sku'], properties: { sku: { type: apigateway.JsonSchemaType.STRING } } },
        requiredQueryStrings: ['tenant'],
        requiredHeaders: ['Idempotency-Key'],
      })],
    });
    const template = Template.fromStack(stack);
    const method = methodFor(template, stack, api, 'POST', '/orders');
    expect(method.Properties.RequestParameters).toEqual({ 'method.request.querystring.tenant': true, 'method.request.header.Idempotency-Key': true });
    // Under $default: API Gateway skips validation for a Content-Type without a model.
    expect(Object.keys(method.Properties.RequestModels)).toEqual(['$default']);
    const modelId = method.Properties.RequestModels.$default.Ref;
    expect(template.toJSON().Resources[modelId].Properties).toMatchObject({
      ContentType: 'application/json',
      Schema: { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object', required: ['sku'] },
    });
  });

  test('proxy mode: ANY / and ANY /{proxy+} go to the default handler, with the API\'s authorization', () => {
    const stack = apiStack();
    const api = new SecureApi(stack, 'Api', { userPool: pool(stack), defaultHandler: fn(stack) });
    const template = Template.fromStack(stack);
    expect(api.routes.map((r) => `${r.method} ${r.path}`)).toEqual(['ANY /', 'ANY /{proxy+}']);
    for (const route of api.routes) {
      expect(resourceOf(template, route.apiMethod).Properties.AuthorizationType).toBe('COGNITO_USER_POOLS');
    }
  });

  test('CORS adds preflight methods without authorization; none without cors', () => {
    const stack = apiStack();
    const api = new SecureApi(stack, 'Api', { userPool: pool(stack), cors: { allowOrigins: ['https://app.example.com'], allowCredentials: true } });
    api.addRoute(ApiMethod.GET, '/orders', fn(stack));
    const options = Object.values(methodsOf(Template.fromStack(stack))).filter((m) => m.Properties.HttpMethod === 'OPTIONS');
    expect(options.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(options)).toContain("'https://app.example.com'");
    // API Gateway's own errors (401, 403, 400, 429) carry the header too, or browsers hide the status.
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        ResponseParameters: {
          'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
          'gatewayresponse.header.Access-Control-Allow-Credentials': "'true'",
        },
      });
    }

    const plain = apiStack();
    new SecureApi(plain, 'Api', { userPool: pool(plain) }).addRoute(ApiMethod.GET, '/orders', fn(plain));
    expect(Object.values(methodsOf(Template.fromStack(plain))).filter((m) => m.Properties.HttpMethod === 'OPTIONS')).toHaveLength(0);
    Template.fromStack(plain).resourceCountIs('AWS::ApiGateway::GatewayResponse', 0);
  });

  test('grantInvoke grants execute-api:Invoke on exactly the IAM routes', () => {
    const stack = apiStack();
    const api = new SecureApi(stack, 'Api', { authorization: ApiAuthorization.iam() });
    api.addRoute(ApiMethod.GET, '/orders/{orderId}', fn(stack));
    api.addRoute(ApiMethod.ANY, '/admin', fn(stack, 'H2'));
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    api.grantInvoke(role, ApiMethod.GET, '/orders/{orderId}');
    const all = new iam.Role(stack, 'All', { assumedBy: new iam.AccountRootPrincipal() });
    api.grantInvoke(all);
    const template = Template.fromStack(stack);
    const statement = template.toJSON().Resources[logicalIdOf(role.node.findChild('DefaultPolicy'))].Properties.PolicyDocument.Statement;
    expect(statement).toHaveLength(1);
    expect(statement[0].Action).toBe('execute-api:Invoke');
    expect(JSON.stringify(statement[0].Resource)).toContain('/GET/orders/*');
    expect(JSON.stringify(statement[0].Resource)).not.toContain('admin');

    const resources = template.toJSON().Resources[logicalIdOf(all.node.findChild('DefaultPolicy'))].Properties.PolicyDocument.Statement[0].Resource;
    expect(resources).toHaveLength(2);
    expect(JSON.stringify(resources)).toContain('/*/admin');
  });

  test('usage plans attach to the stage with keys, throttle and quota', () => {
    const stack = apiStack();
    const api = new SecureApi(stack, 'Api', { userPool: pool(stack) });
    api.addRoute(ApiMethod.GET, '/orders', fn(stack), { apiKeyRequired: true });
    const key = new apigateway.ApiKey(stack, 'Key');
    api.addUsagePlan('Partners', { apiKeys: [key], throttle: { rateLimit: 10, burstLimit: 20 }, quota: { limit: 1000, period: apigateway.Period.DAY } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      ApiStages: [{ ApiId: stack.resolve(api.api.restApiId), Stage: stack.resolve(api.stage.stageName) }],
      Throttle: { RateLimit: 10, BurstLimit: 20 },
      Quota: { Limit: 1000, Period: 'DAY' },
    });
    template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
    expect(methodFor(template, stack, api, 'GET', '/orders').Properties.ApiKeyRequired).toBe(true);
  });

  test('a route that requires an API key without a usage plan fails synthesis', () => {
    const stack = apiStack();
    const api = new SecureApi(stack, 'Api', { userPool: pool(stack) });
    api.addRoute(ApiMethod.GET, '/orders', fn(stack), { apiKeyRequired: true });
    expect(() => Template.fromStack(stack)).toThrow(/route 'GET \/orders' requires an API key, but this API has no usage plan/);
  });

  test('a custom domain uses TLS 1.2, a regional endpoint and maps the stage', () => {
    const stack = apiStack();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:123456789012:certificate/abc');
    const api = new SecureApi(stack, 'Api', {
      userPool: pool(stack), domain: { domainName: 'api.example.com', certificate, basePath: 'orders' }, disableExecuteApiEndpoint: true, ...someRoute(stack),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'api.example.com',
      SecurityPolicy: 'TLS_1_2',
      EndpointConfiguration: { Types: ['REGIONAL'] },
      RegionalCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
    });
    template.hasResourceProperties('AWS::ApiGateway::BasePathMapping', { BasePath: 'orders', Stage: stack.resolve(api.stage.stageName) });
    expectProperties(template, api.api, { DisableExecuteApiEndpoint: true });
  });
});

describe('SecureApi overrides and bring-your-own', () => {
  test('a brought access log group is used; none is created', () => {
    const stack = apiStack();
    const group = new logs.LogGroup(stack, 'MyAccessLogs', { retention: logs.RetentionDays.ONE_WEEK });
    const api = new SecureApi(stack, 'Api', { userPool: pool(stack), accessLogGroup: group, ...someRoute(stack) });
    const template = Template.fromStack(stack);
    expect(api.accessLogGroup).toBe(group);
    expect(JSON.stringify(resourceOf(template, api.stage).Properties.AccessLogSetting.DestinationArn)).toContain(logicalIdOf(group));
    expect(api.node.tryFindChild('AccessLogs')).toBeUndefined();
    expectProperties(template, api.throttledRequestsMetricFilter, { LogGroupName: stack.resolve(group.logGroupName) });
  });

  test('a brought web ACL is associated and none is created', () => {
    const stack = apiStack();
    const arn = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/mine/0123-abcd';
    new SecureApi(stack, 'Api', { userPool: pool(stack), firewall: { webAclArn: arn }, ...someRoute(stack) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: arn });
  });

  test('turning the firewall off warns, acknowledgeably', () => {
    const stack = apiStack();
    new SecureApi(stack, 'Api', { userPool: pool(stack), firewall: { enabled: false }, ...someRoute(stack) });
    Template.fromStack(stack).resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    AnnotationsOf.fromStack(stack).hasWarning('/TestStack/Api', Match.stringLikeRegexp('cdk-bulwark:api:no-firewall'));
  });

  test('throttle and firewall options reach the template', () => {
    const stack = apiStack();
    const api = new SecureApi(stack, 'Api', { userPool: pool(stack), throttle: { rateLimit: 50 }, firewall: { rateLimit: 300 }, ...someRoute(stack) });
    const template = Template.fromStack(stack);
    expect(resourceOf(template, api.stage).Properties.MethodSettings[0]).toMatchObject({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 2000 });
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ Limit: 300 }) } })]),
    });
  });
});

describe('SecureApi monitoring', () => {
  test('5XX rate, 4XX rate, p90 latency and throttled-request alarms with AWS\'s recommended settings, notifying the alarm topic', () => {
    const stack = apiStack();
    const api = new SecureApi(stack, 'Api', { userPool: pool(stack), ...someRoute(stack) });
    const template = Template.fromStack(stack);
    const dimensions = [{ Name: 'ApiName', Value: stack.resolve(api.api.restApiName) }, { Name: 'Stage', Value: stack.resolve(api.stage.stageName) }];
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: '5XXError',
      Statistic: 'Average',
      Threshold: 0.05,
      EvaluationPeriods: 3,
      Period: 60,
      Dimensions: dimensions,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [Match.anyValue()],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: '4XXError', Statistic: 'Average', Threshold: 0.05, EvaluationPeriods: 5 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Latency', ExtendedStatistic: 'p90', Threshold: 2500, EvaluationPeriods: 5 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'cdk-bulwark/ApiGateway',
      MetricName: 'ThrottledRequests',
      Statistic: 'Sum',
      Threshold: 0,
      Period: 300,
      Dimensions: [{ Name: 'ApiId', Value: stack.resolve(api.api.restApiId) }],
    });
    expectProperties(template, api.throttledRequestsMetricFilter, {
      FilterPattern: '{ $.status = "429" }',
      MetricTransformations: [{ MetricNamespace: 'cdk-bulwark/ApiGateway', MetricName: 'ThrottledRequests', MetricValue: '1', Dimensions: [{ Key: 'ApiId', Value: '$.apiId' }], Unit: 'Count' }],
    });
    expect(api.alarms).toHaveLength(4);
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
    for (const title of ['Requests / throttled', 'Error rates', 'Latency']) {
      expect(body).toContain(title);
    }
  });

  test('alarms can be tuned or switched off', () => {
    const stack = apiStack();
    const api = new SecureApi(stack, 'Api', {
      userPool: pool(stack),
      ...someRoute(stack),
      alarms: { latencyP90: { maxLatency: Duration.seconds(1) }, clientErrorRate: { enabled: false }, throttledRequests: { threshold: 10 } },
    });
    const template = Template.fromStack(stack);
    expect(api.alarms).toHaveLength(3);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Latency', Threshold: 1000 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ThrottledRequests', Threshold: 10 });
    expect(Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: '4XXError' } }))).toHaveLength(0);
  });

  test('two APIs in one stack do not collide: names, metrics, authorizers, web ACLs', () => {
    const stack = apiStack();
    const a = new SecureApi(stack, 'A', { userPool: pool(stack) });
    const b = new SecureApi(stack, 'B', { userPool: pool(stack, 'P2') });
    a.addRoute(ApiMethod.GET, '/x', fn(stack));
    b.addRoute(ApiMethod.GET, '/x', fn(stack, 'H2'));
    const template = Template.fromStack(stack);
    expect(stack.resolve(a.api.restApiName)).not.toEqual(stack.resolve(b.api.restApiName));
    template.resourceCountIs('AWS::ApiGateway::RestApi', 2);
    template.resourceCountIs('AWS::WAFv2::WebACL', 2);
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
    const wafGroups = Object.values(template.findResources('AWS::Logs::LogGroup'))
      .map((g) => JSON.stringify(g.Properties.LogGroupName ?? '')).filter((n) => n.includes('aws-waf-logs-'));
    expect(new Set(wafGroups).size).toBe(2);
  });
});

const INVALID: Array<[string, (stack: Stack) => void, RegExp]> = [
  ['userPool with authorization', (s) => new SecureApi(s, 'Api', { userPool: pool(s), authorization: ApiAuthorization.iam() }),
    /userPool and authorization cannot be set together/],
  ['a route without any authorization', (s) => new SecureApi(s, 'Api').addRoute(ApiMethod.GET, '/x', fn(s)),
    /route 'GET \/x' has no authorization: give the API userPool or authorization/],
  ['allowAnonymous with authorization', (s) => new SecureApi(s, 'Api').addRoute(ApiMethod.GET, '/x', fn(s), { allowAnonymous: true, authorization: ApiAuthorization.iam() }),
    /route 'GET \/x': allowAnonymous and authorization cannot be set together/],
  ['an unknown method', (s) => new SecureApi(s, 'Api', { userPool: pool(s) }).addRoute('FETCH' as ApiMethod, '/x', fn(s)),
    /method of route 'FETCH \/x' is 'FETCH'; it must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY/],
  ['a path without a leading slash', (s) => new SecureApi(s, 'Api', { userPool: pool(s) }).addRoute(ApiMethod.GET, 'orders', fn(s)),
    /path of route 'GET orders' is 'orders'; it must start with '\/'/],
  ['a trailing slash', (s) => new SecureApi(s, 'Api', { userPool: pool(s) }).addRoute(ApiMethod.GET, '/orders/', fn(s)), /is '\/orders\/'; it must start/],
  ['an empty segment', (s) => new SecureApi(s, 'Api', { userPool: pool(s) }).addRoute(ApiMethod.GET, '/a//b', fn(s)), /is '\/a\/\/b'/],
  ['a greedy parameter in the middle', (s) => new SecureApi(s, 'Api', { userPool: pool(s) }).addRoute(ApiMethod.GET, '/{p+}/x', fn(s)),
    /the greedy parameter \{p\+\} must be the last segment/],
  ['a repeated parameter', (s) => new SecureApi(s, 'Api', { userPool: pool(s) }).addRoute(ApiMethod.GET, '/{id}/x/{id}', fn(s)), /the parameter \{id\} appears twice/],
  ['the same route twice', (s) => {
    const api = new SecureApi(s, 'Api', { userPool: pool(s) });
    api.addRoute(ApiMethod.GET, '/orders/{id}', fn(s));
    api.addRoute(ApiMethod.GET, '/orders/{orderId}', fn(s, 'H2'));
  }, /route 'GET \/orders\/\{orderId\}' conflicts with route 'GET \/orders\/\{id\}'/],
  ['two parameter names under one parent', (s) => {
    const api = new SecureApi(s, 'Api', { userPool: pool(s) });
    api.addRoute(ApiMethod.GET, '/orders/{id}', fn(s));
    api.addRoute(ApiMethod.DELETE, '/orders/{orderId}', fn(s, 'H2'));
  }, /\{orderId\} and \{id\} are both variable parts under '\/orders'/],
  ['an OPTIONS route with cors', (s) => new SecureApi(s, 'Api', { userPool: pool(s), cors: { allowOrigins: ['https://a.example.com'] } })
    .addRoute(ApiMethod.OPTIONS, '/x', fn(s)), /with cors set, API Gateway answers OPTIONS requests itself/],
  ['a handler that is not a function', (s) => new SecureApi(s, 'Api', { userPool: pool(s) }).addRoute(ApiMethod.GET, '/x', null as any),
    /handler of route 'GET \/x' is null; it must be a Lambda function/],
  ['null props', (s) => new SecureApi(s, 'Api', null as any), /props is null; they must be a SecureApiProps object/],
  ['a misspelled Cognito authorization option (its scopes would be dropped)', (s) => new SecureApi(s, 'Api', {
    authorization: ApiAuthorization.cognito(pool(s), { scope: ['orders/read'] } as any), ...someRoute(s),
  }), /authorization: options: scope is \["orders\/read"\]; CognitoApiAuthorizationOptions has no such property \(did you mean scopes\?\)/],
  ['a misspelled usage plan option', (s) => new SecureApi(s, 'Api', { userPool: pool(s), ...someRoute(s) }).addUsagePlan('Plan', { qouta: {} } as any),
    /options of usage plan 'Plan': qouta is \{\}; ApiUsagePlanOptions has no such property \(did you mean quota\?\)/],
  ['a misspelled quota setting', (s) => new SecureApi(s, 'Api', { userPool: pool(s), ...someRoute(s) }).addUsagePlan('Plan', { quota: { limits: 5 } } as any),
    /quota of usage plan 'Plan': limits is 5; apigateway.QuotaSettings has no such property \(did you mean limit\?\)/],
  ['a route given as a plain object (it could be a Python dict that lost its options)', (s) => new SecureApi(s, 'Api', {
    userPool: pool(s), routes: [{ method: ApiMethod.GET, path: '/x', handler: fn(s), required_headers: ['X'] } as any],
  }), /routes\[0\] is an object with keys method, path, handler, required_headers; each route must be made with ApiRouteDefinition\.of\(method, path, handler, options\)/],
  ['a null route', (s) => new SecureApi(s, 'Api', { userPool: pool(s), routes: [null as any] }),
    /routes\[0\] is null; each route must be made with ApiRouteDefinition\.of/],
  ['a negative rate limit', (s) => new SecureApi(s, 'Api', { userPool: pool(s), throttle: { rateLimit: -1 } }),
    /throttle.rateLimit is -1; it must be a finite number of requests per second, 0 or more/],
  ['a NaN rate limit', (s) => new SecureApi(s, 'Api', { userPool: pool(s), throttle: { rateLimit: NaN } }), /throttle.rateLimit is NaN/],
  ['a fractional burst', (s) => new SecureApi(s, 'Api', { userPool: pool(s), throttle: { burstLimit: 1.5 } }),
    /throttle.burstLimit is 1.5; it must be an integer from 0 to 2147483647/],
  ['a zero burst with a rate', (s) => new SecureApi(s, 'Api', { userPool: pool(s), throttle: { rateLimit: 5, burstLimit: 0 } }),
    /burstLimit is 0 with rateLimit 5: API Gateway would refuse every request/],
  ['cors * with credentials', (s) => new SecureApi(s, 'Api', { userPool: pool(s), cors: { allowOrigins: ['*'], allowCredentials: true } }),
    /cors.allowOrigins is \["\*"\]; it cannot contain \* when allowCredentials is true/],
  ['cors without origins', (s) => new SecureApi(s, 'Api', { userPool: pool(s), cors: { allowOrigins: [] } }), /cors.allowOrigins is \[\]; it must list at least one origin/],
  ['a cors origin with a path', (s) => new SecureApi(s, 'Api', { userPool: pool(s), cors: { allowOrigins: ['https://a.example.com/app'] } }),
    /each origin must be \* or scheme:\/\/host\[:port\] without a path/],
  ['a certificate without a domain name', (s) => new SecureApi(s, 'Api', {
    userPool: pool(s), domain: { certificate: acm.Certificate.fromCertificateArn(s, 'C', 'arn:aws:acm:eu-west-1:123456789012:certificate/x') } as any,
  }), /domain.certificate is given without domain.domainName/],
  ['a domain without a certificate', (s) => new SecureApi(s, 'Api', { userPool: pool(s), domain: { domainName: 'api.example.com' } as any }),
    /domain.domainName is 'api.example.com'; it needs domain.certificate: an ACM certificate for the name/],
  ['a multi-level base path', (s) => new SecureApi(s, 'Api', {
    userPool: pool(s), domain: { domainName: 'api.example.com', basePath: 'v1/orders', certificate: acm.Certificate.fromCertificateArn(s, 'C', 'arn:aws:acm:eu-west-1:123456789012:certificate/x') },
  }), /domain.basePath is 'v1\/orders'; it must be one path segment without \//],
  ['a path character API Gateway rejects', (s) => new SecureApi(s, 'Api', { userPool: pool(s) }).addRoute(ApiMethod.GET, '/a@b', fn(s)),
    /path of route 'GET \/a@b' is '\/a@b'; it must start with '\/'.*letters, digits and :._\$-/],
  ['a burst over 32 bits', (s) => new SecureApi(s, 'Api', { userPool: pool(s), throttle: { burstLimit: 3e12 } }),
    /throttle.burstLimit is 3000000000000; it must be an integer from 0 to 2147483647/],
  ['a malformed domain name', (s) => new SecureApi(s, 'Api', {
    userPool: pool(s), domain: { domainName: 'Api_Example', certificate: acm.Certificate.fromCertificateArn(s, 'C', 'arn:aws:acm:eu-west-1:123456789012:certificate/x') },
  }), /domain.domainName is 'Api_Example'; it must be a lowercase domain name/],
  ['disableExecuteApiEndpoint without a domain', (s) => new SecureApi(s, 'Api', { userPool: pool(s), disableExecuteApiEndpoint: true }),
    /disableExecuteApiEndpoint is true without domain: the API would have no endpoint at all/],
  ['an invalid JSON schema type', (s) => new SecureApi(s, 'Api', { userPool: pool(s) }).addRoute(ApiMethod.POST, '/x', fn(s), {
    requestSchema: { type: 'obj' as any },
  }), /requestSchema of route 'POST \/x' is not a valid JSON schema: type 'obj' is not one of/],
  ['a nested invalid JSON schema', (s) => new SecureApi(s, 'Api', { userPool: pool(s) }).addRoute(ApiMethod.POST, '/x', fn(s), {
    requestSchema: { type: apigateway.JsonSchemaType.OBJECT, properties: { n: { minLength: -1 } } },
  }), /not a valid JSON schema at .properties.n: minLength must be an integer of 0 or more, got -1/],
  ['a misspelled JSON schema keyword, nested (API Gateway would ignore it: the body would be less validated than written)',
    (s) => new SecureApi(s, 'Api', { userPool: pool(s) }).addRoute(ApiMethod.POST, '/x', fn(s), {
      requestSchema: { type: apigateway.JsonSchemaType.OBJECT, properties: { sku: { maxLenght: 12 } as any } },
    }), /requestSchema of route 'POST \/x'.properties.sku: maxLenght is 12; apigateway.JsonSchema has no such property \(did you mean maxLength\?\)/],
  ['required that is not a list', (s) => new SecureApi(s, 'Api', { userPool: pool(s) }).addRoute(ApiMethod.POST, '/x', fn(s), {
    requestSchema: { required: 'sku' as any },
  }), /required must be a list of property names, got 'sku'/],
  ['a bad header name', (s) => new SecureApi(s, 'Api', { userPool: pool(s) }).addRoute(ApiMethod.GET, '/x', fn(s), { requiredHeaders: ['Bad Header'] }),
    /requiredHeaders of route 'GET \/x' is 'Bad Header'/],
  ['a repeated query string', (s) => new SecureApi(s, 'Api', { userPool: pool(s) }).addRoute(ApiMethod.GET, '/x', fn(s), { requiredQueryStrings: ['a', 'a'] }),
    /requiredQueryStrings of route 'GET \/x' is 'a'; it appears twice/],
  ['a cache TTL over an hour', (s) => new SecureApi(s, 'Api', { authorization: ApiAuthorization.cognito(pool(s), { resultsCacheTtl: Duration.hours(2) }) }),
    /authorization: resultsCacheTtl is 2 hours; it must be a whole number of seconds from 0 seconds to 1 hour/],
  ['empty scopes', (s) => new SecureApi(s, 'Api', { authorization: ApiAuthorization.cognito(pool(s), { scopes: [] }) }), /authorization: scopes is \[\]/],
  ['a request authorizer without identity sources', (s) => new SecureApi(s, 'Api', { authorization: ApiAuthorization.lambdaRequest(fn(s), []) }),
    /authorization: identitySources is \[\]; it must list at least one identity source/],
  ['a malformed identity source', (s) => new SecureApi(s, 'Api', { authorization: ApiAuthorization.lambdaRequest(fn(s), ['Authorization']) }),
    /authorization: identitySources is 'Authorization'; each must be method.request.header.<name>/],
  ['a token authorizer with a bad regex', (s) => new SecureApi(s, 'Api', { authorization: ApiAuthorization.lambdaToken(fn(s), { validationRegex: '(' }) }),
    /authorization: validationRegex is '\('; it must be a valid regular expression/],
  ['a Cognito authorization without a pool', (s) => new SecureApi(s, 'Api', { authorization: ApiAuthorization.cognito(undefined as any) }),
    /authorization: userPool is null; it must be a Cognito user pool/],
  ['authorization that is not an ApiAuthorization', (s) => new SecureApi(s, 'Api', { authorization: {} as any }),
    /authorization is '\[object Object\]'; it must be made with ApiAuthorization.cognito\(\)/],
  ['an unknown cloudWatchRole', (s) => new SecureApi(s, 'Api', { userPool: pool(s), cloudWatchRole: 'MAYBE' as any }),
    /cloudWatchRole is 'MAYBE'; it must be an ApiCloudWatchRole value: CREATE, EXISTING/],
  ['a bad firewall rate limit', (s) => new SecureApi(s, 'Api', { userPool: pool(s), firewall: { rateLimit: 5 } }),
    /firewall.rateLimit is 5; it must be an integer from 10 to 2000000000/],
  ['a CloudFront web ACL', (s) => new SecureApi(s, 'Api', {
    userPool: pool(s), firewall: { webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/1' },
  }), /firewall.webAclArn/],
  ['a 5XX threshold of 5 (a percentage, not a share)', (s) => new SecureApi(s, 'Api', { userPool: pool(s), alarms: { serverErrorRate: { threshold: 5 } } }),
    /alarms.serverErrorRate.threshold is 5; it is a share of requests from 0 to 1/],
  ['a latency of zero', (s) => new SecureApi(s, 'Api', { userPool: pool(s), alarms: { latencyP90: { maxLatency: Duration.seconds(0) } } }),
    /alarms.latencyP90.maxLatency is 0 seconds; it must be a whole number of milliseconds from 1 millisecond to 60 seconds/],
  ['a bad alarm period', (s) => new SecureApi(s, 'Api', { userPool: pool(s), alarms: { throttledRequests: { period: Duration.seconds(45) } } }),
    /alarms.throttledRequests.period is 45 seconds/],
  ['a usage plan with a negative quota', (s) => new SecureApi(s, 'Api', { userPool: pool(s) }).addUsagePlan('P', { quota: { limit: -1 } }),
    /quota.limit of usage plan 'P' is -1; it must be an integer of 0 or more/],
  ['grantInvoke without IAM routes', (s) => {
    const api = new SecureApi(s, 'Api', { userPool: pool(s) });
    api.addRoute(ApiMethod.GET, '/x', fn(s));
    api.grantInvoke(new iam.Role(s, 'R', { assumedBy: new iam.AccountRootPrincipal() }));
  }, /grantInvoke: no route is authorized with IAM/],
  ['grantInvoke on a Cognito route', (s) => {
    const api = new SecureApi(s, 'Api', { userPool: pool(s) });
    api.addRoute(ApiMethod.GET, '/x', fn(s));
    api.grantInvoke(new iam.Role(s, 'R', { assumedBy: new iam.AccountRootPrincipal() }), ApiMethod.GET, '/x');
  }, /route 'GET \/x' is not authorized with IAM/],
];

describe('SecureApi invalid input fails at synthesis with a clear message', () => {
  test.each(INVALID)('%s', (_name, build, message) => {
    const stack = apiStack();
    const error = thrownBy(() => build(stack));
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).not.toBe('TypeError');
    expect((error as Error).message).toMatch(/^SecureApi 'TestStack\/Api': /);
    expect((error as Error).message).toMatch(message);
  });

  test('unresolved tokens are not checked', () => {
    const stack = apiStack();
    const props: SecureApiProps = { userPool: pool(stack), throttle: { rateLimit: Stack.of(stack).resolve(1) } };
    expect(() => new SecureApi(stack, 'Api', props)).not.toThrow();
  });
});

describe('SecureApi path parts that are CDK construct ids (legal in API Gateway)', () => {
  test.each(['Default', 'Resource', 'GET', 'OPTIONS', 'ANY'])('/%s and /orders/<it> are routes of their own, beside / and /orders', (part) => {
    const stack = apiStack();
    const api = new SecureApi(stack, 'Api', { userPool: pool(stack), cors: { allowOrigins: ['https://app.example.com'] } });
    const handler = fn(stack);
    for (const path of ['/', `/${part}`, '/orders', `/orders/${part}`, `/orders/${part}/{id}`]) {
      api.addRoute(ApiMethod.GET, path, handler);
    }
    const template = Template.fromStack(stack);
    const resources = Object.values(template.findResources('AWS::ApiGateway::Resource')).map((r) => r.Properties.PathPart);
    expect(resources.sort()).toEqual([part, part, 'orders', '{id}'].sort());
    const methods = api.routes.map((r) => logicalIdOf(r.apiMethod));
    expect(new Set(methods).size).toBe(5);
    // Each method is on the resource of its own path.
    const paths = api.routes.map((r) => r.apiMethod.resource.path);
    expect(paths).toEqual(['/', `/${part}`, '/orders', `/orders/${part}`, `/orders/${part}/{id}`]);
  });

  test('the same reserved part twice is one resource', () => {
    const stack = apiStack();
    const api = new SecureApi(stack, 'Api', { userPool: pool(stack) });
    api.addRoute(ApiMethod.GET, '/Default', fn(stack));
    api.addRoute(ApiMethod.POST, '/Default', fn(stack, 'H2'));
    Template.fromStack(stack).resourceCountIs('AWS::ApiGateway::Resource', 1);
  });
});
