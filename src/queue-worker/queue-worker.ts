import { Annotations, Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QueueWorkerAlarmsProps } from './queue-worker-alarms';
import { oldestMessageAge, QUEUE_WORKER_ALARMS } from './queue-worker-monitoring';
import { checkMessageLifetime, checkQueueWorkerKeys, deriveQueueWorkerSettings, messageLifetime, validateQueueWorkerProps } from './queue-worker-validation';
import { ComplianceProfile } from '../core/compliance-profile';
import { BulwarkError } from '../core/errors';
import { ServiceGrantOptions } from '../core/service-grant-options';
import { addHandlerAlarms, checkHandlerChoice, HandlerChoice, refuseHandlerAlarms, resolveHandler } from '../function/handler';
import { SecureFunction, SecureFunctionProps } from '../function/secure-function';
import { functionWidgets } from '../function/secure-function-monitoring';
import { constructContext } from '../monitoring/construct-context';
import { MonitoredConstructProps } from '../monitoring/monitored-props';
import { acknowledge, KNOWN_FINDINGS } from '../private/acknowledgements';
import { AlarmSet } from '../private/alarm-set';
import { createDeadLetterQueue, deadLetterDepth, DeadLetterWriter } from '../private/dead-letter-queue';
import { SQS_DEFAULTS } from '../private/defaults/sqs';
import { scopedGrantee } from '../private/service-grants';
import { grantScopedKeyUse, KEY_USE_ACTIONS, KeyVia } from '../private/stack-key';
import { shortPath } from '../private/validation';
import { ensurePolicy, warn, WARNINGS } from '../private/warnings';

/**
 * Properties of `QueueWorker`. Give exactly one of `handler` and `handlerProps`.
 */
export interface QueueWorkerProps extends MonitoredConstructProps {
  /**
   * Props of the `SecureFunction` the worker creates to consume the queue.
   *
   * @default - none: `handler` must be given
   */
  readonly handlerProps?: SecureFunctionProps;

  /**
   * A function of your own to consume the queue. It must return partial batch responses
   * (`batchItemFailures`), since `reportBatchItemFailures` is on.
   *
   * @default - a `SecureFunction` created from `handlerProps`
   */
  readonly handler?: lambda.IFunction;

  /**
   * Whether the queue (and its dead-letter queue) is FIFO. FIFO consumers take batches of at most
   * 10 and no batching window.
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
   * How long a received message stays hidden from other consumers. Lambda's SQS integration needs
   * at least 6 x the handler's timeout + `maxBatchingWindow`; a smaller value is an error.
   *
   * @default - 6 x the handler timeout + maxBatchingWindow
   */
  readonly visibilityTimeout?: Duration;

  /**
   * How long the queue keeps a message (60 seconds to 14 days).
   *
   * @default Duration.days(4)
   */
  readonly retentionPeriod?: Duration;

  /**
   * How many times a message is received before it moves to the dead-letter queue (1 to 1000).
   * AWS advises at least 5 for Lambda consumers, so that throttling does not dead-letter messages.
   *
   * @default 5
   */
  readonly maxReceiveCount?: number;

  /**
   * A queue of your own to consume. Its dead-letter queue is yours to configure: when it is a
   * `sqs.Queue` from this app without one, that is an error.
   *
   * @default - a queue with a dead-letter queue, TLS-only, encrypted
   */
  readonly queue?: sqs.IQueue;

  /**
   * A dead-letter queue of your own for the created queue (standard or FIFO like the queue).
   *
   * @default - a queue with 14-day retention, TLS-only, encrypted like the queue, retained on deletion
   */
  readonly deadLetterQueue?: sqs.IQueue;

  /**
   * The customer-managed key of the created queues.
   *
   * @default - SQS-managed encryption (SSE-SQS) in STANDARD; the stack key in REGULATED
   */
  readonly key?: kms.IKey;

  /**
   * Messages per handler invocation: 1 to 10,000 for standard queues (above 10 needs
   * `maxBatchingWindow`), 1 to 10 for FIFO.
   *
   * @default 10
   */
  readonly batchSize?: number;

  /**
   * How long Lambda gathers messages before invoking (up to 5 minutes). Not for FIFO queues.
   *
   * @default - none: invoke as soon as messages arrive
   */
  readonly maxBatchingWindow?: Duration;

  /**
   * The most concurrent handler invocations this queue drives (2 to 1000). Must not exceed the
   * handler's reserved concurrency: event source mappings ignore reservations, and throttled batches
   * count towards `maxReceiveCount`.
   *
   * @default - the handler's reserved concurrency when it has one (REGULATED: 10), else no limit
   */
  readonly maxConcurrency?: number;

  /**
   * Alarm thresholds, or `enabled: false` to skip an alarm.
   *
   * @default - all four alarms with their documented defaults
   */
  readonly alarms?: QueueWorkerAlarmsProps;
}

/**
 * An SQS queue consumed by a Lambda function, with a dead-letter queue, partial batch responses,
 * a validated visibility timeout, least-privilege IAM, alarms and a dashboard section.
 *
 * @example
 * const worker = new QueueWorker(this, 'Orders', {
 *   handlerProps: {
 *     code: lambda.Code.fromInline('exports.handler = async () => ({ batchItemFailures: [] });'),
 *     handler: 'index.handler',
 *   },
 * });
 */
export class QueueWorker extends Construct {
  /** The queue the handler consumes. */
  public readonly queue: sqs.IQueue;

  /** The dead-letter queue, when known (always, unless you brought a queue whose DLQ is not visible here). */
  public readonly deadLetterQueue?: sqs.IQueue;

  /** The function consuming the queue. */
  public readonly handler: lambda.IFunction;

  /** The created SecureFunction, unless you brought `handler`. */
  public readonly secureFunction?: SecureFunction;

  /** The event source mapping between the queue and the handler. */
  public readonly eventSourceMapping: lambda.IEventSourceMapping;

  /** The alarms this construct created (including the created handler's). */
  public readonly alarms: cloudwatch.IAlarm[];

  /** The compliance profile in force. */
  public readonly complianceProfile: ComplianceProfile;

  constructor(scope: Construct, id: string, props: QueueWorkerProps) {
    super(scope, id);
    props = props ?? {};
    checkQueueWorkerKeys(this, props);
    const handlerChoice = checkHandlerChoice(this, props);
    validateQueueWorkerProps(this, props);
    const context = constructContext(this, props);
    const alarms = context.alarms(Object.values(QUEUE_WORKER_ALARMS), props.alarms, 'QueueWorkerAlarmsProps');
    refuseAlarmsThatCannotTakeEffect(alarms, props, handlerChoice);
    const settings = deriveQueueWorkerSettings(this, props, handlerChoice, context);
    checkMessageLifetime(this, messageLifetime(props, settings), alarms.options(QUEUE_WORKER_ALARMS.oldestMessageAge));
    this.complianceProfile = context.profile;

    // Queues.
    if (props.queue) {
      this.queue = props.queue;
      this.deadLetterQueue = props.queue instanceof sqs.Queue ? props.queue.deadLetterQueue?.queue : undefined;
      if (!this.deadLetterQueue) {
        warn(this, WARNINGS.unknownDeadLetterQueue, props.queue.node.path);
      }
    } else {
      const key = context.key(props.key);
      const encryption: sqs.QueueProps = key
        ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key }
        : { encryption: sqs.QueueEncryption.SQS_MANAGED };
      this.deadLetterQueue = props.deadLetterQueue
        ?? createDeadLetterQueue(this, 'DeadLetterQueue', { writers: [DeadLetterWriter.QUEUE_REDRIVE], key, fifo: settings.fifo });
      this.queue = new sqs.Queue(this, 'Queue', {
        ...encryption,
        fifo: settings.fifo || undefined,
        contentBasedDeduplication: props.contentBasedDeduplication,
        visibilityTimeout: props.visibilityTimeout ?? settings.visibilityTimeout,
        retentionPeriod: props.retentionPeriod ?? SQS_DEFAULTS.retention,
        deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? SQS_DEFAULTS.maxReceiveCount },
        enforceSSL: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
    }

    // Handler.
    const handler = resolveHandler(this, context, handlerChoice, {
      reservedConcurrentExecutions: settings.reservedConcurrency,
      alarms: { errors: props.alarms?.handlerErrors, throttles: props.alarms?.handlerThrottles },
    });
    this.handler = handler.fn;
    this.secureFunction = handler.secureFunction;

    // Event source: the mapping CDK's SqsEventSource makes (same construct id), with the consume grant
    // scoped on the queue's key (CDK's grants kms:Decrypt on the whole key).
    this.eventSourceMapping = consumeQueue(this.handler, this.queue, {
      batchSize: props.batchSize ?? SQS_DEFAULTS.batchSize,
      maxBatchingWindow: props.maxBatchingWindow,
      maxConcurrency: settings.maxConcurrency,
      reportBatchItemFailures: true,
    });

    // Alarms and dashboard. A SecureFunction handler (created or brought) has its own function alarms.
    const where = shortPath(this);
    if (this.deadLetterQueue) {
      alarms.add(QUEUE_WORKER_ALARMS.deadLetterQueueMessages, deadLetterDepth(this.deadLetterQueue), { where });
    }
    alarms.add(QUEUE_WORKER_ALARMS.oldestMessageAge, oldestMessageAge(this.queue), { where });
    addHandlerAlarms(alarms, handler, where);
    this.alarms = [...alarms.alarms, ...(this.secureFunction?.alarms ?? [])];
    context.addSection('QueueWorker', ...this.widgets(handler.monitoredElsewhere));

    // Acknowledgements.
    const cfnMapping = this.eventSourceMapping.node.defaultChild;
    if (cfnMapping instanceof lambda.CfnEventSourceMapping) {
      acknowledge(cfnMapping, KNOWN_FINDINGS.sqsEventSourceMappingDestination);
    }
  }

  /**
   * Lets `grantee` send messages to the queue and, when the queue has a customer-managed key,
   * encrypt with it through SQS for this queue only (`kms:ViaService`, encryption context
   * `aws:sqs:arn`). Exact actions only (`sqs.Queue.grantSendMessages` adds `kms:ReEncrypt*` and
   * `kms:GenerateDataKey*`, which sending does not need). A grantee without an identity policy (a
   * service principal, another account) is admitted by the queue policy and, for a key created in
   * this app, the key policy; a service principal's statements hold only for the account it acts for
   * (`aws:SourceAccount`) and, with `options.sourceArn`, for one resource (`aws:SourceArn`).
   * Principals meaning everyone (`iam.AnyPrincipal`, `iam.StarPrincipal`) are refused.
   *
   * @param grantee the principal to grant to
   * @param options for a service principal: the resource and account it sends for
   */
  public grantSendMessages(grantee: iam.IGrantable, options: ServiceGrantOptions = {}): iam.Grant {
    const scoped = scopedGrantee(this, 'grantSendMessages()', grantee, options);
    const grant = iam.Grant.addToPrincipalOrResource({
      grantee: scoped,
      actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
      resourceArns: [this.queue.queueArn],
      resource: this.queue,
    });
    const key = this.queue.encryptionMasterKey;
    if (key && !grantScopedKeyUse(scoped, key, KeyVia.SQS, this.queue.queueArn).success) {
      // A service principal or another account has no identity policy here: the key policy must admit
      // it. Without the queue's ARN, which would make a cycle (the queue is encrypted with this key).
      ensurePolicy(key, new iam.PolicyStatement({
        principals: [scoped.grantPrincipal],
        actions: [...KEY_USE_ACTIONS],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:ViaService': `sqs.${Stack.of(this).region}.amazonaws.com` } },
      }), () => warn(this, WARNINGS.queueSenderKeyPolicy, key.node.path, `${grantee.grantPrincipal}`));
    }
    return grant;
  }

  /**
   * Messages available for retrieval (`ApproximateNumberOfMessagesVisible`, maximum over 5 minutes unless changed).
   *
   * @param props options for the metric: period, statistic, label, ...
   */
  public metricApproximateNumberOfMessagesVisible(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.queue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /**
   * Age of the oldest message (`ApproximateAgeOfOldestMessage`, maximum over 5 minutes unless changed).
   *
   * @param props options for the metric: period, statistic, label, ...
   */
  public metricApproximateAgeOfOldestMessage(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.queue.metricApproximateAgeOfOldestMessage({ statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /**
   * Messages being processed (`ApproximateNumberOfMessagesNotVisible`, maximum over 5 minutes unless changed).
   *
   * @param props options for the metric: period, statistic, label, ...
   */
  public metricApproximateNumberOfMessagesNotVisible(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.queue.metricApproximateNumberOfMessagesNotVisible({ statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /**
   * Messages sent to the queue (`NumberOfMessagesSent`, sum over 5 minutes unless changed).
   *
   * @param props options for the metric: period, statistic, label, ...
   */
  public metricNumberOfMessagesSent(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.queue.metricNumberOfMessagesSent(props);
  }

  /**
   * Messages in the dead-letter queue (`ApproximateNumberOfMessagesVisible`, maximum over 5 minutes
   * unless changed). Throws when the dead-letter queue is not known (a brought queue from elsewhere).
   *
   * @param props options for the metric: period, statistic, label, ...
   */
  public metricDeadLetterQueueMessagesVisible(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    if (!this.deadLetterQueue) {
      throw new BulwarkError(this, 'metricDeadLetterQueueMessagesVisible() needs the dead-letter queue, which is not known for a queue brought from outside this app');
    }
    return this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /**
   * The handler's `Errors` metric (sum over 5 minutes unless changed).
   *
   * @param props options for the metric: period, statistic, label, ...
   */
  public metricHandlerErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.handler.metricErrors(props);
  }

  private widgets(handlerHasSection: boolean): cloudwatch.IWidget[] {
    const queueWidgets: cloudwatch.IWidget[] = [
      new cloudwatch.GraphWidget({
        title: 'Queue depth',
        left: [this.metricApproximateNumberOfMessagesVisible(), this.metricApproximateNumberOfMessagesNotVisible()],
        width: 8,
      }),
      new cloudwatch.GraphWidget({ title: 'Oldest message age (s)', left: [this.metricApproximateAgeOfOldestMessage()], width: 8 }),
    ];
    if (this.deadLetterQueue) {
      queueWidgets.push(new cloudwatch.GraphWidget({ title: 'Dead-letter queue', left: [this.metricDeadLetterQueueMessagesVisible()], width: 8 }));
    }
    // A SecureFunction handler (created or brought) has its own dashboard section.
    return handlerHasSection ? queueWidgets : [...queueWidgets, ...functionWidgets(this.handler)];
  }

}

/** The SQS actions a consumer needs: exactly what CDK's `grantConsumeMessages` gives. */
const CONSUME_ACTIONS = ['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueUrl', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];

/**
 * What CDK's `SqsEventSource` does (the mapping, under the same construct id, and the consume grant),
 * except that the handler may use the queue's key only through SQS and for this queue: CDK's grant
 * is `kms:Decrypt` on the whole key, which in REGULATED is the stack key of every queue, log group
 * and archive. Lambda polls with the function's role, so SQS decrypts on the role's behalf.
 */
function consumeQueue(handler: lambda.IFunction, queue: sqs.IQueue, options: lambda.EventSourceMappingOptions): lambda.EventSourceMapping {
  const mapping = handler.addEventSourceMapping(`SqsEventSource:${Names.nodeUniqueId(queue.node)}`, { ...options, eventSourceArn: queue.queueArn });
  if (!handler.role) {
    Annotations.of(handler).addWarningV2('@aws-cdk/aws-lambda-event-sources:sqsFunctionImportWithoutRole',
      `Function '${handler.node.path}' was imported without an IAM role so it was not granted access to consume messages from '${queue.node.path}'`);
    return mapping;
  }
  queue.grant(handler, ...CONSUME_ACTIONS);
  if (queue.encryptionMasterKey) {
    grantScopedKeyUse(handler, queue.encryptionMasterKey, KeyVia.SQS, queue.queueArn, ['kms:Decrypt']);
  }
  return mapping;
}

/**
 * Options for alarms the worker cannot make are errors, before anything is made: the handler
 * alarms of a SecureFunction's function (it has its own), the dead-letter queue alarm of a brought
 * queue whose dead-letter queue is not visible here.
 */
function refuseAlarmsThatCannotTakeEffect(alarms: AlarmSet, props: QueueWorkerProps, handler: HandlerChoice): void {
  refuseHandlerAlarms(alarms, handler);
  if (props.queue && !(props.queue instanceof sqs.Queue && props.queue.deadLetterQueue)) {
    alarms.refuse(QUEUE_WORKER_ALARMS.deadLetterQueueMessages, `the dead-letter queue of ${props.queue.node.path} is not known here `
      + '(the queue was not created in this app); alarm it where it is defined');
  }
}
