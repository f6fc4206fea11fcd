import { Names, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { SecureTopicAlarmsProps } from './secure-topic-alarms';
import { FAILED_TO_REDRIVE_TO_DLQ, REDRIVEN_TO_DLQ, SECURE_TOPIC_ALARMS, SubscriberKind, topicMetrics, topicWidgets } from './secure-topic-monitoring';
import { QueueSubscriber, snsSendStatement, UniqueSubscription } from './secure-topic-subscribers';
import { validateFunctionSubscriber, validateQueueSubscriber, validateSecureTopicProps, validateSubscription } from './secure-topic-validation';
import { ComplianceProfile } from '../core/compliance-profile';
import { ServiceGrantOptions } from '../core/service-grant-options';
import { constructContext } from '../monitoring/construct-context';
import { MonitoredConstructProps } from '../monitoring/monitored-props';
import { AlarmSet } from '../private/alarm-set';
import { createDeadLetterQueue, deadLetterDepth, DeadLetterWriter, sameKey } from '../private/dead-letter-queue';
import { scopedGrantee } from '../private/service-grants';
import { allowKeyUser, KeyUser } from '../private/stack-key';
import { shortPath } from '../private/validation';
import { ensurePolicy, warn, WARNINGS } from '../private/warnings';

/**
 * Properties of `SecureTopic`.
 */
export interface SecureTopicProps extends MonitoredConstructProps {
  /**
   * Whether the topic is FIFO. FIFO topics deliver only to SQS queues (FIFO queues keep the order
   * and deduplicate; standard queues get best-effort order), and their subscriptions need FIFO
   * dead-letter queues. CloudFormation needs a name for a FIFO topic: one is generated from the
   * construct path, ending in `.fifo`.
   *
   * @default false
   */
  readonly fifo?: boolean;

  /**
   * FIFO only: deduplicate messages by a SHA-256 hash of their body instead of a deduplication id.
   *
   * @default false
   */
  readonly contentBasedDeduplication?: boolean;

  /**
   * A display name for the topic (at most 100 characters).
   *
   * @default - none
   */
  readonly displayName?: string;

  /**
   * The customer-managed key that encrypts the topic and, when given, the created subscription
   * dead-letter queues. A key created in this app gets the key policy statement SNS needs to
   * deliver to those queues; for a key from elsewhere a warning says what to allow.
   *
   * @default - the stack key (one customer-managed key per stack, with rotation) for the topic;
   * dead-letter queues use SQS-managed encryption in STANDARD and the stack key in REGULATED
   */
  readonly key?: kms.IKey;

  /**
   * Alarm thresholds, or `enabled: false` to skip an alarm.
   *
   * @default - the failed-notifications, failed-redrive and dead-letter queue alarms with their documented defaults
   */
  readonly alarms?: SecureTopicAlarmsProps;
}

/** Options of every subscription of a `SecureTopic`. */
export interface TopicSubscriptionOptions {
  /**
   * Deliver only messages whose message attributes match this policy (filter policy scope
   * `MessageAttributes`): at most 5 keys, at most 150 combinations of values.
   *
   * @default - every message is delivered (unless `filterPolicyWithMessageBody` is given)
   */
  readonly filterPolicy?: { [attribute: string]: sns.SubscriptionFilter };

  /**
   * Deliver only messages whose JSON body matches this policy (filter policy scope
   * `MessageBody`): at most 5 keys, at most 150 combinations of values. Give at most one of
   * `filterPolicy` and `filterPolicyWithMessageBody`.
   *
   * @default - every message is delivered (unless `filterPolicy` is given)
   */
  readonly filterPolicyWithMessageBody?: { [attribute: string]: sns.FilterOrPolicy };

  /**
   * A dead-letter queue of your own for notifications SNS cannot deliver: standard for a
   * standard topic, FIFO for a FIFO topic, in the topic's account and region, not encrypted with
   * `alias/aws/sqs`. Its queue policy (and key policy, for a customer-managed key) get the
   * statements SNS needs when they were created in this app.
   *
   * @default - a queue with 14-day retention, TLS-only, encrypted, retained on deletion
   */
  readonly deadLetterQueue?: sqs.IQueue;
}

/** Options of `SecureTopic.subscribeQueue()`. */
export interface QueueSubscriptionOptions extends TopicSubscriptionOptions {
  /**
   * Deliver the message body as published, without the SNS JSON envelope (its metadata, such as
   * the topic ARN and message attributes, is then not delivered).
   *
   * @default false
   */
  readonly rawMessageDelivery?: boolean;
}

/** A subscription of a `SecureTopic` and what was made for it. */
export interface TopicSubscription {
  /** The id given to `subscribeQueue()` or `subscribeFunction()`. */
  readonly subscriptionId: string;

  /** The SNS subscription (created in the subscriber's stack, next to the queue or function). */
  readonly subscription: sns.Subscription;

  /** The queue that receives the notifications SNS could not deliver. */
  readonly deadLetterQueue: sqs.IQueue;

  /**
   * The alarm on the dead-letter queue.
   *
   * @default - none when the alarm is disabled, or when an earlier subscription shares the same
   * dead-letter queue (and so its alarm)
   */
  readonly deadLetterQueueAlarm?: cloudwatch.IAlarm;
}

/**
 * An SNS topic for fan-out, encrypted with a customer-managed key, TLS-only, where every
 * subscription gets a dead-letter queue and nothing is lost unnoticed: alarms on failed
 * deliveries, on failed moves to the dead-letter queues (lost notifications) and on each
 * dead-letter queue, and a dashboard section.
 *
 * Subscribe queues (a QueueWorker's `queue`, or any `IQueue`) with `subscribeQueue()` and Lambda
 * functions with `subscribeFunction()`; grant publishers with `grantPublish()`.
 *
 * @example
 * declare const billingQueue: sqs.IQueue;
 * const orders = new SecureTopic(this, 'OrderEvents');
 * orders.subscribeQueue('Billing', billingQueue);
 */
export class SecureTopic extends Construct {
  /** The SNS topic. */
  public readonly topic: sns.Topic;

  /** The customer-managed key that encrypts the topic. */
  public readonly key: kms.IKey;

  /** The compliance profile in force. */
  public readonly complianceProfile: ComplianceProfile;

  private readonly alarmSet: AlarmSet;
  /** The key of created dead-letter queues; none means SQS-managed encryption. */
  private readonly deadLetterKey?: kms.IKey;
  private readonly failuresWidget: cloudwatch.GraphWidget;
  private readonly subscriptionList: TopicSubscription[] = [];
  /** Subscribers by endpoint, to refuse the same queue or function twice. */
  private readonly subscribers = new Map<IConstruct, string>();
  /** Dead-letter queues that already have an alarm and a dashboard line. */
  private readonly alarmedDeadLetterQueues = new Map<sqs.IQueue, cloudwatch.IAlarm | undefined>();

  constructor(scope: Construct, id: string, props: SecureTopicProps = {}) {
    super(scope, id);
    validateSecureTopicProps(this, props);
    const context = constructContext(this, props);
    // Every alarm option, the dead-letter queue alarm's included, is checked now: before any subscription.
    this.alarmSet = context.alarms(Object.values(SECURE_TOPIC_ALARMS), props.alarms, 'SecureTopicAlarmsProps');
    this.complianceProfile = context.profile;
    // The topic always uses a customer-managed key: AWS services (CloudWatch alarms, EventBridge,
    // S3) can publish to a topic only when its key policy lets them, and the policy of the AWS
    // managed key alias/aws/sns cannot be changed. The stack key costs nothing extra: Monitoring
    // already creates it for the alarm topic.
    this.key = props.key ?? context.stackKey();
    this.deadLetterKey = context.key(props.key);

    // Topic.
    this.topic = new sns.Topic(this, 'Topic', {
      masterKey: this.key,
      enforceSSL: true,
      fifo: props.fifo || undefined,
      contentBasedDeduplication: props.contentBasedDeduplication,
      displayName: props.displayName,
    });

    // Alarms and dashboard (the dead-letter queue alarms come with the subscriptions).
    const where = shortPath(this);
    const metrics = topicMetrics(this.topic);
    this.alarmSet.add(SECURE_TOPIC_ALARMS.notificationsFailed, metrics.notificationsFailed, { where });
    this.alarmSet.add(SECURE_TOPIC_ALARMS.notificationsFailedToRedriveToDlq, metrics.notificationsFailedToRedriveToDlq, { where });
    const { widgets, failures } = topicWidgets(this.topic);
    this.failuresWidget = failures;
    context.addSection('Topic', ...widgets);

    // Subscriptions are added later.
    this.node.addValidation({ validate: () => this.warnWithoutSubscriptions() });
  }

  /** Every subscription made with `subscribeQueue()` and `subscribeFunction()`. */
  public get subscriptions(): TopicSubscription[] {
    return [...this.subscriptionList];
  }

  /** The alarms this construct created so far (the dead-letter queue alarms come with subscriptions). */
  public get alarms(): cloudwatch.IAlarm[] {
    return this.alarmSet.alarms;
  }

  /**
   * Delivers the topic's messages to an SQS queue, such as a QueueWorker's `queue`. The queue's
   * policy gets a statement that lets only this topic send; a customer-managed key of a queue
   * created in this app gets the key policy statement SNS needs. The subscription gets a
   * dead-letter queue and an alarm on it.
   *
   * @param id an id for this subscription, unique on this topic (it names its dead-letter queue's construct)
   * @param queue the subscriber: standard or FIFO for a FIFO topic, standard for a standard topic
   * @param options filter policy, raw delivery, a dead-letter queue of your own
   */
  public subscribeQueue(id: string, queue: sqs.IQueue, options: QueueSubscriptionOptions = {}): TopicSubscription {
    options = options ?? {};
    validateSubscription(this, this.subscriptionContext(), id, 'queue', queue, options);
    validateQueueSubscriber(this, this.topic.fifo, id, queue, options.rawMessageDelivery);
    const group = this.subscriptionGroup(id);
    const deadLetterQueue = this.deadLetterQueueFor(group, options);
    const queuePolicy = ensurePolicy(queue, snsSendStatement(queue, this.topic), () => warn(group, WARNINGS.topicQueue, queue.node.path));
    if (queuePolicy.statementAdded) {
      this.allowSnsToUseQueueKey(group, queue);
    }
    const subscription = this.topic.addSubscription(new QueueSubscriber(queue, queuePolicy.policyDependable, {
      filterPolicy: options.filterPolicy,
      filterPolicyWithMessageBody: options.filterPolicyWithMessageBody,
      rawMessageDelivery: options.rawMessageDelivery,
      deadLetterQueue,
    }));
    return this.register(id, queue, SubscriberKind.QUEUE, group, subscription, deadLetterQueue);
  }

  /**
   * Delivers the topic's messages to a Lambda function (standard topics only: FIFO topics deliver
   * only to SQS). The function's resource policy lets only this topic invoke it. The
   * subscription's dead-letter queue keeps notifications SNS could not deliver; failures inside
   * the function go to the function's own asynchronous retries and dead-letter queue.
   *
   * @param id an id for this subscription, unique on this topic (it names its dead-letter queue's construct)
   * @param fn the subscriber, such as a SecureFunction's `lambdaFunction`
   * @param options filter policy, a dead-letter queue of your own
   */
  public subscribeFunction(id: string, fn: lambda.IFunction, options: TopicSubscriptionOptions = {}): TopicSubscription {
    options = options ?? {};
    validateSubscription(this, this.subscriptionContext(), id, 'function', fn, options);
    validateFunctionSubscriber(this, this.topic.fifo, id);
    const group = this.subscriptionGroup(id);
    const deadLetterQueue = this.deadLetterQueueFor(group, options);
    const subscription = this.topic.addSubscription(new UniqueSubscription(new subscriptions.LambdaSubscription(fn, {
      filterPolicy: options.filterPolicy,
      filterPolicyWithMessageBody: options.filterPolicyWithMessageBody,
      deadLetterQueue,
    })));
    return this.register(id, fn, SubscriberKind.FUNCTION, group, subscription, deadLetterQueue);
  }

  /**
   * Lets `grantee` publish to the topic: `sns:Publish` on the topic and `kms:GenerateDataKey` and
   * `kms:Decrypt` on its key, only through SNS and only for this topic (`kms:ViaService`, encryption
   * context `aws:sns:topicArn`): the stack key also encrypts other resources. A grantee without an
   * identity policy (a service principal, another account) is admitted by the topic policy and by a
   * key policy statement limited to SNS (not to this topic: that would make a dependency cycle). A
   * service principal's statements hold only for the account it acts for (`aws:SourceAccount`) and,
   * with `options.sourceArn`, for one resource (`aws:SourceArn`). Principals meaning everyone
   * (`iam.AnyPrincipal`, `iam.StarPrincipal`) are refused.
   *
   * @param grantee the principal to grant to
   * @param options for a service principal: the resource and account it publishes for
   */
  public grantPublish(grantee: iam.IGrantable, options: ServiceGrantOptions = {}): iam.Grant {
    const scoped = scopedGrantee(this, 'grantPublish()', grantee, options);
    const grant = iam.Grant.addToPrincipalOrResource({
      grantee: scoped,
      actions: ['sns:Publish'],
      resourceArns: [this.topic.topicArn],
      resource: this.topic,
    });
    const viaSns = { 'kms:ViaService': `sns.${Stack.of(this).region}.amazonaws.com` };
    const keyGrant = iam.Grant.addToPrincipal({
      grantee: scoped,
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resourceArns: [this.key.keyArn],
      conditions: { StringEquals: { ...viaSns, 'kms:EncryptionContext:aws:sns:topicArn': this.topic.topicArn } },
    });
    if (!keyGrant.success) {
      // A service principal or another account has no identity policy here: the key policy must admit
      // it. Without the topic's ARN, which would make a cycle (the topic is encrypted with this key);
      // a service principal keeps its source conditions (AWS documents aws:SourceArn in key policies
      // of encrypted topics that services publish to).
      ensurePolicy(this.key, new iam.PolicyStatement({
        principals: [scoped.grantPrincipal],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: viaSns },
      }), () => warn(this, WARNINGS.topicPublisherKeyPolicy, this.key.node.path, `${grantee.grantPrincipal}`));
    }
    return grant;
  }


  /** Messages published (`NumberOfMessagesPublished`, sum over 5 minutes unless changed). */
  public metricNumberOfMessagesPublished(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.topic.metricNumberOfMessagesPublished({ statistic: cloudwatch.Stats.SUM, ...props });
  }

  /** Notifications delivered (`NumberOfNotificationsDelivered`, sum over 5 minutes unless changed). */
  public metricNumberOfNotificationsDelivered(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.topic.metricNumberOfNotificationsDelivered({ statistic: cloudwatch.Stats.SUM, ...props });
  }

  /** Notifications SNS gave up delivering (`NumberOfNotificationsFailed`, sum over 5 minutes unless changed). */
  public metricNumberOfNotificationsFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.topic.metricNumberOfNotificationsFailed({ statistic: cloudwatch.Stats.SUM, ...props });
  }

  /** Notifications that no subscription's filter policy matched (`NumberOfNotificationsFilteredOut`, sum over 5 minutes unless changed). */
  public metricNumberOfNotificationsFilteredOut(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.topic.metricNumberOfNotificationsFilteredOut({ statistic: cloudwatch.Stats.SUM, ...props });
  }

  /** Notifications moved to a dead-letter queue (`NumberOfNotificationsRedrivenToDlq`, sum over 5 minutes unless changed). */
  public metricNumberOfNotificationsRedrivenToDlq(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.topic.metric(REDRIVEN_TO_DLQ, { statistic: cloudwatch.Stats.SUM, ...props });
  }

  /** Notifications lost because SNS could not move them to a dead-letter queue (`NumberOfNotificationsFailedToRedriveToDlq`, sum over 5 minutes unless changed). */
  public metricNumberOfNotificationsFailedToRedriveToDlq(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.topic.metric(FAILED_TO_REDRIVE_TO_DLQ, { statistic: cloudwatch.Stats.SUM, ...props });
  }

  /** What a new subscription is checked against. */
  private subscriptionContext() {
    return { fifo: this.topic.fifo, ids: new Set(this.subscriptionList.map((s) => s.subscriptionId)), subscribers: this.subscribers };
  }

  /** The construct that holds a subscription's own resources: `Subscriptions/<id>`. */
  private subscriptionGroup(id: string): Construct {
    const groups = (this.node.tryFindChild('Subscriptions') as Construct | undefined) ?? new Construct(this, 'Subscriptions');
    return new Construct(groups, id);
  }

  /** The given dead-letter queue (its policies completed where possible) or a new one. */
  private deadLetterQueueFor(group: Construct, options: TopicSubscriptionOptions): sqs.IQueue {
    const given = options.deadLetterQueue;
    if (given) {
      // The subscription adds the same statement (once in the template); this one says whether it can be added.
      const { statementAdded } = ensurePolicy(given, snsSendStatement(given, this.topic),
        () => warn(group, WARNINGS.topicDeadLetterQueue, given.node.path));
      if (statementAdded && given.encryptionMasterKey) {
        allowKeyUser(group, given.encryptionMasterKey, KeyUser.SNS);
      }
      return given;
    }
    if (this.deadLetterKey) {
      // The key is the topic's (its key prop, or the stack key): a warning that its policy cannot
      // be changed belongs to the topic, not to the first subscription that needs it.
      allowKeyUser(this, this.deadLetterKey, KeyUser.SNS);
    }
    return createDeadLetterQueue(group, 'DeadLetterQueue', { writers: [DeadLetterWriter.SNS], key: this.deadLetterKey, fifo: this.topic.fifo });
  }

  /**
   * Lets SNS use the subscriber queue's customer-managed key (SNS encrypts what it delivers), or
   * warns when that cannot be done here. The statement is scoped to this topic, except when the
   * key also encrypts the topic: the topic's ARN in its own key's policy would make a dependency
   * cycle (topic -> key -> topic), so that key gets AWS's documented statement without a
   * condition; the queue policy still admits only this topic.
   */
  private allowSnsToUseQueueKey(group: Construct, queue: sqs.IQueue): void {
    const key = queue.encryptionMasterKey;
    if (!key) {
      return;
    }
    if (sameKey(key, this.key)) {
      allowKeyUser(group, key, KeyUser.SNS);
      return;
    }
    ensurePolicy(key, new iam.PolicyStatement({
      sid: `AllowSnsTopic${Names.nodeUniqueId(this.node).slice(-40)}`,
      principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { ArnEquals: { 'aws:SourceArn': this.topic.topicArn } },
    }), () => warn(group, WARNINGS.topicSubscriberKeyPolicy, key.node.path, queue.node.path));
  }

  private register(id: string, subscriber: IConstruct, kind: SubscriberKind, group: Construct, subscription: sns.Subscription,
    deadLetterQueue: sqs.IQueue): TopicSubscription {
    // The dead-letter queue's policy exists before the subscription that sends to it.
    const policy = deadLetterQueue.node.tryFindChild('Policy');
    if (policy instanceof sqs.QueuePolicy) {
      subscription.node.addDependency(policy);
    }
    let alarm: cloudwatch.IAlarm | undefined;
    if (!this.alarmedDeadLetterQueues.has(deadLetterQueue)) {
      alarm = this.alarmSet.add(SECURE_TOPIC_ALARMS.deadLetterQueueMessages, deadLetterDepth(deadLetterQueue),
        { scope: group, where: shortPath(this, 120), extra: { subscriptionId: id, kind } });
      this.alarmedDeadLetterQueues.set(deadLetterQueue, alarm);
      this.failuresWidget.addRightMetric(deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        statistic: cloudwatch.Stats.MAXIMUM,
        label: `DLQ ${id}`,
      }));
    }
    this.subscribers.set(subscriber, id);
    const result: TopicSubscription = { subscriptionId: id, subscription, deadLetterQueue, deadLetterQueueAlarm: alarm };
    this.subscriptionList.push(result);
    return result;
  }

  private warnWithoutSubscriptions(): string[] {
    if (this.subscriptionList.length === 0) {
      warn(this, WARNINGS.noSubscriptions);
    }
    return [];
  }
}
