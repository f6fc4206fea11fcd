import { Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ApiCloudWatchRole, ComplianceProfile, SecureFunction, SecureWebSocketApi, SecureWebSocketApiProps, WebSocketAuthorization } from '../../src';
import { INLINE_CODE, newStack, thrownBy } from '../support/app';

const PREFIX = "SecureWebSocketApi 'TestStack/Live': ";

function handler(stack: Stack, id = 'Fn'): lambda.IFunction {
  return (stack.node.tryFindChild(id) as lambda.IFunction | undefined)
    ?? new lambda.Function(stack, id, { code: INLINE_CODE, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X });
}

function pool(stack: Stack): cognito.IUserPool {
  return (stack.node.tryFindChild('Pool') as cognito.IUserPool | undefined) ?? cognito.UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_abc');
}

function client(stack: Stack): cognito.IUserPoolClient {
  return (stack.node.tryFindChild('Client') as cognito.IUserPoolClient | undefined)
    ?? cognito.UserPoolClient.fromUserPoolClientId(stack, 'Client', 'client123');
}

const IAM = () => WebSocketAuthorization.iam();

type Case = [string, (stack: Stack) => SecureWebSocketApiProps, ((api: SecureWebSocketApi, stack: Stack) => void) | undefined, string];

/** Every bad input fails at construction with a BulwarkError naming the construct, the prop, the value and what is allowed. */
const CASES: Case[] = [
  ['props that are not an object', () => 'x' as any, undefined, "props is 'x'; they must be a SecureWebSocketApiProps object"],
  ['a misspelled prop', () => ({ authorization: IAM(), routeSelection: '$request.body.type' } as any), undefined,
    'routeSelection is \'$request.body.type\'; SecureWebSocketApiProps has no such property. Its properties are complianceProfile'],
  ['no authorization and no opt-in', () => ({}), undefined,
    'the $connect route has no authorization: give authorization (WebSocketAuthorization.cognito(...), .lambdaAuthorizer(...) or .iam()), '
    + 'or, for a public API anyone may connect to, allowAnonymousConnect: true'],
  ['allowAnonymousConnect false without authorization', () => ({ allowAnonymousConnect: false }), undefined,
    'the $connect route has no authorization'],
  ['authorization and the anonymous opt-in together', () => ({ authorization: IAM(), allowAnonymousConnect: true }), undefined,
    'authorization and allowAnonymousConnect cannot be set together'],
  ['an opt-in that is not a boolean', () => ({ allowAnonymousConnect: 'yes' as any }), undefined,
    "allowAnonymousConnect is 'yes'; it must be true or false"],
  ['an authorization that is a plain object', () => ({ authorization: { kind: 'IAM' } as any }), undefined,
    'authorization is {"kind":"IAM"}; it must be made with WebSocketAuthorization.cognito(), .lambdaAuthorizer() or .iam()'],
  ['a Lambda authorizer without a function', () => ({ authorization: WebSocketAuthorization.lambdaAuthorizer(undefined as any) }), undefined,
    'authorization: handler is undefined; it must be a Lambda function'],
  ['a misspelled Lambda authorizer option', (s) => ({ authorization: WebSocketAuthorization.lambdaAuthorizer(handler(s), { identitySources: [] } as any) }),
    undefined, 'authorization: options: identitySources is []; WebSocketLambdaAuthorizerOptions has no such property (did you mean identitySource?)'],
  ['an HTTP API identity source', (s) => ({
    authorization: WebSocketAuthorization.lambdaAuthorizer(handler(s), { identitySource: ['$request.header.Authorization'] }),
  }), undefined, 'authorization: identitySource is ["$request.header.Authorization"]; give route.request.querystring.<name>'],
  ['an empty identity source', (s) => ({ authorization: WebSocketAuthorization.lambdaAuthorizer(handler(s), { identitySource: [] }) }), undefined,
    'authorization: identitySource is []'],
  ['Cognito without clients', (s) => ({ authorization: WebSocketAuthorization.cognito(pool(s), []) }), undefined,
    'authorization: clients is []; give at least one app client'],
  ['Cognito with a pool that is not one', (s) => ({ authorization: WebSocketAuthorization.cognito({} as any, [client(s)]) }), undefined,
    'authorization: userPool is {}; it must be a Cognito user pool (cognito.IUserPool)'],
  ['Cognito with a client of another pool', (s) => {
    const other = new cognito.UserPool(s, 'Other');
    return { authorization: WebSocketAuthorization.cognito(new cognito.UserPool(s, 'Mine'), [other.addClient('Web')]) };
  }, undefined, "authorization: clients is 'TestStack/Other/Web'; it is a client of another user pool than TestStack/Mine"],
  ['Cognito with empty scopes', (s) => ({ authorization: WebSocketAuthorization.cognito(pool(s), [client(s)], { scopes: [] }) }), undefined,
    'authorization: scopes is []; give one or more OAuth scopes'],
  ['Cognito with a header token source of the HTTP form', (s) => ({
    authorization: WebSocketAuthorization.cognito(pool(s), [client(s)], { identitySource: 'method.request.header.Authorization' }),
  }), undefined, "authorization: identitySource is 'method.request.header.Authorization'; give route.request.querystring.<name>"],
  ['Cognito with subnets but no VPC', (s) => ({
    authorization: WebSocketAuthorization.cognito(pool(s), [client(s)], { vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }),
  }), undefined, 'authorization: vpcSubnets is given without vpc'],
  ['Cognito with a VPC that is not one', (s) => ({ authorization: WebSocketAuthorization.cognito(pool(s), [client(s)], { vpc: 'vpc-123' as any }) }),
    undefined, "authorization: vpc is 'vpc-123'; it must be a VPC (ec2.IVpc)"],
  ['Cognito in REGULATED without a VPC', (s) => ({
    complianceProfile: ComplianceProfile.REGULATED, authorization: WebSocketAuthorization.cognito(pool(s), [client(s)]),
  }), undefined, 'authorization: vpc is undefined; WebSocketAuthorization.cognito() needs a vpc in the REGULATED profile'],
  ['a route selection expression on a header', () => ({ authorization: IAM(), routeSelectionExpression: '$request.header.x-route' }), undefined,
    "routeSelectionExpression is '$request.header.x-route'; it must be $request.body.<field>"],
  ['a route selection expression without a field', () => ({ authorization: IAM(), routeSelectionExpression: '$request.body.' }), undefined,
    "routeSelectionExpression is '$request.body.'"],
  ['a route selection expression that is not a string', () => ({ authorization: IAM(), routeSelectionExpression: 7 as any }), undefined,
    'routeSelectionExpression is 7'],
  ['a route key with $', (s) => ({ authorization: IAM(), routes: { $connect: handler(s) } }), undefined,
    "route key is '$connect'; route keys starting with $ are AWS's ($connect, $disconnect, $default)"],
  ['an empty route key', (s) => ({ authorization: IAM(), routes: { '': handler(s) } }), undefined,
    "route key is ''; it must be 1 to 128 characters"],
  ['a route key over 128 characters', (s) => ({ authorization: IAM(), routes: { ['a'.repeat(129)]: handler(s) } }), undefined,
    'it must be 1 to 128 characters'],
  ['a route key with a newline', (s) => ({ authorization: IAM(), routes: { 'sub\nscribe': handler(s) } }), undefined,
    'without control characters'],
  ['a duplicated route key', (s) => ({ authorization: IAM(), routes: { subscribe: handler(s) } }), (api, s) => api.addRoute('subscribe', handler(s)),
    "route key is 'subscribe'; the API already has a route with this key"],
  ['a route without a handler', () => ({ authorization: IAM(), routes: { subscribe: undefined as any } }), undefined,
    "handler of route 'subscribe' is undefined; it must be a Lambda function"],
  ['routes as a list', (s) => ({ authorization: IAM(), routes: [handler(s)] as any }), undefined,
    'routes is TestStack/Fn; it must map route keys to handlers, such as { subscribe: fn.lambdaFunction }'],
  ['a connect handler that is not a function', () => ({ authorization: IAM(), connectHandler: 'index.handler' as any }), undefined,
    "connectHandler is 'index.handler'; it must be a Lambda function"],
  ['more than 300 routes', () => ({ authorization: IAM() }), (api, s) => {
    for (let i = 0; i < 299; i++) {
      api.addRoute(`r${i}`, handler(s));
    }
  }, "route key is 'r298'; the API already has 300 routes"],
  ['a stage name with a slash', () => ({ authorization: IAM(), stageName: 'v1/live' }), undefined,
    "stageName is 'v1/live'; it must be 1 to 128 letters, digits, - or _"],
  ['the $default stage name', () => ({ authorization: IAM(), stageName: '$default' }), undefined, "stageName is '$default'"],
  ['a negative rate limit', () => ({ authorization: IAM(), throttle: { rateLimit: -1 } }), undefined,
    'throttle.rateLimit is -1; it must be a finite number of requests per second, 0 or more'],
  ['a burst over 2^31 - 1', () => ({ authorization: IAM(), throttle: { burstLimit: 2 ** 31 } }), undefined,
    'throttle.burstLimit is 2147483648; it must be an integer from 0 to 2147483647'],
  ['a burst of 0 with a rate', () => ({ authorization: IAM(), throttle: { rateLimit: 10, burstLimit: 0 } }), undefined,
    'throttle.burstLimit is 0 with rateLimit 10'],
  ['an unknown CloudWatch role choice', () => ({ authorization: IAM(), cloudWatchRole: 'MAYBE' as ApiCloudWatchRole }), undefined,
    "cloudWatchRole is 'MAYBE'; it must be an ApiCloudWatchRole value: CREATE, EXISTING"],
  ['log retention forever', () => ({ authorization: IAM(), logRetention: logs.RetentionDays.INFINITE }), undefined, 'logRetention is'],
  ['an access log group that is not one', () => ({ authorization: IAM(), accessLogGroup: 'logs' as any }), undefined,
    "accessLogGroup is 'logs'; it must be a CloudWatch Logs log group"],
  ['a domain without a certificate', () => ({ authorization: IAM(), domain: { domainName: 'live.example.com' } as any }), undefined,
    "domain.domainName is 'live.example.com'; it needs domain.certificate"],
  ['a certificate of another region', (s) => ({
    authorization: IAM(),
    domain: { domainName: 'live.example.com', certificate: acm.Certificate.fromCertificateArn(s, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/a') },
  }), undefined, 'domain.certificate is \'arn:aws:acm:us-east-1:123456789012:certificate/a\'; it is in us-east-1'],
  ['an unknown alarm', () => ({ authorization: IAM(), alarms: { serverErrorRate: { threshold: 0.1 } } as any }), undefined,
    'serverErrorRate'],
  ['grantConnect() on a Cognito API', (s) => ({ authorization: WebSocketAuthorization.cognito(pool(s), [client(s)]) }),
    (api, s) => api.grantConnect(new iam.Role(s, 'Caller', { assumedBy: new iam.AccountRootPrincipal() })),
    'grantConnect() applies to an API authorized with WebSocketAuthorization.iam(); this one is authorized with COGNITO'],
  ['grantConnect() to a service principal', () => ({ authorization: IAM() }),
    (api) => api.grantConnect(new iam.ServicePrincipal('lambda.amazonaws.com')),
    'grantConnect() grantee is'],
  ['grantManageConnections() to a function of the shared network', () => ({ authorization: IAM() }), (api, s) => {
    const fn = new SecureFunction(s, 'Pusher', { code: INLINE_CODE, handler: 'index.handler', complianceProfile: ComplianceProfile.REGULATED });
    api.grantManageConnections(fn);
  }, "grantManageConnections() grantee is 'TestStack/Pusher'; it runs in the stack's shared network"],
  ['grantManageConnections() to the lambdaFunction of a function of the shared network', () => ({ authorization: IAM() }), (api, s) => {
    const fn = new SecureFunction(s, 'Pusher', { code: INLINE_CODE, handler: 'index.handler', complianceProfile: ComplianceProfile.REGULATED });
    api.grantManageConnections(fn.lambdaFunction);
  }, "grantManageConnections() grantee is 'TestStack/Pusher'; it runs in the stack's shared network"],
  ['grantManageConnections() to nothing', () => ({ authorization: IAM() }), (api) => api.grantManageConnections(undefined as any),
    'the grantee of grantManageConnections() is undefined; it must be an iam.IGrantable'],
];

describe('SecureWebSocketApi validation', () => {
  test.each(CASES)('%s', (_name, props, act, message) => {
    const stack = newStack();
    const error = thrownBy(() => {
      const api = new SecureWebSocketApi(stack, 'Live', props(stack));
      act?.(api, stack);
    });
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('BulwarkError');
    expect((error as Error).message.startsWith(PREFIX)).toBe(true);
    expect((error as Error).message).toContain(message);
  });

  test('tokens pass: a route selection expression, a stage name and throttle values from parameters', () => {
    const stack = newStack();
    const api = new SecureWebSocketApi(stack, 'Live', {
      authorization: IAM(),
      routeSelectionExpression: Token.asString({ Ref: 'Expression' }),
      stageName: Token.asString({ Ref: 'Stage' }),
      throttle: { rateLimit: Token.asNumber({ Ref: 'Rate' }), burstLimit: Token.asNumber({ Ref: 'Burst' }) },
    });
    expect(api.routes).toHaveLength(2);
  });

  // 300 routes are accepted; CloudFormation's 500 resources per stack (a route, an integration and a
  // permission each) stop a stack at about 160 routes, with CDK's own TooManyResourcesInStack error.
  test('legal edge values pass: 300 routes, a 128-character route key, a nested route selection expression, a rate of 0.5', () => {
    const stack = newStack();
    const api = new SecureWebSocketApi(stack, 'Live', {
      authorization: IAM(),
      routeSelectionExpression: '$request.body.message.type',
      throttle: { rateLimit: 0.5, burstLimit: 1 },
      routes: { ['a'.repeat(128)]: handler(stack) },
    });
    for (let i = 0; i < 297; i++) {
      api.addRoute(`r${i}`, handler(stack));
    }
    expect(api.routes).toHaveLength(300);
  });

  test('a legal API with every route synthesizes', () => {
    const stack = newStack();
    new SecureWebSocketApi(stack, 'Live', {
      authorization: IAM(),
      routes: { ['a'.repeat(128)]: handler(stack), 'orders/get': handler(stack), 'orders%2Fget': handler(stack) },
      defaultHandler: handler(stack),
    });
    Template.fromStack(stack).resourceCountIs('AWS::ApiGatewayV2::Route', 6);
  });
});
