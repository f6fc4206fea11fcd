import { Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { ApiAuthorization, ApiCloudWatchRole, ApiMethod, ApiRouteDefinition, ComplianceProfile, Monitoring, SecureApi, SecureFunction, Workflow } from '../../src';
import { INLINE_CODE } from '../support/app';
import { ComplianceScenario } from '../support/compliance';

const ACCOUNT_WARNING = 'cdk-bulwark:api:sets-account-cloudwatch-role @ TestStack';
const NO_SUBSCRIBERS = 'cdk-bulwark:monitoring:no-subscribers @ BulwarkMonitoring';

function handler(stack: Stack, profile: ComplianceProfile, id = 'Handler'): SecureFunction {
  return new SecureFunction(stack, id, { code: INLINE_CODE, handler: 'index.handler', complianceProfile: profile });
}

/** An imported user pool: its own findings belong to UserDirectory's matrix. */
function pool(stack: Stack): cognito.IUserPool {
  return cognito.UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_abcdefghi');
}

/** The findings a route left without a Cognito authorizer keeps (AwsSolutions-COG4), as the user's choice. */
function cog4(method: string): string {
  return `AwsSolutions-COG4 @ ${method}`;
}

/** Prop sets every profile is checked with. */
export const SCENARIOS: Record<string, ComplianceScenario> = {
  minimal: {
    warnings: [ACCOUNT_WARNING, NO_SUBSCRIBERS],
    build: (stack, profile) => {
      const api = new SecureApi(stack, 'Api', { complianceProfile: profile, userPool: pool(stack) });
      api.addRoute(ApiMethod.GET, '/orders', handler(stack, profile).lambdaFunction);
    },
  },
  maximal: {
    build: (stack, profile) => {
      const monitoring = new Monitoring(stack, 'Monitoring', { complianceProfile: profile, emailAddresses: ['oncall@example.com'] });
      const orders = handler(stack, profile, 'Orders');
      const users = pool(stack);
      const api = new SecureApi(stack, 'Api', {
        complianceProfile: profile,
        monitoring,
        userPool: users,
        cloudWatchRole: ApiCloudWatchRole.EXISTING,
        description: 'Orders',
        cors: { allowOrigins: ['https://app.example.com'], allowCredentials: true, maxAge: Duration.minutes(10) },
        throttle: { rateLimit: 200, burstLimit: 400 },
        firewall: { rateLimit: 500, rateLimitWindow: Duration.minutes(1), blockLargeBodies: true },
        domain: {
          domainName: 'api.example.com',
          certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', 'arn:aws:acm:eu-west-1:123456789012:certificate/abc'),
          basePath: 'v1',
        },
        disableExecuteApiEndpoint: true,
        alarms: { latencyP90: { maxLatency: Duration.seconds(1) }, throttledRequests: { threshold: 5 } },
        routes: [
          ApiRouteDefinition.of(ApiMethod.GET, '/orders', orders.lambdaFunction, { requiredQueryStrings: ['status'] }),
          ApiRouteDefinition.of(ApiMethod.POST, '/orders', orders.lambdaFunction, {
            apiKeyRequired: true,
            requiredHeaders: ['Idempotency-Key'],
            requestSchema: { type: apigateway.JsonSchemaType.OBJECT, required: ['sku'], properties: { sku: { type: apigateway.JsonSchemaType.STRING } } },
          }),
        ],
      });
      api.addRoute(ApiMethod.GET, '/orders/{orderId}', orders.lambdaFunction, {
        authorization: ApiAuthorization.cognito(users, { scopes: ['orders/read'], resultsCacheTtl: Duration.minutes(1) }),
      });
      api.addUsagePlan('Partners', {
        apiKeys: [new apigateway.ApiKey(stack, 'PartnerKey')],
        throttle: { rateLimit: 10, burstLimit: 20 },
        quota: { limit: 10000, period: apigateway.Period.MONTH },
      });
    },
  },
  iamAuthorization: {
    warnings: [ACCOUNT_WARNING, NO_SUBSCRIBERS],
    userFindings: (profile) => [
      cog4('Api/Api/Default/orders/GET/Resource'),
      // The caller's role is the user's own: its inline policy is theirs to choose.
      ...(profile === ComplianceProfile.REGULATED
        ? ['HIPAA.Security-IAMNoInlinePolicy', 'NIST.800.53.R5-IAMNoInlinePolicy', 'PCI.DSS.321-IAMNoInlinePolicy'].map((r) => `${r} @ Caller/DefaultPolicy/Resource`)
        : []),
    ],
    build: (stack, profile) => {
      const api = new SecureApi(stack, 'Api', { complianceProfile: profile, authorization: ApiAuthorization.iam() });
      api.addRoute(ApiMethod.GET, '/orders', handler(stack, profile).lambdaFunction);
      api.grantInvoke(new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() }));
    },
  },
  lambdaAuthorizers: {
    warnings: [ACCOUNT_WARNING, NO_SUBSCRIBERS],
    userFindings: () => [cog4('Api/Api/Default/orders/GET/Resource'), cog4('Api/Api/Default/tenants/GET/Resource')],
    build: (stack, profile) => {
      const authorizer = handler(stack, profile, 'Authorizer').lambdaFunction;
      const api = new SecureApi(stack, 'Api', { complianceProfile: profile, authorization: ApiAuthorization.lambdaToken(authorizer) });
      api.addRoute(ApiMethod.GET, '/orders', handler(stack, profile).lambdaFunction);
      api.addRoute(ApiMethod.GET, '/tenants', handler(stack, profile, 'Tenants').lambdaFunction, {
        authorization: ApiAuthorization.lambdaRequest(authorizer, [apigateway.IdentitySource.header('X-Tenant')]),
      });
    },
  },
  anonymousRoute: {
    warnings: [ACCOUNT_WARNING, NO_SUBSCRIBERS, 'cdk-bulwark:api:anonymous-route @ Api/Routes/GET health'],
    userFindings: () => ['AwsSolutions-APIG4 @ Api/Api/Default/health/GET/Resource', cog4('Api/Api/Default/health/GET/Resource')],
    build: (stack, profile) => {
      const api = new SecureApi(stack, 'Api', { complianceProfile: profile, userPool: pool(stack) });
      api.addRoute(ApiMethod.GET, '/orders', handler(stack, profile).lambdaFunction);
      api.addRoute(ApiMethod.GET, '/health', handler(stack, profile, 'Health').lambdaFunction, { allowAnonymous: true });
    },
  },
  workflowRoutes: {
    warnings: [ACCOUNT_WARNING, NO_SUBSCRIBERS],
    userFindings: () => [cog4('Api/Api/Default/orders/{orderId}/cancellation/DELETE/Resource')],
    build: (stack, profile) => {
      const workflow = (id: string) => new Workflow(stack, id, {
        complianceProfile: profile,
        definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, `${id}Pass`)),
      });
      const api = new SecureApi(stack, 'Api', { complianceProfile: profile, userPool: pool(stack), cors: { allowOrigins: ['https://app.example.com'] } });
      api.addWorkflowRoute(ApiMethod.POST, '/orders', workflow('Fulfilment'), {
        requestSchema: { type: apigateway.JsonSchemaType.OBJECT, required: ['sku'] },
      });
      api.addWorkflowRoute(ApiMethod.DELETE, '/orders/{orderId}/cancellation', workflow('Cancellation'), { authorization: ApiAuthorization.iam() });
    },
  },
  noFirewall: {
    warnings: [ACCOUNT_WARNING, NO_SUBSCRIBERS, 'cdk-bulwark:api:no-firewall @ Api'],
    userFindings: (profile) => [
      'AwsSolutions-APIG3 @ Api/Api/DeploymentStage.prod/Resource',
      ...(profile === ComplianceProfile.REGULATED
        ? ['NIST.800.53.R5-APIGWAssociatedWithWAF @ Api/Api/DeploymentStage.prod/Resource', 'PCI.DSS.321-APIGWAssociatedWithWAF @ Api/Api/DeploymentStage.prod/Resource']
        : []),
    ],
    build: (stack, profile) => {
      const api = new SecureApi(stack, 'Api', { complianceProfile: profile, userPool: pool(stack), firewall: { enabled: false } });
      api.addRoute(ApiMethod.GET, '/orders', handler(stack, profile).lambdaFunction);
    },
  },
};
