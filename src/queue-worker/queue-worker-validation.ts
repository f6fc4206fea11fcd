import { Duration, Token } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { QueueWorkerProps } from './queue-worker';
import { BulwarkError } from '../core/errors';
import { HandlerChoice, handlerReservedConcurrency, handlerTimeout } from '../function/handler';
import { ConstructContext } from '../private/context';
import { checkDeadLetterQueueLocation } from '../private/dead-letter-queue';
import { SQS_DEFAULTS, SQS_LIMITS } from '../private/defaults/sqs';
import { checkShape, SHAPES } from '../private/shapes';
import { checkDuration, checkExclusive, checkInteger, secondsOf } from '../private/validation';
import { warn, WARNINGS } from '../private/warnings';

// Internal to the library: every check of QueueWorker's input, run before anything is made, and the
// settings derived from it.

/** Settings derived from the props. */
export interface QueueWorkerSettings {
  readonly fifo: boolean;
  /** The created queue's visibility timeout, when it can be derived. */
  readonly visibilityTimeout?: Duration;
  /** The event source's maximum concurrency. */
  readonly maxConcurrency?: number;
  /** The created handler's reserved concurrency. */
  readonly reservedConcurrency?: number;
}

/** Checks each prop on its own and against the others (nothing that depends on the profile). */
export function validateQueueWorkerProps(scope: Construct, props: QueueWorkerProps): void {
  checkExclusive(scope, { queue: props.queue, deadLetterQueue: props.deadLetterQueue });
  checkExclusive(scope, { queue: props.queue, key: props.key });
  checkExclusive(scope, { queue: props.queue, visibilityTimeout: props.visibilityTimeout });
  checkExclusive(scope, { queue: props.queue, retentionPeriod: props.retentionPeriod });
  checkExclusive(scope, { queue: props.queue, maxReceiveCount: props.maxReceiveCount });
  checkExclusive(scope, { queue: props.queue, contentBasedDeduplication: props.contentBasedDeduplication });
  checkShape(scope, 'queue', props.queue, SHAPES.queue);
  checkShape(scope, 'deadLetterQueue', props.deadLetterQueue, SHAPES.queue);
  checkShape(scope, 'key', props.key, SHAPES.key);
  // SQS: a dead-letter queue is in the source queue's account and region
  // (https://docs.aws.amazon.com/sdk-for-java/v1/developer-guide/examples-sqs-dead-letter-queues.html).
  checkDeadLetterQueueLocation(scope, 'deadLetterQueue', props.deadLetterQueue, { service: 'SQS', owner: 'the queue that redrives to it', account: true });
  if (props.queue instanceof sqs.Queue && !props.queue.deadLetterQueue) {
    throw BulwarkError.invalid(scope, 'queue', props.queue.node.path,
      'it has no dead-letter queue; give it one (deadLetterQueue with maxReceiveCount 5 or more) or leave queue unset to have one created');
  }

  const fifo = props.fifo ?? props.queue?.fifo ?? false;
  if (props.queue && props.fifo !== undefined && props.queue.fifo !== props.fifo) {
    throw BulwarkError.invalid(scope, 'fifo', props.fifo, `the given queue ${props.queue.node.path} is ${props.queue.fifo ? 'FIFO' : 'standard'}; leave fifo unset or make it match`);
  }
  if (props.deadLetterQueue && props.deadLetterQueue.fifo !== fifo) {
    throw BulwarkError.invalid(scope, 'deadLetterQueue', props.deadLetterQueue.node.path,
      `it is ${props.deadLetterQueue.fifo ? 'FIFO' : 'standard'} but the queue is ${fifo ? 'FIFO' : 'standard'}; SQS needs a dead-letter queue of the same type`);
  }
  if (!fifo && props.contentBasedDeduplication !== undefined) {
    throw BulwarkError.invalid(scope, 'contentBasedDeduplication', props.contentBasedDeduplication, 'it applies only to FIFO queues; set fifo: true or leave it unset');
  }
  checkDuration(scope, 'retentionPeriod', props.retentionPeriod, SQS_LIMITS.minRetention, SQS_LIMITS.maxRetention);
  checkInteger(scope, 'maxReceiveCount', props.maxReceiveCount, 1, SQS_LIMITS.maxReceiveCount);
  if (props.maxReceiveCount !== undefined && !Token.isUnresolved(props.maxReceiveCount) && props.maxReceiveCount < SQS_DEFAULTS.maxReceiveCount) {
    warn(scope, WARNINGS.lowMaxReceiveCount, props.maxReceiveCount, SQS_DEFAULTS.maxReceiveCount);
  }
  checkInteger(scope, 'batchSize', props.batchSize, 1, fifo ? SQS_LIMITS.maxBatchSizeFifo : SQS_LIMITS.maxBatchSizeStandard);
  checkDuration(scope, 'maxBatchingWindow', props.maxBatchingWindow, Duration.seconds(0), SQS_LIMITS.maxBatchingWindow);
  checkInteger(scope, 'maxConcurrency', props.maxConcurrency, SQS_LIMITS.minMaxConcurrency, SQS_LIMITS.maxMaxConcurrency);
  checkDuration(scope, 'visibilityTimeout', props.visibilityTimeout, Duration.seconds(0), SQS_LIMITS.maxVisibilityTimeout);

  if (fifo && props.maxBatchingWindow !== undefined) {
    throw BulwarkError.invalid(scope, 'maxBatchingWindow', props.maxBatchingWindow, 'FIFO queues take no batching window; leave it unset');
  }
  const batchSize = props.batchSize ?? SQS_DEFAULTS.batchSize;
  const windowUnknown = props.maxBatchingWindow?.isUnresolved() ?? false;
  const windowSeconds = secondsOf(props.maxBatchingWindow) ?? 0;
  if (!Token.isUnresolved(batchSize) && batchSize > SQS_LIMITS.maxBatchSizeWithoutWindow && windowSeconds < 1 && !windowUnknown) {
    throw BulwarkError.invalid(scope, 'batchSize', batchSize, `above ${SQS_LIMITS.maxBatchSizeWithoutWindow} Lambda needs maxBatchingWindow of at least 1 second`);
  }
}

/**
 * The settings that follow from the props and the resolved context, each checked against the
 * handler: the event source's maximum concurrency against the handler's reserved concurrency, and
 * the visibility timeout against the handler's timeout.
 */
export function deriveQueueWorkerSettings(scope: Construct, props: QueueWorkerProps, handler: HandlerChoice,
  context: ConstructContext): QueueWorkerSettings {
  const fifo = props.fifo ?? props.queue?.fifo ?? false;

  // Event source mappings do not respect reserved concurrency: throttled batches return to the
  // queue and count towards maxReceiveCount, so healthy messages would be dead-lettered under load.
  // maxConcurrency therefore defaults to the reserved concurrency and may not exceed it.
  const reserved = handlerReservedConcurrency(handler, context, props.maxConcurrency);
  const reservedKnown = reserved !== undefined && !Token.isUnresolved(reserved);
  if (reservedKnown && reserved! < SQS_LIMITS.minMaxConcurrency) {
    throw new BulwarkError(scope, `the handler's reserved concurrency is ${reserved}; an SQS event source needs at least `
      + `${SQS_LIMITS.minMaxConcurrency} (a reservation of 0 disables the function)`);
  }
  if (reservedKnown && props.maxConcurrency !== undefined && !Token.isUnresolved(props.maxConcurrency) && reserved! < props.maxConcurrency) {
    throw BulwarkError.invalid(scope, 'maxConcurrency', props.maxConcurrency,
      `the handler's reserved concurrency is ${reserved}; maxConcurrency must not exceed it, or Lambda throttles the queue's invocations`);
  }
  const maxConcurrency = props.maxConcurrency ?? (reservedKnown ? Math.min(reserved!, SQS_LIMITS.maxMaxConcurrency) : undefined);

  // Visibility timeout >= 6 x handler timeout + batching window (AWS's advice for Lambda SQS sources).
  const windowSeconds = secondsOf(props.maxBatchingWindow) ?? 0;
  const timeout = handlerTimeout(handler);
  const timeoutSeconds = secondsOf(timeout);
  const requiredSeconds = timeoutSeconds === undefined ? undefined : SQS_DEFAULTS.visibilityTimeoutFactor * timeoutSeconds + windowSeconds;
  if (timeout === undefined && !props.queue && props.visibilityTimeout === undefined) {
    throw new BulwarkError(scope, `the timeout of the handler ${handler.handler!.node.path} cannot be read (an imported function?); `
      + `give visibilityTimeout, at least ${SQS_DEFAULTS.visibilityTimeoutFactor} x its timeout + maxBatchingWindow`);
  }
  const givenSeconds = secondsOf(props.visibilityTimeout) ?? visibilityOfBroughtQueue(props.queue);
  if (givenSeconds !== undefined && requiredSeconds !== undefined && givenSeconds < requiredSeconds) {
    const prop = props.visibilityTimeout ? 'visibilityTimeout' : 'the given queue\'s visibility timeout';
    throw new BulwarkError(scope, `${prop} is ${givenSeconds} seconds; with a ${timeoutSeconds} s handler timeout and `
      + `${windowSeconds ? `a ${windowSeconds} s` : 'no'} batching window it must be at least ${requiredSeconds} seconds `
      + `(${SQS_DEFAULTS.visibilityTimeoutFactor} x timeout + window)`);
  }
  return {
    fifo,
    visibilityTimeout: requiredSeconds === undefined ? undefined : Duration.seconds(requiredSeconds),
    maxConcurrency,
    reservedConcurrency: reserved,
  };
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
