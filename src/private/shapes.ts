import { CfnResource } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { BulwarkError } from '../core/errors';

/*
 * The one place where a prop or parameter that takes a resource is checked for the right kind of
 * resource. TypeScript's types do not reach JavaScript, Python or Java callers, who can pass a
 * QueueWorker where its queue is meant, a topic where a queue is meant, or a key's ARN as a string
 * where the key is meant: each gets a clear error naming the prop, instead of a TypeError from
 * deep inside CDK. Shapes are checked by their attributes (an imported resource is not an instance
 * of the L2 class), never by `instanceof`.
 */

/** A kind of resource: the string attributes every construct of that kind has, and how to name it in an error. */
export interface ResourceShape {
  readonly attributes: readonly string[];
  /** What was expected, e.g. `an SQS queue (sqs.IQueue)`. */
  readonly what: string;
}

/** The resource kinds the library takes. */
export const SHAPES = {
  queue: { attributes: ['queueArn', 'queueUrl'], what: 'an SQS queue (sqs.IQueue)' },
  topic: { attributes: ['topicArn'], what: 'an SNS topic (sns.ITopic)' },
  function: { attributes: ['functionArn'], what: 'a Lambda function (lambda.IFunction)' },
  key: { attributes: ['keyArn'], what: 'a KMS key (kms.IKey; for an ARN use kms.Key.fromKeyArn())' },
  eventBus: { attributes: ['eventBusArn', 'eventBusName'], what: 'an EventBridge event bus (events.IEventBus; for an ARN use events.EventBus.fromEventBusArn())' },
  stateMachine: { attributes: ['stateMachineArn'], what: 'a Step Functions state machine (sfn.IStateMachine)' },
  vpc: { attributes: ['vpcId'], what: 'a VPC (ec2.IVpc)' },
  securityGroup: { attributes: ['securityGroupId'], what: 'a security group (ec2.ISecurityGroup)' },
  userPool: { attributes: ['userPoolId', 'userPoolArn'], what: 'a Cognito user pool (cognito.IUserPool)' },
} satisfies Record<string, ResourceShape>;

/** Whether `value` is a construct with every attribute of `shape`. */
export function hasShape(value: unknown, shape: ResourceShape): boolean {
  return Construct.isConstruct(value) && shape.attributes.every((a) => typeof (value as unknown as Record<string, unknown>)[a] === 'string');
}

/** How a wrong value is shown in an error: a construct by its path, anything else as it is. */
export function shownValue(value: unknown): unknown {
  return Construct.isConstruct(value) ? value.node.path : value;
}

/**
 * Throws unless `value` is undefined or a construct of `shape`. `hint` follows the expected kind,
 * e.g. `, such as a QueueWorker's queue`.
 */
export function checkShape(scope: IConstruct, prop: string, value: unknown, shape: ResourceShape, hint = ''): void {
  if (value === undefined || hasShape(value, shape)) {
    return;
  }
  throw BulwarkError.invalid(scope, prop, value === null ? null : shownValue(value), `it must be ${shape.what}${hint}${kindOf(value)}`);
}

/**
 * Throws unless `groups` is undefined or a non-empty list of security groups (SecureFunction's and
 * ServerlessDatabase's `securityGroups`). `empty` says why an empty list is refused and what to give.
 */
export function checkSecurityGroups(scope: IConstruct, prop: string, groups: unknown, empty: string): void {
  if (groups === undefined) {
    return;
  }
  if (!Array.isArray(groups)) {
    throw BulwarkError.invalid(scope, prop, groups, 'it must be a list of security groups (ec2.ISecurityGroup)');
  }
  if (groups.length === 0) {
    throw BulwarkError.invalid(scope, prop, groups, empty);
  }
  for (const group of groups) {
    if (!hasShape(group, SHAPES.securityGroup)) {
      throw BulwarkError.invalid(scope, prop, shownValue(group), 'every entry must be a security group (ec2.ISecurityGroup)');
    }
  }
}

/** `, and this is a QueueWorker` for a construct or an object of a class; nothing for plain values. */
function kindOf(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'string' ? ', not a string' : '';
  }
  const kind = kindName(value);
  return kind ? `, and this is a ${kind}` : ', not a plain object';
}

/**
 * What an object is, for errors: its class (without the digits CDK's build appends to some class
 * names) and, for an L2 construct, the CloudFormation type of its resource: `Topic (AWS::SNS::Topic)`.
 */
export function kindName(value: object): string | undefined {
  const name = value.constructor?.name?.replace(/\d+$/, '');
  if (!name || name === 'Object') {
    return undefined;
  }
  const child = Construct.isConstruct(value) ? value.node.defaultChild : undefined;
  return CfnResource.isCfnResource(child) ? `${name} (${child.cfnResourceType})` : name;
}

/**
 * Throws unless `grantee` can be granted to (an `iam.IGrantable`: a role, a function, a principal,
 * ...). `method` names the call, e.g. `grantPublish()`.
 */
export function checkGrantee(scope: IConstruct, method: string, grantee: unknown): void {
  const principal = (grantee as { grantPrincipal?: unknown } | null | undefined)?.grantPrincipal;
  if (grantee === null || typeof grantee !== 'object' || principal === null || typeof principal !== 'object'
    || typeof (principal as { addToPrincipalPolicy?: unknown }).addToPrincipalPolicy !== 'function') {
    throw BulwarkError.invalid(scope, `the grantee of ${method}`, shownValue(grantee),
      `it must be an iam.IGrantable: a role, a user, a function, or a principal such as new iam.ServicePrincipal('s3.amazonaws.com')${kindOf(grantee)}`);
  }
}
