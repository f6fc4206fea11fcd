import { Duration } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { userPoolArn } from '../private/api-environment';
import { API_DEFAULTS } from '../private/defaults/api-gateway';

/** The kind of an `ApiAuthorization`. */
export enum ApiAuthorizationKind {
  /** A Cognito user pool authorizer: callers send a user pool token. */
  COGNITO = 'COGNITO',
  /** IAM (SigV4-signed requests): callers need `execute-api:Invoke` (see `SecureApi.grantInvoke`). */
  IAM = 'IAM',
  /** A Lambda authorizer that reads one token header. */
  LAMBDA_TOKEN = 'LAMBDA_TOKEN',
  /** A Lambda authorizer that reads several request parameters. */
  LAMBDA_REQUEST = 'LAMBDA_REQUEST',
}

/** Options of `ApiAuthorization.cognito()`. */
export interface CognitoApiAuthorizationOptions {
  /**
   * OAuth scopes a caller's access token must have one of (such as `orders/read`). With scopes,
   * callers must send an access token; without, they send an ID token.
   *
   * @default - none: any valid ID token of the pool
   */
  readonly scopes?: string[];

  /**
   * How long API Gateway caches a token's result (0 turns caching off; at most 1 hour).
   *
   * @default Duration.minutes(5)
   */
  readonly resultsCacheTtl?: Duration;
}

/** Options of `ApiAuthorization.lambdaToken()`. */
export interface LambdaTokenAuthorizationOptions {
  /**
   * The request header that carries the token.
   *
   * @default 'Authorization'
   */
  readonly headerName?: string;

  /**
   * A regular expression the token must match before API Gateway calls the authorizer.
   *
   * @default - none: every token reaches the authorizer
   */
  readonly validationRegex?: string;

  /**
   * How long API Gateway caches the authorizer's policy for a token (0 turns caching off; at most
   * 1 hour). A cached policy applies to every route of the API: return one that covers all routes
   * the caller may use, or turn caching off.
   *
   * @default Duration.minutes(5)
   */
  readonly resultsCacheTtl?: Duration;
}

/** Options of `ApiAuthorization.lambdaRequest()`. */
export interface LambdaRequestAuthorizationOptions {
  /**
   * How long API Gateway caches the authorizer's policy for the same identity sources (0 turns
   * caching off; at most 1 hour). A cached policy applies to every route of the API.
   *
   * @default Duration.minutes(5)
   */
  readonly resultsCacheTtl?: Duration;
}

/**
 * How the routes of a `SecureApi` authorize callers. Every route is authorized: by the API's
 * `authorization` (or `userPool`), or by its own.
 *
 * Cognito user pools are the default and the only kind that AwsSolutions-COG4 accepts: IAM and
 * Lambda authorizers leave that finding visible, as your choice.
 */
export class ApiAuthorization {
  /**
   * A Cognito user pool authorizer (a `UserDirectory`'s `userPool`, or any user pool).
   *
   * @param userPool the pool whose tokens are accepted
   * @param options scopes and caching
   */
  public static cognito(userPool: cognito.IUserPool, options: CognitoApiAuthorizationOptions = {}): ApiAuthorization {
    return new ApiAuthorization(ApiAuthorizationKind.COGNITO, {
      userPool, scopes: options?.scopes, resultsCacheTtl: options?.resultsCacheTtl, options,
    });
  }

  /**
   * IAM: callers sign requests with SigV4 and need `execute-api:Invoke` on the route. Grant it
   * with `SecureApi.grantInvoke()`.
   */
  public static iam(): ApiAuthorization {
    return new ApiAuthorization(ApiAuthorizationKind.IAM, {});
  }

  /**
   * A Lambda (TOKEN) authorizer: API Gateway passes one header's value to `handler`, which returns
   * an IAM policy.
   *
   * @param handler the authorizer function
   * @param options the header, a validation regex, caching
   */
  public static lambdaToken(handler: lambda.IFunction, options: LambdaTokenAuthorizationOptions = {}): ApiAuthorization {
    return new ApiAuthorization(ApiAuthorizationKind.LAMBDA_TOKEN, {
      handler,
      headerName: options?.headerName,
      validationRegex: options?.validationRegex,
      resultsCacheTtl: options?.resultsCacheTtl,
      options,
    });
  }

  /**
   * A Lambda (REQUEST) authorizer: API Gateway passes the request's identity sources (headers,
   * query strings, stage variables, context) to `handler`, which returns an IAM policy.
   *
   * @param handler the authorizer function
   * @param identitySources where the identity is read, such as `method.request.header.Authorization`
   *   (use `apigateway.IdentitySource`); a request without them is refused before the authorizer runs
   * @param options caching
   */
  public static lambdaRequest(handler: lambda.IFunction, identitySources: string[],
    options: LambdaRequestAuthorizationOptions = {}): ApiAuthorization {
    return new ApiAuthorization(ApiAuthorizationKind.LAMBDA_REQUEST, {
      handler, identitySources, resultsCacheTtl: options?.resultsCacheTtl, options,
    });
  }

  /** What this authorization checks. */
  public readonly kind: ApiAuthorizationKind;

  /** @internal */
  public readonly _userPool?: cognito.IUserPool;
  /** @internal */
  public readonly _scopes?: string[];
  /** @internal */
  public readonly _handler?: lambda.IFunction;
  /** @internal */
  public readonly _headerName?: string;
  /** @internal */
  public readonly _validationRegex?: string;
  /** @internal */
  public readonly _identitySources?: string[];
  /** @internal */
  public readonly _resultsCacheTtl?: Duration;
  /** The options object given to the factory, as given (its keys are checked where the authorization is used). @internal */
  public readonly _options?: unknown;

  private constructor(kind: ApiAuthorizationKind, settings: Settings) {
    this.kind = kind;
    this._userPool = settings.userPool;
    this._scopes = settings.scopes;
    this._handler = settings.handler;
    this._headerName = settings.headerName;
    this._validationRegex = settings.validationRegex;
    this._identitySources = settings.identitySources;
    this._resultsCacheTtl = settings.resultsCacheTtl;
    this._options = settings.options;
  }

  /**
   * Creates the authorizer of a Cognito or Lambda authorization in `scope` (IAM needs none).
   *
   * @internal
   */
  public _createAuthorizer(scope: Construct, id: string): apigateway.IAuthorizer {
    const resultsCacheTtl = this._resultsCacheTtl ?? API_DEFAULTS.resultsCacheTtl;
    switch (this.kind) {
      case ApiAuthorizationKind.COGNITO: {
        // The pool's ARN in its own region: fromUserPoolId() builds it with the stack's (see api-environment.ts).
        const arn = userPoolArn(scope, this._userPool!);
        const pool = arn === this._userPool!.userPoolArn ? this._userPool! : cognito.UserPool.fromUserPoolArn(scope, `${id}UserPool`, arn);
        return new apigateway.CognitoUserPoolsAuthorizer(scope, id, { cognitoUserPools: [pool], resultsCacheTtl });
      }
      case ApiAuthorizationKind.LAMBDA_TOKEN:
        return new apigateway.TokenAuthorizer(scope, id, {
          handler: this._handler!,
          identitySource: apigateway.IdentitySource.header(this._headerName ?? 'Authorization'),
          validationRegex: this._validationRegex,
          resultsCacheTtl,
        });
      case ApiAuthorizationKind.LAMBDA_REQUEST:
        return new apigateway.RequestAuthorizer(scope, id, { handler: this._handler!, identitySources: this._identitySources!, resultsCacheTtl });
      default:
        throw new Error(`cdk-bulwark internal error: ${this.kind} authorization has no authorizer`);
    }
  }
}

/** What the factories were given (validated by SecureApi, where the construct path is known). */
interface Settings {
  readonly userPool?: cognito.IUserPool;
  readonly scopes?: string[];
  readonly handler?: lambda.IFunction;
  readonly headerName?: string;
  readonly validationRegex?: string;
  readonly identitySources?: string[];
  readonly resultsCacheTtl?: Duration;
  readonly options?: unknown;
}
