import { Duration, Expiration, Token } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import { Construct, IConstruct } from 'constructs';
import { GraphqlAuthorization } from './graphql-authorization';
import { parseSchema, SchemaModel } from './schema-model';
import { GraphqlCacheOptions, GraphqlCacheSize, SecureGraphqlApiProps } from './secure-graphql-api-props';
import { BulwarkError } from '../core/errors';
import { checkFunction, checkPropsObject } from '../private/api-family';
import { APPSYNC_LIMITS } from '../private/defaults/appsync';
import { checkKnownProps, propKeys } from '../private/props';
import { checkBoolean, checkDuration, checkEnum, checkInteger, checkResource, checkRetention } from '../private/validation';
import { validateWebFirewallOptions } from '../private/web-firewall';

const PROPS = propKeys<SecureGraphqlApiProps>()('SecureGraphqlApiProps', ['schema', 'authorization', 'additionalAuthorizations',
  'fieldLogLevel', 'logVerboseContent', 'logRetention', 'key', 'firewall', 'queryDepthLimit', 'resolverCountLimit', 'introspection',
  'cache', 'alarms', 'complianceProfile', 'monitoring']);
const CACHE = propKeys<GraphqlCacheOptions>()('GraphqlCacheOptions', ['size', 'ttl']);

/** The AppSync modes that may appear only once in all of an API's modes (AppSync developer guide, "Configuring authorization"). */
const ONCE = [appsync.AuthorizationType.IAM, appsync.AuthorizationType.LAMBDA, appsync.AuthorizationType.API_KEY];

/** Checks every prop of a SecureGraphqlApi, alone and against the others, and returns the parsed schema. */
export function validateGraphqlApiProps(scope: IConstruct, props: SecureGraphqlApiProps): SchemaModel {
  checkPropsObject(scope, props, 'SecureGraphqlApiProps');
  checkKnownProps(scope, props, PROPS, 'props');
  if (props.schema === undefined) {
    throw new BulwarkError(scope, 'schema is required: give GraphqlSchema.fromFile(\'schema.graphql\') or GraphqlSchema.fromString(...)');
  }
  const model = parseSchema(scope, props.schema);
  if (props.authorization === undefined) {
    throw new BulwarkError(scope, 'authorization is required: give GraphqlAuthorization.userPool(...), iam(), oidc(...) or lambdaAuthorizer(...) '
      + '(an API key only with GraphqlAuthorization.apiKey(...), on purpose)');
  }
  const additional = props.additionalAuthorizations ?? [];
  if (!Array.isArray(additional)) {
    throw BulwarkError.invalid(scope, 'additionalAuthorizations', additional, 'it must be a list of GraphqlAuthorization');
  }
  const modes: Array<[string, GraphqlAuthorization]> = [['authorization', props.authorization],
    ...additional.map((mode, i) => [`additionalAuthorizations[${i}]`, mode] as [string, GraphqlAuthorization])];
  for (const [prop, mode] of modes) {
    checkAuthorization(scope, prop, mode);
  }
  checkModeConflicts(scope, modes);

  checkEnum(scope, 'fieldLogLevel', props.fieldLogLevel, appsync.FieldLogLevel, 'appsync.FieldLogLevel');
  checkBoolean(scope, 'logVerboseContent', props.logVerboseContent);
  checkBoolean(scope, 'introspection', props.introspection);
  checkRetention(scope, 'logRetention', props.logRetention);
  checkResource(scope, 'key', props.key, 'keyArn', 'a KMS key (kms.IKey)');
  validateWebFirewallOptions(scope, 'firewall', props.firewall);
  checkInteger(scope, 'queryDepthLimit', props.queryDepthLimit, APPSYNC_LIMITS.queryDepthLimit.min, APPSYNC_LIMITS.queryDepthLimit.max);
  checkInteger(scope, 'resolverCountLimit', props.resolverCountLimit, APPSYNC_LIMITS.resolverCountLimit.min, APPSYNC_LIMITS.resolverCountLimit.max);
  checkCache(scope, props.cache);
  return model;
}

function checkAuthorization(scope: IConstruct, prop: string, mode: GraphqlAuthorization): void {
  if (!(mode instanceof GraphqlAuthorization)) {
    throw BulwarkError.invalid(scope, prop, mode, 'it must be a GraphqlAuthorization (GraphqlAuthorization.userPool(), iam(), oidc(), '
      + 'lambdaAuthorizer() or apiKey())');
  }
  switch (mode.authorizationType) {
    case appsync.AuthorizationType.USER_POOL: {
      const pool: unknown = mode._userPool;
      if (!Construct.isConstruct(pool) || typeof (pool as { userPoolId?: unknown }).userPoolId !== 'string') {
        throw BulwarkError.invalid(scope, `${prop}: userPool`, Construct.isConstruct(pool) ? pool.node.path : pool ?? null,
          'it must be a Cognito user pool (cognito.IUserPool), such as a UserDirectory\'s userPool');
      }
      checkString(scope, `${prop}: appIdClientRegex`, mode._userPoolOptions?.appIdClientRegex);
      break;
    }
    case appsync.AuthorizationType.OIDC: {
      const options = mode._oidcOptions;
      if (options === null || typeof options !== 'object') {
        throw BulwarkError.invalid(scope, `${prop}: options`, options, 'give GraphqlOidcOptions with at least issuer');
      }
      const issuer: unknown = options.issuer;
      if (typeof issuer !== 'string' || (!Token.isUnresolved(issuer) && !/^https:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(issuer))) {
        throw BulwarkError.invalid(scope, `${prop}: issuer`, issuer, 'it must be the HTTPS URL of the OpenID Connect issuer (the tokens\' iss), '
          + 'such as https://login.example.com');
      }
      checkString(scope, `${prop}: clientId`, options.clientId);
      for (const name of ['tokenExpiryFromAuth', 'tokenExpiryFromIssue'] as const) {
        checkDuration(scope, `${prop}: ${name}`, options[name], Duration.seconds(1), Duration.days(365 * 10));
      }
      break;
    }
    case appsync.AuthorizationType.LAMBDA: {
      checkFunction(scope, `${prop}: handler`, mode._handler);
      checkDuration(scope, `${prop}: resultsCacheTtl`, mode._lambdaOptions?.resultsCacheTtl,
        APPSYNC_LIMITS.authorizerResultsCacheTtl.min, APPSYNC_LIMITS.authorizerResultsCacheTtl.max);
      checkString(scope, `${prop}: validationRegex`, mode._lambdaOptions?.validationRegex);
      break;
    }
    case appsync.AuthorizationType.API_KEY: {
      const options = mode._apiKeyOptions;
      const expires: unknown = options?.expires;
      if (!(expires instanceof Expiration)) {
        throw BulwarkError.invalid(scope, `${prop}: expires`, expires ?? null, 'an API key must expire: give an Expiration 1 to 365 days '
          + 'from now, such as Expiration.after(Duration.days(30))');
      }
      const { min, max } = APPSYNC_LIMITS.apiKeyExpiry;
      if (Number.isNaN(expires.date.getTime())) {
        throw BulwarkError.invalid(scope, `${prop}: expires`, String(expires.date), 'it is not a date');
      }
      if (expires.isBefore(min) || expires.isAfter(max)) {
        throw BulwarkError.invalid(scope, `${prop}: expires`, expires.date.toISOString(),
          `give an expiry ${min.toDays()} to ${max.toDays()} days from now: AppSync accepts 1 to 365 days from the deployment, rounded down to `
          + 'the hour, and a deployment comes after synthesis');
      }
      checkString(scope, `${prop}: description`, options?.description);
      break;
    }
    default:
      break;
  }
}

/** IAM, Lambda and API key at most once; a user pool or OIDC issuer never twice. */
function checkModeConflicts(scope: IConstruct, modes: Array<[string, GraphqlAuthorization]>): void {
  const seen = new Map<string, string>();
  for (const [prop, mode] of modes) {
    const pool = mode._userPool;
    const poolId = pool && !Token.isUnresolved(pool.userPoolId) ? pool.userPoolId : pool?.node.path;
    const identity = ONCE.includes(mode.authorizationType) ? mode.authorizationType
      : mode.authorizationType === appsync.AuthorizationType.USER_POOL ? `${mode.authorizationType} ${poolId}`
        : `${mode.authorizationType} ${mode._oidcOptions!.issuer}`;
    const earlier = seen.get(identity);
    if (earlier !== undefined) {
      throw new BulwarkError(scope, `${prop} repeats ${earlier} (${identity}): AppSync allows IAM, a Lambda authorizer and an API key once `
        + 'per API, and each user pool or OIDC issuer once; remove one of them');
    }
    seen.set(identity, prop);
  }
}

function checkCache(scope: IConstruct, cache: GraphqlCacheOptions | undefined): void {
  if (cache === undefined) {
    return;
  }
  if (cache === null || typeof cache !== 'object' || Array.isArray(cache)) {
    throw BulwarkError.invalid(scope, 'cache', cache, 'it must be a GraphqlCacheOptions object ({} for the defaults), or left out for no cache');
  }
  checkKnownProps(scope, cache, CACHE, 'cache');
  checkEnum(scope, 'cache.size', cache.size, GraphqlCacheSize, 'GraphqlCacheSize');
  checkDuration(scope, 'cache.ttl', cache.ttl, APPSYNC_LIMITS.cacheTtl.min, APPSYNC_LIMITS.cacheTtl.max);
}

function checkString(scope: IConstruct, prop: string, value: unknown): void {
  if (value !== undefined && (typeof value !== 'string' || value === '')) {
    throw BulwarkError.invalid(scope, prop, value, 'it must be a non-empty string, or left out');
  }
}
