import { Names, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { STREAM_PROCESSOR_ALARMS, streamWidgets, writeThrottles } from './stream-processor-monitoring';
import { StreamProcessorProps } from './stream-processor-props';
import { consumerOptions, validateStreamProcessorProps } from './stream-processor-validation';
import { ComplianceProfile } from '../core/compliance-profile';
import { BulwarkError } from '../core/errors';
import { addHandlerAlarms, checkHandlerChoice, HandlerChoice, handlerReservedConcurrency, refuseHandlerAlarms, resolveHandler } from '../function/handler';
import { SecureFunction } from '../function/secure-function';
import { functionWidgets } from '../function/secure-function-monitoring';
import { constructContext } from '../monitoring/construct-context';
import { acknowledge, KNOWN_FINDINGS } from '../private/acknowledgements';
import { KINESIS_ACTIONS, KINESIS_DEFAULTS } from '../private/defaults/kinesis';
import { checkGrantee } from '../private/shapes';
import { grantScopedKeyUse, KeyVia } from '../private/stack-key';
import { consumeStream } from '../private/stream-consumer';
import { shortPath } from '../private/validation';

/**
 * A Kinesis data stream and the function that consumes it: the stream encrypted (the AWS managed
 * key, or the stack key in REGULATED), on demand or provisioned, retained; the consumer's event
 * source mapping with bounded retries, batches split on error, partial batch responses and an
 * on-failure destination (a failure queue, which SQS sources cannot have); optional enhanced
 * fan-out; alarms on how far behind the consumer is, on the failure queue, on write throttles and on
 * the handler's errors and throttles; exact-action grants for producers and readers.
 *
 * @example
 * const clicks = new StreamProcessor(this, 'Clicks', {
 *   handlerProps: { code: lambda.Code.fromAsset('handlers/clicks'), handler: 'index.handler' },
 *   shardCount: 1,
 * });
 */
export class StreamProcessor extends Construct {
  /** The Kinesis data stream. */
  public readonly stream: kinesis.Stream;

  /** The function consuming the stream. */
  public readonly handler: lambda.IFunction;

  /** The created SecureFunction, unless you brought `handler`. */
  public readonly secureFunction?: SecureFunction;

  /** The event source mapping between the stream (or the fan-out consumer) and the handler. */
  public readonly eventSourceMapping: lambda.IEventSourceMapping;

  /** The queue of the batches the consumer gave up on (created, or the one given). */
  public readonly failureQueue: sqs.IQueue;

  /**
   * The enhanced fan-out consumer.
   *
   * @default - none without `enhancedFanOut`
   */
  public readonly streamConsumer?: kinesis.StreamConsumer;

  /**
   * The customer-managed key that encrypts the stream.
   *
   * @default - none: the AWS managed key `aws/kinesis` (STANDARD without `key`)
   */
  public readonly key?: kms.IKey;

  /** The compliance profile in force. */
  public readonly complianceProfile: ComplianceProfile;

  /** The alarms this construct created (including the created handler's). */
  public readonly alarms: cloudwatch.IAlarm[];

  constructor(scope: Construct, id: string, props: StreamProcessorProps) {
    super(scope, id);
    if (props === null || typeof props !== 'object') {
      throw BulwarkError.invalid(this, 'props', props, 'StreamProcessor needs props with handler or handlerProps');
    }
    const handlerChoice = checkHandlerChoice(this, props);
    validateStreamProcessorProps(this, props);
    const context = constructContext(this, props);
    this.complianceProfile = context.profile;
    const alarms = context.alarms(Object.values(STREAM_PROCESSOR_ALARMS), props.alarms, 'StreamProcessorAlarmsProps');
    refuseHandlerAlarms(alarms, handlerChoice);
    this.key = context.key(props.key);

    // The stream.
    this.stream = new kinesis.Stream(this, 'Stream', {
      streamName: props.streamName,
      streamMode: props.shardCount === undefined ? kinesis.StreamMode.ON_DEMAND : kinesis.StreamMode.PROVISIONED,
      shardCount: props.shardCount,
      retentionPeriod: props.retentionPeriod ?? KINESIS_DEFAULTS.retentionPeriod,
      encryption: this.key ? kinesis.StreamEncryption.KMS : kinesis.StreamEncryption.MANAGED,
      encryptionKey: this.key,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    if (context.regulated && this.key) {
      acknowledge(this.stream.node.defaultChild as kinesis.CfnStream, KNOWN_FINDINGS.kinesisCustomerManagedKey);
    }

    // The consumer. Lambda runs a batch per shard and parallelization slot at once: a reserved
    // concurrency below that throttles the consumer for good (an on-demand stream starts with 4 shards).
    const concurrent = (props.shardCount ?? ON_DEMAND_INITIAL_SHARDS) * (props.parallelizationFactor ?? 1);
    const reserved = handlerReservedConcurrency(handlerChoice, context, concurrent);
    checkConsumerConcurrency(this, props, handlerChoice, reserved, concurrent);
    const handler = resolveHandler(this, context, handlerChoice, {
      reservedConcurrentExecutions: handlerChoice.handlerProps ? reserved : undefined,
      alarms: { errors: props.alarms?.handlerErrors, throttles: props.alarms?.handlerThrottles },
    });
    this.handler = handler.fn;
    this.secureFunction = handler.secureFunction;
    let source = this.stream.streamArn;
    if (props.enhancedFanOut) {
      this.streamConsumer = new kinesis.StreamConsumer(this, 'FanOutConsumer', {
        stream: this.stream,
        streamConsumerName: Names.uniqueResourceName(this, { maxLength: 128, separator: '-' }),
      });
      source = this.streamConsumer.streamConsumerArn;
    }
    let grant = this.grantRead(this.handler);
    if (this.streamConsumer) {
      grant = grant.combine(iam.Grant.addToPrincipal({
        grantee: this.handler, actions: [...KINESIS_ACTIONS.fanOut], resourceArns: [this.streamConsumer.streamConsumerArn],
      }));
    }
    if (!grant.success || (handlerChoice.handler && !handlerChoice.handler.role)) {
      throw BulwarkError.invalid(this, 'handler', this.handler.node.path, 'its role cannot be granted here (a function imported without its '
        + 'role): Lambda reads the stream with the function\'s role, and the event source mapping fails to create without GetRecords; import '
        + 'it with lambda.Function.fromFunctionAttributes({ functionArn, role }) or give handlerProps');
    }
    const parts = consumeStream(this, context, alarms, this.handler, source, consumerOptions(props), props.startingPositionTimestamp);
    this.eventSourceMapping = parts.eventSourceMapping;
    this.failureQueue = parts.failureQueue;
    // The role's policy must be in place before the mapping checks it.
    grant.applyBefore(this.eventSourceMapping);

    // Alarms and dashboard. A SecureFunction handler (created or brought) has its own function alarms.
    const where = shortPath(this);
    alarms.add(STREAM_PROCESSOR_ALARMS.writeThrottles, writeThrottles(this.stream), { where });
    addHandlerAlarms(alarms, handler, where);
    this.alarms = [...alarms.alarms, ...(this.secureFunction?.alarms ?? [])];
    const iteratorAge = this.handler.metric('IteratorAge', { statistic: cloudwatch.Stats.MAXIMUM });
    context.addSection('StreamProcessor', ...streamWidgets(this.stream, iteratorAge),
      ...(handler.monitoredElsewhere ? [] : functionWidgets(this.handler)));
  }

  /** The stream's name. */
  public get streamName(): string {
    return this.stream.streamName;
  }

  /** The stream's ARN. */
  public get streamArn(): string {
    return this.stream.streamArn;
  }

  /**
   * Lets `grantee` put records (`PutRecord`, `PutRecords`, `ListShards`, `DescribeStreamSummary`) and,
   * with a customer-managed key, `kms:GenerateDataKey` only through Kinesis.
   *
   * @param grantee the producer
   */
  public grantWrite(grantee: iam.IGrantable): iam.Grant {
    checkGrantee(this, 'grantWrite()', grantee);
    return this.withKey(iam.Grant.addToPrincipal({ grantee, actions: [...KINESIS_ACTIONS.write], resourceArns: [this.stream.streamArn] }),
      grantee, KINESIS_ACTIONS.keyWrite);
  }

  /**
   * Lets `grantee` read records (`DescribeStream`, `DescribeStreamSummary`, `GetRecords`,
   * `GetShardIterator`, `ListShards`) and, with a customer-managed key, `kms:Decrypt` only through Kinesis.
   *
   * @param grantee the reader
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    checkGrantee(this, 'grantRead()', grantee);
    return this.withKey(iam.Grant.addToPrincipal({ grantee, actions: [...KINESIS_ACTIONS.read], resourceArns: [this.stream.streamArn] }),
      grantee, KINESIS_ACTIONS.keyRead);
  }

  /** Records written (`IncomingRecords`, sum over 5 minutes unless changed). */
  public metricIncomingRecords(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stream.metricIncomingRecords({ statistic: cloudwatch.Stats.SUM, ...props });
  }

  /** Writes refused for throughput (`WriteProvisionedThroughputExceeded`, sum over 5 minutes unless changed). */
  public metricWriteThrottles(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stream.metricWriteProvisionedThroughputExceeded({ statistic: cloudwatch.Stats.SUM, ...props });
  }

  /** How far behind the consumer is, in milliseconds (the handler's `IteratorAge`, maximum over 5 minutes unless changed). */
  public metricIteratorAge(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.handler.metric('IteratorAge', { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /**
   * `grant` and, for a customer-managed key, the key actions only through Kinesis and for this stream
   * (`kms:ViaService`, and the stream's ARN as encryption context).
   */
  private withKey(grant: iam.Grant, grantee: iam.IGrantable, keyActions: readonly string[]): iam.Grant {
    if (!this.key) {
      return grant;
    }
    return grant.combine(grantScopedKeyUse(grantee, this.key, KeyVia.KINESIS, this.stream.streamArn, keyActions));
  }
}


/** The shards an on-demand stream starts with (4 MB/s of writes: Kinesis developer guide, "On-demand mode"). */
const ON_DEMAND_INITIAL_SHARDS = 4;

/**
 * Refuses a reserved concurrency below what the consumer runs at once (shards x parallelization), for
 * a handler of yours or reservedConcurrentExecutions given in handlerProps.
 */
function checkConsumerConcurrency(scope: Construct, props: StreamProcessorProps, choice: HandlerChoice, reserved: number | undefined,
  concurrent: number): void {
  if (reserved === undefined || Token.isUnresolved(reserved) || Token.isUnresolved(concurrent) || reserved >= concurrent) {
    return;
  }
  const whose = choice.handlerProps ? 'handlerProps.reservedConcurrentExecutions' : `the reserved concurrency of handler ${choice.handler!.node.path}`;
  throw BulwarkError.invalid(scope, whose, reserved, `Lambda runs one batch per shard and parallelization slot at once: ${concurrent} `
    + `(${props.shardCount === undefined ? `an on-demand stream starts with ${ON_DEMAND_INITIAL_SHARDS} shards` : `${props.shardCount} shards`}`
    + ` x parallelizationFactor ${props.parallelizationFactor ?? 1}); a lower reservation throttles the consumer until records expire`);
}
