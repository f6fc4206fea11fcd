import { Duration, Expiration } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** Options of `GraphqlAuthorization.userPool()`. */
export interface GraphqlUserPoolOptions {
  /**
   * A regular expression the token's app client id must match (only tokens of those app clients are accepted).
   *
   * @default - tokens of every app client of the pool
   */
  readonly appIdClientRegex?: string;
}

/** Options of `GraphqlAuthorization.oidc()`. */
export interface GraphqlOidcOptions {
  /** The issuer URL (`iss` of the tokens), HTTPS, such as `https://login.example.com`. */
  readonly issuer: string;

  /**
   * The client id tokens must be issued to (`aud`); a regular expression is allowed.
   *
   * @default - tokens for any client of the issuer
   */
  readonly clientId?: string;

  /**
   * How long a token is accepted after the user authenticated.
   *
   * @default - as long as the token is valid
   */
  readonly tokenExpiryFromAuth?: Duration;

  /**
   * How long a token is accepted after it was issued.
   *
   * @default - as long as the token is valid
   */
  readonly tokenExpiryFromIssue?: Duration;
}

/** Options of `GraphqlAuthorization.lambdaAuthorizer()`. */
export interface GraphqlLambdaAuthorizerOptions {
  /**
   * How long AppSync caches the authorizer's answer for a token (0 turns caching off; at most 1 hour).
   * The function can also return its own `ttlOverride`.
   *
   * @default Duration.minutes(5)
   */
  readonly resultsCacheTtl?: Duration;

  /**
   * A regular expression the token must match before AppSync calls the authorizer.
   *
   * @default - every token reaches the authorizer
   */
  readonly validationRegex?: string;
}

/** Options of `GraphqlAuthorization.apiKey()`. */
export interface GraphqlApiKeyOptions {
  /**
   * When the key stops working: 1 to 365 days from now (AppSync's limits), such as
   * `Expiration.after(Duration.days(30))`. A relative expiration is computed at synthesis, so each
   * deployment of a new synthesis extends it.
   */
  readonly expires: Expiration;

  /**
   * What the key is for.
   *
   * @default - none
   */
  readonly description?: string;
}

/**
 * How a `SecureGraphqlApi` authorizes callers: a Cognito user pool (the default mode the compliance
 * packs prefer), IAM, OpenID Connect, a Lambda authorizer, or, by explicit opt-in, an API key.
 *
 * An API has one default mode and any number of additional ones (`additionalAuthorizations`); a
 * type or field allows the additional modes with AppSync's directives (`@aws_iam`, `@aws_oidc`, ...).
 */
export class GraphqlAuthorization {
  /**
   * Cognito user pool tokens (a `UserDirectory`'s `userPool`, or any user pool; a pool in another
   * region keeps its region).
   *
   * @param userPool the pool whose tokens are accepted
   * @param options which app clients
   */
  public static userPool(userPool: cognito.IUserPool, options: GraphqlUserPoolOptions = {}): GraphqlAuthorization {
    return new GraphqlAuthorization(appsync.AuthorizationType.USER_POOL, { userPool, userPoolOptions: options ?? {} });
  }

  /** IAM: callers sign requests with SigV4 and need `appsync:GraphQL` (see `SecureGraphqlApi.grantQuery()` and its siblings). */
  public static iam(): GraphqlAuthorization {
    return new GraphqlAuthorization(appsync.AuthorizationType.IAM, {});
  }

  /**
   * OpenID Connect tokens of an issuer outside Cognito.
   *
   * @param options the issuer, client and token lifetimes
   */
  public static oidc(options: GraphqlOidcOptions): GraphqlAuthorization {
    return new GraphqlAuthorization(appsync.AuthorizationType.OIDC, { oidcOptions: options });
  }

  /**
   * A Lambda authorizer: AppSync passes the `Authorization` header to `handler`, which answers
   * `isAuthorized` (and may deny fields). One per API.
   *
   * @param handler the authorizer function
   * @param options caching and a validation regex
   */
  public static lambdaAuthorizer(handler: lambda.IFunction, options: GraphqlLambdaAuthorizerOptions = {}): GraphqlAuthorization {
    return new GraphqlAuthorization(appsync.AuthorizationType.LAMBDA, { handler, lambdaOptions: options ?? {} });
  }

  /**
   * An API key, by explicit opt-in: anyone who holds the key can call every field that allows it,
   * and the key is a shared secret that ships in clients. It must expire, and it leaves a warning
   * (`cdk-bulwark:graphql-api:api-key`) that you acknowledge. One per API.
   *
   * @param options when the key expires
   */
  public static apiKey(options: GraphqlApiKeyOptions): GraphqlAuthorization {
    return new GraphqlAuthorization(appsync.AuthorizationType.API_KEY, { apiKeyOptions: options });
  }

  /** The AppSync authorization type. */
  public readonly authorizationType: appsync.AuthorizationType;

  /** @internal */
  public readonly _userPool?: cognito.IUserPool;
  /** @internal */
  public readonly _userPoolOptions?: GraphqlUserPoolOptions;
  /** @internal */
  public readonly _handler?: lambda.IFunction;
  /** @internal */
  public readonly _lambdaOptions?: GraphqlLambdaAuthorizerOptions;
  /** @internal */
  public readonly _oidcOptions?: GraphqlOidcOptions;
  /** @internal */
  public readonly _apiKeyOptions?: GraphqlApiKeyOptions;

  private constructor(type: appsync.AuthorizationType, parts: {
    userPool?: cognito.IUserPool;
    userPoolOptions?: GraphqlUserPoolOptions;
    handler?: lambda.IFunction;
    lambdaOptions?: GraphqlLambdaAuthorizerOptions;
    oidcOptions?: GraphqlOidcOptions;
    apiKeyOptions?: GraphqlApiKeyOptions;
  }) {
    this.authorizationType = type;
    this._userPool = parts.userPool;
    this._userPoolOptions = parts.userPoolOptions;
    this._handler = parts.handler;
    this._lambdaOptions = parts.lambdaOptions;
    this._oidcOptions = parts.oidcOptions;
    this._apiKeyOptions = parts.apiKeyOptions;
  }
}
