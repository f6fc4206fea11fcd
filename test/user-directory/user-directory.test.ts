import { Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { ComplianceProfile, Monitoring } from '../../src';
import {
  UserDirectory, UserDirectoryClientKind, UserDirectoryClientOptions, UserDirectoryGroupOptions, UserDirectoryMfa, UserDirectoryProps,
} from '../../src/user-directory/user-directory';
import { FLAG_SETS, newStack, testApp, testStack } from '../support/app';
import { escapeRegExp, expectProperties, logicalIdOf, resourceOf } from '../support/template';

const FLAG_SET_ENTRIES = Object.entries(FLAG_SETS);
const PUBLIC = UserDirectoryClientKind.PUBLIC_CLIENT;
const CONFIDENTIAL = UserDirectoryClientKind.CONFIDENTIAL_CLIENT;

/** A resource server with one scope, for client-credentials clients. */
function ordersApi(users: UserDirectory): cognito.OAuthScope {
  const scope = new cognito.ResourceServerScope({ scopeName: 'read', scopeDescription: 'Read orders' });
  const server = users.userPool.addResourceServer('OrdersApi', { identifier: 'orders', scopes: [scope] });
  return cognito.OAuthScope.resourceServer(server, scope);
}

function alarmsOf(template: Template, stack: Stack, users: UserDirectory, client: cognito.IUserPoolClient) {
  return template.findResources('AWS::CloudWatch::Alarm', {
    Properties: {
      Dimensions: [
        { Name: 'UserPool', Value: stack.resolve(users.userPool.userPoolId) },
        { Name: 'UserPoolClient', Value: stack.resolve(client.userPoolClientId) },
      ],
    },
  });
}

describe.each(FLAG_SET_ENTRIES)('UserDirectory defaults (%s)', (_flagSet, flags) => {
  describe.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('%s profile', (profile) => {
    const regulated = profile === ComplianceProfile.REGULATED;
    let stack: Stack;
    let users: UserDirectory;
    let template: Template;

    beforeAll(() => {
      stack = newStack(flags, profile);
      users = new UserDirectory(stack, 'Users');
      template = Template.fromStack(stack);
    });

    test('the user pool is created with a stable construct id and the profile in force', () => {
      expect(users.userPool).toBe(users.node.findChild('UserPool'));
      expect(users.complianceProfile).toBe(profile);
      template.resourceCountIs('AWS::Cognito::UserPool', 1);
      expect(users.clients).toEqual([]);
      expect(users.groups).toEqual([]);
      expect(users.alarms).toEqual([]);
      expect(users.domain).toBeUndefined();
      template.resourceCountIs('AWS::Cognito::UserPoolDomain', 0);
    });

    test('MFA is required, with authenticator apps (TOTP) only: no SMS, so no SMS role', () => {
      expectProperties(template, users.userPool, { MfaConfiguration: 'ON', EnabledMfas: ['SOFTWARE_TOKEN_MFA'], SmsConfiguration: Match.absent() });
      template.resourceCountIs('AWS::IAM::Role', 0);
    });

    test('passwords: at least 14 characters with upper- and lower-case letters, digits and symbols; no reuse of the last 4; '
      + 'temporary passwords valid 3 days', () => {
      expectProperties(template, users.userPool, {
        Policies: {
          PasswordPolicy: {
            MinimumLength: 14,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
            PasswordHistorySize: 4,
            TemporaryPasswordValidityDays: 3,
          },
        },
      });
    });

    test('only administrators create users (no self sign-up)', () => {
      expectProperties(template, users.userPool, { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    });

    test('users sign in with their email address, case-insensitively; email is required and verified, and a change is verified first', () => {
      expectProperties(template, users.userPool, {
        UsernameAttributes: ['email'],
        UsernameConfiguration: { CaseSensitive: false },
        AutoVerifiedAttributes: ['email'],
        Schema: [{ Name: 'email', Required: true, Mutable: true }],
        UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      });
    });

    test('accounts are recovered by email only', () => {
      expectProperties(template, users.userPool, { AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] } });
    });

    test('the user pool is retained and deletion-protected', () => {
      expectProperties(template, users.userPool, { DeletionProtection: 'ACTIVE', UserPoolName: Match.absent() });
      const resource = resourceOf(template, users.userPool);
      expect(resource.DeletionPolicy).toBe('Retain');
      expect(resource.UpdateReplacePolicy).toBe('Retain');
    });

    if (regulated) {
      test('REGULATED: the Plus plan with standard threat protection enforced', () => {
        expect(users.featurePlan).toBe(cognito.FeaturePlan.PLUS);
        expectProperties(template, users.userPool, { UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } });
      });
    } else {
      test('STANDARD: the Essentials plan, stated explicitly, without threat protection', () => {
        expect(users.featurePlan).toBe(cognito.FeaturePlan.ESSENTIALS);
        expectProperties(template, users.userPool, { UserPoolTier: 'ESSENTIALS', UserPoolAddOns: Match.absent() });
      });
    }

    test('Cognito\'s own email is used (no SES identity needed)', () => {
      expectProperties(template, users.userPool, { EmailConfiguration: Match.absent() });
    });

    test('a dashboard section is added to the stack\'s Monitoring', () => {
      const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
      expect(dashboards).toHaveLength(1);
      expect(JSON.stringify(dashboards[0].Properties.DashboardBody)).toContain('User directory TestStack/Users');
    });
  });
});

describe.each(FLAG_SET_ENTRIES)('UserDirectory app clients (%s)', (_flagSet, flags) => {
  let stack: Stack;
  let users: UserDirectory;
  let mobile: cognito.UserPoolClient;
  let web: cognito.UserPoolClient;
  let server: cognito.UserPoolClient;
  let machine: cognito.UserPoolClient;
  let template: Template;

  beforeAll(() => {
    stack = newStack(flags);
    users = new UserDirectory(stack, 'Users', { domainPrefix: 'example-login' });
    mobile = users.addClient('Mobile', { kind: PUBLIC });
    web = users.addClient('Web', {
      kind: PUBLIC,
      callbackUrls: ['https://app.example.com/callback', 'http://localhost:3000/callback', 'com.example.app:/callback'],
      logoutUrls: ['https://app.example.com/'],
    });
    server = users.addClient('Server', { kind: CONFIDENTIAL, callbackUrls: ['https://portal.example.com/callback'] });
    machine = users.addClient('Machine', { kind: CONFIDENTIAL, clientCredentialsScopes: [ordersApi(users)] });
    template = Template.fromStack(stack);
  });

  test('clients get stable construct ids and are listed in order', () => {
    const clients = users.node.findChild('Clients');
    expect(mobile).toBe(clients.node.findChild('Mobile').node.findChild('Client'));
    expect(machine).toBe(clients.node.findChild('Machine').node.findChild('Client'));
    expect(users.clients).toEqual([mobile, web, server, machine]);
  });

  test('every client: no user-existence errors, token revocation, Cognito users only, 1-hour access and ID tokens, 30-day refresh tokens', () => {
    for (const client of [mobile, web, server, machine]) {
      expectProperties(template, client, {
        UserPoolId: stack.resolve(users.userPool.userPoolId),
        PreventUserExistenceErrors: 'ENABLED',
        EnableTokenRevocation: true,
        SupportedIdentityProviders: ['COGNITO'],
        AccessTokenValidity: 60,
        IdTokenValidity: 60,
        RefreshTokenValidity: 30 * 24 * 60,
        TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
        ClientName: Match.absent(),
      });
    }
  });

  test('public clients have no secret; confidential clients have one', () => {
    for (const client of [mobile, web]) {
      expectProperties(template, client, { GenerateSecret: false });
    }
    for (const client of [server, machine]) {
      expectProperties(template, client, { GenerateSecret: true });
    }
  });

  test('sign-in is SRP (never a plain password) and refresh; a client-credentials client only refreshes', () => {
    for (const client of [mobile, web, server]) {
      expectProperties(template, client, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    }
    expectProperties(template, machine, { ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'] });
  });

  test('a client without callback URLs has OAuth off', () => {
    expectProperties(template, mobile, {
      AllowedOAuthFlowsUserPoolClient: false,
      AllowedOAuthFlows: Match.absent(),
      CallbackURLs: Match.absent(),
      AllowedOAuthScopes: Match.absent(),
    });
  });

  test('callback URLs turn on the authorization-code grant only (never implicit), with openid, email and profile', () => {
    expectProperties(template, web, {
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: ['https://app.example.com/callback', 'http://localhost:3000/callback', 'com.example.app:/callback'],
      LogoutURLs: ['https://app.example.com/'],
    });
    expectProperties(template, server, { AllowedOAuthFlows: ['code'], CallbackURLs: ['https://portal.example.com/callback'] });
  });

  test('client-credentials scopes turn on the client-credentials grant only, for the resource-server scopes', () => {
    expectProperties(template, machine, {
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: [{
        'Fn::Join': ['', [stack.resolve((users.userPool.node.findChild('OrdersApi') as cognito.UserPoolResourceServer)
          .userPoolResourceServerId), '/read']],
      }],
      CallbackURLs: Match.absent(),
    });
  });

  test('each sign-in client gets alarms on throttled sign-ins and token refreshes, to the alarm topic', () => {
    for (const client of [mobile, web, server]) {
      const alarms = Object.values(alarmsOf(template, stack, users, client));
      expect(alarms.map((a) => a.Properties.MetricName).sort()).toEqual(['SignInThrottles', 'TokenRefreshThrottles']);
      for (const alarm of alarms) {
        expect(alarm.Properties).toEqual(expect.objectContaining({
          Namespace: 'AWS/Cognito',
          Statistic: 'Sum',
          Period: 300,
          EvaluationPeriods: 1,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
          AlarmActions: [stack.resolve(Monitoring.of(stack).alarmTopic.topicArn)],
        }));
        expect(alarm.Properties.AlarmDescription.length).toBeLessThanOrEqual(1024);
      }
    }
    // A client's alarms are in the Alarms child of its group, Clients/<id>.
    const group = users.node.findChild('Clients').node.findChild('Web').node.findChild('Alarms');
    expect(group.node.tryFindChild('SignInThrottlesAlarm')).toBeDefined();
    expect(group.node.tryFindChild('TokenRefreshThrottlesAlarm')).toBeDefined();
    expect(users.alarms).toHaveLength(6);
  });

  test('a client-credentials client gets no alarms (machine token requests are not sign-ins)', () => {
    expect(Object.keys(alarmsOf(template, stack, users, machine))).toEqual([]);
  });

  test('the alarm descriptions say what broke and what to do', () => {
    const alarms = Object.values(alarmsOf(template, stack, users, web));
    const signIn = alarms.find((a) => a.Properties.MetricName === 'SignInThrottles')!;
    expect(signIn.Properties.AlarmDescription).toMatch(/^Cognito throttled sign-ins through app client 'Web' of the user pool of TestStack\/Users/);
    expect(signIn.Properties.AlarmDescription).toContain('Service Quotas');
  });

  test('the domain is the given prefix', () => {
    expect(users.domain).toBe(users.userPool.node.findChild('Domain'));
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'example-login',
      UserPoolId: stack.resolve(users.userPool.userPoolId),
      CustomDomainConfig: Match.absent(),
    });
  });

  test('OAuth clients with a domain give no warning', () => {
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('user-directory:no-domain'));
  });

  test('the dashboard shows sign-ins and throttles of each sign-in client', () => {
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
    for (const metric of ['SignInSuccesses', 'SignInThrottles', 'TokenRefreshThrottles']) {
      expect(body).toContain(metric);
    }
    expect(body).toContain('Server token refreshes');
    expect(body).not.toContain('Machine');
  });
});

describe('UserDirectory client options', () => {
  test('token lifetimes and scopes are taken as given', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'example-login' });
    const client = users.addClient('Web', {
      kind: PUBLIC,
      callbackUrls: ['https://app.example.com/cb'],
      scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.COGNITO_ADMIN],
      accessTokenValidity: Duration.minutes(5),
      idTokenValidity: Duration.minutes(15),
      refreshTokenValidity: Duration.minutes(60),
    });
    expectProperties(Template.fromStack(stack), client, {
      AccessTokenValidity: 5,
      IdTokenValidity: 15,
      RefreshTokenValidity: 60,
      AllowedOAuthScopes: ['openid', 'aws.cognito.signin.user.admin'],
    });
  });

  test('an OAuth client without a domain warns (acknowledgeably): the token endpoint lives on the domain', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    users.addClient('Web', { kind: PUBLIC, callbackUrls: ['https://app.example.com/cb'] });
    Annotations.fromStack(stack).hasWarning('/TestStack/Users', Match.stringLikeRegexp('cdk-bulwark:user-directory:no-domain'));
  });

  test('a domain added with userPool.addDomain() counts, and clients without OAuth need none', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    users.addClient('Mobile', { kind: PUBLIC });
    const other = new UserDirectory(stack, 'Other');
    other.addClient('Web', { kind: PUBLIC, callbackUrls: ['https://app.example.com/cb'] });
    other.userPool.addDomain('Custom', { cognitoDomain: { domainPrefix: 'example-other' } });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('user-directory:no-domain'));
  });

  test('alarm options are applied to every client; a disabled alarm is not made', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', {
      alarms: {
        signInThrottles: { threshold: 5, period: Duration.minutes(1), evaluationPeriods: 3, datapointsToAlarm: 2 },
        tokenRefreshThrottles: { enabled: false },
      },
    });
    const client = users.addClient('Mobile', { kind: PUBLIC });
    const alarms = Object.values(alarmsOf(Template.fromStack(stack), stack, users, client));
    expect(alarms).toHaveLength(1);
    expect(alarms[0].Properties).toEqual(expect.objectContaining({
      MetricName: 'SignInThrottles', Threshold: 5, Period: 60, EvaluationPeriods: 3, DatapointsToAlarm: 2,
    }));
    expect(users.alarms).toHaveLength(1);
  });

  test('metric methods read AWS/Cognito per user pool and client', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    const client = users.addClient('Mobile', { kind: PUBLIC });
    for (const [metric, name] of [
      [users.metricSignInSuccesses(client), 'SignInSuccesses'],
      [users.metricSignInThrottles(client, { period: Duration.minutes(1) }), 'SignInThrottles'],
      [users.metricTokenRefreshThrottles(client), 'TokenRefreshThrottles'],
    ] as Array<[cloudwatch.Metric, string]>) {
      expect(metric.namespace).toBe('AWS/Cognito');
      expect(metric.metricName).toBe(name);
      expect(metric.statistic).toBe('Sum');
      expect(stack.resolve(metric.dimensions)).toEqual({
        UserPool: stack.resolve(users.userPool.userPoolId),
        UserPoolClient: stack.resolve(client.userPoolClientId),
      });
    }
  });
});

describe('UserDirectory groups', () => {
  test('groups from the prop and from addGroup() are created with stable construct ids', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { groups: ['admins', 'support'] });
    const auditors = users.addGroup('auditors', { description: 'Read-only access', precedence: 0 });
    const template = Template.fromStack(stack);

    expect(users.groups.map((g) => g.node.id)).toEqual(['admins', 'support', 'auditors']);
    expect(auditors).toBe(users.node.findChild('Groups').node.findChild('auditors'));
    template.resourceCountIs('AWS::Cognito::UserPoolGroup', 3);
    expectProperties(template, users.groups[0], {
      GroupName: 'admins', UserPoolId: stack.resolve(users.userPool.userPoolId), Description: Match.absent(), Precedence: Match.absent(),
    });
    expectProperties(template, auditors, { GroupName: 'auditors', Description: 'Read-only access', Precedence: 0 });
  });

  test('a group name with a slash or unicode is allowed (it is not a construct path)', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    users.addGroup('team/ops');
    users.addGroup('équipe');
    expect(Template.fromStack(stack).findResources('AWS::Cognito::UserPoolGroup')).toEqual({
      [logicalIdOf(users.groups[0])]: expect.objectContaining({ Properties: expect.objectContaining({ GroupName: 'team/ops' }) }),
      [logicalIdOf(users.groups[1])]: expect.objectContaining({ Properties: expect.objectContaining({ GroupName: 'équipe' }) }),
    });
  });
});

describe('UserDirectory overrides', () => {
  test('optional MFA keeps authenticator apps only', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { mfa: UserDirectoryMfa.OPTIONAL });
    expectProperties(Template.fromStack(stack), users.userPool, { MfaConfiguration: 'OPTIONAL', EnabledMfas: ['SOFTWARE_TOKEN_MFA'] });
  });

  test('threatProtection: true in STANDARD turns on the Plus plan, enforced', () => {
    const stack = newStack({}, ComplianceProfile.STANDARD);
    const users = new UserDirectory(stack, 'Users', { threatProtection: true });
    expect(users.featurePlan).toBe(cognito.FeaturePlan.PLUS);
    expectProperties(Template.fromStack(stack), users.userPool, { UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } });
  });

  test('threatProtection: false in REGULATED keeps the Essentials plan', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const users = new UserDirectory(stack, 'Users', { threatProtection: false });
    expectProperties(Template.fromStack(stack), users.userPool, { UserPoolTier: 'ESSENTIALS', UserPoolAddOns: Match.absent() });
  });

  test('self sign-up, password length and temporary password validity are taken as given', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { selfSignUp: true, passwordMinLength: 8, temporaryPasswordValidity: Duration.days(1) });
    expectProperties(Template.fromStack(stack), users.userPool, {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      Policies: { PasswordPolicy: { MinimumLength: 8, TemporaryPasswordValidityDays: 1, RequireSymbols: true } },
    });
  });

  test('RemovalPolicy.DESTROY deletes the pool and turns deletion protection off (it would block the deletion)', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { removalPolicy: RemovalPolicy.DESTROY });
    const template = Template.fromStack(stack);
    expectProperties(template, users.userPool, { DeletionProtection: 'INACTIVE' });
    expect(resourceOf(template, users.userPool).DeletionPolicy).toBe('Delete');
  });

  test('RETAIN_ON_UPDATE_OR_DELETE keeps deletion protection', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE });
    expectProperties(Template.fromStack(stack), users.userPool, { DeletionProtection: 'ACTIVE' });
  });

  test('email through SES is used as given', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { email: cognito.UserPoolEmail.withSES({ fromEmail: 'noreply@example.com', sesRegion: 'eu-west-1' }) });
    expectProperties(Template.fromStack(stack), users.userPool, {
      EmailConfiguration: Match.objectLike({ EmailSendingAccount: 'DEVELOPER', From: 'noreply@example.com' }),
    });
  });

  test('a monitoring of your own gets the alarms and no stack Monitoring is created', () => {
    const stack = newStack();
    const monitoring = new Monitoring(stack, 'Mine', { emailAddresses: ['oncall@example.com'] });
    const users = new UserDirectory(stack, 'Users', { monitoring });
    users.addClient('Mobile', { kind: PUBLIC });
    expect(stack.node.tryFindChild('BulwarkMonitoring')).toBeUndefined();
    expect(users.alarms).toHaveLength(2);
    expect(users.alarms.every((alarm) => monitoring.alarms.includes(alarm))).toBe(true);
  });

  test('unresolved tokens pass validation', () => {
    const stack = newStack();
    const token = (value: string) => Lazy.string({ produce: () => value });
    const users = new UserDirectory(stack, 'Users', {
      domainPrefix: token('example-login'),
      groups: [token('admins')],
      passwordMinLength: Lazy.number({ produce: () => 20 }),
    });
    users.addClient('Web', { kind: PUBLIC, callbackUrls: [token('https://app.example.com/cb')] });
    const template = Template.fromStack(stack);
    expectProperties(template, users.userPool, { Policies: { PasswordPolicy: { MinimumLength: 20 } } });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admins' });
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'example-login' });
  });
});

describe.each(FLAG_SET_ENTRIES)('two UserDirectories in one REGULATED stack (%s)', (_flagSet, flags) => {
  test('do not collide: each has its own pool, clients, groups, domain and alarms', () => {
    const stack = newStack(flags, ComplianceProfile.REGULATED);
    const a = new UserDirectory(stack, 'A', { domainPrefix: 'example-a', groups: ['admins'] });
    const b = new UserDirectory(stack, 'B', { domainPrefix: 'example-b', groups: ['admins'] });
    a.addClient('Web', { kind: PUBLIC, callbackUrls: ['https://a.example.com/cb'] });
    b.addClient('Web', { kind: PUBLIC, callbackUrls: ['https://b.example.com/cb'] });
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::Cognito::UserPool', 2);
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 2);
    template.resourceCountIs('AWS::Cognito::UserPoolGroup', 2);
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 2);
    expect(a.alarms).toHaveLength(2);
    expect(b.alarms).toHaveLength(2);
    expect(logicalIdOf(a.userPool)).not.toBe(logicalIdOf(b.userPool));
    expect(Object.keys(alarmsOf(template, stack, a, a.clients[0]))).toHaveLength(2);
    expect(Object.keys(alarmsOf(template, stack, b, b.clients[0]))).toHaveLength(2);
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
    expect(body).toContain('User directory TestStack/A');
    expect(body).toContain('User directory TestStack/B');
  });
});

describe('UserDirectory domain prefixes: unique per region across all accounts', () => {
  test('a second directory of the app with the same prefix in the same region is refused, naming the first', () => {
    const app = testApp();
    new UserDirectory(testStack(app, 'One'), 'Users', { domainPrefix: 'example-login' });
    const two = testStack(app, 'Two');
    expect(() => new UserDirectory(two, 'Users', { domainPrefix: 'example-login' })).toThrow(
      "UserDirectory 'Two/Users': domainPrefix is 'example-login'; UserDirectory 'One/Users' already uses it in this app in eu-west-1: Cognito "
      + 'domain prefixes are unique per region across all AWS accounts, so the second deployment would fail; give each directory its own prefix');
    expect(two.node.findChild('Users').node.children).toEqual([]);
  });

  test('environment-agnostic stacks count as one region', () => {
    const app = testApp();
    new UserDirectory(new Stack(app, 'One'), 'Users', { domainPrefix: 'example-login' });
    expect(() => new UserDirectory(new Stack(app, 'Two'), 'Users', { domainPrefix: 'example-login' }))
      .toThrow("domainPrefix is 'example-login'; UserDirectory 'One/Users' already uses it in this app: Cognito domain prefixes are unique");
  });

  test('the same prefix in another region, or in another app, is fine', () => {
    const app = testApp();
    new UserDirectory(testStack(app, 'Eu'), 'Users', { domainPrefix: 'example-login' });
    expect(() => new UserDirectory(testStack(app, 'Us', { env: { account: '123456789012', region: 'us-east-1' } }), 'Users',
      { domainPrefix: 'example-login' })).not.toThrow();
    expect(() => new UserDirectory(testStack(testApp(), 'Eu'), 'Users', { domainPrefix: 'example-login' })).not.toThrow();
  });
});

describe('UserDirectory invalid input', () => {
  const client = (options: Partial<UserDirectoryClientOptions>) => (s: Stack) =>
    new UserDirectory(s, 'U', { domainPrefix: 'example-login' }).addClient('Web', { kind: PUBLIC, ...options } as UserDirectoryClientOptions);
  const directory = (props: unknown) => (s: Stack) => new UserDirectory(s, 'U', props as UserDirectoryProps);

  const cases: Array<[string, (stack: Stack) => void, string]> = [
    ['props that are not an object', directory(null), 'props is null; give an object of UserDirectoryProps, or nothing'],
    ['an unknown prop (from JavaScript, instead of being ignored)', directory({ mfaRequired: true }),
      'mfaRequired is true; UserDirectoryProps has no such property. Its properties are complianceProfile, monitoring, mfa, threatProtection'],
    ["Python's spelling of a prop", directory({ self_sign_up: true }), 'self_sign_up is true; UserDirectoryProps has no such property (did you mean selfSignUp?)'],
    ['a misspelled client option', client({ callbackUrl: ['https://app.example.com/cb'] } as Partial<UserDirectoryClientOptions>),
      'options of client \'Web\': callbackUrl is ["https://app.example.com/cb"]; UserDirectoryClientOptions has no such property (did you mean callbackUrls?)'],
    ['a misspelled group option', (s) => new UserDirectory(s, 'U').addGroup('admins', { precedance: 1 } as UserDirectoryGroupOptions),
      'options of group \'admins\': precedance is 1; UserDirectoryGroupOptions has no such property (did you mean precedence?)'],
    ['mfa that is not a UserDirectoryMfa', directory({ mfa: 'OFF' }),
      'mfa is \'OFF\'; it must be one of UserDirectoryMfa.REQUIRED, UserDirectoryMfa.OPTIONAL'],
    ['mfa null', directory({ mfa: null }), 'mfa is null; it must be one of UserDirectoryMfa.REQUIRED'],
    ['threatProtection that is not a boolean', directory({ threatProtection: 'yes' }), 'threatProtection is \'yes\'; it must be true or false'],
    ['selfSignUp null', directory({ selfSignUp: null }), 'selfSignUp is null; it must be true or false'],
    ['passwordMinLength below 8', directory({ passwordMinLength: 6 }), 'passwordMinLength is 6; it must be an integer from 8 to 99'],
    ['passwordMinLength above 99', directory({ passwordMinLength: 100 }), 'passwordMinLength is 100; it must be an integer from 8 to 99'],
    ['passwordMinLength that is a string', directory({ passwordMinLength: '14' }), 'passwordMinLength is \'14\'; it must be an integer from 8 to 99'],
    ['temporaryPasswordValidity that is not whole days', directory({ temporaryPasswordValidity: Duration.hours(36) }),
      'temporaryPasswordValidity is 1 day 12 hours; Cognito takes whole days'],
    ['temporaryPasswordValidity over a year', directory({ temporaryPasswordValidity: Duration.days(366) }),
      'temporaryPasswordValidity is 366 days; it must be a whole number of seconds from 1 day to 365 days'],
    ['temporaryPasswordValidity that is a number', directory({ temporaryPasswordValidity: 3 }), 'temporaryPasswordValidity is 3; it must be a Duration'],
    ['removalPolicy SNAPSHOT', directory({ removalPolicy: RemovalPolicy.SNAPSHOT }),
      'removalPolicy is \'snapshot\'; it must be RETAIN, RETAIN_ON_UPDATE_OR_DELETE or DESTROY'],
    ['email that is not a UserPoolEmail', directory({ email: 'noreply@example.com' }),
      'email is \'noreply@example.com\'; it must be a cognito.UserPoolEmail'],
    ['domainPrefix with upper case', directory({ domainPrefix: 'MyLogin' }),
      'domainPrefix is \'MyLogin\'; it must be 1 to 63 lowercase letters, digits and hyphens'],
    ['domainPrefix ending with a hyphen', directory({ domainPrefix: 'login-' }), 'domainPrefix is \'login-\'; it must be 1 to 63'],
    ['domainPrefix of 64 characters', directory({ domainPrefix: 'a'.repeat(64) }), 'it must be 1 to 63 lowercase letters'],
    ['domainPrefix containing cognito', directory({ domainPrefix: 'shop-cognito-login' }),
      'domainPrefix is \'shop-cognito-login\'; it contains \'cognito\'; Cognito refuses prefixes that contain \'aws\', \'amazon\' or \'cognito\''],
    ['domainPrefix containing aws', directory({ domainPrefix: 'laws-firm' }), 'it contains \'aws\''],
    ['groups that is not a list', directory({ groups: 'admins' }), 'groups is \'admins\'; it must be a list of group names'],
    ['an empty group name', directory({ groups: [''] }), 'groups is \'\'; a group name is 1 to 128 characters without whitespace'],
    ['a whitespace-only group name', directory({ groups: ['   '] }), 'groups is \'   \'; a group name is 1 to 128 characters without whitespace'],
    ['a group name with a space', directory({ groups: ['site admins'] }), 'groups is \'site admins\'; a group name is 1 to 128'],
    ['a group name of 129 characters', directory({ groups: ['g'.repeat(129)] }), 'a group name is 1 to 128 characters'],
    ['a group listed twice', directory({ groups: ['admins', 'admins'] }), 'groups is \'admins\'; it is listed twice'],
    ['a group added twice', (s) => {
      const users = new UserDirectory(s, 'U', { groups: ['admins'] });
      users.addGroup('admins');
    }, 'group name is \'admins\'; a group of this name already exists in this directory'],
    ['a group name that is null', (s) => new UserDirectory(s, 'U').addGroup(null as unknown as string), 'group name is null; a group name is 1 to 128'],
    ['a group precedence below 0', (s) => new UserDirectory(s, 'U').addGroup('admins', { precedence: -1 }),
      'precedence of group \'admins\' is -1; it must be an integer from 0 to 2147483647'],
    ['a group description over 2,048 characters', (s) => new UserDirectory(s, 'U').addGroup('admins', { description: 'd'.repeat(2049) }),
      'description of group \'admins\' is \'dddd'],
    ['an alarm period CloudWatch does not take (checked before any client)', directory({ alarms: { signInThrottles: { period: Duration.seconds(45) } } }),
      'alarms.signInThrottles.period is 45 seconds; CloudWatch takes 10 seconds, 30 seconds or a multiple of 60 seconds'],
    ['a negative alarm threshold', directory({ alarms: { tokenRefreshThrottles: { threshold: -1 } } }),
      'alarms.tokenRefreshThrottles.threshold is -1; it must be a number of 0 or more'],
    ['an empty client id', (s) => new UserDirectory(s, 'U').addClient('', { kind: PUBLIC }), 'client id is \'\'; give each client a non-empty id'],
    ['a client id used twice', (s) => {
      const users = new UserDirectory(s, 'U');
      users.addClient('Web', { kind: PUBLIC });
      users.addClient('Web', { kind: CONFIDENTIAL });
    }, 'client id is \'Web\'; it is already used in this directory'],
    ['client options that are null', (s) => new UserDirectory(s, 'U').addClient('Web', null as unknown as UserDirectoryClientOptions),
      'options of client \'Web\' is null; give an object with at least kind'],
    ['a client without a kind', client({ kind: undefined }), 'kind of client \'Web\' is undefined; it is required: UserDirectoryClientKind.PUBLIC_CLIENT'],
    ['a client of an unknown kind', client({ kind: 'SPA' as UserDirectoryClientKind }), 'kind of client \'Web\' is \'SPA\''],
    ['an http callback URL that is not localhost', client({ callbackUrls: ['http://app.example.com/cb'] }),
      'callbackUrls of client \'Web\' is \'http://app.example.com/cb\'; each URL must be https:// (http:// only for localhost)'],
    ['a callback URL with a fragment', client({ callbackUrls: ['https://app.example.com/cb#x'] }), 'without a #fragment'],
    ['a callback URL that is not a URL', client({ callbackUrls: ['app.example.com'] }), 'callbackUrls of client \'Web\' is \'app.example.com\''],
    ['a private-use scheme that is not a reverse domain', client({ callbackUrls: ['myapp://callback'] }),
      'callbackUrls of client \'Web\' is \'myapp://callback\''],
    ['a javascript: callback URL', client({ callbackUrls: ['javascript:alert(1)'] }), 'callbackUrls of client \'Web\' is \'javascript:alert(1)\''],
    ['an empty callback URL list', client({ callbackUrls: [] }), 'callbackUrls of client \'Web\' is []; give a non-empty list of URLs'],
    ['a callback URL listed twice', client({ callbackUrls: ['https://a.example.com/', 'https://a.example.com/'] }), 'a URL is listed twice'],
    ['101 callback URLs', client({ callbackUrls: Array.from({ length: 101 }, (_, i) => `https://a.example.com/${i}`) }),
      'callbackUrls of client \'Web\' is \'101 URLs\'; Cognito takes at most 100'],
    ['logout URLs without callback URLs', client({ logoutUrls: ['https://app.example.com/'] }),
      'logoutUrls of client \'Web\' is ["https://app.example.com/"]; sign-out URLs belong to OAuth sign-in; give callbackUrls too'],
    ['an http logout URL', client({ callbackUrls: ['https://a.example.com/cb'], logoutUrls: ['http://a.example.com/'] }),
      'logoutUrls of client \'Web\' is \'http://a.example.com/\''],
    ['scopes without callback URLs', client({ scopes: [cognito.OAuthScope.OPENID] }),
      'scopes of client \'Web\' is ["openid"]; scopes apply to OAuth sign-in; give callbackUrls too'],
    ['a scope that is a string', client({ callbackUrls: ['https://a.example.com/cb'], scopes: ['openid' as unknown as cognito.OAuthScope] }),
      'scopes of client \'Web\' is \'openid\'; each scope must be a cognito.OAuthScope'],
    ['client-credentials scopes on a public client', client({ clientCredentialsScopes: [cognito.OAuthScope.custom('orders/read')] }),
      'clientCredentialsScopes of client \'Web\' is ["orders/read"]; the client-credentials grant needs a client secret'],
    ['client-credentials scopes with callback URLs', client({
      kind: CONFIDENTIAL, callbackUrls: ['https://a.example.com/cb'], clientCredentialsScopes: [cognito.OAuthScope.custom('orders/read')],
    }), 'clientCredentialsScopes and callbackUrls of client \'Web\' cannot be set together'],
    ['a client-credentials scope that is not a resource-server scope', client({ kind: CONFIDENTIAL, clientCredentialsScopes: [cognito.OAuthScope.OPENID] }),
      'clientCredentialsScopes of client \'Web\' is \'openid\'; the client-credentials grant takes only resource-server scopes'],
    ['an empty client-credentials scope list', client({ kind: CONFIDENTIAL, clientCredentialsScopes: [] }),
      'clientCredentialsScopes of client \'Web\' is []; give a non-empty list'],
    ['an access token valid 4 minutes', client({ accessTokenValidity: Duration.minutes(4) }),
      'accessTokenValidity of client \'Web\' is 4 minutes; it must be a whole number of seconds from 5 minutes to 1 day'],
    ['an ID token valid 2 days', client({ idTokenValidity: Duration.days(2) }), 'idTokenValidity of client \'Web\' is 2 days; it must be a whole number'],
    ['an access token of 90 seconds past whole minutes', client({ accessTokenValidity: Duration.seconds(330) }),
      'accessTokenValidity of client \'Web\' is 5 minutes 30 seconds; it must be whole minutes'],
    ['a refresh token valid 30 minutes', client({ refreshTokenValidity: Duration.minutes(30) }),
      'refreshTokenValidity of client \'Web\' is 30 minutes; it must be a whole number of seconds from 1 hour to 3650 days'],
    ['a refresh token valid 11 years', client({ refreshTokenValidity: Duration.days(4015) }), 'refreshTokenValidity of client \'Web\' is 4015 days'],
    ['an access token as long as the refresh token', client({ accessTokenValidity: Duration.hours(2), refreshTokenValidity: Duration.hours(2) }),
      'accessTokenValidity of client \'Web\' is 2 hours; it must be shorter than refreshTokenValidity (2 hours)'],
    ['a default ID token longer than a short refresh token', client({ accessTokenValidity: Duration.minutes(30), refreshTokenValidity: Duration.minutes(60) }),
      'idTokenValidity of client \'Web\' is 1 hour; it must be shorter than refreshTokenValidity (1 hour)'],
    ['a token validity that is a number', client({ refreshTokenValidity: 30 as unknown as Duration }),
      'refreshTokenValidity of client \'Web\' is 30; it must be a Duration'],
  ];

  test.each(cases)('%s', (_name, build, message) => {
    const run = () => build(newStack());
    expect(run).toThrow(new RegExp(`^UserDirectory 'TestStack/U': .*${escapeRegExp(message)}`));
    expect(run).not.toThrow(TypeError);
  });

  test('a rejected directory makes no resources; a rejected client or group leaves none behind', () => {
    const stack = newStack();
    expect(() => new UserDirectory(stack, 'Bad', { passwordMinLength: 4 })).toThrow(/passwordMinLength/);
    expect(stack.node.findChild('Bad').node.children).toEqual([]);
    const users = new UserDirectory(stack, 'U');
    expect(() => users.addClient('Web', { kind: PUBLIC, callbackUrls: ['http://example.com'] })).toThrow(/callbackUrls/);
    expect(() => users.addGroup('a b')).toThrow(/group name/);
    expect(users.node.tryFindChild('Clients')).toBeUndefined();
    expect(users.node.tryFindChild('Groups')).toBeUndefined();
    expect(users.clients).toEqual([]);
    expect(users.groups).toEqual([]);
  });
});

describe.each(FLAG_SET_ENTRIES)('UserDirectory threat protection actions (%s)', (_flagSet, flags) => {
  test('with threat protection, every client: breached passwords are blocked, account-takeover risk asks for MFA, nobody is emailed', () => {
    const stack = newStack(flags, ComplianceProfile.REGULATED);
    const users = new UserDirectory(stack, 'Users');
    const template = Template.fromStack(stack);
    expect(users.node.tryFindChild('RiskConfiguration')).toBeDefined();
    template.resourceCountIs('AWS::Cognito::UserPoolRiskConfigurationAttachment', 1);
    template.hasResourceProperties('AWS::Cognito::UserPoolRiskConfigurationAttachment', {
      UserPoolId: stack.resolve(users.userPool.userPoolId),
      ClientId: 'ALL',
      CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' }, EventFilter: Match.absent() },
      AccountTakeoverRiskConfiguration: {
        Actions: {
          LowAction: { EventAction: 'NO_ACTION', Notify: false },
          MediumAction: { EventAction: 'MFA_IF_CONFIGURED', Notify: false },
          HighAction: { EventAction: 'MFA_REQUIRED', Notify: false },
        },
        NotifyConfiguration: Match.absent(),
      },
    });
  });

  test('without threat protection there is no risk configuration', () => {
    const stack = newStack(flags, ComplianceProfile.STANDARD);
    new UserDirectory(stack, 'Users');
    Template.fromStack(stack).resourceCountIs('AWS::Cognito::UserPoolRiskConfigurationAttachment', 0);
  });
});
