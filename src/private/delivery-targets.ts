import { Duration, Fn, Names, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct, IConstruct } from 'constructs';
import { EVENTS_LIMITS } from './defaults/events';
import { checkShape, hasShape, kindName, ResourceShape, SHAPES } from './shapes';
import { allowKeyUser, KeyUser, KeyVia, scopedKeyStatement } from './stack-key';
import { ensurePolicy, warn, WARNINGS } from './warnings';
import { BulwarkError } from '../core/errors';
import { HubTarget, HubTargetKind } from '../core/hub-target';

/*
 * How EventBridge rules and EventBridge Scheduler deliver to a target (a `HubTarget`): the rule or
 * schedule target with its retry policy and dead-letter queue, the resource and key policies a
 * service principal needs, the role grants a schedule needs, and the checks that refuse a target
 * the service cannot deliver to. Used by EventHub routes and schedules, and by every construct
 * that triggers on events or schedules.
 */

/** Who delivers: an EventBridge rule (service principal `events.amazonaws.com`) or Scheduler (a role). */
export type Deliverer = 'route' | 'schedule';

/** The retry policy of a delivery. */
export interface DeliveryRetry {
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
}

/** Whether the bus is the account's default bus, whose rules are referenced and measured by their name alone. */
export function isDefaultBus(eventBusName: string): boolean {
  return eventBusName === 'default';
}

/**
 * The `AWS/Events` metric of one rule. Rules on custom buses report EventBusName and RuleName; on the
 * default bus only RuleName. `ruleName` is the rule's own name, not its `busname|rulename` reference.
 */
export function ruleMetric(eventBusName: string, ruleName: string, metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  const dimensionsMap: Record<string, string> = isDefaultBus(eventBusName)
    ? { RuleName: ruleName }
    : { EventBusName: eventBusName, RuleName: ruleName };
  return new cloudwatch.Metric({ namespace: 'AWS/Events', metricName, dimensionsMap, statistic: cloudwatch.Stats.SUM, ...props });
}

/**
 * A rule on a custom bus is referenced (Ref, `ruleName`) as `busname|rulename`, but CloudWatch
 * reports its metrics with the rule's name alone.
 */
export function metricRuleName(eventBusName: string, rule: events.IRule): string {
  return isDefaultBus(eventBusName) ? rule.ruleName : Fn.select(1, Fn.split('|', rule.ruleName));
}

/**
 * The rule target for `target`, with the retry policy and dead-letter queue. Queue and topic targets
 * get a resource policy statement for exactly this rule; state machine and bus targets use `role`.
 *
 * @param ruleSourceArn `aws:SourceArn` of every rule on the bus (`arn:...:rule/<bus>/*`), for targets in other stacks
 */
export function ruleTarget(scope: Construct, target: HubTarget, retry: DeliveryRetry, deadLetterQueue: sqs.IQueue,
  role: iam.IRole | undefined, ruleSourceArn: string): events.IRuleTarget {
  const resource = target._resource;
  let inner: events.IRuleTarget;
  switch (target.kind) {
    case HubTargetKind.LAMBDA_FUNCTION:
      inner = new targets.LambdaFunction(resource as lambda.IFunction, retry);
      break;
    case HubTargetKind.QUEUE:
    case HubTargetKind.TOPIC:
      inner = new PolicyScopedRuleTarget(scope, target, retry, ruleSourceArn);
      break;
    case HubTargetKind.STATE_MACHINE:
      inner = new targets.SfnStateMachine(resource as sfn.IStateMachine, { ...retry, role });
      if (role) {
        grantStateMachineKey(scope, role, resource as sfn.IStateMachine);
      }
      break;
    case HubTargetKind.EVENT_BUS:
      // EventBridge takes no retry policy for bus targets; the dead-letter queue applies.
      inner = new targets.EventBus(resource as events.IEventBus, { role });
      break;
  }
  return new DeadLetterRuleTarget(inner, deadLetterQueue);
}

/**
 * Lets EventBridge put what it could not deliver in `queue`, a dead-letter queue of rules (and of a
 * bus): a queue policy statement for `events.amazonaws.com` from `sourceArns` only, and the queue's
 * key for EventBridge. For a queue made elsewhere, whose policy cannot be changed here, `warnUnchanged` says what to allow.
 */
export function allowEventBridgeDeadLetters(scope: Construct, queue: sqs.IQueue, sid: string, sourceArns: string[],
  warnUnchanged: () => void): void {
  if (queue.encryptionMasterKey) {
    allowKeyUser(scope, queue.encryptionMasterKey, KeyUser.EVENTBRIDGE);
  }
  ensurePolicy(queue, new iam.PolicyStatement({
    sid: sid.slice(0, 100),
    principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['sqs:SendMessage'],
    resources: [queue.queueArn],
    conditions: { ArnLike: { 'aws:SourceArn': sourceArns.length === 1 ? sourceArns[0] : sourceArns } },
  }), warnUnchanged);
}

/** Whether EventBridge needs a role to deliver to the target (state machines and buses). */
export function ruleTargetNeedsRole(target: HubTarget): boolean {
  return target.kind === HubTargetKind.STATE_MACHINE || target.kind === HubTargetKind.EVENT_BUS;
}

/**
 * A target with its dead-letter queue, whose policy its owner grants once for all its rules (CDK's
 * targets would add a queue policy statement per rule).
 */
class DeadLetterRuleTarget implements events.IRuleTarget {
  constructor(private readonly inner: events.IRuleTarget, private readonly deadLetterQueue: sqs.IQueue) {}

  public bind(rule: events.IRuleRef, id?: string): events.RuleTargetConfig {
    return { ...this.inner.bind(rule, id), deadLetterConfig: { arn: this.deadLetterQueue.queueArn } };
  }
}

/**
 * A queue or topic target whose resource policy lets exactly this rule send (`aws:SourceArn`), and
 * whose key, if any, lets EventBridge encrypt. CDK's own SqsQueue target drops the rule condition
 * for KMS-encrypted queues (and its SnsTopic target never has one), which would let rules of any
 * account deliver.
 */
class PolicyScopedRuleTarget implements events.IRuleTarget {
  constructor(private readonly scope: Construct, private readonly target: HubTarget, private readonly retry: DeliveryRetry,
    private readonly ruleSourceArn: string) {}

  public bind(rule: events.IRuleRef, _id?: string): events.RuleTargetConfig {
    const queue = this.target.kind === HubTargetKind.QUEUE ? this.target._resource as sqs.IQueue : undefined;
    const topic = this.target.kind === HubTargetKind.TOPIC ? this.target._resource as sns.ITopic : undefined;
    const resource: iam.IResourceWithPolicy = (queue ?? topic)!;
    const arn = queue ? queue.queueArn : topic!.topicArn;
    const action = queue ? 'sqs:SendMessage' : 'sns:Publish';
    const ruleNode = (rule as unknown as Construct).node;
    // Exactly this rule; for a resource in another stack, any rule on the bus by its literal name
    // (the rule's ARN would make that stack refer to this one, and this one refers to the resource: a cycle).
    const sameStack = Stack.of(resource) === Stack.of(this.scope);
    ensurePolicy(resource, new iam.PolicyStatement({
      sid: `EventHubRule${Names.nodeUniqueId(ruleNode)}`.slice(0, 100),
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: [action],
      resources: [arn],
      conditions: sameStack
        ? { ArnEquals: { 'aws:SourceArn': events.CfnRule.arnForRule(rule) } }
        : { ArnLike: { 'aws:SourceArn': this.ruleSourceArn } },
    }), () => warn(this.scope, WARNINGS.hubTargetPolicy, queue ? 'queue' : 'topic', resource.node.path, action, ruleNode.path));
    const key = queue ? queue.encryptionMasterKey : topic!.masterKey;
    if (key) {
      allowKeyUser(this.scope, key, KeyUser.EVENTBRIDGE);
    }
    const group = this.target._messageGroupId;
    return {
      ...targets.bindBaseTargetConfig(this.retry),
      arn,
      targetResource: resource,
      sqsParameters: group === undefined ? undefined : { messageGroupId: group },
    };
  }
}

/** The ARN Scheduler invokes for `target`. */
export function targetArn(target: HubTarget): string {
  const resource = target._resource;
  switch (target.kind) {
    case HubTargetKind.LAMBDA_FUNCTION: return (resource as lambda.IFunction).functionArn;
    case HubTargetKind.QUEUE: return (resource as sqs.IQueue).queueArn;
    case HubTargetKind.STATE_MACHINE: return (resource as sfn.IStateMachine).stateMachineArn;
    case HubTargetKind.TOPIC: return (resource as sns.ITopic).topicArn;
    case HubTargetKind.EVENT_BUS: return (resource as events.IEventBus).eventBusArn;
  }
}

/** Exactly the action that invokes the target, on exactly the target (and its key, through its service only). */
export function grantInvokeTarget(scope: Construct, role: iam.IRole, target: HubTarget): void {
  const resource = target._resource;
  switch (target.kind) {
    case HubTargetKind.LAMBDA_FUNCTION:
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [targetArn(target)] }));
      break;
    case HubTargetKind.QUEUE:
      grantSendToQueue(scope, role, resource as sqs.IQueue);
      break;
    case HubTargetKind.STATE_MACHINE:
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [targetArn(target)] }));
      grantStateMachineKey(scope, role, resource as sfn.IStateMachine);
      break;
    case HubTargetKind.TOPIC: {
      const topic = resource as sns.ITopic;
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
      if (topic.masterKey) {
        role.addToPrincipalPolicy(scopedKeyStatement(scope, topic.masterKey, KeyVia.SNS, topic.topicArn));
      }
      break;
    }
    default:
      break;
  }
}

/**
 * The customer-managed key of a state machine made in this app (a Workflow's, or a CDK StateMachine
 * with `encryptionConfiguration`): starting an execution encrypts its input with it, so whoever
 * starts one needs `kms:GenerateDataKey` (Step Functions developer guide, "Data at rest encryption").
 * Only through Step Functions and for this state machine.
 */
export function grantStateMachineKey(scope: Construct, role: iam.IRole, stateMachine: sfn.IStateMachine): void {
  const cfn = stateMachine.node.defaultChild;
  const config = cfn instanceof sfn.CfnStateMachine ? cfn.encryptionConfiguration : undefined;
  if (config === undefined || Token.isUnresolved(config) || (config as sfn.CfnStateMachine.EncryptionConfigurationProperty).kmsKeyId === undefined) {
    return;
  }
  const { type, kmsKeyId } = config as sfn.CfnStateMachine.EncryptionConfigurationProperty;
  // A key id or an alias cannot name a key in a policy (an alias ARN does not authorize the key); a key ARN can.
  if (type !== 'CUSTOMER_MANAGED_KMS_KEY' || !(Token.isUnresolved(kmsKeyId) || /^arn:[^:]+:kms:[^:]*:[^:]*:key\//.test(kmsKeyId!))) {
    return;
  }
  role.addToPrincipalPolicy(scopedKeyStatement(scope, kmsKeyId!, KeyVia.STATES, stateMachine.stateMachineArn, { actions: ['kms:GenerateDataKey'] }));
}

/** sqs:SendMessage on the queue and, for an SSE-KMS queue, its key through SQS for this queue only. */
export function grantSendToQueue(scope: Construct, role: iam.IRole, queue: sqs.IQueue): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
  const key = queue.encryptionMasterKey;
  if (key) {
    role.addToPrincipalPolicy(scopedKeyStatement(scope, key, KeyVia.SQS, queue.queueArn));
  }
}

/** The kind of resource each kind of target delivers to, and an example of one. */
const TARGET_SHAPES: Record<HubTargetKind, { shape: ResourceShape; example: string }> = {
  [HubTargetKind.LAMBDA_FUNCTION]: { shape: SHAPES.function, example: '' },
  [HubTargetKind.QUEUE]: { shape: SHAPES.queue, example: ', such as a QueueWorker\'s queue' },
  [HubTargetKind.STATE_MACHINE]: { shape: SHAPES.stateMachine, example: '' },
  [HubTargetKind.TOPIC]: { shape: SHAPES.topic, example: ', such as a SecureTopic\'s topic' },
  [HubTargetKind.EVENT_BUS]: { shape: SHAPES.eventBus, example: '' },
};

/**
 * Throws unless `target` is a HubTarget that `deliverer` can deliver to: the right kind of
 * resource, FIFO queues with a fixed message group and content-based deduplication, no FIFO topics,
 * no AWS managed keys EventBridge cannot use, no event bus for a schedule and no route back to
 * `ownBus`.
 */
export function checkDeliveryTarget(scope: Construct, prop: string, target: HubTarget, deliverer: Deliverer, ownBus?: events.IEventBus): void {
  if (!(target instanceof HubTarget)) {
    const given: unknown = target;
    throw BulwarkError.invalid(scope, prop, given instanceof Construct ? given.node.path : given,
      'give a HubTarget: HubTarget.lambdaFunction(fn), .queue(queue), .stateMachine(machine), .topic(topic) or .eventBus(bus)');
  }
  const resource = target._resource;
  if (resource === undefined || resource === null) {
    throw BulwarkError.invalid(scope, prop, resource, `HubTarget.${targetFactory(target.kind)}() needs the resource to deliver to`);
  }
  const { shape, example } = TARGET_SHAPES[target.kind];
  if (!Construct.isConstruct(resource)) {
    throw BulwarkError.invalid(scope, prop, resource, typeof resource === 'object'
      ? `HubTarget.${targetFactory(target.kind)}() needs a construct to deliver to, not a plain object`
      : `HubTarget.${targetFactory(target.kind)}() needs ${shape.what}${example}, not a ${typeof resource}`);
  }
  const path = resource.node.path;
  if (!hasShape(resource, shape)) {
    throw BulwarkError.invalid(scope, prop, path, `HubTarget.${targetFactory(target.kind)}() needs ${shape.what}${example}, and this is a ${kindName(resource)}`);
  }
  switch (target.kind) {
    case HubTargetKind.QUEUE: {
      const queue = resource as sqs.IQueue;
      const group = target._messageGroupId;
      if (queue.fifo && group === undefined) {
        throw BulwarkError.invalid(scope, prop, path, 'it is a FIFO queue; give HubTarget.queue(queue, { messageGroupId }) with a fixed id');
      }
      if (!queue.fifo && group !== undefined) {
        throw BulwarkError.invalid(scope, `${prop} messageGroupId`, group, `the queue ${path} is a standard queue; messageGroupId applies only to FIFO queues`);
      }
      const max = deliverer === 'route' ? EVENTS_LIMITS.maxRuleMessageGroupIdLength : EVENTS_LIMITS.maxScheduleMessageGroupIdLength;
      if (group !== undefined && !Token.isUnresolved(group) && (group.length < 1 || group.length > max)) {
        throw BulwarkError.invalid(scope, `${prop} messageGroupId`, group, `it must have 1 to ${max} characters`);
      }
      if (group !== undefined && Token.isUnresolved(group)) {
        // EventBridge sends MessageGroupId as given: a path such as events.EventField.fromPath() would become the literal group '$.detail...'.
        throw BulwarkError.invalid(scope, `${prop} messageGroupId`, Stack.of(scope).resolve(group), deliverer === 'route'
          ? 'EventBridge rules send the message group id as given and cannot read it from the event (a path would become one literal group for '
            + 'every event); give a fixed id, or route to a function that sends each message with its own group'
          : 'a schedule has no event to read a path from; give a fixed id');
      }
      if (queue.fifo) {
        checkFifoDeduplication(scope, prop, queue, deliverer);
      }
      if (deliverer === 'route') {
        // Scheduler sends with the schedule's role, which an AWS managed key admits through SQS.
        checkEventBridgeCanEncrypt(scope, prop, queue);
      }
      break;
    }
    case HubTargetKind.TOPIC:
      if ((resource as sns.ITopic).fifo) {
        throw BulwarkError.invalid(scope, prop, path, `it is a FIFO topic; EventBridge ${deliverer === 'route' ? 'rules' : 'Scheduler'} cannot set the `
          + 'message group it needs. Target a standard topic, or a FIFO queue with a messageGroupId');
      }
      if (deliverer === 'route' && isAwsManagedKey((resource as sns.ITopic).masterKey, AWS_MANAGED_SNS_KEY)) {
        throw BulwarkError.invalid(scope, prop, path, `it is encrypted with the AWS managed key ${AWS_MANAGED_SNS_KEY}, whose key policy cannot let `
          + 'EventBridge (events.amazonaws.com) use it, so every delivery would fail; encrypt the topic with a customer-managed key');
      }
      break;
    case HubTargetKind.EVENT_BUS:
      if (deliverer === 'schedule') {
        throw BulwarkError.invalid(scope, prop, path, 'a schedule cannot target an event bus; target a function that puts the event, or route from the bus instead');
      }
      if (ownBus && (resource === ownBus || resource.node.path === ownBus.node.path)) {
        throw BulwarkError.invalid(scope, prop, path, 'it is the hub\'s own bus: the route would deliver its events back to itself in a loop');
      }
      break;
    default:
      break;
  }
}

/**
 * EventBridge and Scheduler send no deduplication id, so a FIFO target queue must deduplicate by
 * content (EventBridge Target and Scheduler SqsParameters). Checked for queues created in this app;
 * for others, a warning.
 */
function checkFifoDeduplication(scope: Construct, prop: string, queue: sqs.IQueue, deliverer: Deliverer): void {
  const sender = deliverer === 'route' ? 'EventBridge rules' : 'EventBridge Scheduler';
  const cfn = queue instanceof sqs.Queue ? queue.node.defaultChild : undefined;
  if (cfn instanceof sqs.CfnQueue) {
    const dedup = cfn.contentBasedDeduplication;
    if (dedup !== true && !Token.isUnresolved(dedup)) {
      throw BulwarkError.invalid(scope, prop, queue.node.path, `it is a FIFO queue without content-based deduplication; ${sender} send no `
        + 'deduplication id, so a FIFO target queue must have contentBasedDeduplication: true');
    }
    return;
  }
  warn(scope, WARNINGS.fifoDeduplication, queue.node.path, sender);
}

/** The factory that makes a target of this kind, for error messages. */
function targetFactory(kind: HubTargetKind): string {
  switch (kind) {
    case HubTargetKind.LAMBDA_FUNCTION: return 'lambdaFunction';
    case HubTargetKind.QUEUE: return 'queue';
    case HubTargetKind.STATE_MACHINE: return 'stateMachine';
    case HubTargetKind.TOPIC: return 'topic';
    case HubTargetKind.EVENT_BUS: return 'eventBus';
  }
}

/** EventBridge and Scheduler send dead letters only to standard queues. */
export function checkDeadLetterQueue(scope: IConstruct, prop: string, queue: sqs.IQueue | undefined, deliverer: Deliverer): void {
  checkShape(scope, prop, queue, SHAPES.queue, ': a queue of this app, or one from sqs.Queue.fromQueueArn()');
  if (queue?.fifo === true) {
    throw BulwarkError.invalid(scope, prop, queue.node.path, 'it is a FIFO queue; EventBridge and Scheduler send dead letters only to standard queues');
  }
  if (deliverer === 'route') {
    checkEventBridgeCanEncrypt(scope, prop, queue);
  }
}

const AWS_MANAGED_SQS_KEY = 'alias/aws/sqs';
const AWS_MANAGED_SNS_KEY = 'alias/aws/sns';

/** Whether the key is the AWS managed key `alias` (an alias of that name, or a key ARN ending in it). */
function isAwsManagedKey(key: kms.IKey | undefined, alias: string): boolean {
  if (key === undefined || key === null) {
    return false;
  }
  const aliasName: unknown = (key as Partial<kms.IAlias>).aliasName;
  if (typeof aliasName === 'string' && !Token.isUnresolved(aliasName)) {
    return aliasName === alias;
  }
  const arn: unknown = key.keyArn;
  return typeof arn === 'string' && !Token.isUnresolved(arn) && arn.endsWith(`:${alias}`);
}

/**
 * EventBridge itself writes to route target queues and to dead-letter queues of rules and buses, so
 * it must be able to use the queue's key: the AWS managed key's policy cannot admit events.amazonaws.com.
 */
function checkEventBridgeCanEncrypt(scope: IConstruct, prop: string, queue: sqs.IQueue | undefined): void {
  if (queue === undefined) {
    return;
  }
  if (queue.encryptionType === sqs.QueueEncryption.KMS_MANAGED || isAwsManagedKey(queue.encryptionMasterKey, AWS_MANAGED_SQS_KEY)) {
    throw BulwarkError.invalid(scope, prop, queue.node.path, `it is encrypted with the AWS managed key ${AWS_MANAGED_SQS_KEY}, whose key policy cannot let `
      + 'EventBridge (events.amazonaws.com) use it, so every delivery would fail; use SQS-managed encryption or a customer-managed key');
  }
}

/** Throws unless the description fits EventBridge's and Scheduler's 512 characters. */
export function checkDeliveryDescription(scope: IConstruct, prop: string, description: string | undefined): void {
  if (description !== undefined && !Token.isUnresolved(description) && description.length > EVENTS_LIMITS.maxDescriptionLength) {
    throw BulwarkError.invalid(scope, prop, `${description.slice(0, 40)}...`,
      `it has ${description.length} characters; EventBridge allows at most ${EVENTS_LIMITS.maxDescriptionLength}`);
  }
}

/** A Scheduler target whose role has already been granted exactly what it needs. */
export class ScheduleDeliveryTarget implements scheduler.IScheduleTarget {
  constructor(private readonly target: HubTarget, private readonly role: iam.IRole, private readonly delivery: ScheduleDelivery) {}

  public bind(_schedule: scheduler.ISchedule): scheduler.ScheduleTargetConfig {
    const group = this.target._messageGroupId;
    return {
      arn: targetArn(this.target),
      role: this.role,
      input: this.delivery.input,
      deadLetterConfig: { arn: this.delivery.deadLetterQueue.queueArn },
      retryPolicy: {
        maximumRetryAttempts: this.delivery.retryAttempts,
        maximumEventAgeInSeconds: this.delivery.maxEventAge.toSeconds(),
      },
      sqsParameters: group === undefined ? undefined : { messageGroupId: group },
    };
  }
}

/** The delivery settings of a schedule target. */
export interface ScheduleDelivery extends DeliveryRetry {
  readonly input?: scheduler.ScheduleTargetInput;
  readonly deadLetterQueue: sqs.IQueue;
}
