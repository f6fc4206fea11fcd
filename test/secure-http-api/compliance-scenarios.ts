import { Duration } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Monitoring, SecureFunction } from '../../src';
import { ApiMethod } from '../../src/core/api-method';
import { HttpApiAuthorization } from '../../src/secure-http-api/http-api-authorization';
import { SecureHttpApi } from '../../src/secure-http-api/secure-http-api';
import { HttpApiRouteDefinition } from '../../src/secure-http-api/secure-http-api-props';
import { INLINE_CODE } from '../support/app';
import { ComplianceScenario } from '../support/compliance';

const HANDLER = { code: INLINE_CODE, handler: 'index.handler' };
const NO_SUBSCRIBERS = 'cdk-bulwark:monitoring:no-subscribers @ BulwarkMonitoring';
const JWT = () => HttpApiAuthorization.jwt('https://issuer.example.com/', ['orders-api']);

/** Prop sets every profile is checked with. */
export const SCENARIOS: Record<string, ComplianceScenario> = {
  minimal: {
    warnings: [NO_SUBSCRIBERS],
    build: (stack, profile) => {
      const fn = new SecureFunction(stack, 'Handler', { ...HANDLER, complianceProfile: profile });
      new SecureHttpApi(stack, 'Api', { complianceProfile: profile, authorization: JWT(), defaultHandler: fn.lambdaFunction });
    },
  },
  maximal: {
    // The anonymous OPTIONS routes are the user's opt-in for CORS preflights.
    warnings: ['cdk-bulwark:http-api:anonymous-route @ Api/Routes/OPTIONS--{proxy+}', 'cdk-bulwark:http-api:anonymous-route @ Api/Routes/OPTIONS--files--{proxy+}'],
    userFindings: () => ['AwsSolutions-APIG4 @ Api/Routes/OPTIONS--{proxy+}/Resource', 'AwsSolutions-APIG4 @ Api/Routes/OPTIONS--files--{proxy+}/Resource'],
    build: (stack, profile) => {
      const monitoring = new Monitoring(stack, 'Monitoring', { complianceProfile: profile, emailAddresses: ['oncall@example.com'] });
      const pool = cognito.UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_abcdefghi');
      const client = cognito.UserPoolClient.fromUserPoolClientId(stack, 'Client', 'client123');
      const orders = new SecureFunction(stack, 'Orders', { ...HANDLER, complianceProfile: profile, monitoring });
      const files = new SecureFunction(stack, 'Files', { ...HANDLER, complianceProfile: profile, monitoring });
      const api = new SecureHttpApi(stack, 'Api', {
        complianceProfile: profile,
        monitoring,
        authorization: HttpApiAuthorization.cognito(pool, [client], { scopes: ['orders/read'] }),
        routes: [
          HttpApiRouteDefinition.of(ApiMethod.GET, '/orders/{orderId}', orders.lambdaFunction),
          HttpApiRouteDefinition.of(ApiMethod.POST, '/orders', orders.lambdaFunction, { authorization: JWT() }),
        ],
        defaultHandler: files.lambdaFunction,
        throttle: { rateLimit: 50, burstLimit: 100 },
        logRetention: logs.RetentionDays.TWO_YEARS,
        cors: { allowOrigins: ['https://app.example.com'], allowMethods: [apigwv2.CorsHttpMethod.GET], allowCredentials: true },
        domain: {
          domainName: 'api.example.com',
          certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:123456789012:certificate/abc'),
          basePath: 'orders',
        },
        disableExecuteApiEndpoint: true,
        description: 'Orders API',
        alarms: { serverErrorRate: { threshold: 0.01 }, clientErrorRate: { enabled: false }, latencyP90: { maxLatency: Duration.seconds(1) } },
      });
      api.addRoute(ApiMethod.ANY, '/files/{proxy+}', files.lambdaFunction);
      // With cors, browsers' preflights must not reach the authorizers of $default and ANY routes
      // (cdk-bulwark:http-api:authorized-preflight): anonymous OPTIONS routes take them first.
      api.addRoute(ApiMethod.OPTIONS, '/{proxy+}', files.lambdaFunction, { allowAnonymous: true });
      api.addRoute(ApiMethod.OPTIONS, '/files/{proxy+}', files.lambdaFunction, { allowAnonymous: true });
    },
  },
  iamAuthorization: {
    warnings: [NO_SUBSCRIBERS],
    // The caller role is the user's: its inline policy and the route ARN's path-parameter wildcard are the user's findings.
    // With the recommended flags the stack's concrete region also fixes the partition (aws).
    userFindings: (profile, flagSet) => [
      `AwsSolutions-IAM5[Resource::arn:${flagSet === 'no feature flags' ? '<AWS::Partition>' : 'aws'}:execute-api:eu-west-1:123456789012:`
      + '<ApiCD79AAA0>/*/GET/orders/*] @ Caller/DefaultPolicy/Resource',
      ...(profile === 'REGULATED' ? [
        'HIPAA.Security-IAMNoInlinePolicy @ Caller/DefaultPolicy/Resource',
        'NIST.800.53.R5-IAMNoInlinePolicy @ Caller/DefaultPolicy/Resource',
        'PCI.DSS.321-IAMNoInlinePolicy @ Caller/DefaultPolicy/Resource',
      ] : []),
    ],
    build: (stack, profile) => {
      const fn = new SecureFunction(stack, 'Handler', { ...HANDLER, complianceProfile: profile });
      const api = new SecureHttpApi(stack, 'Api', { complianceProfile: profile, authorization: HttpApiAuthorization.iam() });
      api.addRoute(ApiMethod.GET, '/orders/{orderId}', fn.lambdaFunction);
      api.grantInvoke(new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() }));
    },
  },
  lambdaAuthorizer: {
    warnings: [NO_SUBSCRIBERS],
    build: (stack, profile) => {
      const fn = new SecureFunction(stack, 'Handler', { ...HANDLER, complianceProfile: profile });
      const authorizer = new SecureFunction(stack, 'Authorizer', { ...HANDLER, complianceProfile: profile });
      new SecureHttpApi(stack, 'Api', {
        complianceProfile: profile,
        authorization: HttpApiAuthorization.lambdaAuthorizer(authorizer.lambdaFunction),
        defaultHandler: fn.lambdaFunction,
      });
    },
  },
  anonymousRoute: {
    warnings: [NO_SUBSCRIBERS, 'cdk-bulwark:http-api:anonymous-route @ Api/Routes/GET--health'],
    userFindings: () => ['AwsSolutions-APIG4 @ Api/Routes/GET--health/Resource'],
    build: (stack, profile) => {
      const fn = new SecureFunction(stack, 'Handler', { ...HANDLER, complianceProfile: profile });
      const api = new SecureHttpApi(stack, 'Api', { complianceProfile: profile, authorization: JWT() });
      api.addRoute(ApiMethod.GET, '/orders', fn.lambdaFunction);
      api.addRoute(ApiMethod.GET, '/health', fn.lambdaFunction, { allowAnonymous: true });
    },
  },
};
