import { Names, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IDependable } from 'constructs';
import type { QueueSubscriptionOptions } from './secure-topic';

// Internal to the library: how a SecureTopic binds its subscribers.

/** The queue policy statement that lets `topic` (and only it) send to `queue`: what CDK's subscriptions write, for subscribers and dead-letter queues alike. */
export function snsSendStatement(queue: sqs.IQueue, topic: sns.ITopic): iam.PolicyStatement {
  return new iam.PolicyStatement({
    resources: [queue.queueArn],
    actions: ['sqs:SendMessage'],
    principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
    conditions: { ArnEquals: { 'aws:SourceArn': topic.topicArn } },
  });
}

/**
 * Subscribes an SQS queue like CDK's `SqsSubscription` (the subscription next to the queue, a
 * stack dependency across stacks) but leaves the policies to `SecureTopic`: the queue policy
 * statement it added (`policyDependable`), and the key policy, which avoids the dependency cycle
 * CDK's statement makes when the queue and the topic share a key.
 */
export class QueueSubscriber implements sns.ITopicSubscription {
  constructor(private readonly queue: sqs.IQueue, private readonly policyDependable: IDependable | undefined,
    private readonly props: QueueSubscriptionOptions) {}

  public bind(topic: sns.ITopic): sns.TopicSubscriptionConfig {
    const topicStack = Stack.of(topic);
    const queueStack = Stack.of(this.queue);
    if (topicStack !== queueStack) {
      queueStack.addStackDependency(topicStack);
    }
    const topicRegion = topicStack.region;
    const crossRegion = !Token.isUnresolved(topicRegion) && !Token.isUnresolved(queueStack.region) && topicRegion !== queueStack.region;
    return {
      subscriberScope: this.queue,
      subscriberId: Names.nodeUniqueId(topic.node),
      endpoint: this.queue.queueArn,
      protocol: sns.SubscriptionProtocol.SQS,
      rawMessageDelivery: this.props.rawMessageDelivery,
      filterPolicy: this.props.filterPolicy,
      filterPolicyWithMessageBody: this.props.filterPolicyWithMessageBody,
      region: crossRegion ? topicRegion : undefined,
      deadLetterQueue: this.props.deadLetterQueue,
      subscriptionDependency: this.policyDependable,
    };
  }
}

/**
 * Wraps a CDK subscription so that its construct id under the subscriber is the topic's unique id:
 * CDK's Lambda subscription uses the topic's own id, which is `Topic` for every SecureTopic, so one
 * function could not subscribe to two of them.
 */
export class UniqueSubscription implements sns.ITopicSubscription {
  constructor(private readonly inner: sns.ITopicSubscription) {}

  public bind(topic: sns.ITopic): sns.TopicSubscriptionConfig {
    return { ...this.inner.bind(topic), subscriberId: Names.nodeUniqueId(topic.node) };
  }
}
