import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct, IConstruct } from 'constructs';
import { UserDirectoryAlarmsProps } from './user-directory-alarms';
import { addClientLines, clientMetric, USER_DIRECTORY_ALARMS, userDirectoryWidgets, UserDirectoryWidgets } from './user-directory-monitoring';
import { validateClient, validateGroup, validateUserDirectoryProps } from './user-directory-validation';
import { ComplianceProfile } from '../core/compliance-profile';
import { BulwarkError } from '../core/errors';
import { constructContext } from '../monitoring/construct-context';
import { MonitoredConstructProps } from '../monitoring/monitored-props';
import { acknowledge, KNOWN_FINDINGS } from '../private/acknowledgements';
import { AlarmSet } from '../private/alarm-set';
import { COGNITO_DEFAULTS } from '../private/defaults/cognito';
import { shortPath } from '../private/validation';
import { warn, WARNINGS } from '../private/warnings';

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

  private readonly alarmSet: AlarmSet;
  private readonly widgets: UserDirectoryWidgets;
  private readonly clientList: cognito.UserPoolClient[] = [];
  private readonly clientIds = new Set<string>();
  private readonly groupList: cognito.UserPoolGroup[] = [];
  private readonly groupNames = new Set<string>();
  /** Whether a client uses an OAuth grant (it needs a domain). */
  private oauthClients = false;

  constructor(scope: Construct, id: string, props: UserDirectoryProps = {}) {
    super(scope, id);
    validateUserDirectoryProps(this, props);
    if (props.domainPrefix !== undefined) {
      claimDomainPrefix(this, props.domainPrefix);
    }
    const context = constructContext(this, props);
    // The alarms are made per client, later: every option is checked now, before any resource is made.
    this.alarmSet = context.alarms(Object.values(USER_DIRECTORY_ALARMS), props.alarms, 'UserDirectoryAlarmsProps');
    this.complianceProfile = context.profile;
    const threatProtection = props.threatProtection ?? context.traits.threatProtection;
    this.featurePlan = threatProtection ? cognito.FeaturePlan.PLUS : cognito.FeaturePlan.ESSENTIALS;
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
    this.widgets = userDirectoryWidgets();
    context.addSection('User directory', this.widgets.signIns, this.widgets.throttles);

    // Acknowledgements: the Plus plan is a priced feature, acknowledged where the profile does not
    // ask for it; turned off where the profile asks for it, the finding stays visible.
    if (!threatProtection && !context.traits.threatProtection) {
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
    return this.alarmSet.alarms;
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
    validateClient(this, this.clientIds, id, options);
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
      const where = `app client '${id.slice(0, 80)}' of the user pool of ${shortPath(this, 120)}`;
      const placement = { scope: group, where };
      this.alarmSet.add(USER_DIRECTORY_ALARMS.signInThrottles, (period) => this.metricSignInThrottles(client, { period }), placement);
      this.alarmSet.add(USER_DIRECTORY_ALARMS.tokenRefreshThrottles, (period) => this.metricTokenRefreshThrottles(client, { period }), placement);
      addClientLines(this.widgets, this.userPool, client, id);
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
    validateGroup(this, this.groupNames, name, options);
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
    return clientMetric(this.userPool, client, 'SignInSuccesses', props);
  }

  /** Sign-ins through an app client that Cognito throttled (`SignInThrottles`, sum over 5 minutes unless changed). */
  public metricSignInThrottles(client: cognito.IUserPoolClient, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return clientMetric(this.userPool, client, 'SignInThrottles', props);
  }

  /** Token refreshes through an app client that Cognito throttled (`TokenRefreshThrottles`, sum over 5 minutes unless changed). */
  public metricTokenRefreshThrottles(client: cognito.IUserPoolClient, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return clientMetric(this.userPool, client, 'TokenRefreshThrottles', props);
  }

  /** OAuth grants need the user pool's domain (the token endpoint lives there). */
  private warnWithoutDomain(): string[] {
    const hasDomain = this.userPool.node.children.some((child) => child instanceof cognito.UserPoolDomain);
    if (this.oauthClients && !hasDomain) {
      warn(this, WARNINGS.noDomain);
    }
    return [];
  }
}

/** The Cognito domain prefixes claimed by UserDirectories, per app and region: prefix → the directory's path. */
const claimedPrefixes = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Refuses a domain prefix another UserDirectory of the app already uses in the same region: Cognito
 * prefixes are unique per region across all accounts, so the second deployment would fail. Stacks
 * without a concrete region count as one region (they usually deploy to the same one). Prefixes
 * that are tokens cannot be compared.
 */
function claimDomainPrefix(scope: Construct, prefix: string): void {
  if (Token.isUnresolved(prefix)) {
    return;
  }
  const region = Stack.of(scope).region;
  const claimed = claimedPrefixes.get(scope.node.root) ?? new Map<string, string>();
  claimedPrefixes.set(scope.node.root, claimed);
  const key = `${Token.isUnresolved(region) ? '(any region)' : region} ${prefix}`;
  const other = claimed.get(key);
  if (other !== undefined) {
    throw BulwarkError.invalid(scope, 'domainPrefix', prefix, `UserDirectory '${other}' already uses it in this app${Token.isUnresolved(region)
      ? '' : ` in ${region}`}: Cognito domain prefixes are unique per region across all AWS accounts, so the second deployment would fail; `
      + 'give each directory its own prefix');
  }
  claimed.set(key, scope.node.path);
}
