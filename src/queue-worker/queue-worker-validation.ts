import { Duration, Token } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { QueueWorkerProps } from './queue-worker';
import { BulwarkError } from '../core/errors';
import { HandlerChoice, handlerReservedConcurrency, handlerTimeout } from '../function/handler';
import { ResolvedAlarm } from '../private/alarm-set';
import { ConstructContext } from '../private/context';
import { checkDeadLetterQueueLocation, retentionSecondsOf } from '../private/dead-letter-queue';
import { SQS_DEFAULTS, SQS_LIMITS } from '../private/defaults/sqs';
import { checkKnownProps, propKeys } from '../private/props';
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

const PROPS = propKeys<QueueWorkerProps>()('QueueWorkerProps', ['complianceProfile', 'monitoring', 'handlerProps', 'handler', 'fifo',
  'contentBasedDeduplication', 'visibilityTimeout', 'retentionPeriod', 'maxReceiveCount', 'queue', 'deadLetterQueue', 'key', 'batchSize',
  'maxBatchingWindow', 'maxConcurrency', 'alarms']);

/** Refuses keys QueueWorkerProps does not have (run first: a misspelled handler prop must not read as a missing handler). */
export function checkQueueWorkerKeys(scope: Construct, props: QueueWorkerProps): void {
  checkKnownProps(scope, props, PROPS);
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

/** What decides how long a message of the worker's queue lives and when it is dead-lettered. */
export interface MessageLifetime {
  /** The queue's retention, seconds (undefined when unknown). */
  readonly retentionSeconds?: number;
  /** The queue's visibility timeout, seconds. */
  readonly visibilitySeconds?: number;
  readonly maxReceiveCount?: number;
  /** The dead-letter queue's retention, seconds. */
  readonly deadLetterRetentionSeconds?: number;
  /** Whether the queue is FIFO (a FIFO dead-letter queue restarts a message's retention). */
  readonly fifo: boolean;
  /** How the props are named in messages: the worker's own props, or the brought queue's settings. */
  readonly brought: boolean;
}

/**
 * The lifetime of the worker's messages for the created queue (from the props and derived settings)
 * or a brought queue created in this app (from its resources).
 */
export function messageLifetime(props: QueueWorkerProps, settings: QueueWorkerSettings): MessageLifetime {
  if (props.queue) {
    const dlq = props.queue instanceof sqs.Queue ? props.queue.deadLetterQueue : undefined;
    return {
      retentionSeconds: retentionSecondsOf(props.queue),
      visibilitySeconds: visibilityOfBroughtQueue(props.queue),
      maxReceiveCount: dlq && !Token.isUnresolved(dlq.maxReceiveCount) ? dlq.maxReceiveCount : undefined,
      deadLetterRetentionSeconds: retentionSecondsOf(dlq?.queue),
      fifo: settings.fifo,
      brought: true,
    };
  }
  return {
    retentionSeconds: secondsOf(props.retentionPeriod ?? SQS_DEFAULTS.retention),
    visibilitySeconds: secondsOf(props.visibilityTimeout ?? settings.visibilityTimeout),
    maxReceiveCount: Token.isUnresolved(props.maxReceiveCount) ? undefined : props.maxReceiveCount ?? SQS_DEFAULTS.maxReceiveCount,
    deadLetterRetentionSeconds: props.deadLetterQueue ? retentionSecondsOf(props.deadLetterQueue) : SQS_DEFAULTS.deadLetterRetention.toSeconds(),
    fifo: settings.fifo,
    brought: false,
  };
}

/**
 * Refuses settings under which a failing message can expire unseen (#10 item 7; errors, not
 * warnings: each one silently loses the messages the dead-letter queue and its alarm exist for):
 * - a standard queue's dead-letter queue that keeps messages for less time than the queue (a standard
 *   queue's message keeps its first enqueue time in the dead-letter queue, so one that fails late
 *   is deleted as it arrives);
 * - a retention shorter than maxReceiveCount x visibility timeout (a failing message expires before
 *   its last receive, so it never reaches the dead-letter queue);
 * - an oldest-message-age alarm whose maxAge is not below the retention (no message gets that old).
 */
export function checkMessageLifetime(scope: Construct, life: MessageLifetime, ageAlarm: ResolvedAlarm): void {
  const { retentionSeconds: retention, visibilitySeconds: visibility, maxReceiveCount: receives, deadLetterRetentionSeconds: dlqRetention } = life;
  const show = (seconds: number) => Duration.seconds(seconds).toHumanString();
  const retentionProp = life.brought ? 'the given queue\'s retention' : 'retentionPeriod';
  if (!life.fifo && retention !== undefined && dlqRetention !== undefined && dlqRetention < retention) {
    const prop = life.brought ? 'the given queue\'s dead-letter queue' : 'deadLetterQueue';
    throw new BulwarkError(scope, `${prop} keeps messages ${show(dlqRetention)}, less than the queue's ${show(retention)}. A standard queue's `
      + 'message keeps its first enqueue time in the dead-letter queue, so one that fails after '
      + `${show(dlqRetention)} is deleted as it arrives: give the dead-letter queue a retention of at least ${show(retention)} `
      + '(14 days, SQS\'s maximum, leaves the most time to inspect and redrive)');
  }
  if (retention !== undefined && visibility !== undefined && receives !== undefined && retention < receives * visibility) {
    throw new BulwarkError(scope, `${retentionProp} is ${show(retention)}; a failing message is received for the last time after about `
      + `maxReceiveCount ${receives} x visibility timeout ${show(visibility)} = ${show(receives * visibility)}, so it expires before it reaches `
      + `the dead-letter queue: keep messages at least ${show(receives * visibility)}, or lower maxReceiveCount or the visibility timeout`);
  }
  const maxAge = ageAlarm.maxAge;
  if (ageAlarm.enabled && maxAge && !maxAge.isUnresolved() && retention !== undefined && maxAge.toSeconds() >= retention) {
    throw BulwarkError.invalid(scope, 'alarms.oldestMessageAge.maxAge', maxAge, `the queue keeps messages ${show(retention)}, so no message `
      + `gets older and the alarm could never fire: set maxAge below ${show(retention)}, or keep messages longer`);
  }
}
