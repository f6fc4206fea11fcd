import { CfnParameter, Duration, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ApiMethod } from '../../src/core/api-method';
import { HttpApiAuthorization, HttpApiLambdaResponseType } from '../../src/secure-http-api/http-api-authorization';
import { SecureHttpApi } from '../../src/secure-http-api/secure-http-api';
import { HttpApiRouteDefinition, SecureHttpApiProps } from '../../src/secure-http-api/secure-http-api-props';
import { INLINE_CODE, newStack, thrownBy } from '../support/app';

const ISSUER = 'https://issuer.example.com/';
const PREFIX = "SecureHttpApi 'TestStack/Api': ";

function handler(stack: Stack, id = 'Fn'): lambda.IFunction {
  return (stack.node.tryFindChild(id) as lambda.IFunction | undefined)
    ?? new lambda.Function(stack, id, { code: INLINE_CODE, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X });
}

function jwt(): HttpApiAuthorization {
  return HttpApiAuthorization.jwt(ISSUER, ['aud']);
}

function lambdaAuth(stack: Stack, options: Record<string, unknown>): HttpApiAuthorization {
  return HttpApiAuthorization.lambdaAuthorizer(handler(stack, 'AuthFn'), options as any);
}

function pool(stack: Stack): cognito.IUserPool {
  return cognito.UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_abc');
}

type Case = [string, (stack: Stack) => SecureHttpApiProps, ((api: SecureHttpApi, stack: Stack) => void) | undefined, string];

/** Every bad input fails at construction with a BulwarkError naming the construct, the prop, the value and what is allowed. */
const CASES: Case[] = [
  ['a misspelled JWT option (its scopes would be dropped)', () => ({ authorization: HttpApiAuthorization.jwt(ISSUER, ['aud'], { scope: ['a'] } as any) }),
    undefined, 'authorization: options: scope is ["a"]; HttpApiJwtOptions has no such property (did you mean scopes?)'],
  ['a misspelled Lambda authorizer option', (s) => ({ authorization: lambdaAuth(s, { resultCacheTtl: Duration.seconds(0) }) }), undefined,
    'authorization: options: resultCacheTtl is 0 seconds; HttpApiLambdaAuthorizerOptions has no such property (did you mean resultsCacheTtl?)'],
  ['a misspelled defaultHandlerOptions key', (s) => ({ authorization: jwt(), defaultHandler: handler(s), defaultHandlerOptions: { anonymous: true } as any }),
    undefined, 'defaultHandlerOptions.anonymous is true; HttpApiRouteOptions has no such property'],
  ['unknown method', (s) => ({ authorization: jwt(), routes: [HttpApiRouteDefinition.of('TRACE' as ApiMethod, '/x', handler(s))] }), undefined,
    "method of route 'TRACE /x' is 'TRACE'; it must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY"],
  ['lower-case method', (s) => ({ authorization: jwt(), routes: [HttpApiRouteDefinition.of('get' as ApiMethod, '/x', handler(s))] }), undefined,
    "method of route 'get /x' is 'get'"],
  ['path without a leading slash', () => ({ authorization: jwt() }), (api, s) => api.addRoute(ApiMethod.GET, 'orders', handler(s)),
    "path of route 'GET orders' is 'orders'; it must start with '/'"],
  ['path with a trailing slash', () => ({ authorization: jwt() }), (api, s) => api.addRoute(ApiMethod.GET, '/orders/', handler(s)),
    "path of route 'GET /orders/' is '/orders/'"],
  ['greedy parameter before the end', () => ({ authorization: jwt() }), (api, s) => api.addRoute(ApiMethod.GET, '/{proxy+}/x', handler(s)),
    'the greedy parameter {proxy+} must be the last segment'],
  ['a path that is a token', () => ({ authorization: jwt() }), (api, s) => api.addRoute(ApiMethod.GET, Token.asString({ Ref: 'P' }), handler(s)),
    'it must be a literal string'],
  ['a null path', () => ({ authorization: jwt() }), (api, s) => api.addRoute(ApiMethod.GET, null as any, handler(s)),
    "path of route 'GET null' is null"],
  ['the same route twice', () => ({ authorization: jwt() }), (api, s) => {
    api.addRoute(ApiMethod.GET, '/orders/{id}', handler(s));
    api.addRoute(ApiMethod.GET, '/orders/{orderId}', handler(s));
  }, "route 'GET /orders/{orderId}' conflicts with route 'GET /orders/{id}'"],
  ['a missing handler', () => ({ authorization: jwt() }), (api) => api.addRoute(ApiMethod.GET, '/x', undefined as any),
    "handler of route 'GET /x' is undefined; it must be a Lambda function (lambda.IFunction)"],
  ['a handler that is not a function', () => ({ authorization: jwt() }), (api) => api.addRoute(ApiMethod.GET, '/x', { functionArn: 'arn' } as any),
    'handler of route \'GET /x\' is {"functionArn":"arn"}'],
  ['a route without any authorization', () => ({}), (api, s) => api.addRoute(ApiMethod.GET, '/x', handler(s)),
    "route 'GET /x' has no authorization: give the API a default (authorization: HttpApiAuthorization.jwt(...)"],
  ['a defaultHandler without any authorization', (s) => ({ defaultHandler: handler(s) }), undefined,
    'the $default route (defaultHandler) has no authorization'],
  ['a public route with an authorization', () => ({}), (api, s) => api.addRoute(ApiMethod.GET, '/x', handler(s), { authorization: jwt(), allowAnonymous: true }),
    "route 'GET /x': allowAnonymous and authorization cannot be set together"],
  ['allowAnonymous that is not a boolean', () => ({ authorization: jwt() }),
    (api, s) => api.addRoute(ApiMethod.GET, '/x', handler(s), { allowAnonymous: 'yes' as any }),
    "allowAnonymous of route 'GET /x' is 'yes'; it must be true or false"],
  ['an authorization that is not an HttpApiAuthorization', () => ({ authorization: { type: 'JWT' } as any }), undefined,
    'authorization is {"type":"JWT"}; it must be made with HttpApiAuthorization.jwt(), .cognito(), .iam() or .lambdaAuthorizer()'],
  ['a JWT issuer over http', () => ({ authorization: HttpApiAuthorization.jwt('http://issuer.example.com', ['aud']) }), undefined,
    "authorization: issuerUrl is 'http://issuer.example.com'; it must be an https:// URL"],
  ['a JWT issuer that is not a URL', () => ({ authorization: HttpApiAuthorization.jwt('issuer', ['aud']) }), undefined,
    "authorization: issuerUrl is 'issuer'; it must be an https:// URL"],
  ['a JWT issuer with a query', () => ({ authorization: HttpApiAuthorization.jwt('https://issuer.example.com/?x=1', ['aud']) }), undefined,
    'without query or fragment'],
  ['a JWT issuer of null', () => ({ authorization: HttpApiAuthorization.jwt(null as any, ['aud']) }), undefined,
    'authorization: issuerUrl is null'],
  ['an empty JWT audience', () => ({ authorization: HttpApiAuthorization.jwt(ISSUER, []) }), undefined,
    'authorization: audience is []; give at least one audience'],
  ['a JWT audience of blanks', () => ({ authorization: HttpApiAuthorization.jwt(ISSUER, [' ']) }), undefined,
    'authorization: audience is [" "]'],
  ['empty scopes', () => ({ authorization: HttpApiAuthorization.jwt(ISSUER, ['aud'], { scopes: [] }) }), undefined,
    'authorization: scopes is []; give one or more OAuth scopes'],
  ['a scope with a space', () => ({ authorization: HttpApiAuthorization.jwt(ISSUER, ['aud'], { scopes: ['orders read'] }) }), undefined,
    'authorization: scopes is ["orders read"]'],
  ['Cognito without clients', (s) => ({ authorization: HttpApiAuthorization.cognito(pool(s), []) }), undefined,
    'authorization: clients is []; give at least one app client'],
  ['Cognito with a user pool that is not one', () => ({ authorization: HttpApiAuthorization.cognito({} as any, []) }), undefined,
    'authorization: userPool is {}; it must be a Cognito user pool'],
  ['a Lambda authorizer without a function', () => ({ authorization: HttpApiAuthorization.lambdaAuthorizer(undefined as any) }), undefined,
    'authorization: handler is undefined; it must be a Lambda function'],
  ['a Lambda authorizer cache over one hour', (s) => ({ authorization: lambdaAuth(s, { resultsCacheTtl: Duration.hours(2) }) }), undefined,
    'authorization: resultsCacheTtl is 2 hours; it must be a whole number of seconds from 0 seconds to 1 hour'],
  ['a Lambda authorizer cache that is not a Duration', (s) => ({ authorization: lambdaAuth(s, { resultsCacheTtl: 300 }) }), undefined,
    'authorization: resultsCacheTtl is 300; it must be a Duration'],
  ['a cached Lambda authorizer without identity source', (s) => ({ authorization: lambdaAuth(s, { identitySource: [] }) }), undefined,
    'authorization: identitySource is []; results are cached by identity source'],
  ['a malformed identity source', (s) => ({ authorization: lambdaAuth(s, { identitySource: ['Authorization'] }) }), undefined,
    "authorization: identitySource is 'Authorization'; each must be $request.header.<name>"],
  ['no response types', (s) => ({ authorization: lambdaAuth(s, { responseTypes: [] }) }), undefined,
    'authorization: responseTypes is []; give one or more of SIMPLE, IAM'],
  ['an unknown response type', (s) => ({ authorization: lambdaAuth(s, { responseTypes: ['POLICY' as HttpApiLambdaResponseType] }) }), undefined,
    'authorization: responseTypes is ["POLICY"]'],
  ['a route authorization that is bad', () => ({}), (api, s) => api.addRoute(ApiMethod.GET, '/x', handler(s),
    { authorization: HttpApiAuthorization.jwt(ISSUER, []) }), "authorization of route 'GET /x': audience is []"],
  ['a negative rate limit', () => ({ authorization: jwt(), throttle: { rateLimit: -1 } }), undefined,
    'throttle.rateLimit is -1; it must be a finite number of requests per second, 0 or more'],
  ['an infinite rate limit', () => ({ authorization: jwt(), throttle: { rateLimit: Infinity } }), undefined,
    'throttle.rateLimit is Infinity; it must be a finite number'],
  ['a rate limit that is a string', () => ({ authorization: jwt(), throttle: { rateLimit: '100' as any } }), undefined,
    "throttle.rateLimit is '100'"],
  ['a fractional burst limit', () => ({ authorization: jwt(), throttle: { burstLimit: 1.5 } }), undefined,
    'throttle.burstLimit is 1.5; it must be an integer from 0 to 2147483647'],
  ['a negative burst limit', () => ({ authorization: jwt(), throttle: { burstLimit: -5 } }), undefined,
    'throttle.burstLimit is -5'],
  ['a throttle that is not an object', () => ({ authorization: jwt(), throttle: null as any }), undefined,
    'throttle is null; it must be an object'],
  ['CORS * with credentials', () => ({ authorization: jwt(), cors: { allowOrigins: ['*'], allowCredentials: true } }), undefined,
    'cors.allowOrigins is ["*"]; it cannot contain * when allowCredentials is true'],
  ['CORS without origins', () => ({ authorization: jwt(), cors: {} }), undefined,
    'cors.allowOrigins is undefined; it must list at least one origin browsers may call from'],
  ['a CORS origin with a path', () => ({ authorization: jwt(), cors: { allowOrigins: ['https://app.example.com/'] } }), undefined,
    "cors.allowOrigins is 'https://app.example.com/'; each origin must be * or scheme://host[:port]"],
  ['a CORS max age over a day', () => ({ authorization: jwt(), cors: { allowOrigins: ['*'], maxAge: Duration.days(2) } }), undefined,
    'cors.maxAge is 2 days; it must be a whole number of seconds from 0 seconds to 1 day'],
  ['an unknown CORS method', () => ({ authorization: jwt(), cors: { allowOrigins: ['*'], allowMethods: ['TRACE' as any] } }), undefined,
    'cors.allowMethods is ["TRACE"]'],
  ['a certificate without a domain name', (s) => ({
    authorization: jwt(), certificate: acm.Certificate.fromCertificateArn(s, 'Cert', 'arn:aws:acm:eu-west-1:123456789012:certificate/a'),
  }), undefined, 'certificate is given without domainName'],
  ['a domain name without a certificate', () => ({ authorization: jwt(), domainName: 'api.example.com' }), undefined,
    "domainName is 'api.example.com'; it needs certificate"],
  ['a malformed domain name', () => ({ authorization: jwt(), domainName: 'API_example' }), undefined,
    "domainName is 'API_example'; it must be a lowercase domain name"],
  ['disableExecuteApiEndpoint without a domain name', () => ({ authorization: jwt(), disableExecuteApiEndpoint: true }), undefined,
    'disableExecuteApiEndpoint is true without domain: the API would have no endpoint at all'],
  ['accessLogRetention with accessLogGroup', (s) => ({
    authorization: jwt(), accessLogGroup: new logs.LogGroup(s, 'Logs'), accessLogRetention: logs.RetentionDays.ONE_DAY,
  }), undefined, 'accessLogRetention applies to the created log group'],
  ['an access log group that is not one', () => ({ authorization: jwt(), accessLogGroup: 'logs' as any }), undefined,
    "accessLogGroup is 'logs'; it must be a CloudWatch Logs log group"],
  ['an unknown retention', () => ({ authorization: jwt(), accessLogRetention: 42 as logs.RetentionDays }), undefined,
    'accessLogRetention is 42; it must be a logs.RetentionDays value'],
  ['defaultHandlerOptions without defaultHandler', () => ({ authorization: jwt(), defaultHandlerOptions: { allowAnonymous: true } }), undefined,
    'defaultHandlerOptions apply to the $default route, which needs defaultHandler'],
  ['routes that are not a list', () => ({ authorization: jwt(), routes: {} as any }), undefined,
    'routes is {}; it must be a list'],
  ['a route that is null', () => ({ authorization: jwt(), routes: [null as any] }), undefined,
    'routes[0] is null; each route must be made with HttpApiRouteDefinition.of(method, path, handler, options)'],
  ['a 5xx alarm period CloudWatch rejects', () => ({ authorization: jwt(), alarms: { serverErrorRate: { period: Duration.seconds(45) } } }), undefined,
    'alarms.serverErrorRate.period is 45 seconds; CloudWatch takes 10 seconds, 30 seconds or a multiple of 60 seconds'],
  ['a negative 4xx threshold', () => ({ authorization: jwt(), alarms: { clientErrorRate: { threshold: -1 } } }), undefined,
    'alarms.clientErrorRate.threshold is -1'],
  ['a latency threshold over 60 seconds', () => ({ authorization: jwt(), alarms: { latencyP90: { maxLatency: Duration.minutes(2) } } }), undefined,
    'alarms.latencyP90.maxLatency is 2 minutes; it must be a whole number of milliseconds from 1 millisecond to 60 seconds'],
  ['grantInvoke with an unknown method', () => ({ authorization: HttpApiAuthorization.iam() }), (api, s) => {
    api.addRoute(ApiMethod.GET, '/x', handler(s));
    api.grantInvoke(new iam.AccountRootPrincipal(), 'FETCH' as ApiMethod);
  }, "grantInvoke() method is 'FETCH'"],
];

describe('SecureHttpApi rejects invalid input at construction', () => {
  test.each(CASES)('%s', (_name, props, act, message) => {
    const stack = newStack();
    const error = thrownBy(() => {
      const api = new SecureHttpApi(stack, 'Api', props(stack));
      act?.(api, stack);
    });
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('BulwarkError');
    expect((error as Error).message.startsWith(PREFIX)).toBe(true);
    expect((error as Error).message).toContain(message);
  });
});

describe('SecureHttpApi accepts unresolved tokens it cannot check', () => {
  test('tokens in the issuer, throttle, scopes and CORS origins pass', () => {
    const stack = newStack();
    const param = (id: string, type = 'String') => new CfnParameter(stack, id, { type });
    const api = new SecureHttpApi(stack, 'Api', {
      authorization: HttpApiAuthorization.jwt(param('Issuer').valueAsString, [param('Aud').valueAsString], { scopes: [param('Scope').valueAsString] }),
      throttle: { rateLimit: param('Rate', 'Number').valueAsNumber, burstLimit: param('Burst', 'Number').valueAsNumber },
      cors: { allowOrigins: [param('Origin').valueAsString] },
      defaultHandler: handler(stack),
    });
    expect(() => Template.fromStack(stack)).not.toThrow();
    expect(api.routes).toHaveLength(1);
  });

  test('legal edge values pass: a rate of 50.5, a 0-second cache with an empty identity source, CORS * without credentials', () => {
    const stack = newStack();
    expect(() => new SecureHttpApi(stack, 'Api', {
      authorization: lambdaAuth(stack, { identitySource: [], resultsCacheTtl: Duration.seconds(0) }),
      throttle: { rateLimit: 50.5, burstLimit: 1 },
      cors: { allowOrigins: ['*'] },
      defaultHandler: handler(stack),
    })).not.toThrow();
  });
});
