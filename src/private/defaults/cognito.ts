import { Duration } from 'aws-cdk-lib';

/** Secure defaults of every UserDirectory (Cognito user pool and app clients). */
export const COGNITO_DEFAULTS = {
  /**
   * 14 characters: NIST SP 800-63B asks for at least 8 and recommends longer passphrases; 14 is
   * what the CIS AWS benchmark asks of IAM passwords. AwsSolutions-COG1 accepts 8 or more.
   */
  passwordMinLength: 14,
  /** Admin-created users must sign in within 3 days (Cognito's own default is 7). */
  temporaryPasswordValidity: Duration.days(3),
  /** A new password may not repeat the last 4 (PCI DSS 3.2.1 requirement 8.2.5). Needs the Essentials or Plus plan. */
  passwordHistorySize: 4,
  /** Short-lived access and ID tokens: a stolen token is useful for an hour at most (Cognito's own default). */
  accessTokenValidity: Duration.hours(1),
  idTokenValidity: Duration.hours(1),
  /** Users sign in again at least monthly (Cognito's own default, stated explicitly). */
  refreshTokenValidity: Duration.days(30),
  /**
   * Threat protection (ENFORCED) actions, for every app client: a sign-in or sign-up with a password
   * known from a breach is blocked (the user resets it); account-takeover risk asks for MFA at medium
   * and high risk (every user has MFA when it is required, so this matters when MFA is optional).
   * Nobody is notified by email: that needs an SES identity.
   */
  riskActions: {
    compromisedCredentials: 'BLOCK',
    lowRisk: 'NO_ACTION',
    mediumRisk: 'MFA_IF_CONFIGURED',
    highRisk: 'MFA_REQUIRED',
  },
} as const;

/** Cognito limits, for validation. */
export const COGNITO_LIMITS = {
  /** AwsSolutions-COG1 needs at least 8; Cognito allows at most 99. */
  minPasswordLength: 8,
  maxPasswordLength: 99,
  /** TemporaryPasswordValidityDays: whole days, 1 to 365 (0 is not offered: it would expire at once). */
  minTemporaryPasswordValidity: Duration.days(1),
  maxTemporaryPasswordValidity: Duration.days(365),
  /** Access and ID tokens: 5 minutes to 1 day. */
  minAccessTokenValidity: Duration.minutes(5),
  maxAccessTokenValidity: Duration.days(1),
  /** Refresh tokens: 60 minutes to 10 years. */
  minRefreshTokenValidity: Duration.minutes(60),
  maxRefreshTokenValidity: Duration.days(3650),
  /** CreateGroup GroupName: 1 to 128 characters, letters, marks, symbols, numbers and punctuation (no whitespace). */
  maxGroupNameLength: 128,
  /** CreateGroup Description: at most 2,048 characters. */
  maxGroupDescriptionLength: 2048,
  /** CreateGroup Precedence: a non-negative 32-bit integer. */
  maxGroupPrecedence: 2147483647,
  /** CreateUserPoolDomain: a prefix domain is 1 to 63 lowercase letters, digits and hyphens, not starting or ending with a hyphen. */
  domainPrefixPattern: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
  /** Words Cognito refuses in a prefix domain. */
  reservedDomainWords: ['aws', 'amazon', 'cognito'] as readonly string[],
  /** Callback and sign-out URLs: at most 1,024 characters, at most 100 per client. */
  maxUrlLength: 1024,
  maxUrlsPerClient: 100,
} as const;

/** Default alarm settings of a UserDirectory's app clients. */
export const COGNITO_ALARM_DEFAULTS = {
  /** Any throttled sign-in in 5 minutes: users could not sign in. */
  signInThrottles: { threshold: 0, period: Duration.minutes(5), evaluationPeriods: 1 },
  /** Any throttled token refresh in 5 minutes: signed-in users were logged out or saw errors. */
  tokenRefreshThrottles: { threshold: 0, period: Duration.minutes(5), evaluationPeriods: 1 },
} as const;
