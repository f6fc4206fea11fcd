import { Duration } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { userPoolRegion } from '../private/api-environment';
import { API_DEFAULTS } from '../private/defaults/api-gateway';
import { HTTP_API_AUTHORIZER_DEFAULTS } from '../private/defaults/http-api';

/** The kind of an `HttpApiAuthorization`: how a route of a `SecureHttpApi` checks its callers. */
export enum HttpApiAuthorizationKind {
  /** A JSON Web Token from any OpenID Connect issuer, checked by API Gateway. */
  JWT = 'JWT',
  /** A JSON Web Token from a Cognito user pool, checked by API Gateway. */
  COGNITO = 'COGNITO',
  /** AWS Signature Version 4 with an IAM identity that may `execute-api:Invoke` the route. */
  IAM = 'IAM',
  /** A Lambda function that you write decides. */
  LAMBDA = 'LAMBDA',
}

/**
 * How a route of a `SecureHttpApi` checks its callers.
 *
 * @deprecated use `HttpApiAuthorizationKind` (the type of `HttpApiAuthorization.kind`, named like
 * `SecureApi`'s `ApiAuthorizationKind`); the values are the same.
 */
export enum HttpApiAuthorizationType {
  /** A JSON Web Token from any OpenID Connect issuer, checked by API Gateway. */
  JWT = 'JWT',
  /** A JSON Web Token from a Cognito user pool, checked by API Gateway. */
  COGNITO = 'COGNITO',
  /** AWS Signature Version 4 with an IAM identity that may `execute-api:Invoke` the route. */
  IAM = 'IAM',
  /** A Lambda function that you write decides. */
  LAMBDA = 'LAMBDA',
}

/** What a Lambda authorizer returns. */
export enum HttpApiLambdaResponseType {
  /** `{ "isAuthorized": true|false, "context": {...} }` (payload format 2.0). */
  SIMPLE = 'SIMPLE',
  /** An IAM policy document (payload format 1.0). */
  IAM = 'IAM',
}

/** Options of `HttpApiAuthorization.jwt()` and `HttpApiAuthorization.cognito()`. */
export interface HttpApiJwtOptions {
  /**
   * OAuth scopes a token must carry (at least one of them) to call the route, such as
   * `orders/read`. Only access tokens carry scopes: with scopes set, ID tokens are refused.
   *
   * @default - any valid token of the issuer and audience
   */
  readonly scopes?: string[];
}

/** Options of `HttpApiAuthorization.lambdaAuthorizer()`. */
export interface HttpApiLambdaAuthorizerOptions {
  /**
   * Where the caller's identity is read (`$request.header.<name>`, `$request.querystring.<name>`,
   * `$context.<variable>` or `$stageVariables.<name>`). A request without every one of them is
   * refused with 401 before the function runs. Required (non-empty) when results are cached: they
   * are the cache key.
   *
   * @default ['$request.header.Authorization']
   */
  readonly identitySource?: string[];

  /**
   * How long API Gateway caches the function's answer per identity source value (0 to 1 hour;
   * `Duration.seconds(0)` turns caching off). With SIMPLE responses a cached answer applies to
   * every route of the API that uses this authorization.
   *
   * @default Duration.minutes(5)
   */
  readonly resultsCacheTtl?: Duration;

  /**
   * The response formats the function may return.
   *
   * @default [HttpApiLambdaResponseType.SIMPLE]
   */
  readonly responseTypes?: HttpApiLambdaResponseType[];
}

/** What an `HttpApiAuthorization` holds (internal: the factories' arguments). */
interface AuthorizationConfig {
  readonly issuerUrl?: string;
  readonly audience?: string[];
  readonly scopes?: string[];
  readonly userPool?: cognito.IUserPool;
  readonly clients?: cognito.IUserPoolClient[];
  readonly handler?: lambda.IFunction;
  readonly identitySource?: string[];
  readonly resultsCacheTtl?: Duration;
  readonly responseTypes?: HttpApiLambdaResponseType[];
  readonly options?: unknown;
}

/**
 * How the routes of a `SecureHttpApi` check their callers: give one to the API (`authorization`,
 * the default of every route) or to a route (it then overrides the API's).
 *
 * One authorizer is created per `HttpApiAuthorization` object and API: routes that share the
 * object share the authorizer. The object holds no resources and can be given to several APIs.
 * Each factory's input is checked by the API that uses it, at synthesis.
 *
 * WAF cannot be attached to an HTTP API: authorization is the API's only gate. See `SecureHttpApi`.
 */
export class HttpApiAuthorization {
  /**
   * JSON Web Tokens from any OpenID Connect issuer (Auth0, Okta, Entra ID, a Cognito user pool
   * by URL, ...). API Gateway fetches the issuer's keys from `<issuerUrl>/.well-known/openid-configuration`
   * and checks each token's signature, expiry, issuer (`iss`) and audience (`aud`, or `client_id`
   * for access tokens without `aud`).
   *
   * @param issuerUrl the issuer, exactly as in the tokens' `iss` claim: an `https://` URL
   * @param audience accepted audiences or client ids: at least one
   * @param options scopes the tokens must carry
   */
  public static jwt(issuerUrl: string, audience: string[], options: HttpApiJwtOptions = {}): HttpApiAuthorization {
    return new HttpApiAuthorization(HttpApiAuthorizationKind.JWT, { issuerUrl, audience, scopes: options?.scopes, options });
  }

  /**
   * Tokens of a Cognito user pool (a `UserDirectory`'s `userPool`, or any `IUserPool`), checked by
   * API Gateway as a JWT authorizer whose issuer is the pool and whose audience is the given app
   * clients. No client is created: give the clients your applications sign in with.
   *
   * @param userPool the user pool
   * @param clients the app clients whose tokens are accepted: at least one
   * @param options scopes the tokens must carry (access tokens only)
   */
  public static cognito(userPool: cognito.IUserPool, clients: cognito.IUserPoolClient[], options: HttpApiJwtOptions = {}): HttpApiAuthorization {
    return new HttpApiAuthorization(HttpApiAuthorizationKind.COGNITO, { userPool, clients, scopes: options?.scopes, options });
  }

  /**
   * AWS Signature Version 4: callers sign requests with IAM credentials, and their identity
   * policy must allow `execute-api:Invoke` on the route (see `SecureHttpApi.grantInvoke()`). For
   * service-to-service calls within AWS. HTTP APIs have no resource policy, so callers in other
   * accounts need a role in this account to assume.
   */
  public static iam(): HttpApiAuthorization {
    return new HttpApiAuthorization(HttpApiAuthorizationKind.IAM, {});
  }

  /**
   * A Lambda function of yours decides (a `SecureFunction`'s `lambdaFunction`, or any
   * `IFunction`). The function's resource policy lets only this API's authorizer invoke it.
   *
   * @param handler the authorizer function
   * @param options identity source, result caching, response format
   */
  public static lambdaAuthorizer(handler: lambda.IFunction, options: HttpApiLambdaAuthorizerOptions = {}): HttpApiAuthorization {
    return new HttpApiAuthorization(HttpApiAuthorizationKind.LAMBDA, {
      handler,
      identitySource: options?.identitySource,
      resultsCacheTtl: options?.resultsCacheTtl,
      responseTypes: options?.responseTypes,
      options,
    });
  }

  /** The kind of authorization. */
  public readonly kind: HttpApiAuthorizationKind;

  /** JWT: the issuer URL. */
  public readonly issuerUrl?: string;

  /** JWT: the accepted audiences. */
  public readonly audience?: string[];

  /** JWT and COGNITO: the scopes a token must carry. */
  public readonly scopes?: string[];

  /** COGNITO: the user pool. */
  public readonly userPool?: cognito.IUserPool;

  /** COGNITO: the app clients whose tokens are accepted. */
  public readonly clients?: cognito.IUserPoolClient[];

  /** LAMBDA: the authorizer function. */
  public readonly handler?: lambda.IFunction;

  /** LAMBDA: where the caller's identity is read, as given. */
  public readonly identitySource?: string[];

  /** LAMBDA: how long answers are cached, as given. */
  public readonly resultsCacheTtl?: Duration;

  /** LAMBDA: the response formats, as given. */
  public readonly responseTypes?: HttpApiLambdaResponseType[];

  /** The options object given to the factory, as given (its keys are checked where the authorization is used). @internal */
  public readonly _options?: unknown;

  private constructor(kind: HttpApiAuthorizationKind, config: AuthorizationConfig) {
    this.kind = kind;
    this.issuerUrl = config.issuerUrl;
    this.audience = config.audience;
    this.scopes = config.scopes;
    this.userPool = config.userPool;
    this.clients = config.clients;
    this.handler = config.handler;
    this.identitySource = config.identitySource;
    this.resultsCacheTtl = config.resultsCacheTtl;
    this.responseTypes = config.responseTypes;
    this._options = config.options;
  }

  /**
   * Creates the CDK authorizer of this authorization, named `id` (one per API).
   *
   * @internal
   */
  public _createAuthorizer(id: string): apigwv2.IHttpRouteAuthorizer {
    const identitySource = [...HTTP_API_AUTHORIZER_DEFAULTS.identitySource];
    switch (this.kind) {
      case HttpApiAuthorizationKind.JWT:
        return new authorizers.HttpJwtAuthorizer(id, this.issuerUrl!, { jwtAudience: this.audience!, identitySource, authorizerName: id });
      case HttpApiAuthorizationKind.COGNITO:
        return new authorizers.HttpUserPoolAuthorizer(id, this.userPool!, {
          userPoolClients: this.clients!,
          // The pool's own region (its id's prefix): a brought pool may live in another region than the API,
          // and fromUserPoolId() gives it the stack's.
          userPoolRegion: userPoolRegion(this.userPool!),
          identitySource,
          authorizerName: id,
        });
      case HttpApiAuthorizationKind.IAM:
        return new authorizers.HttpIamAuthorizer();
      case HttpApiAuthorizationKind.LAMBDA:
        return new authorizers.HttpLambdaAuthorizer(id, this.handler!, {
          identitySource: this.identitySource ?? identitySource,
          resultsCacheTtl: this.resultsCacheTtl ?? API_DEFAULTS.resultsCacheTtl,
          responseTypes: (this.responseTypes ?? [HttpApiLambdaResponseType.SIMPLE]).map((t) => authorizers.HttpLambdaResponseType[t]),
          authorizerName: id,
        });
    }
  }
}
