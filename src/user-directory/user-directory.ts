import { Annotations, Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { UserDirectoryAlarmsProps } from './user-directory-alarms';
import { ThresholdAlarmOptions } from '../core/alarm-options';
import { ComplianceProfile, CompliancePolicy } from '../core/compliance-profile';
import { BulwarkError } from '../core/errors';
import { MonitoredConstructProps } from '../monitoring/monitored-props';
import { IMonitoring, Monitoring } from '../monitoring/monitoring';
import { acknowledge, KNOWN_FINDINGS } from '../private/acknowledgements';
import { thresholdAlarm, validateAlarmOptions } from '../private/alarms';
import { COGNITO_ALARM_DEFAULTS, COGNITO_DEFAULTS, COGNITO_LIMITS } from '../private/defaults/cognito';
import { checkDuration, checkInteger, secondsOf, shortPath } from '../private/validation';

/** Whether users must use multi-factor authentication. */
export enum UserDirectoryMfa {
  /** Every user sets up an authenticator app (TOTP) at first sign-in and uses it at every sign-in. */
  REQUIRED = 'REQUIRED',
  /**
   * Users may set up an authenticator app (TOTP). AwsSolutions-COG2 flags it and stays visible:
   * it is your choice, not acknowledged.
   */
  OPTIONAL = 'OPTIONAL',
}

/** What kind of application an app client is for. */
export enum UserDirectoryClientKind {
  /**
   * A browser single-page app or a mobile app: it cannot keep a secret, so the client has none.
   * Sign-in with SRP through the SDK, or, with `callbackUrls`, the authorization-code grant
   * (the app must use PKCE; the implicit grant is never allowed).
   */
  PUBLIC_CLIENT = 'PUBLIC_CLIENT',
  /**
   * A server-side app that keeps a client secret: sign-in with SRP or, with `callbackUrls`, the
   * authorization-code grant; or, with `clientCredentialsScopes`, machine-to-machine tokens
   * (client-credentials grant) for resource-server scopes.
   */
  CONFIDENTIAL_CLIENT = 'CONFIDENTIAL_CLIENT',
}

/**
 * Properties of `UserDirectory`.
 */
export interface UserDirectoryProps extends MonitoredConstructProps {
  /**
   * Whether users must use multi-factor authentication (an authenticator app, TOTP). `OPTIONAL`
   * leaves AwsSolutions-COG2 visible: that is your decision to record.
   *
   * @default UserDirectoryMfa.REQUIRED
   */
  readonly mfa?: UserDirectoryMfa;

  /**
   * Whether to turn on threat protection: the Plus feature plan with standard threat protection
   * ENFORCED (compromised-credential detection and adaptive authentication that blocks or
   * challenges risky sign-ins). The Plus plan is billed per monthly active user.
   *
   * @default - true in REGULATED; false in STANDARD (the Essentials plan; AwsSolutions-COG8 is
   * acknowledged as a priced feature)
   */
  readonly threatProtection?: boolean;

  /**
   * Whether anyone may sign up through the public API. Otherwise only administrators create users.
   *
   * @default false
   */
  readonly selfSignUp?: boolean;

  /**
   * The minimum password length, 8 to 99. Passwords also need an upper-case letter, a lower-case
   * letter, a digit and a symbol, and may not repeat the last 4.
   *
   * @default 14
   */
  readonly passwordMinLength?: number;

  /**
   * How long a temporary password (of a user an administrator created) is valid: whole days,
   * 1 to 365.
   *
   * @default Duration.days(3)
   */
  readonly temporaryPasswordValidity?: Duration;

  /**
   * What happens to the user pool when it leaves the stack. `RETAIN` (or
   * `RETAIN_ON_UPDATE_OR_DELETE`) keeps it and turns on deletion protection; `DESTROY` deletes it
   * with every user and turns deletion protection off (it would block the deletion).
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * How Cognito sends email (verification codes, invitations, password resets), e.g.
   * `cognito.UserPoolEmail.withSES({...})` for production volumes.
   *
   * @default - Cognito's own email, limited to 50 messages a day per account
   */
  readonly email?: cognito.UserPoolEmail;

  /**
   * A prefix for the Cognito domain (`https://<prefix>.auth.<region>.amazoncognito.com`), which
   * serves the hosted sign-in pages and the OAuth endpoints: 1 to 63 lowercase letters, digits and
   * hyphens, not starting or ending with a hyphen, without `aws`, `amazon` or `cognito`. Unique
   * per region across all AWS accounts.
   *
   * @default - no domain (add one to use the authorization-code or client-credentials grants)
   */
  readonly domainPrefix?: string;

  /**
   * Names of user groups to create (1 to 128 characters, no whitespace). Add groups with a
   * description or precedence with `addGroup()`.
   *
   * @default - no groups
   */
  readonly groups?: string[];

  /**
   * Alarm thresholds, or `enabled: false` to skip an alarm. The alarms are made per app client.
   *
   * @default - the sign-in and token refresh throttle alarms with their documented defaults
   */
  readonly alarms?: UserDirectoryAlarmsProps;
}

/** Options of `UserDirectory.addClient()`. */
export interface UserDirectoryClientOptions {
  /** What kind of application the client is for: a public app without a secret, or a confidential server app. */
  readonly kind: UserDirectoryClientKind;

  /**
   * Where Cognito may redirect after sign-in: turns on the OAuth authorization-code grant (never
   * the implicit grant). Each URL is `https://`, `http://localhost` (development), or a
   * private-use scheme of a mobile app named after a reverse domain (`com.example.app:/callback`);
   * at most 1,024 characters, no fragment, at most 100 URLs.
   *
   * @default - no OAuth sign-in: the app signs users in with SRP through the SDK
   */
  readonly callbackUrls?: string[];

  /**
   * Where Cognito may redirect after sign-out (same rules as `callbackUrls`; needs them).
   *
   * @default - none
   */
  readonly logoutUrls?: string[];

  /**
   * The OAuth scopes an authorization-code sign-in may ask for (needs `callbackUrls`).
   *
   * @default - openid, email and profile
   */
  readonly scopes?: cognito.OAuthScope[];

  /**
   * CONFIDENTIAL_CLIENT only: turns the client into a machine-to-machine client that gets tokens
   * with the client-credentials grant for these resource-server scopes
   * (`cognito.OAuthScope.resourceServer(server, scope)`; make the server with
   * `directory.userPool.addResourceServer()`). Cognito does not combine this grant with sign-in.
   *
   * @default - no client-credentials grant
   */
  readonly clientCredentialsScopes?: cognito.OAuthScope[];

  /**
   * How long access tokens are valid: 5 minutes to 1 day, whole minutes, shorter than refresh tokens.
   *
   * @default Duration.hours(1)
   */
  readonly accessTokenValidity?: Duration;

  /**
   * How long ID tokens are valid: 5 minutes to 1 day, whole minutes, shorter than refresh tokens.
   *
   * @default Duration.hours(1)
   */
  readonly idTokenValidity?: Duration;

  /**
   * How long refresh tokens are valid (how long a user stays signed in): 60 minutes to 10 years,
   * whole minutes.
   *
   * @default Duration.days(30)
   */
  readonly refreshTokenValidity?: Duration;
}

/** Options of `UserDirectory.addGroup()`. */
export interface UserDirectoryGroupOptions {
  /**
   * A description of the group (at most 2,048 characters).
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * The group's precedence (0 to 2,147,483,647): when a user is in several groups with IAM roles,
   * the lowest value wins in the token's `cognito:preferred_role`.
   *
   * @default - none
   */
  readonly precedence?: number;
}

/**
 * A Cognito user pool for the users of your APIs, secure by default: multi-factor authentication
 * required (authenticator apps), a strong password policy, email sign-in with verification,
 * account recovery by email only, no self sign-up, deletion protection and retention, and, in
 * REGULATED, the Plus plan with threat protection enforced. App clients come in two kinds (public
 * apps without a secret, confidential server apps) with short-lived tokens, token revocation and
 * no user-existence errors; each gets alarms on throttled sign-ins and token refreshes.
 *
 * @example
 * const users = new UserDirectory(this, 'Users', { domainPrefix: 'example-shop-login', groups: ['admins'] });
 * users.addClient('Web', {
 *   kind: UserDirectoryClientKind.PUBLIC_CLIENT,
 *   callbackUrls: ['https://shop.example.com/callback'],
 * });
 */
export class UserDirectory extends Construct {
  /** The Cognito user pool. */
  public readonly userPool: cognito.UserPool;

  /**
   * The Cognito prefix domain.
   *
   * @default - none when `domainPrefix` is not given
   */
  public readonly domain?: cognito.UserPoolDomain;

  /** The feature plan in force: PLUS with threat protection, else ESSENTIALS. */
  public readonly featurePlan: cognito.FeaturePlan;

  /** The compliance profile in force. */
  public readonly complianceProfile: ComplianceProfile;

  private readonly monitoring: IMonitoring;
  private readonly alarmsProps?: UserDirectoryAlarmsProps;
  private readonly signInsWidget: cloudwatch.GraphWidget;
  private readonly throttlesWidget: cloudwatch.GraphWidget;
  private readonly clientList: cognito.UserPoolClient[] = [];
  private readonly clientIds = new Set<string>();
  private readonly groupList: cognito.UserPoolGroup[] = [];
  private readonly groupNames = new Set<string>();
  private readonly registeredAlarms: cloudwatch.IAlarm[] = [];
  /** Whether a client uses an OAuth grant (it needs a domain). */
  private oauthClients = false;

  constructor(scope: Construct, id: string, props: UserDirectoryProps = {}) {
    super(scope, id);
    this.validateProps(props);

    // Defaults.
    this.complianceProfile = CompliancePolicy.resolve(this, props.complianceProfile);
    const regulated = this.complianceProfile === ComplianceProfile.REGULATED;
    const threatProtection = props.threatProtection ?? regulated;
    this.featurePlan = threatProtection ? cognito.FeaturePlan.PLUS : cognito.FeaturePlan.ESSENTIALS;
    this.monitoring = props.monitoring ?? Monitoring.of(this);
    this.alarmsProps = props.alarms;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const passwordMinLength = props.passwordMinLength ?? COGNITO_DEFAULTS.passwordMinLength;

    // User pool.
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      featurePlan: this.featurePlan,
      standardThreatProtectionMode: threatProtection ? cognito.StandardThreatProtectionMode.FULL_FUNCTION : undefined,
      mfa: (props.mfa ?? UserDirectoryMfa.REQUIRED) === UserDirectoryMfa.REQUIRED ? cognito.Mfa.REQUIRED : cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true, email: false },
      enableSmsRole: false,
      passwordPolicy: {
        // CDK checks the length even when it is a token: give it the default, then the token (below).
        minLength: Token.isUnresolved(passwordMinLength) ? COGNITO_DEFAULTS.passwordMinLength : passwordMinLength,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: props.temporaryPasswordValidity ?? COGNITO_DEFAULTS.temporaryPasswordValidity,
        passwordHistorySize: COGNITO_DEFAULTS.passwordHistorySize,
      },
      selfSignUpEnabled: props.selfSignUp ?? false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      email: props.email,
      deletionProtection: removalPolicy !== RemovalPolicy.DESTROY,
      removalPolicy,
    });

    if (threatProtection) {
      // What ENFORCED does, stated rather than left to Cognito's defaults (COGNITO_DEFAULTS.riskActions).
      new cognito.CfnUserPoolRiskConfigurationAttachment(this, 'RiskConfiguration', {
        userPoolId: this.userPool.userPoolId,
        clientId: 'ALL',
        compromisedCredentialsRiskConfiguration: { actions: { eventAction: COGNITO_DEFAULTS.riskActions.compromisedCredentials } },
        accountTakeoverRiskConfiguration: {
          actions: {
            lowAction: { eventAction: COGNITO_DEFAULTS.riskActions.lowRisk, notify: false },
            mediumAction: { eventAction: COGNITO_DEFAULTS.riskActions.mediumRisk, notify: false },
            highAction: { eventAction: COGNITO_DEFAULTS.riskActions.highRisk, notify: false },
          },
        },
      });
    }
    if (Token.isUnresolved(passwordMinLength)) {
      (this.userPool.node.defaultChild as cognito.CfnUserPool).addPropertyOverride('Policies.PasswordPolicy.MinimumLength', passwordMinLength);
    }
    if (props.domainPrefix !== undefined) {
      this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: props.domainPrefix } });
    }
    for (const name of props.groups ?? []) {
      this.addGroup(name);
    }

    // Dashboard (each client adds its lines; the alarms come with the clients).
    this.signInsWidget = new cloudwatch.GraphWidget({ title: 'Sign-ins', width: 12 });
    this.throttlesWidget = new cloudwatch.GraphWidget({ title: 'Throttled sign-ins / token refreshes', width: 12 });
    this.monitoring.addSection(`User directory ${shortPath(this)}`, this.signInsWidget, this.throttlesWidget);

    // Acknowledgements.
    if (!threatProtection && !regulated) {
      acknowledge(this.userPool.node.defaultChild as cognito.CfnUserPool, KNOWN_FINDINGS.cognitoPlusFeaturePlan);
    }

    // Clients are added later.
    this.node.addValidation({ validate: () => this.warnWithoutDomain() });
  }

  /** Every app client made with `addClient()`. */
  public get clients(): cognito.UserPoolClient[] {
    return [...this.clientList];
  }

  /** Every group made with the `groups` prop and `addGroup()`. */
  public get groups(): cognito.UserPoolGroup[] {
    return [...this.groupList];
  }

  /** The alarms this construct created so far (they come with the app clients). */
  public get alarms(): cloudwatch.IAlarm[] {
    return [...this.registeredAlarms];
  }

  /**
   * Adds an app client: a public app (no secret) or a confidential server app (with a secret).
   * Every client prevents user-existence errors, allows token revocation, signs in only with SRP
   * (never a plain password) or OAuth, and gets alarms on throttled sign-ins and token refreshes.
   *
   * @param id an id for the client, unique in this directory (it names its constructs)
   * @param options the kind of client, OAuth settings and token lifetimes
   */
  public addClient(id: string, options: UserDirectoryClientOptions): cognito.UserPoolClient {
    this.validateClient(id, options);
    const clientCredentials = options.clientCredentialsScopes !== undefined;
    const codeGrant = options.callbackUrls !== undefined;
    const group = new Construct((this.node.tryFindChild('Clients') as Construct | undefined) ?? new Construct(this, 'Clients'), id);
    const client = new cognito.UserPoolClient(group, 'Client', {
      userPool: this.userPool,
      generateSecret: options.kind === UserDirectoryClientKind.CONFIDENTIAL_CLIENT,
      // SRP sign-in (and refresh); never plain passwords. A client-credentials client signs nobody in.
      authFlows: clientCredentials ? { userSrp: false } : { userSrp: true },
      disableOAuth: !codeGrant && !clientCredentials,
      oAuth: codeGrant
        ? {
          flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
          callbackUrls: options.callbackUrls,
          logoutUrls: options.logoutUrls,
          scopes: options.scopes ?? [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        }
        : clientCredentials
          ? {
            flows: { authorizationCodeGrant: false, implicitCodeGrant: false, clientCredentials: true },
            scopes: options.clientCredentialsScopes,
          }
          : undefined,
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: options.accessTokenValidity ?? COGNITO_DEFAULTS.accessTokenValidity,
      idTokenValidity: options.idTokenValidity ?? COGNITO_DEFAULTS.idTokenValidity,
      refreshTokenValidity: options.refreshTokenValidity ?? COGNITO_DEFAULTS.refreshTokenValidity,
    });
    this.clientIds.add(id);
    this.clientList.push(client);
    this.oauthClients ||= codeGrant || clientCredentials;

    if (!clientCredentials) {
      this.createClientAlarms(group, id, client);
      this.signInsWidget.addLeftMetric(this.metricSignInSuccesses(client, { label: id }));
      this.throttlesWidget.addLeftMetric(this.metricSignInThrottles(client, { label: `${id} sign-ins` }));
      this.throttlesWidget.addLeftMetric(this.metricTokenRefreshThrottles(client, { label: `${id} token refreshes` }));
    }
    return client;
  }

  /**
   * Adds a user group.
   *
   * @param name the group name: 1 to 128 characters, no whitespace, unique in this directory
   * @param options description and precedence
   */
  public addGroup(name: string, options: UserDirectoryGroupOptions = {}): cognito.UserPoolGroup {
    this.validateGroup(name, options);
    const groups = (this.node.tryFindChild('Groups') as Construct | undefined) ?? new Construct(this, 'Groups');
    const group = new cognito.UserPoolGroup(groups, Token.isUnresolved(name) ? `Group${this.groupList.length}` : name, {
      userPool: this.userPool,
      groupName: name,
      description: options.description,
      precedence: options.precedence,
    });
    this.groupNames.add(name);
    this.groupList.push(group);
    return group;
  }

  /** Successful sign-ins through an app client (`SignInSuccesses`, sum over 5 minutes unless changed). */
  public metricSignInSuccesses(client: cognito.IUserPoolClient, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.clientMetric('SignInSuccesses', client, props);
  }

  /** Sign-ins through an app client that Cognito throttled (`SignInThrottles`, sum over 5 minutes unless changed). */
  public metricSignInThrottles(client: cognito.IUserPoolClient, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.clientMetric('SignInThrottles', client, props);
  }

  /** Token refreshes through an app client that Cognito throttled (`TokenRefreshThrottles`, sum over 5 minutes unless changed). */
  public metricTokenRefreshThrottles(client: cognito.IUserPoolClient, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.clientMetric('TokenRefreshThrottles', client, props);
  }

  private clientMetric(metricName: string, client: cognito.IUserPoolClient, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Cognito',
      metricName,
      dimensionsMap: { UserPool: this.userPool.userPoolId, UserPoolClient: client.userPoolClientId },
      statistic: cloudwatch.Stats.SUM,
      ...props,
    });
  }

  private createClientAlarms(group: Construct, id: string, client: cognito.UserPoolClient): void {
    const where = `app client '${id.slice(0, 80)}' of the user pool of ${shortPath(this, 120)}`;
    const signIn = { ...COGNITO_ALARM_DEFAULTS.signInThrottles, ...this.alarmsProps?.signInThrottles };
    if (signIn.enabled ?? true) {
      this.registerAlarm(thresholdAlarm(group, 'SignInThrottlesAlarm', 'alarms.signInThrottles',
        (period) => this.metricSignInThrottles(client, { period }), signIn,
        `Cognito throttled sign-ins through ${where}: those users could not sign in. The user pool's request rate quota for user authentication `
        + '(shared by every client of the pool) was exceeded. Check SignInSuccesses and the CallCount/ThrottleCount metrics in AWS/Usage for a '
        + 'traffic spike or a client retrying in a loop (a credential-stuffing attack looks the same: threatProtection blocks it). If the traffic is '
        + 'legitimate, request a higher \'Rate of UserAuthentication requests\' quota for Amazon Cognito User Pools in Service Quotas; '
        + 'make clients retry with backoff.'));
    }
    const refresh = { ...COGNITO_ALARM_DEFAULTS.tokenRefreshThrottles, ...this.alarmsProps?.tokenRefreshThrottles };
    if (refresh.enabled ?? true) {
      this.registerAlarm(thresholdAlarm(group, 'TokenRefreshThrottlesAlarm', 'alarms.tokenRefreshThrottles',
        (period) => this.metricTokenRefreshThrottles(client, { period }), refresh,
        `Cognito throttled token refreshes through ${where}: signed-in users could not get new tokens and see errors or are signed out. The user `
        + 'pool\'s request rate quota for token refreshes was exceeded. Look for an app that refreshes on every request instead of when the access '
        + 'token expires, or a traffic spike; if the traffic is legitimate, request a higher \'Rate of UserAuthentication requests\' quota for '
        + 'Amazon Cognito User Pools in Service Quotas and make clients retry with backoff.'));
    }
  }

  private registerAlarm(alarm: cloudwatch.Alarm): void {
    this.monitoring.addAlarm(alarm);
    this.registeredAlarms.push(alarm);
  }

  private validateProps(props: UserDirectoryProps): void {
    if (props === null || typeof props !== 'object') {
      throw BulwarkError.invalid(this, 'props', props, 'give an object of UserDirectoryProps, or nothing');
    }
    checkEnum(this, 'mfa', props.mfa, UserDirectoryMfa, 'UserDirectoryMfa');
    checkBoolean(this, 'threatProtection', props.threatProtection);
    checkBoolean(this, 'selfSignUp', props.selfSignUp);
    checkInteger(this, 'passwordMinLength', props.passwordMinLength, COGNITO_LIMITS.minPasswordLength, COGNITO_LIMITS.maxPasswordLength);
    checkDuration(this, 'temporaryPasswordValidity', props.temporaryPasswordValidity,
      COGNITO_LIMITS.minTemporaryPasswordValidity, COGNITO_LIMITS.maxTemporaryPasswordValidity);
    const tempSeconds = secondsOf(props.temporaryPasswordValidity);
    if (tempSeconds !== undefined && tempSeconds % 86400 !== 0) {
      throw BulwarkError.invalid(this, 'temporaryPasswordValidity', props.temporaryPasswordValidity, 'Cognito takes whole days, e.g. Duration.days(3)');
    }
    const allowedRemoval = [RemovalPolicy.RETAIN, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, RemovalPolicy.DESTROY];
    if (props.removalPolicy !== undefined && !allowedRemoval.includes(props.removalPolicy)) {
      throw BulwarkError.invalid(this, 'removalPolicy', props.removalPolicy,
        'it must be RETAIN, RETAIN_ON_UPDATE_OR_DELETE or DESTROY (CloudFormation cannot snapshot a user pool)');
    }
    if (props.email !== undefined && !(props.email instanceof cognito.UserPoolEmail)) {
      throw BulwarkError.invalid(this, 'email', props.email, 'it must be a cognito.UserPoolEmail, e.g. cognito.UserPoolEmail.withSES({...})');
    }
    if (props.domainPrefix !== undefined) {
      this.validateDomainPrefix(props.domainPrefix);
    }
    if (props.groups !== undefined && !Array.isArray(props.groups)) {
      throw BulwarkError.invalid(this, 'groups', props.groups, 'it must be a list of group names');
    }
    const seen = new Set<string>();
    for (const name of props.groups ?? []) {
      checkGroupName(this, 'groups', name);
      if (seen.has(name)) {
        throw BulwarkError.invalid(this, 'groups', name, 'it is listed twice; give each group once');
      }
      seen.add(name);
    }
    if (props.alarms !== undefined && (props.alarms === null || typeof props.alarms !== 'object')) {
      throw BulwarkError.invalid(this, 'alarms', props.alarms, 'it must be an object of UserDirectoryAlarmsProps');
    }
    // The alarms are made per client, later: check their options now, before any resource is made.
    for (const [name, defaults] of Object.entries(COGNITO_ALARM_DEFAULTS)) {
      const given = (props.alarms as Record<string, ThresholdAlarmOptions | undefined> | undefined)?.[name];
      const options = { ...defaults, ...given };
      if (options.enabled ?? true) {
        validateAlarmOptions(this, `alarms.${name}`, options);
      }
    }
  }

  private validateDomainPrefix(prefix: string): void {
    if (Token.isUnresolved(prefix)) {
      return;
    }
    if (typeof prefix !== 'string' || !COGNITO_LIMITS.domainPrefixPattern.test(prefix)) {
      throw BulwarkError.invalid(this, 'domainPrefix', prefix,
        'it must be 1 to 63 lowercase letters, digits and hyphens, not starting or ending with a hyphen');
    }
    const reserved = COGNITO_LIMITS.reservedDomainWords.find((word) => prefix.includes(word));
    if (reserved) {
      throw BulwarkError.invalid(this, 'domainPrefix', prefix, `it contains '${reserved}'; Cognito refuses prefixes that contain 'aws', 'amazon' or 'cognito'`);
    }
  }

  private validateClient(id: string, options: UserDirectoryClientOptions): void {
    if (typeof id !== 'string' || id.trim() === '' || Token.isUnresolved(id)) {
      throw BulwarkError.invalid(this, 'client id', id, 'give each client a non-empty id (a literal string)');
    }
    if (this.clientIds.has(id)) {
      throw BulwarkError.invalid(this, 'client id', id, 'it is already used in this directory; give each client its own id');
    }
    const at = `of client '${id}'`;
    if (options === null || typeof options !== 'object') {
      throw BulwarkError.invalid(this, `options ${at}`, options, 'give an object with at least kind');
    }
    if (!Object.values(UserDirectoryClientKind).includes(options.kind)) {
      throw BulwarkError.invalid(this, `kind ${at}`, options.kind,
        'it is required: UserDirectoryClientKind.PUBLIC_CLIENT (no secret) or UserDirectoryClientKind.CONFIDENTIAL_CLIENT (with a secret)');
    }
    const callbackUrls = checkUrls(this, `callbackUrls ${at}`, options.callbackUrls);
    checkUrls(this, `logoutUrls ${at}`, options.logoutUrls);
    if (options.logoutUrls !== undefined && callbackUrls === undefined) {
      throw BulwarkError.invalid(this, `logoutUrls ${at}`, options.logoutUrls, 'sign-out URLs belong to OAuth sign-in; give callbackUrls too');
    }
    checkScopes(this, `scopes ${at}`, options.scopes);
    if (options.scopes !== undefined && callbackUrls === undefined) {
      throw BulwarkError.invalid(this, `scopes ${at}`, scopesShown(options.scopes), 'scopes apply to OAuth sign-in; give callbackUrls too');
    }
    const credentialScopes = checkScopes(this, `clientCredentialsScopes ${at}`, options.clientCredentialsScopes);
    if (credentialScopes !== undefined) {
      if (options.kind !== UserDirectoryClientKind.CONFIDENTIAL_CLIENT) {
        throw BulwarkError.invalid(this, `clientCredentialsScopes ${at}`, scopesShown(credentialScopes),
          'the client-credentials grant needs a client secret: use UserDirectoryClientKind.CONFIDENTIAL_CLIENT');
      }
      if (callbackUrls !== undefined) {
        throw new BulwarkError(this, `clientCredentialsScopes and callbackUrls ${at} cannot be set together; Cognito does not combine the `
          + 'client-credentials grant with sign-in: make two clients');
      }
      for (const scope of credentialScopes) {
        if (!Token.isUnresolved(scope.scopeName) && !scope.scopeName.includes('/')) {
          throw BulwarkError.invalid(this, `clientCredentialsScopes ${at}`, scope.scopeName,
            'the client-credentials grant takes only resource-server scopes: cognito.OAuthScope.resourceServer(server, scope)');
        }
      }
    }
    const { minAccessTokenValidity: minAccess, maxAccessTokenValidity: maxAccess } = COGNITO_LIMITS;
    checkMinutes(this, `accessTokenValidity ${at}`, options.accessTokenValidity, minAccess, maxAccess);
    checkMinutes(this, `idTokenValidity ${at}`, options.idTokenValidity, minAccess, maxAccess);
    checkMinutes(this, `refreshTokenValidity ${at}`, options.refreshTokenValidity,
      COGNITO_LIMITS.minRefreshTokenValidity, COGNITO_LIMITS.maxRefreshTokenValidity);
    const refresh = secondsOf(options.refreshTokenValidity ?? COGNITO_DEFAULTS.refreshTokenValidity);
    for (const [name, value] of [['accessTokenValidity', options.accessTokenValidity], ['idTokenValidity', options.idTokenValidity]] as const) {
      const seconds = secondsOf(value ?? COGNITO_DEFAULTS.accessTokenValidity);
      if (refresh !== undefined && seconds !== undefined && seconds >= refresh) {
        throw BulwarkError.invalid(this, `${name} ${at}`, value ?? COGNITO_DEFAULTS.accessTokenValidity,
          `it must be shorter than refreshTokenValidity (${(options.refreshTokenValidity ?? COGNITO_DEFAULTS.refreshTokenValidity).toHumanString()})`);
      }
    }
  }

  private validateGroup(name: string, options: UserDirectoryGroupOptions): void {
    checkGroupName(this, 'group name', name);
    if (this.groupNames.has(name)) {
      throw BulwarkError.invalid(this, 'group name', name, 'a group of this name already exists in this directory');
    }
    if (options === null || typeof options !== 'object') {
      throw BulwarkError.invalid(this, `options of group '${name}'`, options, 'give an object of UserDirectoryGroupOptions, or nothing');
    }
    const description = options.description;
    if (description !== undefined && !Token.isUnresolved(description)
      && (typeof description !== 'string' || description.length > COGNITO_LIMITS.maxGroupDescriptionLength)) {
      throw BulwarkError.invalid(this, `description of group '${name}'`, typeof description === 'string' ? `${description.slice(0, 40)}...` : description,
        `it must be a string of at most ${COGNITO_LIMITS.maxGroupDescriptionLength} characters`);
    }
    checkInteger(this, `precedence of group '${name}'`, options.precedence, 0, COGNITO_LIMITS.maxGroupPrecedence);
  }

  /** OAuth grants need the user pool's domain (the token endpoint lives there). */
  private warnWithoutDomain(): string[] {
    const hasDomain = this.userPool.node.children.some((child) => child instanceof cognito.UserPoolDomain);
    if (this.oauthClients && !hasDomain) {
      Annotations.of(this).addWarningV2('cdk-bulwark:user-directory:no-domain',
        'An app client uses an OAuth grant (callbackUrls or clientCredentialsScopes) but the user pool has no domain, so the sign-in pages '
        + 'and the token endpoint do not exist. Set domainPrefix or call userPool.addDomain() with a custom domain; acknowledge this warning '
        + 'if the domain is added outside this app.');
    }
    return [];
  }
}

function checkBoolean(scope: Construct, prop: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean') {
    throw BulwarkError.invalid(scope, prop, value, 'it must be true or false');
  }
}

function checkEnum(scope: Construct, prop: string, value: unknown, values: Record<string, string>, name: string): void {
  if (value !== undefined && !Object.values(values).includes(value as string)) {
    throw BulwarkError.invalid(scope, prop, value, `it must be one of ${Object.keys(values).map((k) => `${name}.${k}`).join(', ')}`);
  }
}

function checkGroupName(scope: Construct, prop: string, name: unknown): void {
  if (Token.isUnresolved(name)) {
    return;
  }
  if (typeof name !== 'string' || name.length === 0 || name.length > COGNITO_LIMITS.maxGroupNameLength || /\s/u.test(name)) {
    throw BulwarkError.invalid(scope, prop, name,
      `a group name is 1 to ${COGNITO_LIMITS.maxGroupNameLength} characters without whitespace (letters, digits, symbols, punctuation)`);
  }
}

/** A Duration in [min, max] in whole minutes (Cognito's token validity unit). */
function checkMinutes(scope: Construct, prop: string, value: Duration | undefined, min: Duration, max: Duration): void {
  checkDuration(scope, prop, value, min, max);
  const seconds = secondsOf(value);
  if (seconds !== undefined && seconds % 60 !== 0) {
    throw BulwarkError.invalid(scope, prop, value, 'it must be whole minutes');
  }
}

/**
 * Callback and sign-out URLs: `https://`, `http://localhost` (or 127.0.0.1) for development, or a
 * private-use scheme named after a reverse domain (RFC 8252 7.1, for mobile apps); no fragment.
 * Returns the list, or undefined when unset. Unresolved tokens pass.
 */
function checkUrls(scope: Construct, prop: string, urls: unknown): string[] | undefined {
  if (urls === undefined || Token.isUnresolved(urls)) {
    return urls as string[] | undefined;
  }
  if (!Array.isArray(urls) || urls.length === 0) {
    throw BulwarkError.invalid(scope, prop, urls, 'give a non-empty list of URLs, or leave it unset');
  }
  if (urls.length > COGNITO_LIMITS.maxUrlsPerClient) {
    throw BulwarkError.invalid(scope, prop, `${urls.length} URLs`, `Cognito takes at most ${COGNITO_LIMITS.maxUrlsPerClient}`);
  }
  for (const url of urls) {
    if (Token.isUnresolved(url)) {
      continue;
    }
    if (typeof url !== 'string' || url.length > COGNITO_LIMITS.maxUrlLength || !allowedRedirect(url)) {
      throw BulwarkError.invalid(scope, prop, url, 'each URL must be https:// (http:// only for localhost), or a mobile app\'s private-use scheme '
        + `named after a reverse domain (com.example.app:/callback); at most ${COGNITO_LIMITS.maxUrlLength} characters, without a #fragment`);
    }
  }
  if (new Set(urls).size !== urls.length) {
    throw BulwarkError.invalid(scope, prop, urls, 'a URL is listed twice');
  }
  return urls;
}

function allowedRedirect(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.hash !== '' || url.includes('#')) {
    return false;
  }
  if (parsed.protocol === 'https:') {
    return parsed.hostname !== '';
  }
  if (parsed.protocol === 'http:') {
    return ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  }
  // A private-use scheme: a reverse domain name such as com.example.app (RFC 8252 7.1).
  return /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+:$/.test(parsed.protocol);
}

function checkScopes(scope: Construct, prop: string, scopes: unknown): cognito.OAuthScope[] | undefined {
  if (scopes === undefined) {
    return undefined;
  }
  if (!Array.isArray(scopes) || scopes.length === 0) {
    throw BulwarkError.invalid(scope, prop, scopes, 'give a non-empty list of cognito.OAuthScope, or leave it unset');
  }
  for (const item of scopes) {
    if (!(item instanceof cognito.OAuthScope)) {
      throw BulwarkError.invalid(scope, prop, item, 'each scope must be a cognito.OAuthScope, e.g. cognito.OAuthScope.OPENID');
    }
  }
  return scopes;
}

function scopesShown(scopes: cognito.OAuthScope[]): string[] {
  return scopes.map((s) => s.scopeName);
}
