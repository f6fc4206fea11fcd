import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** The kind of a `WebSocketAuthorization`: how the `$connect` route of a `SecureWebSocketApi` checks its callers. */
export enum WebSocketAuthorizationKind {
  /** AWS Signature Version 4 with an IAM identity that may `execute-api:Invoke` the `$connect` route. */
  IAM = 'IAM',
  /** A Lambda request authorizer that you write decides. */
  LAMBDA = 'LAMBDA',
  /** Tokens of a Cognito user pool, checked by a Lambda authorizer the construct creates. */
  COGNITO = 'COGNITO',
}

/** Options of `WebSocketAuthorization.lambdaAuthorizer()`. */
export interface WebSocketLambdaAuthorizerOptions {
  /**
   * Where the caller's identity is read: `route.request.header.<name>` or
   * `route.request.querystring.<name>`. A connection request without every one of them is refused
   * with 401 before the function runs. Browsers cannot set headers on a WebSocket handshake, so
   * browser clients send their token as a query string parameter.
   *
   * @default ['route.request.querystring.token']
   */
  readonly identitySource?: string[];
}

/** Options of `WebSocketAuthorization.cognito()`. */
export interface WebSocketCognitoOptions {
  /**
   * OAuth scopes a token must carry (at least one of them), such as `orders/read`. Only access
   * tokens carry scopes: with scopes set, ID tokens are refused.
   *
   * @default - any valid ID or access token of the pool and clients
   */
  readonly scopes?: string[];

  /**
   * Where clients send their token: `route.request.querystring.<name>` (browsers: they cannot set
   * headers on a WebSocket handshake) or `route.request.header.<name>` (the value may start with
   * `Bearer `).
   *
   * @default 'route.request.querystring.token'
   */
  readonly identitySource?: string;

  /**
   * The VPC the authorizer function runs in. The function fetches the pool's public keys from
   * `https://cognito-idp.<region>.amazonaws.com/<pool id>/.well-known/jwks.json`, so its subnets
   * need a route to the internet (a NAT gateway). Required in the REGULATED profile, where
   * functions run in a VPC and the stack's shared network has no NAT.
   *
   * @default - no VPC in STANDARD; required in REGULATED
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The subnets of `vpc` the authorizer function runs in: private subnets with a NAT route.
   *
   * @default - the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
}

/** What a `WebSocketAuthorization` holds (internal: the factories' arguments). */
interface AuthorizationConfig {
  readonly handler?: lambda.IFunction;
  readonly identitySource?: string[];
  readonly userPool?: cognito.IUserPool;
  readonly clients?: cognito.IUserPoolClient[];
  readonly scopes?: string[];
  readonly vpc?: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly options?: unknown;
}

/**
 * How the `$connect` route of a `SecureWebSocketApi` checks its callers. API Gateway authorizes a
 * WebSocket connection once, when it opens: every later message on the connection goes to its route
 * without another check (AWS allows authorizers on `$connect` only). Handlers read who is connected
 * from the connections table or from `requestContext.authorizer`.
 *
 * The object holds no resources; each factory's input is checked by the API that uses it.
 */
export class WebSocketAuthorization {
  /**
   * AWS Signature Version 4: clients sign the connection request with IAM credentials, and their
   * identity policy must allow `execute-api:Invoke` on the `$connect` route (see
   * `SecureWebSocketApi.grantConnect()`). For service-to-service connections and clients with AWS
   * credentials (Cognito identity pools, IoT devices).
   */
  public static iam(): WebSocketAuthorization {
    return new WebSocketAuthorization(WebSocketAuthorizationKind.IAM, {});
  }

  /**
   * A Lambda request authorizer of yours decides (a `SecureFunction`'s `lambdaFunction`, or any
   * `IFunction`): it returns an IAM policy allowing `execute-api:Invoke` on the event's `methodArn`,
   * with a `principalId` (recorded in the connections table) and an optional `context`. The
   * function's resource policy lets only this API's authorizer invoke it. WebSocket authorizers
   * cannot cache their answers.
   *
   * @param handler the authorizer function
   * @param options where the caller's identity is read
   */
  public static lambdaAuthorizer(handler: lambda.IFunction, options: WebSocketLambdaAuthorizerOptions = {}): WebSocketAuthorization {
    return new WebSocketAuthorization(WebSocketAuthorizationKind.LAMBDA, { handler, identitySource: options?.identitySource, options });
  }

  /**
   * Tokens of a Cognito user pool (a `UserDirectory`'s `userPool`, or any `IUserPool`). WebSocket
   * APIs have no JWT authorizer, so the construct creates a Lambda authorizer (a `SecureFunction`)
   * that checks each token's RS256 signature against the pool's public keys, its expiry, its
   * issuer (the pool), its `token_use` and its client (`aud` of ID tokens, `client_id` of access
   * tokens), and answers with the user's `sub` as the principal. No client is created: give the
   * clients your applications sign in with.
   *
   * @param userPool the user pool
   * @param clients the app clients whose tokens are accepted: at least one
   * @param options scopes, where the token is sent, the authorizer's network
   */
  public static cognito(userPool: cognito.IUserPool, clients: cognito.IUserPoolClient[],
    options: WebSocketCognitoOptions = {}): WebSocketAuthorization {
    return new WebSocketAuthorization(WebSocketAuthorizationKind.COGNITO, {
      userPool,
      clients,
      scopes: options?.scopes,
      identitySource: options?.identitySource === undefined ? undefined : [options.identitySource],
      vpc: options?.vpc,
      vpcSubnets: options?.vpcSubnets,
      options,
    });
  }

  /** The kind of authorization. */
  public readonly kind: WebSocketAuthorizationKind;

  /** LAMBDA: the authorizer function. */
  public readonly handler?: lambda.IFunction;

  /** LAMBDA and COGNITO: where the caller's identity is read, as given. */
  public readonly identitySource?: string[];

  /** COGNITO: the user pool. */
  public readonly userPool?: cognito.IUserPool;

  /** COGNITO: the app clients whose tokens are accepted. */
  public readonly clients?: cognito.IUserPoolClient[];

  /** COGNITO: the scopes a token must carry. */
  public readonly scopes?: string[];

  /** COGNITO: the VPC of the authorizer function. */
  public readonly vpc?: ec2.IVpc;

  /** COGNITO: the subnets of the authorizer function. */
  public readonly vpcSubnets?: ec2.SubnetSelection;

  /** The options object given to the factory, as given (its keys are checked where the authorization is used). @internal */
  public readonly _options?: unknown;

  private constructor(kind: WebSocketAuthorizationKind, config: AuthorizationConfig) {
    this.kind = kind;
    this.handler = config.handler;
    this.identitySource = config.identitySource;
    this.userPool = config.userPool;
    this.clients = config.clients;
    this.scopes = config.scopes;
    this.vpc = config.vpc;
    this.vpcSubnets = config.vpcSubnets;
    this._options = config.options;
  }
}
