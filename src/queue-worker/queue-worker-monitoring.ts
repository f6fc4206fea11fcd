import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { HANDLER_ALARMS } from '../function/handler';
import { AlarmMeasure, AlarmSpec } from '../private/alarm-set';
import { deadLetterQueueAlarm } from '../private/dead-letter-queue';
import { ALARM_DEFAULTS } from '../private/defaults/alarms';

// Internal to the library (not re-exported from index.ts): the alarms of a QueueWorker.

/** The alarms of a QueueWorker, keyed like `QueueWorkerAlarmsProps`. */
export const QUEUE_WORKER_ALARMS = {
  deadLetterQueueMessages: deadLetterQueueAlarm('deadLetterQueueMessages', ({ where }) =>
    `Messages that failed processing maxReceiveCount times are in the dead-letter queue of ${where}. `
    + 'Inspect them: SQS console > the dead-letter queue > Send and receive messages > Poll for messages '
    + '(or aws sqs receive-message --queue-url <DLQ URL> --attribute-names All --message-attribute-names All). '
    + 'Find the cause in the handler\'s log group and X-Ray traces and deploy a fix. Then redrive them to the source queue: '
    + 'SQS console > the dead-letter queue > Start DLQ redrive (or aws sqs start-message-move-task --source-arn <DLQ ARN>). '
    + 'Messages expire 14 days after they were first sent (a standard queue keeps the original enqueue time).'),
  oldestMessageAge: {
    id: 'OldestMessageAgeAlarm',
    option: 'oldestMessageAge',
    measure: AlarmMeasure.AGE,
    defaults: ALARM_DEFAULTS.oldestMessageAge,
    range: { min: Duration.seconds(1), max: Duration.days(14) },
    describe: ({ where, alarm }) => `The oldest message in the queue of ${where} has waited longer than ${alarm.maxAge!.toHumanString()}: `
      + 'the handler is not keeping up or keeps failing on some messages. Check the handler\'s Errors and Throttles, its log group, and whether '
      + 'maxConcurrency or reserved concurrency caps it; raise them or fix the failing messages.',
  },
  ...HANDLER_ALARMS,
} satisfies Record<string, AlarmSpec>;

/** The metric of the oldest-message alarm: age of the oldest message, maximum. */
export function oldestMessageAge(queue: sqs.IQueue): (period: Duration) => cloudwatch.IMetric {
  return (period) => queue.metricApproximateAgeOfOldestMessage({ period, statistic: cloudwatch.Stats.MAXIMUM });
}
