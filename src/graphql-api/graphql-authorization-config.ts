import { Aws } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { GraphqlAuthorization } from './graphql-authorization';
import { userPoolRegion } from '../private/api-environment';
import { warn, WARNINGS } from '../private/warnings';

// Internal to the library (not re-exported from index.ts): how a SecureGraphqlApi's authorization
// modes become CDK's configuration, and what each mode needs besides.

/** The prop a mode was given in, for messages: mode 0 is `authorization`, the others `additionalAuthorizations[i]`. */
export function modeProp(index: number): string {
  return index === 0 ? 'authorization' : `additionalAuthorizations[${index - 1}]`;
}

/** CDK's configuration of the modes (the first is the default). A Lambda authorizer's reference is made under `scope`. */
export function authorizationConfig(scope: Construct, modes: GraphqlAuthorization[]): appsync.AuthorizationConfig {
  const [first, ...others] = modes.map((mode, i) => authorizationMode(scope, mode, i === 0 ? 'Authorizer' : `Authorizer${i}`));
  return { defaultAuthorization: first, additionalAuthorizationModes: others };
}

/**
 * What the modes need on the created API: user pools keep their own region, an API key warns, and a
 * Lambda authorizer may be called by this API only.
 */
export function applyAuthorization(scope: Construct, api: appsync.GraphqlApi, modes: GraphqlAuthorization[]): void {
  const cfnApi = api.node.defaultChild as appsync.CfnGraphQLApi;
  modes.forEach((mode, i) => {
    if (mode._userPool) {
      // CDK gives a user pool the stack's region; a pool from another region keeps its own (its id starts with it).
      cfnApi.addPropertyOverride(i === 0 ? 'UserPoolConfig.AwsRegion' : `AdditionalAuthenticationProviders.${i - 1}.UserPoolConfig.AwsRegion`,
        userPoolRegion(mode._userPool));
    }
    if (mode.authorizationType === appsync.AuthorizationType.API_KEY) {
      warn(scope, WARNINGS.graphqlApiKey, modeProp(i));
    }
    if (mode.authorizationType === appsync.AuthorizationType.LAMBDA) {
      new lambda.CfnPermission(scope, 'AuthorizerPermission', {
        action: 'lambda:InvokeFunction',
        functionName: mode._handler!.functionArn,
        principal: 'appsync.amazonaws.com',
        sourceArn: api.arn,
        sourceAccount: Aws.ACCOUNT_ID,
      });
    }
  });
}

function authorizationMode(scope: Construct, mode: GraphqlAuthorization, handlerId: string): appsync.AuthorizationMode {
  const type = mode.authorizationType;
  switch (type) {
    case appsync.AuthorizationType.USER_POOL:
      return { authorizationType: type, userPoolConfig: { userPool: mode._userPool!, appIdClientRegex: mode._userPoolOptions?.appIdClientRegex } };
    case appsync.AuthorizationType.OIDC: {
      const options = mode._oidcOptions!;
      return {
        authorizationType: type,
        openIdConnectConfig: {
          oidcProvider: options.issuer,
          clientId: options.clientId,
          tokenExpiryFromAuth: options.tokenExpiryFromAuth?.toMilliseconds(),
          tokenExpiryFromIssue: options.tokenExpiryFromIssue?.toMilliseconds(),
        },
      };
    }
    case appsync.AuthorizationType.LAMBDA:
      return {
        authorizationType: type,
        lambdaAuthorizerConfig: {
          // A reference that cannot add a permission (CDK's would omit the source ARN without a feature flag):
          // applyAuthorization() lets only this API call it.
          handler: lambda.Function.fromFunctionAttributes(scope, handlerId, {
            functionArn: mode._handler!.functionArn, skipPermissions: true, sameEnvironment: false,
          }),
          resultsCacheTtl: mode._lambdaOptions?.resultsCacheTtl,
          validationRegex: mode._lambdaOptions?.validationRegex,
        },
      };
    case appsync.AuthorizationType.API_KEY:
      return { authorizationType: type, apiKeyConfig: { expires: mode._apiKeyOptions!.expires, description: mode._apiKeyOptions!.description } };
    default:
      return { authorizationType: type };
  }
}
