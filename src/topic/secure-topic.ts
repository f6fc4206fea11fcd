import { Annotations, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { SecureTopicAlarmsProps } from './topic-alarms';
import { checkDeadLetterQueueAlarmOptions, createDeadLetterQueueAlarm, createTopicAlarms, FAILED_TO_REDRIVE_TO_DLQ, REDRIVEN_TO_DLQ, SubscriberKind, topicWidgets } from './topic-monitoring';
import { ComplianceProfile, CompliancePolicy } from '../core/compliance-profile';
import { BulwarkError } from '../core/errors';
import { MonitoredConstructProps } from '../monitoring/monitored-props';
import { IMonitoring, Monitoring } from '../monitoring/monitoring';
import { acknowledge, KNOWN_FINDINGS } from '../private/acknowledgements';
import { SNS_LIMITS } from '../private/defaults/sns';
import { SQS_DEFAULTS } from '../private/defaults/sqs';
import { allowKeyUser, KeyUser, stackKey } from '../private/stack-key';
import { shortPath } from '../private/validation';

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

  private readonly monitoring: IMonitoring;
  private readonly alarmsProps?: SecureTopicAlarmsProps;
  /** The key of created dead-letter queues; none means SQS-managed encryption. */
  private readonly deadLetterKey?: kms.IKey;
  private readonly failuresWidget: cloudwatch.GraphWidget;
  private readonly registeredAlarms: cloudwatch.IAlarm[] = [];
  private readonly subscriptionList: TopicSubscription[] = [];
  /** Subscribers by endpoint, to refuse the same queue or function twice. */
  private readonly subscribers = new Map<IConstruct, string>();
  /** Dead-letter queues that already have an alarm and a dashboard line. */
  private readonly alarmedDeadLetterQueues = new Map<sqs.IQueue, cloudwatch.IAlarm | undefined>();

  constructor(scope: Construct, id: string, props: SecureTopicProps = {}) {
    super(scope, id);
    this.validateProps(props);

    // Defaults.
    this.complianceProfile = CompliancePolicy.resolve(this, props.complianceProfile);
    const regulated = this.complianceProfile === ComplianceProfile.REGULATED;
    this.monitoring = props.monitoring ?? Monitoring.of(this);
    this.alarmsProps = props.alarms;
    // The topic always uses a customer-managed key: AWS services (CloudWatch alarms, EventBridge,
    // S3) can publish to a topic only when its key policy lets them, and the policy of the AWS
    // managed key alias/aws/sns cannot be changed. The stack key costs nothing extra: Monitoring
    // already creates it for the alarm topic.
    this.key = props.key ?? stackKey(this);
    this.deadLetterKey = props.key ?? (regulated ? this.key : undefined);

    // Topic.
    this.topic = new sns.Topic(this, 'Topic', {
      masterKey: this.key,
      enforceSSL: true,
      fifo: props.fifo || undefined,
      contentBasedDeduplication: props.contentBasedDeduplication,
      displayName: props.displayName,
    });

    // Alarms and dashboard (the dead-letter queue alarms come with the subscriptions).
    checkDeadLetterQueueAlarmOptions(this, props.alarms);
    this.registeredAlarms.push(...createTopicAlarms(this, this.topic, this.monitoring, props.alarms));
    const { widgets, failures } = topicWidgets(this.topic);
    this.failuresWidget = failures;
    this.monitoring.addSection(`Topic ${shortPath(this)}`, ...widgets);

    // Subscriptions are added later.
    this.node.addValidation({ validate: () => this.warnWithoutSubscriptions() });
  }

  /** Every subscription made with `subscribeQueue()` and `subscribeFunction()`. */
  public get subscriptions(): TopicSubscription[] {
    return [...this.subscriptionList];
  }

  /** The alarms this construct created so far (the dead-letter queue alarms come with subscriptions). */
  public get alarms(): cloudwatch.IAlarm[] {
    return [...this.registeredAlarms];
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
    this.validateSubscription(id, 'queue', queue, options);
    this.validateQueueSubscriber(id, queue);
    if (options.rawMessageDelivery !== undefined && typeof options.rawMessageDelivery !== 'boolean') {
      throw BulwarkError.invalid(this, `rawMessageDelivery of subscription '${id}'`, options.rawMessageDelivery, 'it must be true or false');
    }
    const group = this.subscriptionGroup(id);
    const deadLetterQueue = this.deadLetterQueueFor(group, options);
    this.allowSnsToUseQueueKey(group, queue);
    const subscription = this.topic.addSubscription(new QueueSubscriber(queue, {
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
    this.validateSubscription(id, 'function', fn, options);
    if (this.topic.fifo) {
      throw new BulwarkError(this, `subscribeFunction('${id}'): FIFO topics deliver only to SQS queues; subscribe a FIFO queue `
        + 'with subscribeQueue() and let it trigger the function (a FIFO QueueWorker does both)');
    }
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
   * key policy statement limited to SNS (not to this topic: that would make a dependency cycle).
   *
   * @param grantee the principal to grant to
   */
  public grantPublish(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipalOrResource({
      grantee,
      actions: ['sns:Publish'],
      resourceArns: [this.topic.topicArn],
      resource: this.topic,
    });
    const viaSns = { 'kms:ViaService': `sns.${Stack.of(this).region}.amazonaws.com` };
    const keyGrant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resourceArns: [this.key.keyArn],
      conditions: { StringEquals: { ...viaSns, 'kms:EncryptionContext:aws:sns:topicArn': this.topic.topicArn } },
    });
    if (!keyGrant.success) {
      // A service principal or another account has no identity policy here: the key policy must admit
      // it. Without the topic's ARN, which would make a cycle (the topic is encrypted with this key).
      const { statementAdded } = this.key.addToResourcePolicy(new iam.PolicyStatement({
        principals: [grantee.grantPrincipal],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: viaSns },
      }), /* allowNoOp */ true);
      if (!statementAdded) {
        Annotations.of(this).addWarningV2('cdk-bulwark:topic:publisher-key-policy',
          `grantPublish(): the key ${this.key.node.path} was not created in this app; its policy must let ${grantee.grantPrincipal} `
          + 'use kms:GenerateDataKey and kms:Decrypt through SNS, or its messages are rejected.');
      }
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

  private validateProps(props: SecureTopicProps): void {
    if (props.fifo !== undefined && typeof props.fifo !== 'boolean') {
      throw BulwarkError.invalid(this, 'fifo', props.fifo, 'it must be true or false');
    }
    if (props.contentBasedDeduplication !== undefined && !props.fifo) {
      throw BulwarkError.invalid(this, 'contentBasedDeduplication', props.contentBasedDeduplication,
        'it applies only to FIFO topics; set fifo: true or leave it unset');
    }
    if (props.displayName !== undefined && !Token.isUnresolved(props.displayName)
      && (typeof props.displayName !== 'string' || props.displayName.length > SNS_LIMITS.maxDisplayName)) {
      const shown = typeof props.displayName === 'string' ? `${props.displayName.slice(0, 40)}...` : props.displayName;
      throw BulwarkError.invalid(this, 'displayName', shown,
        `it must be a string of at most ${SNS_LIMITS.maxDisplayName} characters${typeof props.displayName === 'string' ? ` (it has ${props.displayName.length})` : ''}`);
    }
  }

  /** Checks what every subscription takes: the id, the subscriber, the filter policies and the dead-letter queue. */
  private validateSubscription(id: string, kind: string, subscriber: IConstruct | undefined, options: TopicSubscriptionOptions): void {
    if (typeof id !== 'string' || id.trim() === '') {
      throw BulwarkError.invalid(this, 'subscription id', id, 'give each subscription a non-empty id');
    }
    if (this.subscriptionList.some((s) => s.subscriptionId === id)) {
      throw BulwarkError.invalid(this, 'subscription id', id, 'it is already used on this topic; give each subscription its own id');
    }
    if (subscriber === undefined || subscriber === null) {
      throw BulwarkError.invalid(this, `${kind} of subscription '${id}'`, subscriber, `it is required: the ${kind} to deliver to`);
    }
    if (!Construct.isConstruct(subscriber)) {
      throw BulwarkError.invalid(this, `${kind} of subscription '${id}'`, subscriber, `it must be a ${kind} construct, not a plain object`);
    }
    const earlier = this.subscribers.get(subscriber);
    if (earlier !== undefined) {
      throw BulwarkError.invalid(this, `${kind} of subscription '${id}'`, subscriber.node.path,
        `it is already subscribed as '${earlier}'; SNS would deliver every message to it twice (combine the filter policies instead)`);
    }
    if (options.filterPolicy !== undefined && options.filterPolicyWithMessageBody !== undefined) {
      throw new BulwarkError(this, `filterPolicy and filterPolicyWithMessageBody of subscription '${id}' cannot be set together; `
        + 'a subscription filters either on message attributes or on the message body');
    }
    if (options.filterPolicy !== undefined) {
      this.validateFilterPolicy(`filterPolicy of subscription '${id}'`, options.filterPolicy, false);
    }
    if (options.filterPolicyWithMessageBody !== undefined) {
      this.validateFilterPolicy(`filterPolicyWithMessageBody of subscription '${id}'`, options.filterPolicyWithMessageBody, true);
    }
    const dlq = options.deadLetterQueue;
    if (dlq !== undefined) {
      const prop = `deadLetterQueue of subscription '${id}'`;
      const given: unknown = dlq;
      if (!Construct.isConstruct(given) || typeof (given as Partial<sqs.IQueue>).queueArn !== 'string') {
        throw BulwarkError.invalid(this, prop, Construct.isConstruct(given) ? given.node.path : given,
          'it must be an SQS queue (sqs.IQueue), or left unset to have one created');
      }
      if (dlq.fifo !== this.topic.fifo) {
        throw BulwarkError.invalid(this, prop, dlq.node.path, `it is ${dlq.fifo ? 'a FIFO' : 'a standard'} queue but the topic is `
          + `${this.topic.fifo ? 'FIFO' : 'standard'}; SNS needs ${this.topic.fifo ? 'FIFO' : 'standard'} dead-letter queues for the subscriptions of a `
          + `${this.topic.fifo ? 'FIFO' : 'standard'} topic`);
      }
      if (dlq.encryptionType === sqs.QueueEncryption.KMS_MANAGED) {
        throw BulwarkError.invalid(this, prop, dlq.node.path, 'it is encrypted with the AWS managed key alias/aws/sqs, whose key policy cannot let SNS use it; '
          + 'use SQS-managed encryption or a customer-managed key');
      }
      if (dlq === subscriber) {
        throw BulwarkError.invalid(this, prop, dlq.node.path, 'it is the subscriber itself; give a separate queue (or leave it unset to have one created)');
      }
    }
  }

  private validateQueueSubscriber(id: string, queue: sqs.IQueue): void {
    const prop = `queue of subscription '${id}'`;
    if (queue.fifo && !this.topic.fifo) {
      throw BulwarkError.invalid(this, prop, queue.node.path,
        'it is a FIFO queue, and standard topics cannot deliver to FIFO queues; make the topic FIFO (fifo: true) or subscribe a standard queue');
    }
    if (queue.encryptionType === sqs.QueueEncryption.KMS_MANAGED) {
      throw BulwarkError.invalid(this, prop, queue.node.path, 'it is encrypted with the AWS managed key alias/aws/sqs, whose key policy cannot let SNS use it; '
        + 'use SQS-managed encryption or a customer-managed key');
    }
  }

  /**
   * SNS accepts at most 5 keys and at most 150 combinations of values (the product of the number of
   * values of every key) per filter policy; a key with no values matches nothing.
   */
  private validateFilterPolicy(prop: string, policy: unknown, body: boolean): void {
    const keys = isPlainObject(policy) ? Object.keys(policy) : [];
    if (!isPlainObject(policy) || keys.length === 0) {
      throw BulwarkError.invalid(this, prop, policy, 'give at least one key, or leave it unset to deliver every message');
    }
    if (keys.length > SNS_LIMITS.maxFilterPolicyKeys) {
      throw BulwarkError.invalid(this, prop, keys, `SNS allows at most ${SNS_LIMITS.maxFilterPolicyKeys} keys per filter policy`);
    }
    const combinations = body ? bodyCombinations(this, prop, policy) : attributeCombinations(this, prop, policy);
    if (combinations > SNS_LIMITS.maxFilterPolicyCombinations) {
      throw BulwarkError.invalid(this, prop, keys, `its values make ${combinations} combinations (the product of the number of values of every key); `
        + `SNS allows at most ${SNS_LIMITS.maxFilterPolicyCombinations}`);
    }
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
      if (!(given instanceof sqs.Queue)) {
        Annotations.of(group).addWarningV2('cdk-bulwark:topic:external-dead-letter-queue',
          `The dead-letter queue ${given.node.path} was not created in this app, so its policies cannot be changed here. Its queue policy must let `
          + 'sns.amazonaws.com call sqs:SendMessage with aws:SourceArn equal to this topic\'s ARN and, if it is encrypted with a customer-managed key, '
          + 'that key\'s policy must let sns.amazonaws.com call kms:GenerateDataKey and kms:Decrypt; otherwise undeliverable notifications are lost. '
          + 'Acknowledge this warning once they do.');
      } else if (given.encryptionMasterKey) {
        allowKeyUser(group, given.encryptionMasterKey, KeyUser.SNS);
      }
      return given;
    }
    if (this.deadLetterKey) {
      allowKeyUser(this, this.deadLetterKey, KeyUser.SNS);
    }
    const queue = new sqs.Queue(group, 'DeadLetterQueue', {
      ...(this.deadLetterKey
        ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: this.deadLetterKey }
        : { encryption: sqs.QueueEncryption.SQS_MANAGED }),
      fifo: this.topic.fifo || undefined,
      retentionPeriod: SQS_DEFAULTS.deadLetterRetention,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(queue.node.defaultChild as sqs.CfnQueue, KNOWN_FINDINGS.serviceDeadLetterQueue);
    return queue;
  }

  /**
   * Lets SNS use the subscriber queue's customer-managed key (SNS encrypts what it delivers), or
   * warns when that cannot be done here. The statement is scoped to this topic, except when the
   * key also encrypts the topic: the topic's ARN in its own key's policy would make a dependency
   * cycle (topic -> key -> topic), so that key gets AWS's documented statement without a
   * condition; the queue policy still admits only this topic.
   */
  private allowSnsToUseQueueKey(group: Construct, queue: sqs.IQueue): void {
    if (!(queue instanceof sqs.Queue)) {
      Annotations.of(group).addWarningV2('cdk-bulwark:topic:external-queue',
        `The queue ${queue.node.path} was not created in this app, so its policies cannot be changed here. Its queue policy must let `
        + 'sns.amazonaws.com call sqs:SendMessage with aws:SourceArn equal to this topic\'s ARN and, if it is encrypted with a customer-managed key, '
        + 'that key\'s policy must let sns.amazonaws.com call kms:GenerateDataKey and kms:Decrypt; otherwise every notification fails and goes to '
        + 'the dead-letter queue. Acknowledge this warning once they do.');
      return;
    }
    const key = queue.encryptionMasterKey;
    if (!key) {
      return;
    }
    if (sameKey(key, this.key)) {
      allowKeyUser(group, key, KeyUser.SNS);
      return;
    }
    const { statementAdded } = key.addToResourcePolicy(new iam.PolicyStatement({
      sid: `AllowSnsTopic${Names.nodeUniqueId(this.node).slice(-40)}`,
      principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { ArnEquals: { 'aws:SourceArn': this.topic.topicArn } },
    }), /* allowNoOp */ true);
    if (!statementAdded) {
      Annotations.of(group).addWarningV2('cdk-bulwark:topic:subscriber-key-policy',
        `The key ${key.node.path} of the queue ${queue.node.path} was not created in this app, so its key policy cannot be changed here. It must let `
        + 'sns.amazonaws.com call kms:GenerateDataKey and kms:Decrypt (condition aws:SourceArn equal to this topic\'s ARN); otherwise every notification '
        + 'fails and goes to the dead-letter queue. Acknowledge this warning once it does.');
    }
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
      alarm = createDeadLetterQueueAlarm(group, this, id, kind, deadLetterQueue, this.monitoring, this.alarmsProps);
      if (alarm) {
        this.registeredAlarms.push(alarm);
      }
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
      Annotations.of(this).addWarningV2('cdk-bulwark:topic:no-subscriptions',
        'Nothing subscribes to this topic, so SNS accepts every published message and drops it. Call subscribeQueue() or subscribeFunction(); '
        + 'acknowledge this warning if the subscribers are added outside this app.');
    }
    return [];
  }
}

/**
 * Subscribes an SQS queue like CDK's `SqsSubscription` (queue policy statement for this topic only,
 * the subscription next to the queue, a stack dependency across stacks) but leaves the key policy
 * to `SecureTopic`, which avoids the dependency cycle CDK's statement makes when the queue and the
 * topic share a key.
 */
class QueueSubscriber implements sns.ITopicSubscription {
  constructor(private readonly queue: sqs.IQueue, private readonly props: QueueSubscriptionOptions) {}

  public bind(topic: sns.ITopic): sns.TopicSubscriptionConfig {
    const { policyDependable } = this.queue.addToResourcePolicy(new iam.PolicyStatement({
      resources: [this.queue.queueArn],
      actions: ['sqs:SendMessage'],
      principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
      conditions: { ArnEquals: { 'aws:SourceArn': topic.topicArn } },
    }));
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
      subscriptionDependency: policyDependable,
    };
  }
}

/**
 * Wraps a CDK subscription so that its construct id under the subscriber is the topic's unique id:
 * CDK's Lambda subscription uses the topic's own id, which is `Topic` for every SecureTopic, so one
 * function could not subscribe to two of them.
 */
class UniqueSubscription implements sns.ITopicSubscription {
  constructor(private readonly inner: sns.ITopicSubscription) {}

  public bind(topic: sns.ITopic): sns.TopicSubscriptionConfig {
    return { ...this.inner.bind(topic), subscriberId: Names.nodeUniqueId(topic.node) };
  }
}

/** Whether two keys are the same key (the same object, or references to the same ARN). */
function sameKey(a: kms.IKey, b: kms.IKey): boolean {
  if (a === b) {
    return true;
  }
  const stack = Stack.of(b);
  return JSON.stringify(stack.resolve(a.keyArn)) === JSON.stringify(stack.resolve(b.keyArn));
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
  return conditions.length;
}
