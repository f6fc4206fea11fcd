import { Duration, RemovalPolicy, Token, Annotations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as eventsources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { createQueueAlarms } from './queue-monitoring';
import { QueueWorkerAlarmsProps } from './queue-worker-alarms';
import { ComplianceProfile, CompliancePolicy } from '../core/compliance-profile';
import { BulwarkError } from '../core/errors';
import { createFunctionAlarms, functionWidgets } from '../function/function-monitoring';
import { SecureFunction, SecureFunctionProps } from '../function/secure-function';
import { MonitoredConstructProps } from '../monitoring/monitored-props';
import { Monitoring } from '../monitoring/monitoring';
import { acknowledge, KNOWN_FINDINGS } from '../private/acknowledgements';
import { LAMBDA_DEFAULTS } from '../private/defaults/lambda';
import { SQS_DEFAULTS, SQS_LIMITS } from '../private/defaults/sqs';
import { stackKey } from '../private/stack-key';
import { checkDuration, checkExclusive, checkInteger, secondsOf, shortPath } from '../private/validation';

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
    const derived = this.validateProps(props ?? {});

    // Defaults.
    this.complianceProfile = CompliancePolicy.resolve(this, props.complianceProfile);
    const regulated = this.complianceProfile === ComplianceProfile.REGULATED;
    const monitoring = props.monitoring ?? Monitoring.of(this);
    const fifo = props.fifo ?? props.queue?.fifo ?? false;

    // Queues.
    if (props.queue) {
      this.queue = props.queue;
      this.deadLetterQueue = props.queue instanceof sqs.Queue ? props.queue.deadLetterQueue?.queue : undefined;
      if (!this.deadLetterQueue) {
        Annotations.of(this).addWarningV2('cdk-bulwark:queue-worker:unknown-dead-letter-queue',
          `The queue ${props.queue.node.path} was not created in this app, so its dead-letter queue cannot be checked or alarmed. `
          + 'Make sure it has one (maxReceiveCount 5 or more), then acknowledge this warning.');
      }
    } else {
      const encryption: sqs.QueueProps = props.key || regulated
        ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: props.key ?? stackKey(this) }
        : { encryption: sqs.QueueEncryption.SQS_MANAGED };
      const deadLetterQueue = props.deadLetterQueue ?? new sqs.Queue(this, 'DeadLetterQueue', {
        ...encryption,
        fifo: fifo || undefined,
        retentionPeriod: SQS_DEFAULTS.deadLetterRetention,
        enforceSSL: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      if (!props.deadLetterQueue) {
        acknowledge(deadLetterQueue.node.defaultChild as sqs.CfnQueue, KNOWN_FINDINGS.deadLetterQueue);
      }
      this.deadLetterQueue = deadLetterQueue;
      this.queue = new sqs.Queue(this, 'Queue', {
        ...encryption,
        fifo: fifo || undefined,
        contentBasedDeduplication: props.contentBasedDeduplication,
        visibilityTimeout: props.visibilityTimeout ?? derived.visibilityTimeout,
        retentionPeriod: props.retentionPeriod ?? SQS_DEFAULTS.retention,
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? SQS_DEFAULTS.maxReceiveCount },
        enforceSSL: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
    }

    // Handler.
    if (props.handler) {
      this.handler = props.handler;
    } else {
      this.secureFunction = new SecureFunction(this, 'Handler', {
        ...props.handlerProps!,
        complianceProfile: props.handlerProps!.complianceProfile ?? this.complianceProfile,
        monitoring: props.handlerProps!.monitoring ?? monitoring,
        reservedConcurrentExecutions: derived.reservedConcurrency,
        alarms: { errors: props.alarms?.handlerErrors, throttles: props.alarms?.handlerThrottles },
      });
      this.handler = this.secureFunction.lambdaFunction;
    }

    // Event source: SqsEventSource grants consume (and kms:Decrypt) to the handler.
    const source = new eventsources.SqsEventSource(this.queue, {
      batchSize: props.batchSize ?? SQS_DEFAULTS.batchSize,
      maxBatchingWindow: props.maxBatchingWindow,
      maxConcurrency: derived.maxConcurrency,
      reportBatchItemFailures: true,
    });
    this.handler.addEventSource(source);
    this.eventSourceMapping = this.findEventSourceMapping(source);

    // Alarms and dashboard.
    const alarms: cloudwatch.IAlarm[] = createQueueAlarms(this, this.queue, this.deadLetterQueue, props.alarms);
    alarms.forEach((alarm) => monitoring.addAlarm(alarm as cloudwatch.Alarm));
    if (this.secureFunction) {
      alarms.push(...this.secureFunction.alarms);
    } else if (!(this.handler.node.scope instanceof SecureFunction)) {
      alarms.push(...createFunctionAlarms(this, this.handler, monitoring, {
        errors: props.alarms?.handlerErrors,
        throttles: props.alarms?.handlerThrottles,
      }));
    }
    this.alarms = alarms;
    monitoring.addSection(`QueueWorker ${shortPath(this)}`, ...this.widgets());

    // Acknowledgements.
    const cfnMapping = this.eventSourceMapping.node.defaultChild;
    if (cfnMapping instanceof lambda.CfnEventSourceMapping) {
      acknowledge(cfnMapping, KNOWN_FINDINGS.sqsEventSourceMappingDestination);
    }
  }

  /**
   * Lets `grantee` send messages to the queue and, when the queue has a customer-managed key,
   * encrypt with it. Exact actions only (`sqs.Queue.grantSendMessages` adds `kms:ReEncrypt*` and
   * `kms:GenerateDataKey*`, which sending does not need).
   *
   * @param grantee the principal to grant to
   */
  public grantSendMessages(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipalOrResource({
      grantee,
      actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
      resourceArns: [this.queue.queueArn],
      resource: this.queue,
    });
    this.queue.encryptionMasterKey?.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
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

  private widgets(): cloudwatch.IWidget[] {
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
    const ownSection = this.secureFunction !== undefined || this.handler.node.scope instanceof SecureFunction;
    return ownSection ? queueWidgets : [...queueWidgets, ...functionWidgets(this.handler)];
  }

  private findEventSourceMapping(source: eventsources.SqsEventSource): lambda.IEventSourceMapping {
    const mappingId = source.eventSourceMappingId;
    const mapping = this.handler.node.findAll().find((c): c is lambda.EventSourceMapping =>
      c instanceof lambda.EventSourceMapping && c.eventSourceMappingId === mappingId);
    if (!mapping) {
      throw new BulwarkError(this, 'the handler did not create an event source mapping for the queue (is it an imported function?)');
    }
    return mapping;
  }

  /** Validates every prop and returns what is derived from them. */
  private validateProps(props: QueueWorkerProps): Derived {
    // null from JavaScript or Python (None) counts as not given.
    props = { ...props, handler: props.handler ?? undefined, handlerProps: props.handlerProps ?? undefined };
    if ((props.handler === undefined) === (props.handlerProps === undefined)) {
      throw new BulwarkError(this, props.handler
        ? 'handler and handlerProps cannot be set together; give handler (a function of yours) or handlerProps (to create a SecureFunction)'
        : 'a handler is required; give handler (a function of yours) or handlerProps (to create a SecureFunction)');
    }
    checkExclusive(this, { queue: props.queue, deadLetterQueue: props.deadLetterQueue });
    checkExclusive(this, { queue: props.queue, key: props.key });
    checkExclusive(this, { queue: props.queue, visibilityTimeout: props.visibilityTimeout });
    checkExclusive(this, { queue: props.queue, retentionPeriod: props.retentionPeriod });
    checkExclusive(this, { queue: props.queue, maxReceiveCount: props.maxReceiveCount });
    checkExclusive(this, { queue: props.queue, contentBasedDeduplication: props.contentBasedDeduplication });
    if (props.queue instanceof sqs.Queue && !props.queue.deadLetterQueue) {
      throw BulwarkError.invalid(this, 'queue', props.queue.node.path,
        'it has no dead-letter queue; give it one (deadLetterQueue with maxReceiveCount 5 or more) or leave queue unset to have one created');
    }

    const fifo = props.fifo ?? props.queue?.fifo ?? false;
    if (props.queue && props.fifo !== undefined && props.queue.fifo !== props.fifo) {
      throw BulwarkError.invalid(this, 'fifo', props.fifo, `the given queue ${props.queue.node.path} is ${props.queue.fifo ? 'FIFO' : 'standard'}; leave fifo unset or make it match`);
    }
    if (props.deadLetterQueue && props.deadLetterQueue.fifo !== fifo) {
      throw BulwarkError.invalid(this, 'deadLetterQueue', props.deadLetterQueue.node.path,
        `it is ${props.deadLetterQueue.fifo ? 'FIFO' : 'standard'} but the queue is ${fifo ? 'FIFO' : 'standard'}; SQS needs a dead-letter queue of the same type`);
    }
    if (!fifo && props.contentBasedDeduplication !== undefined) {
      throw BulwarkError.invalid(this, 'contentBasedDeduplication', props.contentBasedDeduplication, 'it applies only to FIFO queues; set fifo: true or leave it unset');
    }
    checkDuration(this, 'retentionPeriod', props.retentionPeriod, SQS_LIMITS.minRetention, SQS_LIMITS.maxRetention);
    checkInteger(this, 'maxReceiveCount', props.maxReceiveCount, 1, SQS_LIMITS.maxReceiveCount);
    if (props.maxReceiveCount !== undefined && !Token.isUnresolved(props.maxReceiveCount) && props.maxReceiveCount < SQS_DEFAULTS.maxReceiveCount) {
      Annotations.of(this).addWarningV2('cdk-bulwark:queue-worker:low-max-receive-count',
        `maxReceiveCount is ${props.maxReceiveCount}: a throttled batch counts as a receive, so healthy messages can reach the `
        + `dead-letter queue under load. AWS advises at least ${SQS_DEFAULTS.maxReceiveCount} for Lambda consumers; acknowledge this warning if intended.`);
    }
    checkInteger(this, 'batchSize', props.batchSize, 1, fifo ? SQS_LIMITS.maxBatchSizeFifo : SQS_LIMITS.maxBatchSizeStandard);
    checkDuration(this, 'maxBatchingWindow', props.maxBatchingWindow, Duration.seconds(0), SQS_LIMITS.maxBatchingWindow);
    checkInteger(this, 'maxConcurrency', props.maxConcurrency, SQS_LIMITS.minMaxConcurrency, SQS_LIMITS.maxMaxConcurrency);
    checkDuration(this, 'visibilityTimeout', props.visibilityTimeout, Duration.seconds(0), SQS_LIMITS.maxVisibilityTimeout);

    const windowSeconds = secondsOf(props.maxBatchingWindow) ?? 0;
    if (fifo && props.maxBatchingWindow !== undefined) {
      throw BulwarkError.invalid(this, 'maxBatchingWindow', props.maxBatchingWindow, 'FIFO queues take no batching window; leave it unset');
    }
    const batchSize = props.batchSize ?? SQS_DEFAULTS.batchSize;
    const windowUnknown = props.maxBatchingWindow?.isUnresolved() ?? false;
    if (!Token.isUnresolved(batchSize) && batchSize > SQS_LIMITS.maxBatchSizeWithoutWindow && windowSeconds < 1 && !windowUnknown) {
      throw BulwarkError.invalid(this, 'batchSize', batchSize, `above ${SQS_LIMITS.maxBatchSizeWithoutWindow} Lambda needs maxBatchingWindow of at least 1 second`);
    }

    if (props.handlerProps?.alarms !== undefined) {
      throw new BulwarkError(this, 'handlerProps.alarms cannot be set; set the handler\'s alarms with alarms.handlerErrors and alarms.handlerThrottles');
    }

    // Reserved concurrency of the handler vs. the event source's maximum concurrency. Event source
    // mappings do not respect reserved concurrency: throttled batches return to the queue and count
    // towards maxReceiveCount, so healthy messages would be dead-lettered under load. maxConcurrency
    // therefore defaults to the reserved concurrency and may not exceed it.
    const handlerProfile = CompliancePolicy.resolve(this, props.handlerProps?.complianceProfile ?? props.complianceProfile);
    const regulated = handlerProfile === ComplianceProfile.REGULATED;
    const reserved = props.handlerProps
      ? props.handlerProps.reservedConcurrentExecutions
        ?? (regulated ? Math.max(props.maxConcurrency ?? 0, LAMBDA_DEFAULTS.regulatedReservedConcurrency) : undefined)
      : reservedConcurrencyOf(props.handler);
    const reservedKnown = reserved !== undefined && !Token.isUnresolved(reserved);
    if (reservedKnown && reserved! < SQS_LIMITS.minMaxConcurrency) {
      throw new BulwarkError(this, `the handler's reserved concurrency is ${reserved}; an SQS event source needs at least `
        + `${SQS_LIMITS.minMaxConcurrency} (a reservation of 0 disables the function)`);
    }
    if (reservedKnown && props.maxConcurrency !== undefined && !Token.isUnresolved(props.maxConcurrency) && reserved! < props.maxConcurrency) {
      throw BulwarkError.invalid(this, 'maxConcurrency', props.maxConcurrency,
        `the handler's reserved concurrency is ${reserved}; maxConcurrency must not exceed it, or Lambda throttles the queue's invocations`);
    }
    const maxConcurrency = props.maxConcurrency
      ?? (reservedKnown ? Math.min(reserved!, SQS_LIMITS.maxMaxConcurrency) : undefined);

    // Visibility timeout >= 6 x handler timeout + batching window (AWS's advice for Lambda SQS sources).
    checkDuration(this, 'handlerProps.timeout', props.handlerProps?.timeout, Duration.seconds(1), Duration.minutes(15));
    const timeout = props.handlerProps ? (props.handlerProps.timeout ?? LAMBDA_DEFAULTS.timeout) : timeoutOf(props.handler);
    const timeoutSeconds = secondsOf(timeout);
    const requiredSeconds = timeoutSeconds === undefined ? undefined : SQS_DEFAULTS.visibilityTimeoutFactor * timeoutSeconds + windowSeconds;
    if (timeout === undefined && !props.queue && props.visibilityTimeout === undefined) {
      throw new BulwarkError(this, `the timeout of the handler ${props.handler!.node.path} cannot be read (an imported function?); `
        + `give visibilityTimeout, at least ${SQS_DEFAULTS.visibilityTimeoutFactor} x its timeout + maxBatchingWindow`);
    }
    const visibilityTimeout = requiredSeconds === undefined ? undefined : Duration.seconds(requiredSeconds);
    const givenSeconds = secondsOf(props.visibilityTimeout) ?? visibilityOfBroughtQueue(props.queue);
    if (givenSeconds !== undefined && requiredSeconds !== undefined && givenSeconds < requiredSeconds) {
      const prop = props.visibilityTimeout ? 'visibilityTimeout' : 'the given queue\'s visibility timeout';
      throw new BulwarkError(this, `${prop} is ${givenSeconds} seconds; with a ${timeoutSeconds} s handler timeout and `
        + `${windowSeconds ? `a ${windowSeconds} s` : 'no'} batching window it must be at least ${requiredSeconds} seconds `
        + `(${SQS_DEFAULTS.visibilityTimeoutFactor} x timeout + window)`);
    }
    return { visibilityTimeout, maxConcurrency, reservedConcurrency: reserved };
  }
}

/** Values derived from the props while validating them. */
interface Derived {
  /** The created queue's visibility timeout, when it can be derived. */
  readonly visibilityTimeout?: Duration;
  /** The event source's maximum concurrency. */
  readonly maxConcurrency?: number;
  /** The created handler's reserved concurrency. */
  readonly reservedConcurrency?: number;
}

/** The timeout of a function created in this app (also behind an alias or version), if known. */
function timeoutOf(fn: lambda.IFunction | undefined): Duration | undefined {
  const target = fn instanceof lambda.Alias ? fn.version.lambda : fn instanceof lambda.Version ? fn.lambda : fn;
  // Lambda's own default timeout is 3 seconds.
  return target instanceof lambda.Function ? target.timeout ?? Duration.seconds(3) : undefined;
}

/** The reserved concurrency of a function created in this app (also behind an alias or version), if set. */
function reservedConcurrencyOf(fn: lambda.IFunction | undefined): number | undefined {
  const target = fn instanceof lambda.Alias ? fn.version.lambda : fn instanceof lambda.Version ? fn.lambda : fn;
  const cfn = target?.node.defaultChild;
  return cfn instanceof lambda.CfnFunction ? cfn.reservedConcurrentExecutions : undefined;
}

/** The visibility timeout of a queue created in this app, in seconds, if known. */
function visibilityOfBroughtQueue(queue: sqs.IQueue | undefined): number | undefined {
  const cfn = queue?.node.defaultChild;
  if (!(cfn instanceof sqs.CfnQueue)) {
    return undefined;
  }
  const value = cfn.visibilityTimeout;
  return value === undefined ? 30 : (Token.isUnresolved(value) ? undefined : value);
}
