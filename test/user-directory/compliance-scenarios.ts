import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { ComplianceProfile, Monitoring } from '../../src';
import { UserDirectory, UserDirectoryClientKind, UserDirectoryMfa } from '../../src/user-directory/user-directory';
import { ComplianceScenario } from '../support/compliance';

const NO_SUBSCRIBERS = 'cdk-bulwark:monitoring:no-subscribers @ BulwarkMonitoring';

/** Prop sets every profile is checked with. */
export const SCENARIOS: Record<string, ComplianceScenario> = {
  'minimal': {
    warnings: [NO_SUBSCRIBERS],
    build: (stack, profile) => {
      new UserDirectory(stack, 'Users', { complianceProfile: profile });
    },
  },
  'maximal': {
    build: (stack, profile) => {
      const monitoring = new Monitoring(stack, 'Monitoring', { complianceProfile: profile, emailAddresses: ['oncall@example.com'] });
      const users = new UserDirectory(stack, 'Users', {
        complianceProfile: profile,
        monitoring,
        selfSignUp: true,
        passwordMinLength: 16,
        temporaryPasswordValidity: Duration.days(1),
        removalPolicy: RemovalPolicy.DESTROY,
        domainPrefix: 'example-shop-login',
        groups: ['admins', 'support'],
        alarms: { signInThrottles: { threshold: 5 }, tokenRefreshThrottles: { enabled: false } },
      });
      users.addGroup('auditors', { description: 'Read-only access to the audit trail', precedence: 10 });
      users.addClient('Web', {
        kind: UserDirectoryClientKind.PUBLIC_CLIENT,
        callbackUrls: ['https://shop.example.com/callback', 'http://localhost:3000/callback'],
        logoutUrls: ['https://shop.example.com/'],
        accessTokenValidity: Duration.minutes(15),
        idTokenValidity: Duration.minutes(15),
        refreshTokenValidity: Duration.days(1),
      });
      users.addClient('Mobile', { kind: UserDirectoryClientKind.PUBLIC_CLIENT });
      const api = users.userPool.addResourceServer('OrdersApi', {
        identifier: 'orders',
        scopes: [new cognito.ResourceServerScope({ scopeName: 'read', scopeDescription: 'Read orders' })],
      });
      users.addClient('Backend', {
        kind: UserDirectoryClientKind.CONFIDENTIAL_CLIENT,
        clientCredentialsScopes: [cognito.OAuthScope.resourceServer(api, new cognito.ResourceServerScope({ scopeName: 'read', scopeDescription: 'Read orders' }))],
      });
    },
  },
  'optional MFA': {
    warnings: [NO_SUBSCRIBERS],
    // Optional MFA is the user's choice: AwsSolutions-COG2 stays visible in both profiles.
    userFindings: () => ['AwsSolutions-COG2 @ Users/UserPool/Resource'],
    build: (stack, profile) => {
      new UserDirectory(stack, 'Users', { complianceProfile: profile, mfa: UserDirectoryMfa.OPTIONAL });
    },
  },
  'threat protection off': {
    warnings: [NO_SUBSCRIBERS],
    // Turning threat protection off in REGULATED is the user's choice: AwsSolutions-COG8 stays visible.
    // In STANDARD it is the default and acknowledged as a priced feature.
    userFindings: (profile) => (profile === ComplianceProfile.REGULATED ? ['AwsSolutions-COG8 @ Users/UserPool/Resource'] : []),
    build: (stack, profile) => {
      new UserDirectory(stack, 'Users', { complianceProfile: profile, threatProtection: false });
    },
  },
  'threat protection on': {
    warnings: [NO_SUBSCRIBERS],
    build: (stack, profile) => {
      new UserDirectory(stack, 'Users', { complianceProfile: profile, threatProtection: true });
    },
  },
};
