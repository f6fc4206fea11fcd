import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { UserDirectoryClientKind, UserDirectoryMfa } from './user-directory';
import type { UserDirectoryClientOptions, UserDirectoryGroupOptions, UserDirectoryProps } from './user-directory';
import { BulwarkError } from '../core/errors';
import { COGNITO_DEFAULTS, COGNITO_LIMITS } from '../private/defaults/cognito';
import { checkKnownProps, propKeys } from '../private/props';
import { checkBoolean, checkDuration, checkInteger, secondsOf } from '../private/validation';

// Internal to the library: every check of UserDirectory's input (props, clients, groups), run
// before anything is made. The alarm options are checked by the directory's alarm set.

const PROPS = propKeys<UserDirectoryProps>()('UserDirectoryProps', ['complianceProfile', 'monitoring', 'mfa', 'threatProtection', 'selfSignUp',
  'passwordMinLength', 'temporaryPasswordValidity', 'removalPolicy', 'email', 'domainPrefix', 'groups', 'alarms']);
const CLIENT_OPTIONS = propKeys<UserDirectoryClientOptions>()('UserDirectoryClientOptions', ['kind', 'callbackUrls', 'logoutUrls', 'scopes',
  'clientCredentialsScopes', 'accessTokenValidity', 'idTokenValidity', 'refreshTokenValidity']);
const GROUP_OPTIONS = propKeys<UserDirectoryGroupOptions>()('UserDirectoryGroupOptions', ['description', 'precedence']);

/** Checks each prop of a UserDirectory. */
export function validateUserDirectoryProps(scope: Construct, props: UserDirectoryProps): void {
  if (props === null || typeof props !== 'object') {
    throw BulwarkError.invalid(scope, 'props', props, 'give an object of UserDirectoryProps, or nothing');
  }
  checkKnownProps(scope, props, PROPS);
  checkEnum(scope, 'mfa', props.mfa, UserDirectoryMfa, 'UserDirectoryMfa');
  checkBoolean(scope, 'threatProtection', props.threatProtection);
  checkBoolean(scope, 'selfSignUp', props.selfSignUp);
  checkInteger(scope, 'passwordMinLength', props.passwordMinLength, COGNITO_LIMITS.minPasswordLength, COGNITO_LIMITS.maxPasswordLength);
  checkDuration(scope, 'temporaryPasswordValidity', props.temporaryPasswordValidity,
    COGNITO_LIMITS.minTemporaryPasswordValidity, COGNITO_LIMITS.maxTemporaryPasswordValidity);
  const tempSeconds = secondsOf(props.temporaryPasswordValidity);
  if (tempSeconds !== undefined && tempSeconds % 86400 !== 0) {
    throw BulwarkError.invalid(scope, 'temporaryPasswordValidity', props.temporaryPasswordValidity, 'Cognito takes whole days, e.g. Duration.days(3)');
  }
  const allowedRemoval = [RemovalPolicy.RETAIN, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, RemovalPolicy.DESTROY];
  if (props.removalPolicy !== undefined && !allowedRemoval.includes(props.removalPolicy)) {
    throw BulwarkError.invalid(scope, 'removalPolicy', props.removalPolicy,
      'it must be RETAIN, RETAIN_ON_UPDATE_OR_DELETE or DESTROY (CloudFormation cannot snapshot a user pool)');
  }
  if (props.email !== undefined && !(props.email instanceof cognito.UserPoolEmail)) {
    throw BulwarkError.invalid(scope, 'email', props.email, 'it must be a cognito.UserPoolEmail, e.g. cognito.UserPoolEmail.withSES({...})');
  }
  if (props.domainPrefix !== undefined) {
    checkDomainPrefix(scope, props.domainPrefix);
  }
  if (props.groups !== undefined && !Array.isArray(props.groups)) {
    throw BulwarkError.invalid(scope, 'groups', props.groups, 'it must be a list of group names');
  }
  const seen = new Set<string>();
  for (const name of props.groups ?? []) {
    checkGroupName(scope, 'groups', name);
    if (seen.has(name)) {
      throw BulwarkError.invalid(scope, 'groups', name, 'it is listed twice; give each group once');
    }
    seen.add(name);
  }
}

function checkDomainPrefix(scope: Construct, prefix: string): void {
  if (Token.isUnresolved(prefix)) {
    return;
  }
  if (typeof prefix !== 'string' || !COGNITO_LIMITS.domainPrefixPattern.test(prefix)) {
    throw BulwarkError.invalid(scope, 'domainPrefix', prefix,
      'it must be 1 to 63 lowercase letters, digits and hyphens, not starting or ending with a hyphen');
  }
  const reserved = COGNITO_LIMITS.reservedDomainWords.find((word) => prefix.includes(word));
  if (reserved) {
    throw BulwarkError.invalid(scope, 'domainPrefix', prefix, `it contains '${reserved}'; Cognito refuses prefixes that contain 'aws', 'amazon' or 'cognito'`);
  }
}

/** Checks the id and options of an app client, against the ids of the earlier clients. */
export function validateClient(scope: Construct, clientIds: ReadonlySet<string>, id: string, options: UserDirectoryClientOptions): void {
  if (typeof id !== 'string' || id.trim() === '' || Token.isUnresolved(id)) {
    throw BulwarkError.invalid(scope, 'client id', id, 'give each client a non-empty id (a literal string)');
  }
  if (clientIds.has(id)) {
    throw BulwarkError.invalid(scope, 'client id', id, 'it is already used in this directory; give each client its own id');
  }
  const at = `of client '${id}'`;
  if (options === null || typeof options !== 'object') {
    throw BulwarkError.invalid(scope, `options ${at}`, options, 'give an object with at least kind');
  }
  checkKnownProps(scope, options, CLIENT_OPTIONS, `options ${at}`);
  if (!Object.values(UserDirectoryClientKind).includes(options.kind)) {
    throw BulwarkError.invalid(scope, `kind ${at}`, options.kind,
      'it is required: UserDirectoryClientKind.PUBLIC_CLIENT (no secret) or UserDirectoryClientKind.CONFIDENTIAL_CLIENT (with a secret)');
  }
  const callbackUrls = checkUrls(scope, `callbackUrls ${at}`, options.callbackUrls);
  checkUrls(scope, `logoutUrls ${at}`, options.logoutUrls);
  if (options.logoutUrls !== undefined && callbackUrls === undefined) {
    throw BulwarkError.invalid(scope, `logoutUrls ${at}`, options.logoutUrls, 'sign-out URLs belong to OAuth sign-in; give callbackUrls too');
  }
  checkScopes(scope, `scopes ${at}`, options.scopes);
  if (options.scopes !== undefined && callbackUrls === undefined) {
    throw BulwarkError.invalid(scope, `scopes ${at}`, scopesShown(options.scopes), 'scopes apply to OAuth sign-in; give callbackUrls too');
  }
  const credentialScopes = checkScopes(scope, `clientCredentialsScopes ${at}`, options.clientCredentialsScopes);
  if (credentialScopes !== undefined) {
    if (options.kind !== UserDirectoryClientKind.CONFIDENTIAL_CLIENT) {
      throw BulwarkError.invalid(scope, `clientCredentialsScopes ${at}`, scopesShown(credentialScopes),
        'the client-credentials grant needs a client secret: use UserDirectoryClientKind.CONFIDENTIAL_CLIENT');
    }
    if (callbackUrls !== undefined) {
      throw new BulwarkError(scope, `clientCredentialsScopes and callbackUrls ${at} cannot be set together; Cognito does not combine the `
        + 'client-credentials grant with sign-in: make two clients');
    }
    for (const oauthScope of credentialScopes) {
      if (!Token.isUnresolved(oauthScope.scopeName) && !oauthScope.scopeName.includes('/')) {
        throw BulwarkError.invalid(scope, `clientCredentialsScopes ${at}`, oauthScope.scopeName,
          'the client-credentials grant takes only resource-server scopes: cognito.OAuthScope.resourceServer(server, scope)');
      }
    }
  }
  const { minAccessTokenValidity: minAccess, maxAccessTokenValidity: maxAccess } = COGNITO_LIMITS;
  checkMinutes(scope, `accessTokenValidity ${at}`, options.accessTokenValidity, minAccess, maxAccess);
  checkMinutes(scope, `idTokenValidity ${at}`, options.idTokenValidity, minAccess, maxAccess);
  checkMinutes(scope, `refreshTokenValidity ${at}`, options.refreshTokenValidity,
    COGNITO_LIMITS.minRefreshTokenValidity, COGNITO_LIMITS.maxRefreshTokenValidity);
  const refresh = secondsOf(options.refreshTokenValidity ?? COGNITO_DEFAULTS.refreshTokenValidity);
  for (const [name, value] of [['accessTokenValidity', options.accessTokenValidity], ['idTokenValidity', options.idTokenValidity]] as const) {
    const seconds = secondsOf(value ?? COGNITO_DEFAULTS.accessTokenValidity);
    if (refresh !== undefined && seconds !== undefined && seconds >= refresh) {
      throw BulwarkError.invalid(scope, `${name} ${at}`, value ?? COGNITO_DEFAULTS.accessTokenValidity,
        `it must be shorter than refreshTokenValidity (${(options.refreshTokenValidity ?? COGNITO_DEFAULTS.refreshTokenValidity).toHumanString()})`);
    }
  }
}

/** Checks the name and options of a group, against the names of the earlier groups. */
export function validateGroup(scope: Construct, groupNames: ReadonlySet<string>, name: string, options: UserDirectoryGroupOptions): void {
  checkGroupName(scope, 'group name', name);
  if (groupNames.has(name)) {
    throw BulwarkError.invalid(scope, 'group name', name, 'a group of this name already exists in this directory');
  }
  if (options === null || typeof options !== 'object') {
    throw BulwarkError.invalid(scope, `options of group '${name}'`, options, 'give an object of UserDirectoryGroupOptions, or nothing');
  }
  checkKnownProps(scope, options, GROUP_OPTIONS, `options of group '${name}'`);
  const description = options.description;
  if (description !== undefined && !Token.isUnresolved(description)
    && (typeof description !== 'string' || description.length > COGNITO_LIMITS.maxGroupDescriptionLength)) {
    throw BulwarkError.invalid(scope, `description of group '${name}'`, typeof description === 'string' ? `${description.slice(0, 40)}...` : description,
      `it must be a string of at most ${COGNITO_LIMITS.maxGroupDescriptionLength} characters`);
  }
  checkInteger(scope, `precedence of group '${name}'`, options.precedence, 0, COGNITO_LIMITS.maxGroupPrecedence);
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
