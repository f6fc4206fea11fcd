import { Aws, CfnResource, RemovalPolicy, Stack, Stage, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { acknowledge, KNOWN_FINDINGS } from './acknowledgements';
import { warn, WARNINGS } from './warnings';

/** The construct id of the account setting. Construct ids are API: never change it. */
const ACCOUNT_ID = 'BulwarkApiGatewayAccount';

/** Account settings made so far, per assembly (Stage) and environment. */
const made = new WeakMap<IConstruct, Map<string, apigateway.CfnAccount>>();

/**
 * The API Gateway account setting (`AWS::ApiGateway::Account`) with a role that lets API Gateway
 * write execution and access logs: a region-wide setting shared by every REST API of the account.
 * Made at most once per assembly and environment; a later stack of the same environment depends
 * on the stack that makes it. Everything is retained: deleting the stack must not leave the
 * setting pointing at a deleted role.
 */
export function apiGatewayAccount(scope: IConstruct): apigateway.CfnAccount {
  const stack = Stack.of(scope);
  const assembly = Stage.of(stack) ?? stack.node.root;
  const byEnvironment = made.get(assembly) ?? new Map<string, apigateway.CfnAccount>();
  made.set(assembly, byEnvironment);
  // An environment-agnostic stack may deploy anywhere: it gets its own setting rather than
  // depending on another stack that may deploy to another account or region.
  const environment = Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)
    ? `agnostic:${stack.node.path}` : `${stack.account}/${stack.region}`;
  const existing = byEnvironment.get(environment);
  if (existing) {
    if (Stack.of(existing) !== stack) {
      stack.addStackDependency(Stack.of(existing), 'the API Gateway account setting (CloudWatch role) is made there');
    }
    return existing;
  }

  const role = new iam.Role(stack, `${ACCOUNT_ID}Role`, {
    assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
    description: 'cdk-bulwark: lets API Gateway write the execution and access logs of every REST API in this account and region',
  });
  // The actions of AWS's AmazonAPIGatewayPushToCloudWatchLogs policy, limited to this account and
  // region (see KNOWN_FINDINGS.apiGatewayAccountRole for why not to named log groups).
  const policy = new iam.ManagedPolicy(role, 'Policy', {
    description: 'cdk-bulwark: API Gateway execution and access logging (account-wide setting)',
    roles: [role],
    statements: [new iam.PolicyStatement({
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams',
        'logs:PutLogEvents', 'logs:GetLogEvents', 'logs:FilterLogEvents'],
      resources: [
        `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
        `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*:log-stream:*`,
      ],
    })],
  });
  role.applyRemovalPolicy(RemovalPolicy.RETAIN);
  policy.applyRemovalPolicy(RemovalPolicy.RETAIN);
  acknowledge(policy.node.defaultChild as CfnResource, KNOWN_FINDINGS.apiGatewayAccountRole);

  const account = new apigateway.CfnAccount(stack, ACCOUNT_ID, { cloudWatchRoleArn: role.roleArn });
  account.applyRemovalPolicy(RemovalPolicy.RETAIN);
  // The setting needs the role to have its policy: API Gateway checks the role when it is set.
  account.node.addDependency(policy);
  byEnvironment.set(environment, account);
  warn(stack, WARNINGS.setsAccountCloudWatchRole);
  return account;
}
