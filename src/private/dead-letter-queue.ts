import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { acknowledge, KNOWN_FINDINGS } from './acknowledgements';
import { AlarmContext, AlarmMeasure, AlarmSpec } from './alarm-set';
import { ALARM_DEFAULTS } from './defaults/alarms';
import { SQS_DEFAULTS } from './defaults/sqs';
import { allowKeyUser, KeyUser } from './stack-key';
import { BulwarkError } from '../core/errors';

/** Who writes to a dead-letter queue: it decides the key policy and which findings are false positives. */
export enum DeadLetterWriter {
  /** An SQS queue's redrive policy (SQS moves messages itself; no key policy needed). */
  QUEUE_REDRIVE = 'QUEUE_REDRIVE',
  /** Lambda's DeadLetterConfig for failed asynchronous invocations, with the function's role. */
  LAMBDA_ASYNC = 'LAMBDA_ASYNC',
  /** SNS subscriptions (`sns.amazonaws.com` encrypts what it writes). */
  SNS = 'SNS',
  /** EventBridge rule targets and buses (`events.amazonaws.com` encrypts what it writes). */
  EVENTBRIDGE = 'EVENTBRIDGE',
  /** EventBridge Scheduler, with the schedule's role. */
  SCHEDULER = 'SCHEDULER',
  /** A stream event source mapping's on-failure destination: Lambda sends with the function's role. */
  STREAM_EVENT_SOURCE = 'STREAM_EVENT_SOURCE',
}

/** The service principals whose writes need the queue key's policy to admit them. */
const KEY_USERS: Partial<Record<DeadLetterWriter, KeyUser>> = {
  [DeadLetterWriter.SNS]: KeyUser.SNS,
  [DeadLetterWriter.EVENTBRIDGE]: KeyUser.EVENTBRIDGE,
};

/** Options of `createDeadLetterQueue`. */
export interface DeadLetterQueueOptions {
  /** Who writes to it. */
  readonly writers: readonly DeadLetterWriter[];
  /** A customer-managed key; without one, SQS-managed encryption (SSE-SQS). */
  readonly key?: kms.IKey;
  /** FIFO, for a FIFO source. @default false */
  readonly fifo?: boolean;
}

/**
 * A dead-letter queue as the library makes every one: standard or FIFO, 14-day retention (as long
 * as SQS keeps anything, to leave time to inspect and redrive), TLS-only, encrypted, retained on
 * deletion; its key's policy admits the services that write to it, and the findings that misread
 * a dead-letter queue as a queue without one are acknowledged on it.
 */
export function createDeadLetterQueue(scope: Construct, id: string, options: DeadLetterQueueOptions): sqs.Queue {
  if (options.key) {
    for (const writer of options.writers) {
      const user = KEY_USERS[writer];
      if (user) {
        allowKeyUser(scope, options.key, user);
      }
    }
  }
  const queue = new sqs.Queue(scope, id, {
    ...(options.key
      ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: options.key }
      : { encryption: sqs.QueueEncryption.SQS_MANAGED }),
    fifo: options.fifo || undefined,
    retentionPeriod: SQS_DEFAULTS.deadLetterRetention,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  // AwsSolutions-SQS3 recognises queues named in a redrive policy or a Lambda DeadLetterConfig;
  // queues that only services write to it flags too.
  const recognised = options.writers.every((w) => w === DeadLetterWriter.QUEUE_REDRIVE || w === DeadLetterWriter.LAMBDA_ASYNC);
  acknowledge(queue.node.defaultChild as sqs.CfnQueue, recognised ? KNOWN_FINDINGS.deadLetterQueue : KNOWN_FINDINGS.serviceDeadLetterQueue);
  return queue;
}

/**
 * The alarm on a dead-letter queue's depth (any message is a failure someone must look at), for
 * the alarms prop `option`, with the owner's runbook.
 */
export function deadLetterQueueAlarm<X = undefined>(option: string, describe: (context: AlarmContext<X>) => string,
  id: string = 'DeadLetterQueueAlarm'): AlarmSpec<X> {
  return { id, option, measure: AlarmMeasure.COUNT, defaults: ALARM_DEFAULTS.deadLetterQueueMessages, describe };
}

/** The metric every dead-letter queue alarm watches: messages visible, maximum. */
export function deadLetterDepth(queue: sqs.IQueue): (period: Duration) => cloudwatch.IMetric {
  return (period) => queue.metricApproximateNumberOfMessagesVisible({ period, statistic: cloudwatch.Stats.MAXIMUM });
}

/** Whether two keys are the same key (the same object, or references to the same ARN). */
export function sameKey(a: kms.IKey, b: kms.IKey): boolean {
  if (a === b) {
    return true;
  }
  const stack = Stack.of(b);
  return JSON.stringify(stack.resolve(a.keyArn)) === JSON.stringify(stack.resolve(b.keyArn));
}

/** Which parts of a location a service requires a dead-letter queue to share with its owner. */
export interface SameLocation {
  /** The service that requires it, for the message: `SNS`, `EventBridge`, `SQS`. */
  readonly service: string;
  /** What the queue must share a location with, e.g. `the subscription's (the topic's)`. */
  readonly owner: string;
  /** Whether the account must be the same too (else only the region). */
  readonly account: boolean;
}

/**
 * Throws when a dead-letter queue is, by its ARN or stack, in another region (or, when `same.account`,
 * another account) than `scope`'s stack, where the service requires the same one. Values known only
 * at deployment pass.
 */
export function checkDeadLetterQueueLocation(scope: IConstruct, prop: string, queue: sqs.IQueue | undefined, same: SameLocation): void {
  if (queue === undefined) {
    return;
  }
  const here = Stack.of(scope);
  const known = (a: string, b: string) => !Token.isUnresolved(a) && !Token.isUnresolved(b);
  const otherRegion = known(queue.env.region, here.region) && queue.env.region !== here.region;
  const otherAccount = same.account && known(queue.env.account, here.account) && queue.env.account !== here.account;
  if (!otherRegion && !otherAccount) {
    return;
  }
  const where = (account: string, region: string) => (same.account ? `account ${account} and region ${region}` : `region ${region}`);
  throw BulwarkError.invalid(scope, prop, queue.node.path, `it is in ${where(queue.env.account, queue.env.region)}, but ${same.service} requires `
    + `${same.account ? 'the account and region' : 'the region'} of ${same.owner} (${where(here.account, here.region)}); give a queue there`);
}

/** SQS's own retention when a queue sets none: 4 days. */
const SQS_DEFAULT_RETENTION_SECONDS = 345600;

/**
 * How long a queue created in this app keeps messages, in seconds (SQS's 4 days when it sets none);
 * undefined for a queue from elsewhere or a retention known only at deployment.
 */
export function retentionSecondsOf(queue: sqs.IQueue | undefined): number | undefined {
  const cfn = queue?.node.defaultChild;
  if (!(cfn instanceof sqs.CfnQueue)) {
    return undefined;
  }
  const value = cfn.messageRetentionPeriod;
  return value === undefined ? SQS_DEFAULT_RETENTION_SECONDS : (Token.isUnresolved(value) ? undefined : value);
}
