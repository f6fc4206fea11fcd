import { Aws, CfnResource, RemovalPolicy, Stack, Stage, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { acknowledge, KNOWN_FINDINGS } from './acknowledgements';
import { warn, WARNINGS } from './warnings';

/** The construct id of the account setting. Construct ids are API: never change it. */
const ACCOUNT_ID = 'BulwarkApiGatewayAccount';

/** The account settings made so far, per assembly (Stage) and environment, in the order they were made. */
const made = new WeakMap<IConstruct, Map<string, apigateway.CfnAccount[]>>();

/** Stacks a stack will depend on because of what its REST APIs use (user pools of other stacks), per stack. */
const upstream = new WeakMap<Stack, Set<Stack>>();

/**
 * Records that the REST API in `scope`'s stack uses `resource` (a user pool, ...) through
 * `reference` (its ARN): when that is a reference to another stack of the app, the API's stack will
 * depend on that stack once CDK resolves it. `apiGatewayAccount()` reads it to keep the account
 * setting out of a cycle. A literal value (an import by id or ARN) makes no dependency.
 */
export function noteUpstream(scope: IConstruct, resource: IConstruct, reference: string): void {
  const stack = Stack.of(scope);
  const other = Stack.of(resource);
  if (other !== stack && other.node.root === stack.node.root && Token.isUnresolved(reference)) {
    const set = upstream.get(stack) ?? new Set<Stack>();
    set.add(other);
    upstream.set(stack, set);
  }
}

/** Whether `from` depends on `to`, directly or not: by declared stack dependencies or by what its APIs use. */
function dependsOn(from: Stack, to: Stack, seen = new Set<Stack>()): boolean {
  if (seen.has(from)) {
    return false;
  }
  seen.add(from);
  const next = [...from.dependencies, ...(upstream.get(from) ?? [])];
  return next.some((stack) => stack === to || dependsOn(stack, to, seen));
}

/**
 * The API Gateway account setting (`AWS::ApiGateway::Account`) with a role that lets API Gateway
 * write execution and access logs: a region-wide setting shared by every REST and WebSocket API of the account.
 * Made once per assembly and environment; a later stack of the same environment depends on the stack
 * that makes it, unless that stack depends on it (it uses the later stack's user pool): then the
 * later stack makes its own rather than close a cycle. Everything is retained: deleting the stack
 * must not leave the setting pointing at a deleted role.
 *
 * In an account where no API Gateway resource was ever made, CloudFormation can set the account
 * only after one exists (AWS::ApiGateway::Account: "you must add a dependency on another API Gateway
 * resource, such as an AWS::ApiGateway::RestApi"), so the setting depends on the API of the
 * construct that makes it, in the same stack (as CDK's own CfnAccount does).
 *
 * @param api the API resource (`AWS::ApiGateway::RestApi` or `AWS::ApiGatewayV2::Api`) of the construct asking: the setting's dependency
 * when it is made here. The API itself, never its construct: that would include its stage, which depends on the setting.
 */
export function apiGatewayAccount(scope: IConstruct, api: CfnResource): apigateway.CfnAccount {
  const stack = Stack.of(scope);
  const assembly = Stage.of(stack) ?? stack.node.root;
  const byEnvironment = made.get(assembly) ?? new Map<string, apigateway.CfnAccount[]>();
  made.set(assembly, byEnvironment);
  // An environment-agnostic stack may deploy anywhere: it gets its own setting rather than
  // depending on another stack that may deploy to another account or region.
  const environment = Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)
    ? `agnostic:${stack.node.path}` : `${stack.account}/${stack.region}`;
  const accounts = byEnvironment.get(environment) ?? [];
  byEnvironment.set(environment, accounts);
  const own = accounts.find((a) => Stack.of(a) === stack);
  if (own) {
    return own;
  }
  const usable = accounts.find((a) => !dependsOn(Stack.of(a), stack));
  if (usable) {
    stack.addDependency(Stack.of(usable), `cdk-bulwark: the API Gateway account setting (CloudWatch role) that ${stack.node.path}'s APIs need `
      + `is made in ${Stack.of(usable).node.path}; if this closes a cycle, create the API of ${stack.node.path} before that of `
      + `${Stack.of(usable).node.path}`);
    return usable;
  }

  const role = new iam.Role(stack, `${ACCOUNT_ID}Role`, {
    assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
    description: 'cdk-bulwark: lets API Gateway write the execution and access logs of every REST and WebSocket API in this account and region',
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
  // A fresh account needs an API Gateway resource before the setting.
  account.node.addDependency(api);
  accounts.push(account);
  warn(stack, WARNINGS.setsAccountCloudWatchRole);
  return account;
}
