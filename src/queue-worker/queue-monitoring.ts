import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QueueWorkerAlarmsProps } from './queue-worker-alarms';
import { thresholdAlarm } from '../private/alarms';
import { ALARM_DEFAULTS } from '../private/defaults/alarms';
import { checkDuration, shortPath } from '../private/validation';

// Internal to the library (not re-exported from index.ts): the queue-side alarms of a QueueWorker.

/** Creates the queue-side alarms of a QueueWorker under `scope`. */
export function createQueueAlarms(scope: Construct, queue: sqs.IQueue, deadLetterQueue: sqs.IQueue | undefined,
  props: QueueWorkerAlarmsProps = {}): cloudwatch.Alarm[] {
  const alarms: cloudwatch.Alarm[] = [];
  const dlq = { ...ALARM_DEFAULTS.deadLetterQueueMessages, ...props.deadLetterQueueMessages };
  if (deadLetterQueue && (dlq.enabled ?? true)) {
    alarms.push(thresholdAlarm(scope, 'DeadLetterQueueAlarm', 'alarms.deadLetterQueueMessages',
      (period) => deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: cloudwatch.Stats.MAXIMUM }), dlq,
      `Messages that failed processing maxReceiveCount times are in the dead-letter queue of ${shortPath(scope)}. `
      + 'Inspect them: SQS console > the dead-letter queue > Send and receive messages > Poll for messages '
      + '(or aws sqs receive-message --queue-url <DLQ URL> --attribute-names All --message-attribute-names All). '
      + 'Find the cause in the handler\'s log group and X-Ray traces and deploy a fix. Then redrive them to the source queue: '
      + 'SQS console > the dead-letter queue > Start DLQ redrive (or aws sqs start-message-move-task --source-arn <DLQ ARN>). '
      + 'Messages expire 14 days after they were first sent (a standard queue keeps the original enqueue time).'));
  }
  const age = { ...ALARM_DEFAULTS.oldestMessageAge, ...props.oldestMessageAge };
  if (age.enabled ?? true) {
    checkDuration(scope, 'alarms.oldestMessageAge.maxAge', age.maxAge, Duration.seconds(1), Duration.days(14));
    alarms.push(thresholdAlarm(scope, 'OldestMessageAgeAlarm', 'alarms.oldestMessageAge',
      (period) => queue.metricApproximateAgeOfOldestMessage({ period, statistic: cloudwatch.Stats.MAXIMUM }),
      { ...age, threshold: age.maxAge.toSeconds() },
      `The oldest message in the queue of ${shortPath(scope)} has waited longer than ${age.maxAge.toHumanString()}: the handler is not keeping up `
      + 'or keeps failing on some messages. Check the handler\'s Errors and Throttles, its log group, and whether maxConcurrency or '
      + 'reserved concurrency caps it; raise them or fix the failing messages.'));
  }
  return alarms;
}
