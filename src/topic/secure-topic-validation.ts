import { Token } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import type { QueueSubscriptionOptions, SecureTopicProps, TopicSubscriptionOptions } from './secure-topic';
import { BulwarkError } from '../core/errors';
import { contentFilterProblem, isReference } from '../private/content-filters';
import { checkDeadLetterQueueLocation } from '../private/dead-letter-queue';
import { SNS_LIMITS } from '../private/defaults/sns';
import { checkKnownProps, propKeys } from '../private/props';
import { checkShape, SHAPES } from '../private/shapes';

// Internal to the library: every check of SecureTopic's input, run before anything is made.

const PROPS = propKeys<SecureTopicProps>()('SecureTopicProps', ['complianceProfile', 'monitoring', 'fifo', 'contentBasedDeduplication',
  'displayName', 'key', 'alarms']);
const FUNCTION_OPTIONS = propKeys<TopicSubscriptionOptions>()('TopicSubscriptionOptions', ['filterPolicy', 'filterPolicyWithMessageBody',
  'deadLetterQueue']);
const QUEUE_OPTIONS = propKeys<QueueSubscriptionOptions>()('QueueSubscriptionOptions', ['filterPolicy', 'filterPolicyWithMessageBody',
  'deadLetterQueue', 'rawMessageDelivery']);

/** Checks the props of a SecureTopic (its alarms are checked by its alarm set). */
export function validateSecureTopicProps(scope: Construct, props: SecureTopicProps): void {
  if (props === null || typeof props !== 'object' || Array.isArray(props)) {
    throw BulwarkError.invalid(scope, 'props', props, 'they must be a SecureTopicProps object');
  }
  checkKnownProps(scope, props, PROPS);
  checkShape(scope, 'key', props.key, SHAPES.key);
  if (props.fifo !== undefined && typeof props.fifo !== 'boolean') {
    throw BulwarkError.invalid(scope, 'fifo', props.fifo, 'it must be true or false');
  }
  if (props.contentBasedDeduplication !== undefined && !props.fifo) {
    throw BulwarkError.invalid(scope, 'contentBasedDeduplication', props.contentBasedDeduplication,
      'it applies only to FIFO topics; set fifo: true or leave it unset');
  }
  if (props.displayName !== undefined && !Token.isUnresolved(props.displayName)
    && (typeof props.displayName !== 'string' || props.displayName.length > SNS_LIMITS.maxDisplayName)) {
    const shown = typeof props.displayName === 'string' ? `${props.displayName.slice(0, 40)}...` : props.displayName;
    throw BulwarkError.invalid(scope, 'displayName', shown,
      `it must be a string of at most ${SNS_LIMITS.maxDisplayName} characters${typeof props.displayName === 'string' ? ` (it has ${props.displayName.length})` : ''}`);
  }
}

/** What a subscription is checked against: the topic and its earlier subscriptions. */
export interface SubscriptionContext {
  /** Whether the topic is FIFO. */
  readonly fifo: boolean;
  /** The ids of the earlier subscriptions. */
  readonly ids: ReadonlySet<string>;
  /** The earlier subscribers, with their subscription ids. */
  readonly subscribers: ReadonlyMap<IConstruct, string>;
}

/** Checks what every subscription takes: the id, the subscriber, the filter policies and the dead-letter queue. */
export function validateSubscription(scope: Construct, topic: SubscriptionContext, id: string, kind: 'queue' | 'function', subscriber: IConstruct | undefined,
  options: TopicSubscriptionOptions): void {
  if (typeof id !== 'string' || id.trim() === '') {
    throw BulwarkError.invalid(scope, 'subscription id', id, 'give each subscription a non-empty id');
  }
  if (topic.ids.has(id)) {
    throw BulwarkError.invalid(scope, 'subscription id', id, 'it is already used on this topic; give each subscription its own id');
  }
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw BulwarkError.invalid(scope, `options of subscription '${id}'`, options, `they must be ${kind === 'queue' ? 'QueueSubscriptionOptions' : 'TopicSubscriptionOptions'}`);
  }
  checkKnownProps(scope, options, kind === 'queue' ? QUEUE_OPTIONS : FUNCTION_OPTIONS, `options of subscription '${id}'`);
  if (subscriber === undefined || subscriber === null) {
    throw BulwarkError.invalid(scope, `${kind} of subscription '${id}'`, subscriber, `it is required: the ${kind} to deliver to`);
  }
  if (!Construct.isConstruct(subscriber)) {
    throw BulwarkError.invalid(scope, `${kind} of subscription '${id}'`, subscriber, `it must be a ${kind} construct, not a plain object`);
  }
  checkShape(scope, `${kind} of subscription '${id}'`, subscriber, SHAPES[kind],
    kind === 'queue' ? ', such as a QueueWorker\'s queue' : ', such as a SecureFunction\'s lambdaFunction');
  const earlier = topic.subscribers.get(subscriber);
  if (earlier !== undefined) {
    throw BulwarkError.invalid(scope, `${kind} of subscription '${id}'`, subscriber.node.path,
      `it is already subscribed as '${earlier}'; SNS would deliver every message to it twice (combine the filter policies instead)`);
  }
  if (options.filterPolicy !== undefined && options.filterPolicyWithMessageBody !== undefined) {
    throw new BulwarkError(scope, `filterPolicy and filterPolicyWithMessageBody of subscription '${id}' cannot be set together; `
      + 'a subscription filters either on message attributes or on the message body');
  }
  if (options.filterPolicy !== undefined) {
    checkFilterPolicy(scope, `filterPolicy of subscription '${id}'`, options.filterPolicy, false);
  }
  if (options.filterPolicyWithMessageBody !== undefined) {
    checkFilterPolicy(scope, `filterPolicyWithMessageBody of subscription '${id}'`, options.filterPolicyWithMessageBody, true);
  }
  const dlq = options.deadLetterQueue;
  if (dlq !== undefined) {
    const prop = `deadLetterQueue of subscription '${id}'`;
    checkShape(scope, prop, dlq, SHAPES.queue, ', or left unset to have one created');
    if (dlq.fifo !== topic.fifo) {
      const type = topic.fifo ? 'FIFO' : 'standard';
      throw BulwarkError.invalid(scope, prop, dlq.node.path, `it is ${dlq.fifo ? 'a FIFO' : 'a standard'} queue but the topic is `
        + `${type}; SNS needs ${type} dead-letter queues for the subscriptions of a ${type} topic`);
    }
    if (dlq.encryptionType === sqs.QueueEncryption.KMS_MANAGED) {
      throw BulwarkError.invalid(scope, prop, dlq.node.path, 'it is encrypted with the AWS managed key alias/aws/sqs, whose key policy cannot let SNS use it; '
        + 'use SQS-managed encryption or a customer-managed key');
    }
    if (dlq === subscriber) {
      throw BulwarkError.invalid(scope, prop, dlq.node.path, 'it is the subscriber itself; give a separate queue (or leave it unset to have one created)');
    }
    // https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html: the subscription and its dead-letter queue share
    // account and region; a subscription lives with its topic.
    checkDeadLetterQueueLocation(scope, prop, dlq, { service: 'SNS', owner: 'the subscription (the topic\'s)', account: true });
  }
}

/** Checks what only a queue subscription takes: the queue's type and encryption, and `rawMessageDelivery`. */
export function validateQueueSubscriber(scope: Construct, fifoTopic: boolean, id: string, queue: sqs.IQueue, rawMessageDelivery: unknown): void {
  const prop = `queue of subscription '${id}'`;
  if (queue.fifo && !fifoTopic) {
    throw BulwarkError.invalid(scope, prop, queue.node.path,
      'it is a FIFO queue, and standard topics cannot deliver to FIFO queues; make the topic FIFO (fifo: true) or subscribe a standard queue');
  }
  if (queue.encryptionType === sqs.QueueEncryption.KMS_MANAGED) {
    throw BulwarkError.invalid(scope, prop, queue.node.path, 'it is encrypted with the AWS managed key alias/aws/sqs, whose key policy cannot let SNS use it; '
      + 'use SQS-managed encryption or a customer-managed key');
  }
  if (rawMessageDelivery !== undefined && typeof rawMessageDelivery !== 'boolean') {
    throw BulwarkError.invalid(scope, `rawMessageDelivery of subscription '${id}'`, rawMessageDelivery, 'it must be true or false');
  }
}

/** FIFO topics deliver only to SQS. */
export function validateFunctionSubscriber(scope: Construct, fifoTopic: boolean, id: string): void {
  if (fifoTopic) {
    throw new BulwarkError(scope, `subscribeFunction('${id}'): FIFO topics deliver only to SQS queues; subscribe a FIFO queue `
      + 'with subscribeQueue() and let it trigger the function (a FIFO QueueWorker does both)');
  }
}

/**
 * SNS accepts at most 5 keys and at most 150 combinations of values (the product of the number of
 * values of every key) per filter policy; a key with no values matches nothing.
 */
function checkFilterPolicy(scope: IConstruct, prop: string, policy: unknown, body: boolean): void {
  const keys = isPlainObject(policy) ? Object.keys(policy) : [];
  if (!isPlainObject(policy) || keys.length === 0) {
    throw BulwarkError.invalid(scope, prop, policy, 'give at least one key, or leave it unset to deliver every message');
  }
  if (keys.length > SNS_LIMITS.maxFilterPolicyKeys) {
    throw BulwarkError.invalid(scope, prop, keys, `SNS allows at most ${SNS_LIMITS.maxFilterPolicyKeys} keys per filter policy`);
  }
  const combinations = body ? bodyCombinations(scope, prop, policy) : attributeCombinations(scope, prop, policy);
  if (combinations > SNS_LIMITS.maxFilterPolicyCombinations) {
    throw BulwarkError.invalid(scope, prop, keys, `its values make ${combinations} combinations (the product of the number of values of every key); `
      + `SNS allows at most ${SNS_LIMITS.maxFilterPolicyCombinations}`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !Token.isUnresolved(value);
}

/** Number of value combinations of a message-attribute policy; throws on a value that is not a SubscriptionFilter. */
function attributeCombinations(scope: IConstruct, prop: string, policy: Record<string, unknown>): number {
  let total = 1;
  for (const [key, filter] of Object.entries(policy)) {
    if (!(filter instanceof sns.SubscriptionFilter)) {
      throw BulwarkError.invalid(scope, `${prop}, key '${key}',`, filter,
        'it must be an sns.SubscriptionFilter, e.g. sns.SubscriptionFilter.stringFilter({ allowlist: [\'created\'] })');
    }
    total *= valuesOf(scope, `${prop}, key '${key}',`, filter);
  }
  return total;
}

/** Number of value combinations of a message-body policy (nested); throws on a value that is not a FilterOrPolicy. */
function bodyCombinations(scope: IConstruct, prop: string, policy: Record<string, unknown>): number {
  let total = 1;
  for (const [key, node] of Object.entries(policy)) {
    const at = `${prop}, key '${key}',`;
    if (node instanceof sns.Filter) {
      total *= valuesOf(scope, at, node.filterDoc);
    } else if (node instanceof sns.Policy) {
      if (!isPlainObject(node.policyDoc) || Object.keys(node.policyDoc).length === 0) {
        throw BulwarkError.invalid(scope, at, node.policyDoc, 'a nested policy needs at least one key');
      }
      total *= bodyCombinations(scope, at, node.policyDoc);
    } else {
      throw BulwarkError.invalid(scope, at, node,
        'it must be an sns.FilterOrPolicy, e.g. sns.FilterOrPolicy.filter(sns.SubscriptionFilter.stringFilter({ allowlist: [\'created\'] }))');
    }
  }
  return total;
}

function valuesOf(scope: IConstruct, prop: string, filter: sns.SubscriptionFilter): number {
  const conditions = filter?.conditions;
  if (!Array.isArray(conditions) || conditions.length === 0) {
    throw BulwarkError.invalid(scope, prop, conditions ?? filter, 'the filter has no values, so it would match nothing; give at least one condition');
  }
  conditions.forEach((condition: unknown, i) => {
    if (condition === null || typeof condition !== 'object' || Array.isArray(condition) || isReference(condition)) {
      return;
    }
    const keys = Object.keys(condition);
    const problem = keys.length === 1
      ? contentFilterProblem(keys[0], (condition as Record<string, unknown>)[keys[0]], 'SNS')
      : `a condition has one key, and this one has ${keys.length}${keys.length ? ` (${keys.join(', ')})` : ''}; sns.SubscriptionFilter writes conditions that SNS accepts`;
    if (problem) {
      throw BulwarkError.invalid(scope, `${prop} condition ${i}`, condition, problem);
    }
  });
  return conditions.length;
}
