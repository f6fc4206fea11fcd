import { Duration } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ApiCloudWatchRole, ComplianceProfile, Monitoring, SecureFunction, SecureWebSocketApi, WebSocketAuthorization } from '../../src';
import { INLINE_CODE } from '../support/app';
import { ComplianceScenario } from '../support/compliance';

const HANDLER = { code: INLINE_CODE, handler: 'index.handler' };
const NO_SUBSCRIBERS = 'cdk-bulwark:monitoring:no-subscribers @ BulwarkMonitoring';
const ACCOUNT_ROLE = 'cdk-bulwark:api:sets-account-cloudwatch-role @ TestStack';

/** Prop sets every profile is checked with. */
export const SCENARIOS: Record<string, ComplianceScenario> = {
  minimal: {
    warnings: [NO_SUBSCRIBERS, ACCOUNT_ROLE],
    build: (stack, profile) => {
      new SecureWebSocketApi(stack, 'Live', { complianceProfile: profile, authorization: WebSocketAuthorization.iam() });
    },
  },
  maximal: {
    build: (stack, profile) => {
      const monitoring = new Monitoring(stack, 'Monitoring', { complianceProfile: profile, emailAddresses: ['oncall@example.com'] });
      const authorizer = new SecureFunction(stack, 'Authorizer', { ...HANDLER, complianceProfile: profile, monitoring });
      const subscribe = new SecureFunction(stack, 'Subscribe', { ...HANDLER, complianceProfile: profile, monitoring });
      const fallback = new SecureFunction(stack, 'Fallback', { ...HANDLER, complianceProfile: profile, monitoring });
      const connect = new SecureFunction(stack, 'Connect', { ...HANDLER, complianceProfile: profile, monitoring });
      const live = new SecureWebSocketApi(stack, 'Live', {
        complianceProfile: profile,
        monitoring,
        authorization: WebSocketAuthorization.lambdaAuthorizer(authorizer.lambdaFunction, { identitySource: ['route.request.header.Authorization'] }),
        routes: { subscribe: subscribe.lambdaFunction },
        defaultHandler: fallback.lambdaFunction,
        connectHandler: connect.lambdaFunction,
        routeSelectionExpression: '$request.body.message.type',
        stageName: 'live',
        throttle: { rateLimit: 50, burstLimit: 100 },
        cloudWatchRole: ApiCloudWatchRole.EXISTING,
        logRetention: logs.RetentionDays.TWO_YEARS,
        domain: {
          domainName: 'live.example.com',
          certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:123456789012:certificate/abc'),
          basePath: 'orders',
        },
        description: 'Order updates',
        alarms: { clientErrors: { threshold: 500 }, latencyP90: { maxLatency: Duration.seconds(1) }, executionErrors: { enabled: false } },
      });
      live.addRoute('unsubscribe', subscribe.lambdaFunction);
      live.connectionsTable.grantReadWriteData(connect);
      live.connectionsTable.grantReadData(subscribe);
    },
  },
  cognito: {
    warnings: [NO_SUBSCRIBERS, ACCOUNT_ROLE],
    // The user pool and the VPC with a NAT gateway are the user's own.
    userFindings: (profile, flagSet) => [
      'AwsSolutions-COG1 @ Pool/Resource', 'AwsSolutions-COG2 @ Pool/Resource', 'AwsSolutions-COG8 @ Pool/Resource',
      ...(profile === ComplianceProfile.REGULATED ? [
        'AwsSolutions-VPC7 @ Vpc/Resource',
        ...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].flatMap((pack) => [
          ...(flagSet === 'no feature flags' ? [`${pack}-VPCDefaultSecurityGroupClosed @ Vpc/Resource`] : []),
          `${pack}-VPCFlowLogsEnabled @ Vpc/Resource`,
          `${pack}-VPCNoUnrestrictedRouteToIGW @ Vpc/PublicSubnet1/DefaultRoute`,
          `${pack}-VPCNoUnrestrictedRouteToIGW @ Vpc/PublicSubnet2/DefaultRoute`,
          `${pack}-VPCSubnetAutoAssignPublicIpDisabled @ Vpc/PublicSubnet1/Subnet`,
          `${pack}-VPCSubnetAutoAssignPublicIpDisabled @ Vpc/PublicSubnet2/Subnet`,
        ]),
      ] : []),
    ],
    build: (stack, profile) => {
      const pool = new cognito.UserPool(stack, 'Pool');
      const client = pool.addClient('Web');
      const vpc = profile === ComplianceProfile.REGULATED ? new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 }) : undefined;
      const pusher = new SecureFunction(stack, 'Pusher', { ...HANDLER, complianceProfile: profile, vpc });
      const live = new SecureWebSocketApi(stack, 'Live', {
        complianceProfile: profile,
        authorization: WebSocketAuthorization.cognito(pool, [client], { scopes: ['orders/read'], vpc }),
      });
      live.grantManageConnections(pusher);
      live.connectionsTable.grantReadData(pusher);
    },
  },
  anonymous: {
    warnings: [NO_SUBSCRIBERS, ACCOUNT_ROLE, 'cdk-bulwark:websocket-api:anonymous-connect @ Live/Routes/ConnectRoute'],
    // Anonymous connections are the user's opt-in: no route of the API is authorized, and each keeps its finding.
    userFindings: () => ['AwsSolutions-APIG4 @ Live/Routes/ConnectRoute/Resource', 'AwsSolutions-APIG4 @ Live/Routes/DisconnectRoute/Resource'],
    build: (stack, profile) => {
      new SecureWebSocketApi(stack, 'Live', { complianceProfile: profile, allowAnonymousConnect: true });
    },
  },
};
