import { Duration, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { QueueWorker, QueueWorkerProps } from '../../src';
import { INLINE_CODE, newStack } from '../support/app';

/*
 * Settings under which a failing message expires unseen are refused (#10 item 7). Errors, not
 * warnings: each one silently loses the messages the dead-letter queue and its alarm exist for.
 * - A standard queue's message keeps its original enqueue time in the dead-letter queue, so a
 *   dead-letter queue that keeps messages for less time than the queue deletes the late failures as
 *   they arrive; a FIFO queue's message restarts its retention there
 *   (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-retention.html).
 * - A message is dead-lettered on the receive after its maxReceiveCount-th, each one a visibility
 *   timeout apart, so a retention below maxReceiveCount x visibility timeout lets it expire first
 *   (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html).
 * - ApproximateAgeOfOldestMessage never exceeds the retention, so an age alarm at or above it never fires.
 */

const HANDLER = { code: INLINE_CODE, handler: 'index.handler', timeout: Duration.seconds(10) }; // visibility 60 s
const worker = (props: (stack: Stack) => Partial<QueueWorkerProps>) => (stack: Stack) =>
  new QueueWorker(stack, 'Worker', { handlerProps: HANDLER, ...props(stack) });
const dlq = (stack: Stack, retention: Duration, fifo = false) =>
  new sqs.Queue(stack, 'Dlq', { retentionPeriod: retention, fifo: fifo || undefined, enforceSSL: true });
/** A queue of this app brought to the worker, with its own dead-letter queue. */
const brought = (retention: Duration, dlqRetention: Duration, maxReceiveCount = 5, visibility = Duration.minutes(1)) => (stack: Stack) => ({
  handlerProps: undefined,
  handler: new QueueWorker(stack, 'Other', { handlerProps: HANDLER }).handler,
  queue: new sqs.Queue(stack, 'Theirs', {
    retentionPeriod: retention,
    visibilityTimeout: visibility,
    enforceSSL: true,
    deadLetterQueue: { queue: dlq(stack, dlqRetention), maxReceiveCount },
  }),
});

test.each<[string, (stack: Stack) => unknown, string]>([
  ['a dead-letter queue that keeps messages less than the queue', worker((s) => ({ retentionPeriod: Duration.days(7), deadLetterQueue: dlq(s, Duration.days(4)) })),
    'QueueWorker \'TestStack/Worker\': deadLetterQueue keeps messages 4 days, less than the queue\'s 7 days. A standard queue\'s message keeps its '
    + 'first enqueue time in the dead-letter queue, so one that fails after 4 days is deleted as it arrives: give the dead-letter queue a retention '
    + 'of at least 7 days'],
  ['a dead-letter queue with SQS\'s default retention (4 days) under a longer queue retention', worker((s) => ({
    retentionPeriod: Duration.days(5), deadLetterQueue: new sqs.Queue(s, 'Dlq', { enforceSSL: true }),
  })), 'deadLetterQueue keeps messages 4 days, less than the queue\'s 5 days'],
  ['a brought queue whose dead-letter queue keeps messages less than it', worker(brought(Duration.days(10), Duration.days(2))),
    'the given queue\'s dead-letter queue keeps messages 2 days, less than the queue\'s 10 days'],
  ['a retention shorter than the visibility timeout', worker(() => ({ retentionPeriod: Duration.seconds(60), visibilityTimeout: Duration.minutes(2) })),
    'retentionPeriod is 1 minute; a failing message is received for the last time after about maxReceiveCount 5 x visibility timeout 2 minutes = '
    + '10 minutes, so it expires before it reaches the dead-letter queue: keep messages at least 10 minutes, or lower maxReceiveCount or the visibility timeout'],
  ['a retention shorter than maxReceiveCount x the visibility timeout', worker(() => ({ retentionPeriod: Duration.minutes(4) })),
    'retentionPeriod is 4 minutes; a failing message is received for the last time after about maxReceiveCount 5 x visibility timeout 1 minute = 5 minutes'],
  ['a brought queue with the same', worker(brought(Duration.minutes(30), Duration.days(14), 10, Duration.minutes(5))),
    'the given queue\'s retention is 30 minutes; a failing message is received for the last time after about maxReceiveCount 10 x visibility timeout '
    + '5 minutes = 50 minutes'],
  ['an age alarm at the retention', worker(() => ({ retentionPeriod: Duration.minutes(10), alarms: { oldestMessageAge: { maxAge: Duration.minutes(10) } } })),
    'alarms.oldestMessageAge.maxAge is 10 minutes; the queue keeps messages 10 minutes, so no message gets older and the alarm could never fire'],
  ['the default age alarm (15 minutes) over a 10-minute retention', worker(() => ({ retentionPeriod: Duration.minutes(10) })),
    'alarms.oldestMessageAge.maxAge is 15 minutes; the queue keeps messages 10 minutes'],
])('refuses %s', (_name, build, message) => {
  expect(() => build(newStack())).toThrow(message);
});

test.each<[string, (stack: Stack) => unknown]>([
  ['the defaults (4 days, a 14-day dead-letter queue)', worker(() => ({}))],
  ['a dead-letter queue as long as the queue', worker((s) => ({ retentionPeriod: Duration.days(4), deadLetterQueue: dlq(s, Duration.days(4)) }))],
  ['a FIFO dead-letter queue shorter than its FIFO queue (its messages restart their retention there)', worker((s) => ({
    fifo: true, retentionPeriod: Duration.days(7), deadLetterQueue: dlq(s, Duration.days(1), true),
  }))],
  ['a retention of exactly maxReceiveCount x visibility timeout', worker(() => ({ retentionPeriod: Duration.minutes(5), alarms: { oldestMessageAge: { maxAge: Duration.minutes(4) } } }))],
  ['a short retention with the age alarm switched off', worker(() => ({ retentionPeriod: Duration.minutes(10), alarms: { oldestMessageAge: { enabled: false } } }))],
])('accepts %s', (_name, build) => {
  expect(() => build(newStack())).not.toThrow();
});
