import { ArnFormat, Aws, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ComplianceProfile, Monitoring, SecureFunction } from '../../src';
import { ApiMethod } from '../../src/core/api-method';
import { HttpApiAuthorization, HttpApiLambdaResponseType } from '../../src/secure-http-api/http-api-authorization';
import { SecureHttpApi } from '../../src/secure-http-api/secure-http-api';
import { HttpApiRouteDefinition } from '../../src/secure-http-api/secure-http-api-props';
import { FLAG_SETS, INLINE_CODE, newStack } from '../support/app';
import { actionsOn, expectProperties, keyStatementFor, logicalIdOf, resourceOf, stackKeyOf, statementsOf } from '../support/template';

const FLAG_SET_ENTRIES = Object.entries(FLAG_SETS);
const ISSUER = 'https://issuer.example.com/';

function plainFunction(stack: Stack, id = 'Fn'): lambda.Function {
  return new lambda.Function(stack, id, { code: INLINE_CODE, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X });
}

function jwt(): HttpApiAuthorization {
  return HttpApiAuthorization.jwt(ISSUER, ['orders-api']);
}

/** The template entry of a route, by its route key. */
function routeResource(template: Template, routeKey: string): any {
  const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } }));
  expect(routes).toHaveLength(1);
  return routes[0];
}

function dashboardBody(template: Template): string {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  return JSON.stringify(dashboards[0].Properties.DashboardBody);
}

/** `arn:<partition>:execute-api:eu-west-1:123456789012:<api>/<resource>` as the template renders it. */
function executeApiArn(stack: Stack, api: SecureHttpApi, resource: string) {
  return stack.resolve(stack.formatArn({ service: 'execute-api', resource: api.httpApi.apiId, arnFormat: ArnFormat.SLASH_RESOURCE_NAME, resourceName: resource }));
}

describe.each(FLAG_SET_ENTRIES)('SecureHttpApi defaults (%s)', (_flagSet, flags) => {
  describe.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('%s profile', (profile) => {
    const regulated = profile === ComplianceProfile.REGULATED;
    let stack: Stack;
    let api: SecureHttpApi;
    let fn: lambda.Function;
    let template: Template;

    beforeAll(() => {
      stack = newStack(flags, profile);
      fn = plainFunction(stack);
      api = new SecureHttpApi(stack, 'Api', { authorization: jwt() });
      api.addRoute(ApiMethod.GET, '/orders/{orderId}', fn);
      template = Template.fromStack(stack);
    });

    test('an HTTP API with stable construct ids and the profile in force', () => {
      expect(api.httpApi).toBe(api.node.findChild('Api'));
      expect(api.stage).toBe(api.node.findChild('Stage'));
      expect(api.accessLogGroup).toBe(api.node.findChild('AccessLogs'));
      expect(api.complianceProfile).toBe(profile);
      expectProperties(template, api.httpApi, { ProtocolType: 'HTTP', DisableExecuteApiEndpoint: Match.absent(), CorsConfiguration: Match.absent() });
      template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    });

    test('one $default stage, auto-deployed, throttled at 1,000 requests per second with bursts of 2,000', () => {
      template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
      expectProperties(template, api.stage, {
        ApiId: stack.resolve(api.httpApi.apiId),
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 },
      });
      template.resourceCountIs('AWS::ApiGatewayV2::Deployment', 0);
    });

    test('JSON access logs to the created log group, with the documented fields', () => {
      const settings = resourceOf(template, api.stage).Properties.AccessLogSettings;
      expect(settings.DestinationArn).toEqual(stack.resolve((api.accessLogGroup as logs.LogGroup).logGroupArn));
      expect(JSON.parse(settings.Format)).toEqual({
        requestId: '$context.requestId',
        extendedRequestId: '$context.extendedRequestId',
        ip: '$context.identity.sourceIp',
        userAgent: '$context.identity.userAgent',
        requestTime: '$context.requestTime',
        requestTimeEpoch: '$context.requestTimeEpoch',
        httpMethod: '$context.httpMethod',
        path: '$context.path',
        routeKey: '$context.routeKey',
        status: '$context.status',
        protocol: '$context.protocol',
        responseLength: '$context.responseLength',
        responseLatency: '$context.responseLatency',
        domainName: '$context.domainName',
        authorizerError: '$context.authorizer.error',
        integrationStatus: '$context.integration.status',
        integrationLatency: '$context.integration.latency',
        integrationError: '$context.integration.error',
        integrationErrorMessage: '$context.integrationErrorMessage',
        principalId: '$context.authorizer.principalId',
        jwtSubject: '$context.authorizer.claims.sub',
        userArn: '$context.identity.userArn',
        errorMessage: '$context.error.message',
        errorResponseType: '$context.error.responseType',
      });
    });

    test(`the access log group keeps logs one year, is retained and is ${regulated ? 'encrypted with the stack key' : 'not KMS-encrypted'}`, () => {
      expectProperties(template, api.accessLogGroup, {
        RetentionInDays: 365,
        LogGroupName: Match.absent(),
        KmsKeyId: regulated ? stack.resolve(stackKeyOf(stack).keyArn) : Match.absent(),
      });
      const resource = resourceOf(template, api.accessLogGroup);
      expect(resource.DeletionPolicy).toBe('Retain');
      expect(resource.UpdateReplacePolicy).toBe('Retain');
    });

    if (regulated) {
      test('deploy-time trap: the stack key lets CloudWatch Logs encrypt log groups, scoped by encryption context (no cycle)', () => {
        const statement = keyStatementFor(template, stackKeyOf(stack), stack.resolve(`logs.${Aws.REGION}.amazonaws.com`));
        expect([statement.Action].flat().sort()).toEqual(['kms:Decrypt*', 'kms:Describe*', 'kms:Encrypt*', 'kms:GenerateDataKey*', 'kms:ReEncrypt*']);
        expect(statement.Condition).toEqual({
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.resolve(`arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`) },
        });
      });
    } else {
      test('the API uses no customer-managed key', () => {
        // Whether the stack has a key at all is the alarm topic's business, not the API's.
        expect(resourceOf(template, api.accessLogGroup).Properties.KmsKeyId).toBeUndefined();
      });
    }

    test('the route is authorized with a JWT authorizer on the issuer and audience', () => {
      template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        ApiId: stack.resolve(api.httpApi.apiId),
        AuthorizerType: 'JWT',
        Name: 'JwtAuthorizer',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: { Issuer: ISSUER, Audience: ['orders-api'] },
      });
      const route = routeResource(template, 'GET /orders/{orderId}');
      expect(route.Properties.AuthorizationType).toBe('JWT');
      expect(route.Properties.AuthorizationScopes).toBeUndefined();
    });

    test('the route invokes the handler with a Lambda proxy integration, payload format 2.0', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
        ApiId: stack.resolve(api.httpApi.apiId),
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: stack.resolve(fn.functionArn),
        PayloadFormatVersion: '2.0',
      });
      expect(api.routes).toHaveLength(1);
      expect(api.routes[0]).toBe(api.node.findChild('Routes').node.findChild('GET--orders--{orderId}'));
    });

    test('deploy-time trap: the handler\'s resource policy admits API Gateway for this API and this route\'s path only', () => {
      const permissions = Object.values(template.findResources('AWS::Lambda::Permission'));
      expect(permissions).toHaveLength(1);
      expect(permissions[0].Properties).toEqual({
        Action: 'lambda:InvokeFunction',
        FunctionName: stack.resolve(fn.functionArn),
        Principal: 'apigateway.amazonaws.com',
        SourceArn: executeApiArn(stack, api, '*/*/orders/{orderId}'),
      });
    });

    test('alarms on the 5xx rate, the 4xx rate and p90 latency of the stage, to the alarm topic', () => {
      const dimensions = [{ Name: 'ApiId', Value: stack.resolve(api.httpApi.apiId) }, { Name: 'Stage', Value: '$default' }];
      const topic = stack.resolve(Monitoring.of(stack).alarmTopic.topicArn);
      const expected = [
        { MetricName: '5xx', Statistic: 'Average', Threshold: 0.05, EvaluationPeriods: 3 },
        { MetricName: '4xx', Statistic: 'Average', Threshold: 0.05, EvaluationPeriods: 5 },
        { MetricName: 'Latency', ExtendedStatistic: 'p90', Threshold: 2500, EvaluationPeriods: 5 },
      ];
      for (const alarm of expected) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          ...alarm,
          Namespace: 'AWS/ApiGateway',
          Dimensions: dimensions,
          Period: 60,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
          AlarmActions: [topic],
          AlarmDescription: Match.stringLikeRegexp('.+'),
        });
      }
      expect(api.alarms).toHaveLength(3);
      for (const alarm of api.alarms) {
        const description: string = resourceOf(template, alarm).Properties.AlarmDescription;
        expect(description.length).toBeLessThanOrEqual(1024);
      }
    });

    test('a dashboard section with requests, error rates and latency', () => {
      const body = dashboardBody(template);
      expect(body).toContain('HTTP API TestStack/Api');
      for (const title of ['Requests / errors', 'Error rates', 'Latency (ms)']) {
        expect(body).toContain(title);
      }
      expect(body).toContain('IntegrationLatency');
    });

    test('no warnings beyond the acknowledged ones', () => {
      Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    });
  });
});

describe('SecureHttpApi CORS preflights and authorized catch-all routes', () => {
  // "Configure CORS for HTTP APIs in API Gateway" (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html):
  // API Gateway answers preflights itself only when no route takes them; the $default route (and an ANY
  // route) takes OPTIONS requests, and browsers send preflights without a token, so the authorizer
  // refuses them. An anonymous OPTIONS route for the path (OPTIONS /{proxy+} for $default) takes them first.
  const ID = 'cdk-bulwark:http-api:authorized-preflight';
  const CORS = { allowOrigins: ['https://app.example.com'] };

  function preflightWarnings(build: (api: SecureHttpApi, fn: lambda.IFunction) => void, props: Record<string, unknown> = { cors: CORS }) {
    const stack = newStack();
    const fn = plainFunction(stack);
    const api = new SecureHttpApi(stack, 'Api', { authorization: jwt(), ...props });
    build(api, fn);
    return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(ID)).map((w) => `${w.id}: ${w.entry.data}`);
  }

  test.each<[string, (api: SecureHttpApi, fn: lambda.IFunction) => void, string[]]>([
    ['an authorized ANY route', (api, fn) => api.addRoute(ApiMethod.ANY, '/orders/{id}', fn),
      ["/TestStack/Api/Routes/ANY--orders--{id}: route 'ANY /orders/{id}' of TestStack/Api is authorized and takes OPTIONS requests, and the API "
        + 'has cors: browsers send CORS preflight requests without a token, so they reach the authorizer and fail, and every cross-origin call '
        + 'from a browser fails. Add an OPTIONS /orders/{id} route with allowAnonymous: true']],
    ['an authorized ANY route with an anonymous OPTIONS route of the same path', (api, fn) => {
      api.addRoute(ApiMethod.ANY, '/orders/{id}', fn);
      api.addRoute(ApiMethod.OPTIONS, '/orders/{id}', fn, { allowAnonymous: true });
    }, []],
    ['an authorized ANY route and an authorized OPTIONS route', (api, fn) => {
      api.addRoute(ApiMethod.ANY, '/orders', fn);
      api.addRoute(ApiMethod.OPTIONS, '/orders', fn);
    }, ["/TestStack/Api/Routes/ANY--orders: route 'ANY /orders' of TestStack/Api is authorized"]],
    ['an authorized greedy ANY route, with OPTIONS /{proxy+} only (an exact or longer path wins)', (api, fn) => {
      api.addRoute(ApiMethod.ANY, '/files/{proxy+}', fn);
      api.addRoute(ApiMethod.OPTIONS, '/{proxy+}', fn, { allowAnonymous: true });
    }, ["/TestStack/Api/Routes/ANY--files--{proxy+}: route 'ANY /files/{proxy+}' of TestStack/Api is authorized"]],
    ['an anonymous ANY route', (api, fn) => api.addRoute(ApiMethod.ANY, '/public', fn, { allowAnonymous: true }), []],
    ['a GET route (API Gateway answers its preflights)', (api, fn) => api.addRoute(ApiMethod.GET, '/orders', fn), []],
  ])('%s', (_what, build, expected) => {
    const warnings = preflightWarnings(build);
    expect(warnings).toHaveLength(expected.length);
    expected.forEach((text, i) => expect(warnings[i]).toContain(text));
  });

  test('the authorized $default route: warned until an anonymous OPTIONS /{proxy+} route is added, even after construction', () => {
    const stack = newStack();
    const fn = plainFunction(stack);
    const warned = new SecureHttpApi(stack, 'Warned', { authorization: jwt(), cors: CORS, defaultHandler: fn });
    const covered = new SecureHttpApi(stack, 'Covered', { authorization: jwt(), cors: CORS, defaultHandler: fn });
    covered.addRoute(ApiMethod.OPTIONS, '/{proxy+}', fn, { allowAnonymous: true });
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(ID));
    expect(warnings.map((w) => w.id)).toEqual([`/${warned.routes[0].node.path}`]);
    expect(warnings[0].entry.data).toContain('the $default route (defaultHandler) of TestStack/Warned is authorized and takes OPTIONS requests');
    expect(warnings[0].entry.data).toContain('Add an OPTIONS /{proxy+} route with allowAnonymous: true');
  });

  test('without cors, nothing to warn about', () => {
    expect(preflightWarnings((api, fn) => api.addRoute(ApiMethod.ANY, '/orders', fn), {})).toEqual([]);
  });
});

describe('SecureHttpApi routes and authorization', () => {
  test('path parts that are CDK construct ids (Default, Resource, GET) are routes like any other', () => {
    const stack = newStack();
    const fn = plainFunction(stack);
    const api = new SecureHttpApi(stack, 'Api', { authorization: jwt() });
    const paths = ['/', '/Default', '/Resource', '/GET', '/orders/Default'];
    paths.forEach((path) => api.addRoute(ApiMethod.GET, path, fn));
    const template = Template.fromStack(stack);
    paths.forEach((path) => routeResource(template, `GET ${path}`));
  });

  test('the routes prop and addRoute() make the same routes; a route overrides the API authorization', () => {
    const stack = newStack();
    const fn = plainFunction(stack);
    const api = new SecureHttpApi(stack, 'Api', {
      authorization: jwt(),
      routes: [HttpApiRouteDefinition.of(ApiMethod.POST, '/orders', fn, { authorization: HttpApiAuthorization.iam() })],
    });
    api.addRoute(ApiMethod.GET, '/', fn);
    const template = Template.fromStack(stack);
    expect(routeResource(template, 'POST /orders').Properties.AuthorizationType).toBe('AWS_IAM');
    expect(routeResource(template, 'GET /').Properties.AuthorizationType).toBe('JWT');
    expect(api.routes.map((r) => r.node.id)).toEqual(['POST--orders', 'GET--']);
  });

  test('routes sharing one authorization object share one authorizer; another object makes another', () => {
    const stack = newStack();
    const fn = plainFunction(stack);
    const shared = jwt();
    const api = new SecureHttpApi(stack, 'Api', { authorization: shared });
    api.addRoute(ApiMethod.GET, '/a', fn);
    api.addRoute(ApiMethod.GET, '/b', fn, { authorization: shared });
    api.addRoute(ApiMethod.GET, '/c', fn, { authorization: HttpApiAuthorization.jwt(ISSUER, ['other'], { scopes: ['orders/read'] }) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 2);
    const a = routeResource(template, 'GET /a').Properties.AuthorizerId;
    expect(routeResource(template, 'GET /b').Properties.AuthorizerId).toEqual(a);
    const c = routeResource(template, 'GET /c').Properties;
    expect(c.AuthorizerId).not.toEqual(a);
    expect(c.AuthorizationScopes).toEqual(['orders/read']);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { Name: 'JwtAuthorizer2', JwtConfiguration: { Audience: ['other'] } });
  });

  test('one authorization object can serve two APIs: each gets its own authorizer', () => {
    const stack = newStack();
    const fn = plainFunction(stack);
    const shared = jwt();
    new SecureHttpApi(stack, 'A', { authorization: shared, defaultHandler: fn });
    new SecureHttpApi(stack, 'B', { authorization: shared, defaultHandler: fn });
    Template.fromStack(stack).resourceCountIs('AWS::ApiGatewayV2::Authorizer', 2);
  });

  test('cognito(): a JWT authorizer whose issuer is the pool and whose audience is the given clients; no client is created', () => {
    const stack = newStack();
    const pool = new cognito.UserPool(stack, 'Pool');
    const client = pool.addClient('Web');
    const api = new SecureHttpApi(stack, 'Api', {
      authorization: HttpApiAuthorization.cognito(pool, [client], { scopes: ['orders/read'] }),
      defaultHandler: plainFunction(stack),
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      Name: 'CognitoAuthorizer',
      JwtConfiguration: {
        Audience: [stack.resolve(client.userPoolClientId)],
        Issuer: { 'Fn::Join': ['', ['https://cognito-idp.eu-west-1.amazonaws.com/', stack.resolve(pool.userPoolId)]] },
      },
    });
    expect(routeResource(template, '$default').Properties.AuthorizationScopes).toEqual(['orders/read']);
    expect(api.routes).toHaveLength(1);
  });

  test('lambdaAuthorizer(): SIMPLE responses, 5-minute cache on the Authorization header, invocable only by this authorizer', () => {
    const stack = newStack();
    const authFn = plainFunction(stack, 'AuthFn');
    const api = new SecureHttpApi(stack, 'Api', { authorization: HttpApiAuthorization.lambdaAuthorizer(authFn), defaultHandler: plainFunction(stack) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      Name: 'LambdaAuthorizer',
      EnableSimpleResponses: true,
      AuthorizerPayloadFormatVersion: '2.0',
      AuthorizerResultTtlInSeconds: 300,
      IdentitySource: ['$request.header.Authorization'],
    });
    expect(routeResource(template, '$default').Properties.AuthorizationType).toBe('CUSTOM');
    const authorizerId = api.httpApi.node.findChild('LambdaAuthorizer') as apigwv2.HttpAuthorizer;
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: stack.resolve(authFn.functionArn),
      Principal: 'apigateway.amazonaws.com',
      SourceArn: stack.resolve(stack.formatArn({
        service: 'execute-api', resource: api.httpApi.apiId, arnFormat: ArnFormat.SLASH_RESOURCE_NAME, resourceName: `authorizers/${authorizerId.authorizerId}`,
      })),
    });
  });

  test('lambdaAuthorizer() options: identity source, cache off, IAM policy responses', () => {
    const stack = newStack();
    new SecureHttpApi(stack, 'Api', {
      authorization: HttpApiAuthorization.lambdaAuthorizer(plainFunction(stack, 'AuthFn'), {
        identitySource: [], resultsCacheTtl: Duration.seconds(0), responseTypes: [HttpApiLambdaResponseType.IAM],
      }),
      defaultHandler: plainFunction(stack),
    });
    const props = Object.values(Template.fromStack(stack).findResources('AWS::ApiGatewayV2::Authorizer'))[0].Properties;
    expect(props.AuthorizerResultTtlInSeconds).toBe(0);
    expect(props.EnableSimpleResponses).toBeUndefined();
    expect(props.AuthorizerPayloadFormatVersion).toBe('1.0');
    expect(props.IdentitySource).toEqual([]);
  });

  test('defaultHandler makes the authorized $default route; its permission covers every path of this API', () => {
    const stack = newStack();
    const fn = plainFunction(stack);
    const api = new SecureHttpApi(stack, 'Api', { authorization: jwt(), defaultHandler: fn });
    const template = Template.fromStack(stack);
    expect(routeResource(template, '$default').Properties.AuthorizationType).toBe('JWT');
    template.hasResourceProperties('AWS::Lambda::Permission', { SourceArn: executeApiArn(stack, api, '*/*') });
    expect(api.routes[0]).toBe(api.node.findChild('Routes').node.findChild('DefaultRoute'));
  });

  test('allowAnonymous makes a public route with an acknowledgeable warning naming it', () => {
    const stack = newStack();
    const api = new SecureHttpApi(stack, 'Api', { authorization: jwt() });
    const route = api.addRoute(ApiMethod.GET, '/health', plainFunction(stack), { allowAnonymous: true });
    const template = Template.fromStack(stack);
    expect(routeResource(template, 'GET /health').Properties.AuthorizationType).toBe('NONE');
    expect(routeResource(template, 'GET /health').Properties.AuthorizerId).toBeUndefined();
    Annotations.fromStack(stack).hasWarning(`/${route.node.path}`,
      Match.stringLikeRegexp("route 'GET /health' of TestStack/Api allows anonymous access.*\\[ack: cdk-bulwark:http-api:anonymous-route\\]"));
  });

  test('allowAnonymous: false keeps the API authorization', () => {
    const stack = newStack();
    const api = new SecureHttpApi(stack, 'Api', { authorization: jwt() });
    api.addRoute(ApiMethod.GET, '/x', plainFunction(stack), { allowAnonymous: false });
    expect(routeResource(Template.fromStack(stack), 'GET /x').Properties.AuthorizationType).toBe('JWT');
  });

  test('a SecureFunction handler is used through its lambdaFunction', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Handler', { code: INLINE_CODE, handler: 'index.handler' });
    new SecureHttpApi(stack, 'Api', { authorization: jwt(), defaultHandler: fn.lambdaFunction });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationUri: stack.resolve(fn.lambdaFunction.functionArn) });
  });
});

describe('SecureHttpApi grantInvoke()', () => {
  function iamApi() {
    const stack = newStack();
    const fn = plainFunction(stack);
    const api = new SecureHttpApi(stack, 'Api', { authorization: HttpApiAuthorization.iam() });
    api.addRoute(ApiMethod.GET, '/orders/{orderId}/items', fn);
    api.addRoute(ApiMethod.ANY, '/files/{proxy+}', fn);
    api.addRoute(ApiMethod.GET, '/public', fn, { authorization: jwt() });
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    return { stack, api, role };
  }

  test('one route: execute-api:Invoke on exactly its ARN, path parameters as *', () => {
    const { stack, api, role } = iamApi();
    api.grantInvoke(role, ApiMethod.GET, '/orders/{orderId}/items');
    const statements = statementsOf(Template.fromStack(stack), role);
    expect(statements).toHaveLength(1);
    expect(actionsOn(statements, executeApiArn(stack, api, '*/GET/orders/*/items'))).toEqual(['execute-api:Invoke']);
  });

  test('no method and path: every IAM-authorized route, ANY as *, and no JWT route', () => {
    const { stack, api, role } = iamApi();
    api.grantInvoke(role);
    const statements = statementsOf(Template.fromStack(stack), role);
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toBe('execute-api:Invoke');
    expect(statements[0].Resource).toEqual([
      executeApiArn(stack, api, '*/GET/orders/*/items'),
      executeApiArn(stack, api, '*/*/files/*'),
    ]);
  });

  test('a route that is not IAM-authorized cannot be granted', () => {
    const { api, role } = iamApi();
    expect(() => api.grantInvoke(role, ApiMethod.GET, '/public')).toThrow(
      "SecureHttpApi 'TestStack/Api': grantInvoke() is 'GET /public'; no route authorized with HttpApiAuthorization.iam() matches it");
  });

  test('a grantee without an identity policy in this account is refused', () => {
    const { api } = iamApi();
    expect(() => api.grantInvoke(new iam.ServicePrincipal('events.amazonaws.com'))).toThrow(/HTTP APIs have no resource policy/);
  });
});

describe('SecureHttpApi overrides and bring-your-own', () => {
  test('provided accessLogGroup is used and no log group is created', () => {
    const stack = newStack();
    const own = new logs.LogGroup(stack, 'MyLogs', { retention: logs.RetentionDays.ONE_MONTH });
    const api = new SecureHttpApi(stack, 'Api', { authorization: jwt(), defaultHandler: plainFunction(stack), accessLogGroup: own });
    const template = Template.fromStack(stack);
    expect(api.accessLogGroup).toBe(own);
    expect(api.node.tryFindChild('AccessLogs')).toBeUndefined();
    expect(resourceOf(template, api.stage).Properties.AccessLogSettings.DestinationArn).toEqual(stack.resolve(own.logGroupArn));
  });

  test('accessLogGroup absent: a log group is created with the given retention', () => {
    const stack = newStack();
    const api = new SecureHttpApi(stack, 'Api', {
      authorization: jwt(), defaultHandler: plainFunction(stack), accessLogRetention: logs.RetentionDays.THREE_MONTHS,
    });
    expectProperties(Template.fromStack(stack), api.accessLogGroup, { RetentionInDays: 90 });
  });

  test('provided monitoring gets the alarms and the dashboard section', () => {
    const stack = newStack();
    const monitoring = new Monitoring(stack, 'Mine');
    const api = new SecureHttpApi(stack, 'Api', { authorization: jwt(), defaultHandler: plainFunction(stack), monitoring });
    expect(monitoring.alarms).toEqual(expect.arrayContaining(api.alarms));
    expect(stack.node.tryFindChild('BulwarkMonitoring')).toBeUndefined();
  });

  test('throttle, alarm thresholds and disabled alarms', () => {
    const stack = newStack();
    const api = new SecureHttpApi(stack, 'Api', {
      authorization: jwt(),
      defaultHandler: plainFunction(stack),
      throttle: { rateLimit: 12.5, burstLimit: 20 },
      alarms: {
        serverErrorRate: { threshold: 0.01, evaluationPeriods: 5, datapointsToAlarm: 2 },
        clientErrorRate: { enabled: false },
        latencyP90: { maxLatency: Duration.millis(800), period: Duration.minutes(5), evaluationPeriods: 1 },
      },
    });
    const template = Template.fromStack(stack);
    expectProperties(template, api.stage, { DefaultRouteSettings: { ThrottlingRateLimit: 12.5, ThrottlingBurstLimit: 20 } });
    expect(api.alarms).toHaveLength(2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: '5xx', Threshold: 0.01, EvaluationPeriods: 5, DatapointsToAlarm: 2 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Latency', Threshold: 800, Period: 300, EvaluationPeriods: 1 });
    expect(template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: '4xx' } })).toEqual({});
  });

  test('a throttle of 0 is legal but warns that every request is rejected', () => {
    const stack = newStack();
    const api = new SecureHttpApi(stack, 'Api', { authorization: jwt(), defaultHandler: plainFunction(stack), throttle: { rateLimit: 0 } });
    Annotations.fromStack(stack).hasWarning(`/${api.node.path}`, Match.stringLikeRegexp('throttle.rateLimit is 0.*cdk-bulwark:http-api:throttle-rejects-all'));
  });

  test('CORS when configured', () => {
    const stack = newStack();
    const api = new SecureHttpApi(stack, 'Api', {
      authorization: jwt(),
      defaultHandler: plainFunction(stack),
      cors: { allowOrigins: ['https://app.example.com'], allowMethods: [apigwv2.CorsHttpMethod.GET], allowCredentials: true, maxAge: Duration.hours(1) },
    });
    expectProperties(Template.fromStack(stack), api.httpApi, {
      CorsConfiguration: { AllowOrigins: ['https://app.example.com'], AllowMethods: ['GET'], AllowCredentials: true, MaxAge: 3600 },
    });
  });

  test('a custom domain with TLS 1.2, mapped to the $default stage, and the execute-api endpoint turned off', () => {
    const stack = newStack();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:123456789012:certificate/abc');
    const api = new SecureHttpApi(stack, 'Api', {
      authorization: jwt(), defaultHandler: plainFunction(stack), domainName: 'api.example.com', certificate, disableExecuteApiEndpoint: true,
    });
    const template = Template.fromStack(stack);
    expect(api.customDomain).toBe(api.node.findChild('DomainName'));
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'api.example.com',
      DomainNameConfigurations: [{ CertificateArn: certificate.certificateArn, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }],
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', {
      ApiId: stack.resolve(api.httpApi.apiId),
      DomainName: stack.resolve(api.customDomain!.name),
      Stage: '$default',
    });
    expectProperties(template, api.httpApi, { DisableExecuteApiEndpoint: true });
  });

  test('metric methods read the $default stage', () => {
    const stack = newStack();
    const api = new SecureHttpApi(stack, 'Api', { authorization: jwt(), defaultHandler: plainFunction(stack) });
    const metrics = [
      [api.metricCount(), 'Count', 'Sum'], [api.metricServerError(), '5xx', 'Sum'], [api.metricClientError(), '4xx', 'Sum'],
      [api.metricLatency(), 'Latency', 'p90'], [api.metricIntegrationLatency(), 'IntegrationLatency', 'p90'],
      [api.metricDataProcessed(), 'DataProcessed', 'Sum'],
    ] as const;
    for (const [metric, name, statistic] of metrics) {
      expect(metric.namespace).toBe('AWS/ApiGateway');
      expect(metric.metricName).toBe(name);
      expect(metric.statistic).toBe(statistic);
      expect(stack.resolve(metric.dimensions)).toEqual({ ApiId: stack.resolve(api.httpApi.apiId), Stage: '$default' });
    }
    expect(stack.resolve(api.url)).toEqual(stack.resolve(api.stage.url));
  });
});

test('two SecureHttpApis in one stack do not collide', () => {
  const stack = newStack();
  const fn = plainFunction(stack);
  const a = new SecureHttpApi(stack, 'A', { authorization: jwt(), defaultHandler: fn });
  const b = new SecureHttpApi(stack, 'B', { authorization: jwt(), defaultHandler: fn });
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::ApiGatewayV2::Api', 2);
  template.resourceCountIs('AWS::ApiGatewayV2::Stage', 2);
  template.resourceCountIs('AWS::Logs::LogGroup', 2);
  template.resourceCountIs('AWS::Lambda::Permission', 2);
  expect(logicalIdOf(a.httpApi)).not.toEqual(logicalIdOf(b.httpApi));
  expect(resourceOf(template, a.httpApi).Properties.Name).not.toEqual(resourceOf(template, b.httpApi).Properties.Name);
  expect(a.alarms.length + b.alarms.length).toBe(6);
});

test('an API without routes fails synthesis: API Gateway cannot deploy a stage without routes', () => {
  const stack = newStack();
  new SecureHttpApi(stack, 'Api', { authorization: jwt() });
  expect(() => Template.fromStack(stack)).toThrow(
    "SecureHttpApi 'TestStack/Api' has no routes: API Gateway cannot deploy an HTTP API stage without routes");
});
