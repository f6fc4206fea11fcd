import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  ApiMethod, HttpApiAuthorization, HttpApiAuthorizationKind, HttpApiAuthorizationType, SecureApi, SecureHttpApi,
} from '../../src';
import { INLINE_CODE, newStack } from '../support/app';
import { escapeRegExp, expectProperties, resourceOf } from '../support/template';

/*
 * The API family (src/private/api-family.ts, api-alarms.ts): SecureApi and SecureHttpApi check
 * throttling, CORS, the custom domain, access logs and alarm options with the same code, so the
 * same input gets the same message from both; where AWS's rules differ (wildcard CORS origins),
 * the difference is the one AWS makes.
 */

type Api = SecureApi | SecureHttpApi;
type Props = Record<string, unknown>;

function handler(stack: Stack): lambda.IFunction {
  return (stack.node.tryFindChild('Handler') as lambda.IFunction | undefined)
    ?? new lambda.Function(stack, 'Handler', { code: INLINE_CODE, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X });
}

function certificate(stack: Stack): acm.ICertificate {
  return (stack.node.tryFindChild('Cert') as acm.ICertificate | undefined)
    ?? acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:123456789012:certificate/abc');
}

/** Each API with one route, made with `props` on top of its authorization. */
const APIS: Record<string, (stack: Stack, props: Props) => Api> = {
  SecureApi: (s, props) => new SecureApi(s, 'Api', {
    userPool: cognito.UserPool.fromUserPoolId(s, 'Pool', 'eu-west-1_abcdefghi'), defaultHandler: handler(s), ...props,
  }),
  SecureHttpApi: (s, props) => new SecureHttpApi(s, 'Api', {
    authorization: HttpApiAuthorization.jwt('https://issuer.example.com/', ['orders-api']), defaultHandler: handler(s), ...props,
  }),
};
const NAMES = Object.keys(APIS);

/** Input both APIs refuse, and the one message both give. */
const INVALID: Array<[string, (stack: Stack) => Props, string]> = [
  ['a burst of 0 with a rate', () => ({ throttle: { rateLimit: 5, burstLimit: 0 } }),
    'throttle.burstLimit is 0 with rateLimit 5: API Gateway would refuse every request; give a burst of at least 1'],
  ['a burst of 0 with the default rate', () => ({ throttle: { burstLimit: 0 } }), 'throttle.burstLimit is 0 with rateLimit 1000'],
  ['a negative rate', () => ({ throttle: { rateLimit: -1 } }), 'throttle.rateLimit is -1; it must be a finite number of requests per second, 0 or more'],
  ['a NaN rate', () => ({ throttle: { rateLimit: NaN } }), 'throttle.rateLimit is NaN; it must be a finite number'],
  ['a burst over 32 bits', () => ({ throttle: { burstLimit: 2 ** 31 } }), 'throttle.burstLimit is 2147483648; it must be an integer from 0 to 2147483647'],
  ['a throttle that is a list', () => ({ throttle: [] }), 'throttle is []; it must be an object with rateLimit and burstLimit'],
  ['CORS without origins', () => ({ cors: { allowOrigins: [] } }), 'cors.allowOrigins is []; it must list at least one origin'],
  ['CORS * beside a named origin', () => ({ cors: { allowOrigins: ['*', 'https://app.example.com'] } }),
    'cors.allowOrigins is ["*","https://app.example.com"]; * already allows every origin'],
  ['CORS * with credentials', () => ({ cors: { allowOrigins: ['*'], allowCredentials: true } }),
    'cors.allowOrigins is ["*"]; it cannot contain * when allowCredentials is true'],
  ['CORS credentials that are not a boolean', () => ({ cors: { allowOrigins: ['https://app.example.com'], allowCredentials: 'yes' } }),
    "cors.allowCredentials is 'yes'; it must be true or false"],
  ['a CORS origin without a scheme', () => ({ cors: { allowOrigins: ['app.example.com'] } }),
    "cors.allowOrigins is 'app.example.com'; each origin must be * or scheme://host[:port] without a path"],
  ['a CORS max age over a day', () => ({ cors: { allowOrigins: ['https://app.example.com'], maxAge: Duration.days(2) } }),
    'cors.maxAge is 2 days; it must be a whole number of seconds from 0 seconds to 1 day'],
  ['CORS headers that are not names', () => ({ cors: { allowOrigins: ['https://app.example.com'], allowHeaders: [1] } }),
    'cors.allowHeaders is [1]; it must be a list of header names'],
  ['CORS methods that are not methods', () => ({ cors: { allowOrigins: ['https://app.example.com'], allowMethods: ['TRACE'] } }),
    'cors.allowMethods is ["TRACE"]; each must be one of'],
  ['a certificate without a domain name', (s) => ({ domain: { certificate: certificate(s) } }),
    'domain.certificate is given without domain.domainName: give the domain name the certificate is for'],
  ['a domain without a certificate', () => ({ domain: { domainName: 'api.example.com' } }),
    "domain.domainName is 'api.example.com'; it needs domain.certificate: an ACM certificate for the name, in the API's region"],
  ['an uppercase domain name', (s) => ({ domain: { domainName: 'API.example.com', certificate: certificate(s) } }),
    "domain.domainName is 'API.example.com'; it must be a lowercase domain name such as api.example.com"],
  ['a base path of two segments', (s) => ({ domain: { domainName: 'api.example.com', certificate: certificate(s), basePath: 'v1/orders' } }),
    "domain.basePath is 'v1/orders'; it must be one path segment without /"],
  ['a domain that is a string', () => ({ domain: 'api.example.com' }), "domain is 'api.example.com'; it must be an ApiDomainOptions object"],
  ['disableExecuteApiEndpoint without a domain', () => ({ disableExecuteApiEndpoint: true }),
    'disableExecuteApiEndpoint is true without domain: the API would have no endpoint at all; give domain too'],
  ['disableExecuteApiEndpoint that is not a boolean', () => ({ disableExecuteApiEndpoint: 'yes' }),
    "disableExecuteApiEndpoint is 'yes'; it must be true or false"],
  ['an access log group that is not one', () => ({ accessLogGroup: 'logs' }), "accessLogGroup is 'logs'; it must be a CloudWatch Logs log group"],
  ['an unknown log retention', () => ({ logRetention: 42 }), 'logRetention is 42; it must be a logs.RetentionDays value'],
  // The one check of every logRetention in the library (src/private/validation.ts), #10 item 6.
  ['a log retention that never expires', () => ({ logRetention: logs.RetentionDays.INFINITE }),
    'logRetention is INFINITE; every log group the library creates expires'],
  ['a log retention given by its name', () => ({ logRetention: 'ONE_YEAR' }), "logRetention is 'ONE_YEAR'; it must be a logs.RetentionDays value"],
  ['a misspelled throttle option', () => ({ throttle: { rateLimt: 5 } }),
    'throttle.rateLimt is 5; ApiThrottleOptions has no such property (did you mean rateLimit?). Its properties are rateLimit, burstLimit'],
  ['a misspelled domain option', (s) => ({ domain: { domainName: 'api.example.com', certificate: certificate(s), basepath: 'v1' } }),
    "domain.basepath is 'v1'; ApiDomainOptions has no such property (did you mean basePath?). Its properties are domainName, certificate, basePath"],
  ['a default handler that is not a function', () => ({ defaultHandler: { functionArn: 'arn' } }),
    'defaultHandler is {"functionArn":"arn"}; it must be a Lambda function (lambda.IFunction)'],
];

/** Alarm options both APIs refuse (the 5XX, 4XX and p90 latency alarms are one spec each, in src/private/api-alarms.ts). */
const INVALID_ALARMS: Array<[string, Props, string]> = [
  ['a 5XX rate of 1 (a share, not a percentage)', { serverErrorRate: { threshold: 1 } },
    'alarms.serverErrorRate.threshold is 1; it is a share of requests from 0 to 1 (0.05 is 5 %), so the alarm would never fire at 1 or more'],
  ['a 4XX rate of 5', { clientErrorRate: { threshold: 5 } }, 'alarms.clientErrorRate.threshold is 5; it is a share of requests from 0 to 1'],
  ['a negative 5XX rate', { serverErrorRate: { threshold: -0.1 } }, 'alarms.serverErrorRate.threshold is -0.1; it must be a number of 0 or more'],
  ['a NaN 4XX rate', { clientErrorRate: { threshold: NaN } }, 'alarms.clientErrorRate.threshold is NaN; it must be a number of 0 or more'],
  ['a latency of 0', { latencyP90: { maxLatency: Duration.seconds(0) } },
    'alarms.latencyP90.maxLatency is 0 seconds; it must be a whole number of milliseconds from 1 millisecond to 60 seconds'],
  ['a latency over 60 seconds', { latencyP90: { maxLatency: Duration.minutes(2) } }, 'alarms.latencyP90.maxLatency is 2 minutes'],
  ['a latency that is a number', { latencyP90: { maxLatency: 2500 } }, 'alarms.latencyP90.maxLatency is 2500; it must be a Duration'],
  ['a threshold on the latency alarm', { latencyP90: { threshold: 2 } },
    'alarms.latencyP90.threshold is 2; this alarm takes enabled, period, evaluationPeriods, datapointsToAlarm, maxLatency'],
  ['maxLatency on a rate alarm', { serverErrorRate: { maxLatency: Duration.seconds(1) } },
    'alarms.serverErrorRate.maxLatency is 1 second; this alarm takes enabled, period, evaluationPeriods, datapointsToAlarm, threshold'],
  ['a 45-second period', { clientErrorRate: { period: Duration.seconds(45) } },
    'alarms.clientErrorRate.period is 45 seconds; CloudWatch takes 10 seconds, 30 seconds or a multiple of 60 seconds'],
  ['more than a day of periods', { serverErrorRate: { period: Duration.minutes(30), evaluationPeriods: 49 } },
    "alarms.serverErrorRate: period (30 minutes) x evaluationPeriods (49) exceeds CloudWatch's 1 day for this period"],
  ['more datapoints than periods', { latencyP90: { evaluationPeriods: 2, datapointsToAlarm: 3 } },
    'alarms.latencyP90.datapointsToAlarm is 3; it must be an integer from 1 to 2'],
  ['enabled that is not a boolean', { latencyP90: { enabled: 'no' } }, "alarms.latencyP90.enabled is 'no'; it must be true or false"],
];

function errorOf(run: () => void): Error {
  try {
    run();
  } catch (e) {
    return e as Error;
  }
  throw new Error('no error was thrown');
}

describe('both APIs refuse the same input with the same message', () => {
  const cases = NAMES.flatMap((name) => INVALID.map(([what, props, message]) => [name, what, props, message] as const));
  test.each(cases)('%s: %s', (name, _what, props, message) => {
    const stack = newStack();
    const error = errorOf(() => APIS[name](stack, props(stack)));
    expect(error.name).toBe('BulwarkError');
    expect(error.message).toMatch(new RegExp(`^${name} 'TestStack/Api': ${escapeRegExp(message)}`));
  });

  // From JavaScript nothing type-checks the props: an unknown key is refused rather than dropped.
  const unknownKeys: Array<[string, string, (s: Stack) => Props, (name: string) => string]> = [
    ['an unknown prop', 'firewal', () => ({ firewal: { enabled: false } }),
      (name) => `firewal is {"enabled":false}; ${name}Props has no such property${name === 'SecureApi' ? ' (did you mean firewall?)' : ''}. Its properties are`],
    ["Python's spelling of a prop", 'log_retention', () => ({ log_retention: 30 }),
      (name) => `log_retention is 30; ${name}Props has no such property (did you mean logRetention?). Its properties are complianceProfile, monitoring`],
    ['a misspelled CORS option', 'cors', () => ({ cors: { allowOrigins: ['https://app.example.com'], allowOrigin: ['https://b.example.com'] } }),
      (name) => `cors.allowOrigin is ["https://b.example.com"]; ${name === 'SecureApi' ? 'apigateway.CorsOptions' : 'apigatewayv2.CorsPreflightOptions'} `
        + 'has no such property (did you mean allowOrigins?)'],
  ];
  test.each(NAMES.flatMap((name) => unknownKeys.map(([what, , props, message]) => [name, what, props, message] as const)))(
    '%s: %s', (name, _what, props, message) => {
      const stack = newStack();
      const error = errorOf(() => APIS[name](stack, props(stack)));
      expect(error.name).toBe('BulwarkError');
      expect(error.message).toMatch(new RegExp(`^${name} 'TestStack/Api': ${escapeRegExp(message(name))}`));
    });

  test('SecureHttpApi refuses firewall: HTTP APIs cannot have a web ACL, and the prop would have been ignored', () => {
    const stack = newStack();
    expect(() => APIS.SecureHttpApi(stack, { firewall: {} })).toThrow(
      /^SecureHttpApi 'TestStack\/Api': firewall is \{\}; SecureHttpApiProps has no such property\. Its properties are /);
  });

  test.each(NAMES)('%s: a misspelled route option is refused, not dropped (the route would be weaker than written)', (name) => {
    const stack = newStack();
    const api = APIS[name](stack, {});
    expect(() => api.addRoute(ApiMethod.GET, '/x', handler(stack), { allowAnonymus: true } as any)).toThrow(
      `${name} 'TestStack/Api': options of route 'GET /x': allowAnonymus is true; ${name === 'SecureApi' ? 'ApiRouteOptions' : 'HttpApiRouteOptions'} `
      + 'has no such property (did you mean allowAnonymous?)');
  });

  const alarmCases = NAMES.flatMap((name) => INVALID_ALARMS.map(([what, alarms, message]) => [name, what, alarms, message] as const));
  test.each(alarmCases)('%s alarms: %s', (name, _what, alarms, message) => {
    const stack = newStack();
    const error = errorOf(() => APIS[name](stack, { alarms }));
    expect(error.name).toBe('BulwarkError');
    expect(error.message).toMatch(new RegExp(`^${name} 'TestStack/Api': ${escapeRegExp(message)}`));
  });

  test('the throttled-requests alarm stays SecureApi\'s: SecureHttpApi has no access-log metric filter for it', () => {
    const stack = newStack();
    expect(() => APIS.SecureHttpApi(stack, { alarms: { throttledRequests: { threshold: 1 } } }))
      .toThrow("alarms.throttledRequests is {\"threshold\":1}; 'throttledRequests' is not an alarm of SecureHttpApiAlarmsProps");
    expect(() => APIS.SecureApi(newStack(), { alarms: { throttledRequests: { threshold: -1 } } }))
      .toThrow('alarms.throttledRequests.threshold is -1; it must be a number of 0 or more');
  });

  test('a usage plan\'s burst of 0 with a rate is refused like the stage\'s', () => {
    const stack = newStack();
    const api = APIS.SecureApi(stack, {}) as SecureApi;
    expect(() => api.addUsagePlan('Plan', { throttle: { rateLimit: 10, burstLimit: 0 } }))
      .toThrow("throttle of usage plan 'Plan'.burstLimit is 0 with rateLimit 10: API Gateway would refuse every request");
  });
});

describe('throttling: a rate of 0 closes the API on purpose, with a warning of each API\'s own id', () => {
  test.each([
    ['SecureApi', 'cdk-bulwark:api:throttle-rejects-all'],
    ['SecureHttpApi', 'cdk-bulwark:http-api:throttle-rejects-all'],
  ])('%s warns %s, and a burst of 0 beside it is no error', (name, id) => {
    const stack = newStack();
    APIS[name](stack, { throttle: { rateLimit: 0, burstLimit: 0 } });
    Annotations.fromStack(stack).hasWarning('/TestStack/Api', Match.stringLikeRegexp(
      `throttle.rateLimit is 0: API Gateway answers every request with 429.*\\[ack: ${id}\\]`));
  });

  test('a usage plan that closes to its own keys is not the API closing: no warning', () => {
    const stack = newStack();
    (APIS.SecureApi(stack, {}) as SecureApi).addUsagePlan('Suspended', { throttle: { rateLimit: 0 } });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('throttle-rejects-all'))).toHaveLength(0);
  });
});

describe('CORS origins: the rules AWS has for each kind of API', () => {
  test('SecureApi refuses a wildcard subdomain: a REST API compares origins exactly, so it would match no browser', () => {
    expect(() => APIS.SecureApi(newStack(), { cors: { allowOrigins: ['https://*.example.com'] } })).toThrow(
      "SecureApi 'TestStack/Api': cors.allowOrigins is 'https://*.example.com'; REST APIs compare origins exactly and do not support "
      + 'wildcard subdomains');
  });

  test('SecureHttpApi takes a wildcard subdomain, which HTTP APIs match', () => {
    const stack = newStack();
    const api = APIS.SecureHttpApi(stack, { cors: { allowOrigins: ['https://*.example.com'] } }) as SecureHttpApi;
    expectProperties(Template.fromStack(stack), api.httpApi, { CorsConfiguration: { AllowOrigins: ['https://*.example.com'] } });
  });
});

describe('Express-style paths: a segment that starts with \':\' is literal text in API Gateway', () => {
  // CDK's Resource (and API Gateway) accept ':' in a path part, so '/orders/:id' is legal and would
  // match only a request for the path '/orders/:id' itself: a questionable choice, warned on the route.
  const ids: Record<string, string> = { SecureApi: 'cdk-bulwark:api:colon-path-segment', SecureHttpApi: 'cdk-bulwark:http-api:colon-path-segment' };

  test.each(NAMES)('%s warns on the route, once per such segment, and names the parameter to write', (name) => {
    const stack = newStack();
    const api = APIS[name](stack, {});
    api.addRoute(ApiMethod.GET, '/orders/:orderId/items/:item', handler(stack));
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(ids[name]));
    expect(warnings.map((w) => w.entry.data)).toEqual([
      expect.stringContaining("route 'GET /orders/:orderId/items/:item': the path segment ':orderId' is matched literally (API Gateway has no "
        + "':name' parameters), so a request for a concrete value does not reach this route. Write {orderId} for a path parameter"),
      expect.stringContaining("the path segment ':item' is matched literally"),
    ]);
    expect(warnings[0].id).toMatch(/\/Routes\//);
  });

  test.each(NAMES)('%s does not warn for a colon inside a segment (/items:batchGet) or for {parameters}', (name) => {
    const stack = newStack();
    const api = APIS[name](stack, {});
    api.addRoute(ApiMethod.POST, '/items:batchGet', handler(stack));
    api.addRoute(ApiMethod.GET, '/orders/{orderId}', handler(stack));
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(ids[name]))).toHaveLength(0);
  });
});

describe('the metrics both APIs expose, with the same names and statistics', () => {
  const expected: Array<[keyof Api, string, string, string]> = [
    ['metricServerErrorRate', '5XXError', '5xx', 'Average'],
    ['metricClientErrorRate', '4XXError', '4xx', 'Average'],
    ['metricServerError', '5XXError', '5xx', 'Sum'],
    ['metricClientError', '4XXError', '4xx', 'Sum'],
    ['metricLatency', 'Latency', 'Latency', 'p90'],
    ['metricIntegrationLatency', 'IntegrationLatency', 'IntegrationLatency', 'p90'],
    ['metricCount', 'Count', 'Count', 'Sum'],
  ];
  const cases = NAMES.flatMap((name) => expected.map(([method, rest, http, statistic]) =>
    [name, method, name === 'SecureApi' ? rest : http, statistic] as const));

  test.each(cases)('%s.%s(): %s, %s, on the stage', (name, method, metricName, statistic) => {
    const stack = newStack();
    const api = APIS[name](stack, {});
    const metric = (api[method] as (props?: cloudwatch.MetricOptions) => cloudwatch.Metric).call(api);
    expect(metric.namespace).toBe('AWS/ApiGateway');
    expect(metric.metricName).toBe(metricName);
    expect(metric.statistic).toBe(statistic);
    expect(metric.period.toSeconds()).toBe(300);
    const dimensions = api instanceof SecureApi
      ? { ApiName: stack.resolve(api.api.restApiName), Stage: stack.resolve(api.stage.stageName) }
      : { ApiId: stack.resolve(api.httpApi.apiId), Stage: '$default' };
    expect(stack.resolve(metric.dimensions)).toEqual(dimensions);
    // Options given win over the defaults.
    const tuned = (api[method] as (props?: cloudwatch.MetricOptions) => cloudwatch.Metric).call(api, { period: Duration.minutes(1), statistic: 'Maximum' });
    expect(tuned.period.toSeconds()).toBe(60);
    expect(tuned.statistic).toBe('Maximum');
  });
});

describe('the API alarms of both APIs, written once', () => {
  test.each(NAMES)('%s: the 5XX, 4XX and latency alarms are in its Alarms child, with the same ids', (name) => {
    const stack = newStack();
    const api = APIS[name](stack, {});
    const group = api.node.findChild('Alarms');
    for (const id of ['ServerErrorRateAlarm', 'ClientErrorRateAlarm', 'LatencyP90Alarm']) {
      expect(api.alarms).toContain(group.node.findChild(id));
    }
  });

  test.each(NAMES)('%s: a rate just under 1 is a legal (if loud) threshold', (name) => {
    const stack = newStack();
    APIS[name](stack, { alarms: { serverErrorRate: { threshold: 0.99 } } });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { Statistic: 'Average', Threshold: 0.99 });
  });
});

describe('SecureHttpApi speaks the library\'s vocabulary; the old names still work for one release', () => {
  test('logRetention sets the created access log group\'s retention', () => {
    const stack = newStack();
    const api = APIS.SecureHttpApi(stack, { logRetention: logs.RetentionDays.ONE_MONTH }) as SecureHttpApi;
    expectProperties(Template.fromStack(stack), api.accessLogGroup, { RetentionInDays: 30 });
  });

  test('deprecated accessLogRetention still sets it', () => {
    const stack = newStack();
    const api = APIS.SecureHttpApi(stack, { accessLogRetention: logs.RetentionDays.ONE_WEEK }) as SecureHttpApi;
    expectProperties(Template.fromStack(stack), api.accessLogGroup, { RetentionInDays: 7 });
  });

  test('domain makes the custom domain and maps the stage under basePath; domainName exposes it', () => {
    const stack = newStack();
    const api = APIS.SecureHttpApi(stack, { domain: { domainName: 'api.example.com', certificate: certificate(stack), basePath: 'orders' } }) as SecureHttpApi;
    const template = Template.fromStack(stack);
    expect(api.domainName).toBe(api.node.findChild('DomainName'));
    expect(api.customDomain).toBe(api.domainName);
    expectProperties(template, api.domainName!, {
      DomainName: 'api.example.com',
      DomainNameConfigurations: [{ CertificateArn: certificate(stack).certificateArn, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }],
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', {
      ApiId: stack.resolve(api.httpApi.apiId), DomainName: stack.resolve(api.domainName!.name), Stage: '$default', ApiMappingKey: 'orders',
    });
  });

  test('deprecated domainName and certificate make the same resources as domain', () => {
    const render = (props: (s: Stack) => Props) => {
      const stack = newStack();
      APIS.SecureHttpApi(stack, props(stack));
      return Template.fromStack(stack).toJSON();
    };
    const flat = render((s) => ({ domainName: 'api.example.com', certificate: certificate(s) }));
    expect(flat).toEqual(render((s) => ({ domain: { domainName: 'api.example.com', certificate: certificate(s) } })));
    expect(Object.values(flat.Resources).map((r: any) => r.Type)).toEqual(expect.arrayContaining(['AWS::ApiGatewayV2::DomainName', 'AWS::ApiGatewayV2::ApiMapping']));
  });

  test.each<[string, (s: Stack) => Props, string]>([
    ['logRetention and accessLogRetention', () => ({ logRetention: logs.RetentionDays.ONE_DAY, accessLogRetention: logs.RetentionDays.ONE_DAY }),
      'logRetention and accessLogRetention cannot be set together: accessLogRetention is the deprecated name of logRetention; give only logRetention'],
    ['domain and domainName', (s) => ({ domain: { domainName: 'a.example.com', certificate: certificate(s) }, domainName: 'a.example.com' }),
      'domain and domainName cannot be set together: domainName and certificate are the deprecated form of domain'],
    ['domain and certificate', (s) => ({ domain: { domainName: 'a.example.com', certificate: certificate(s) }, certificate: certificate(s) }),
      'domain and certificate cannot be set together'],
    ['accessLogRetention with accessLogGroup', (s) => ({ accessLogGroup: new logs.LogGroup(s, 'Mine'), accessLogRetention: logs.RetentionDays.ONE_DAY }),
      'accessLogRetention applies to the created log group; it cannot be given together with accessLogGroup'],
    ['logRetention with accessLogGroup', (s) => ({ accessLogGroup: new logs.LogGroup(s, 'Mine'), logRetention: logs.RetentionDays.ONE_DAY }),
      'logRetention applies to the created log group; it cannot be given together with accessLogGroup'],
  ])('%s together are refused: nobody could tell which one was meant', (_what, props, message) => {
    const stack = newStack();
    expect(() => APIS.SecureHttpApi(stack, props(stack))).toThrow(`SecureHttpApi 'TestStack/Api': ${message}`);
  });

  test('HttpApiAuthorization.kind is an HttpApiAuthorizationKind; the deprecated HttpApiAuthorizationType has the same values', () => {
    expect(HttpApiAuthorization.iam().kind).toBe(HttpApiAuthorizationKind.IAM);
    expect(Object.entries(HttpApiAuthorizationType)).toEqual(Object.entries(HttpApiAuthorizationKind));
    expect(HttpApiAuthorization.jwt('https://issuer.example.com/', ['a']).kind as string).toBe(HttpApiAuthorizationType.JWT);
  });
});

describe('SecureApi keeps logRetention for both its log groups, with or without a log group of yours', () => {
  test('a brought access log group and logRetention: the retention goes to the execution log group', () => {
    const stack = newStack();
    const own = new logs.LogGroup(stack, 'Mine');
    const api = APIS.SecureApi(stack, { accessLogGroup: own, logRetention: logs.RetentionDays.TWO_WEEKS }) as SecureApi;
    expect(api.accessLogGroup).toBe(own);
    expect(resourceOf(Template.fromStack(stack), api.executionLogGroup).Properties.RetentionInDays).toBe(14);
  });
});

describe('an API without routes fails synthesis, with one message for both', () => {
  test.each([
    ['SecureApi', (s: Stack) => new SecureApi(s, 'Api', { userPool: cognito.UserPool.fromUserPoolId(s, 'P', 'eu-west-1_abc') }), 'a REST API stage'],
    ['SecureHttpApi', (s: Stack) => new SecureHttpApi(s, 'Api', { authorization: HttpApiAuthorization.iam() }), 'an HTTP API stage'],
  ] as const)('%s', (name, make, stage) => {
    const stack = newStack();
    make(stack);
    expect(() => Template.fromStack(stack)).toThrow(`${name} 'TestStack/Api' has no routes: API Gateway cannot deploy ${stage} without `
      + 'routes. Add routes with the routes prop or addRoute(), or give defaultHandler.');
  });

  test('a route added after construction is enough', () => {
    const stack = newStack();
    const api = new SecureApi(stack, 'Api', { userPool: cognito.UserPool.fromUserPoolId(stack, 'P', 'eu-west-1_abc') });
    api.addRoute(ApiMethod.GET, '/x', handler(stack));
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});
