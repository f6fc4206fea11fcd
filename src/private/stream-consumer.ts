import { Duration, Names } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { AlarmMeasure, AlarmSet, AlarmSpec } from './alarm-set';
import { checkFunction } from './api-family';
import { ConstructContext } from './context';
import { checkDeadLetterQueueLocation, createDeadLetterQueue, deadLetterDepth, deadLetterQueueAlarm, DeadLetterWriter } from './dead-letter-queue';
import { ALARM_DEFAULTS } from './defaults/alarms';
import { checkKnownProps, propKeys } from './props';
import { failurePathKey, grantScopedKeyUse, KeyVia } from './stack-key';
import { checkDuration, checkEnum, checkInteger } from './validation';
import { BulwarkError } from '../core/errors';
import { StreamConsumerOptions } from '../core/stream-consumer-options';

/*
 * A function consuming a stream (a DynamoDB table's stream, or a Kinesis data stream): the event source
 * mapping with retries bounded, batches split on error and partial batch responses, an on-failure
 * destination (the SQS dead-letter queue that SQS event sources cannot have), and alarms on how far
 * behind the consumer is and on the failure queue. Limits: Lambda developer guide, "Using Lambda with
 * DynamoDB" and "Using Lambda with Kinesis Data Streams" (the same for both: batch size up to
 * 10,000, window up to 300 s, parallelization 1 to 10, retries up to 10,000, record age 60 s to 7 days).
 */

/** The kind of stream consumed: DynamoDB streams start only at TRIM_HORIZON or LATEST; Kinesis also AT_TIMESTAMP. */
export type StreamSource = 'DynamoDB' | 'Kinesis';

const OPTIONS = propKeys<StreamConsumerOptions>()('StreamConsumerOptions', ['batchSize', 'maxBatchingWindow', 'startingPosition',
  'parallelizationFactor', 'retryAttempts', 'maxRecordAge', 'failureQueue', 'alarms']);

/** Defaults of every stream consumer. */
export const STREAM_CONSUMER_DEFAULTS = {
  batchSize: 100,
  startingPosition: lambda.StartingPosition.TRIM_HORIZON,
  retryAttempts: 3,
} as const;

/** The alarms of a stream consumer, keyed like `StreamConsumerAlarmsProps`. */
export const STREAM_CONSUMER_ALARMS = {
  iteratorAge: {
    id: 'IteratorAgeAlarm',
    option: 'iteratorAge',
    measure: AlarmMeasure.AGE,
    defaults: ALARM_DEFAULTS.streamIteratorAge,
    range: { min: Duration.seconds(1), max: Duration.days(7) },
    describe: ({ where, alarm }) => `The consumer ${where} is more than ${alarm.maxAge!.toHumanString()} behind its stream: it is slower than `
      + 'the writes, throttled, or retrying a failing batch (which holds up its shard). Check the function\'s Errors, Throttles and Duration; raise '
      + 'batchSize or parallelizationFactor, or fix the failing records. Records that expire from the stream before they are processed are lost.',
  },
  failureQueueMessages: deadLetterQueueAlarm('failureQueueMessages', ({ where }) => `The consumer ${where} gave up on batches of its stream `
    + 'after its retries: each message in its failure queue names the shard and the sequence numbers of a batch. Find the cause in the '
    + 'function\'s log group, then read those records from the stream (they stay until they expire: 24 hours for DynamoDB) or from the '
    + 'source, and process them again.', 'FailureQueueAlarm'),
  destinationDeliveryFailures: {
    id: 'DestinationDeliveryFailuresAlarm',
    option: 'destinationDeliveryFailures',
    measure: AlarmMeasure.COUNT,
    defaults: ALARM_DEFAULTS.destinationDeliveryFailures,
    describe: ({ where }) => `Lambda could not write batches the consumer ${where} gave up on to its failure queue (DestinationDeliveryFailures): `
      + 'those batches are neither processed nor recorded. Check that the function\'s role may sqs:SendMessage to the queue and, for a queue '
      + 'with a customer-managed key, use the key (import the queue with its key); then read the lost range from the stream while it lasts.',
  },
} satisfies Record<string, AlarmSpec>;

/** What `consumeStream` makes. */
export interface StreamConsumerParts {
  readonly eventSourceMapping: lambda.EventSourceMapping;
  readonly failureQueue: sqs.IQueue;
}

/** Checks a consumer's handler and options (before anything is made). */
export function checkStreamConsumer(scope: IConstruct, handler: unknown, options: StreamConsumerOptions | undefined): void {
  checkFunction(scope, 'handler', handler);
  checkStreamConsumerOptions(scope, options, 'DynamoDB');
}

/**
 * Checks a consumer's options for a stream of `source`. `knownChecked`: the caller has already refused
 * unknown keys (the options are part of a larger struct).
 */
export function checkStreamConsumerOptions(scope: IConstruct, options: StreamConsumerOptions | undefined, source: StreamSource,
  knownChecked = false): void {
  if (options === undefined) {
    return;
  }
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw BulwarkError.invalid(scope, 'options', options, 'they must be a StreamConsumerOptions object, or left out');
  }
  if (!knownChecked) {
    checkKnownProps(scope, options, OPTIONS, 'options');
  }
  checkInteger(scope, 'batchSize', options.batchSize, 1, 10000);
  checkDuration(scope, 'maxBatchingWindow', options.maxBatchingWindow, Duration.seconds(0), Duration.seconds(300));
  checkEnum(scope, 'startingPosition', options.startingPosition, lambda.StartingPosition as unknown as Record<string, string>, 'lambda.StartingPosition');
  if (options.startingPosition === lambda.StartingPosition.AT_TIMESTAMP && source === 'DynamoDB') {
    throw BulwarkError.invalid(scope, 'startingPosition', options.startingPosition, 'DynamoDB streams start at TRIM_HORIZON or LATEST');
  }
  checkInteger(scope, 'parallelizationFactor', options.parallelizationFactor, 1, 10);
  checkInteger(scope, 'retryAttempts', options.retryAttempts, 0, 10000);
  checkDuration(scope, 'maxRecordAge', options.maxRecordAge, Duration.seconds(60), Duration.days(7));
  const queue: unknown = options.failureQueue;
  if (queue !== undefined && (!Construct.isConstruct(queue) || typeof (queue as { queueArn?: unknown }).queueArn !== 'string')) {
    throw BulwarkError.invalid(scope, 'failureQueue', queue, 'it must be an SQS queue (sqs.IQueue)');
  }
  if (options.failureQueue?.fifo) {
    throw BulwarkError.invalid(scope, 'failureQueue', options.failureQueue.node.path, 'it is a FIFO queue; a stream\'s on-failure destination '
      + 'must be a standard queue');
  }
  checkDeadLetterQueueLocation(scope, 'failureQueue', options.failureQueue,
    { service: 'Lambda', owner: 'the function', account: false });
}

/**
 * `handler` consumes the stream `streamArn`: the event source mapping (a child of the function, like
 * every mapping CDK makes), a failure queue (`FailureQueue` under `scope`, unless given), and the
 * consumer's alarms in `alarms`. The caller grants the function read access to the stream.
 */
export function consumeStream(scope: Construct, context: ConstructContext, alarms: AlarmSet, handler: lambda.IFunction, streamArn: string,
  options: StreamConsumerOptions = {}, startingPositionTimestamp?: number): StreamConsumerParts {
  const failureQueue = options.failureQueue ?? createDeadLetterQueue(scope, 'FailureQueue', {
    writers: [DeadLetterWriter.STREAM_EVENT_SOURCE],
    // The failure path does not share the stream's key (DESIGN: failure paths survive the failure they report).
    key: context.traits.customerManagedKeys ? failurePathKey(scope) : undefined,
  });
  const eventSourceMapping = handler.addEventSourceMapping(`StreamEventSource:${Names.nodeUniqueId(scope.node)}`, {
    eventSourceArn: streamArn,
    startingPosition: options.startingPosition ?? STREAM_CONSUMER_DEFAULTS.startingPosition,
    startingPositionTimestamp,
    batchSize: options.batchSize ?? STREAM_CONSUMER_DEFAULTS.batchSize,
    maxBatchingWindow: options.maxBatchingWindow,
    parallelizationFactor: options.parallelizationFactor,
    retryAttempts: options.retryAttempts ?? STREAM_CONSUMER_DEFAULTS.retryAttempts,
    maxRecordAge: options.maxRecordAge,
    bisectBatchOnError: true,
    reportBatchItemFailures: true,
    onFailure: { bind: () => ({ destination: failureQueue.queueArn }) },
  });
  // Lambda sends to the destination with the function's role: SendMessage on the queue, and its key
  // only through SQS for that queue (CDK's SqsDlq would grant kms:ReEncrypt* and GenerateDataKey* on the key).
  iam.Grant.addToPrincipal({ grantee: handler, actions: ['sqs:SendMessage'], resourceArns: [failureQueue.queueArn] });
  if (failureQueue.encryptionMasterKey) {
    grantScopedKeyUse(handler, failureQueue.encryptionMasterKey, KeyVia.SQS, failureQueue.queueArn);
  }
  const where = `${handler.node.path} (stream of ${scope.node.path})`;
  alarms.add(STREAM_CONSUMER_ALARMS.iteratorAge, (period: Duration) => new cloudwatch.MathExpression({
    // IteratorAge is in milliseconds; the alarm compares seconds.
    expression: 'age / 1000',
    usingMetrics: { age: handler.metric('IteratorAge', { statistic: cloudwatch.Stats.MAXIMUM, period }) },
    label: 'IteratorAge (s)',
    period,
  }), { scope, where });
  alarms.add(STREAM_CONSUMER_ALARMS.failureQueueMessages, deadLetterDepth(failureQueue), { scope, where });
  alarms.add(STREAM_CONSUMER_ALARMS.destinationDeliveryFailures,
    (period: Duration) => handler.metric('DestinationDeliveryFailures', { statistic: cloudwatch.Stats.SUM, period }), { scope, where });
  return { eventSourceMapping, failureQueue };
}
