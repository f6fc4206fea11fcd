import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SecureTopic, SecureTopicAlarmsProps } from '../../src';
import { newStack } from '../support/app';
import { escapeRegExp } from '../support/template';

const ALARMS = ['notificationsFailed', 'notificationsFailedToRedriveToDlq', 'deadLetterQueueMessages'] as const;

/** Every way an option of one alarm can be wrong, with the message that names it. */
function invalidOptions(alarm: string): Array<[string, unknown, string]> {
  return [
    ['an unknown key', { maxAge: Duration.minutes(5) },
      `alarms.${alarm}.maxAge is 5 minutes; this alarm takes enabled, period, evaluationPeriods, datapointsToAlarm, threshold`],
    ['a period CloudWatch does not take', { period: Duration.seconds(45) },
      `alarms.${alarm}.period is 45 seconds; CloudWatch takes 10 seconds, 30 seconds or a multiple of 60 seconds`],
    ['a negative threshold', { threshold: -1 }, `alarms.${alarm}.threshold is -1; it must be a number of 0 or more`],
    ['more datapoints than evaluation periods', { evaluationPeriods: 2, datapointsToAlarm: 3 },
      `alarms.${alarm}.datapointsToAlarm is 3; it must be an integer from 1 to 2`],
    ['options that are not an object', 5, `alarms.${alarm} is 5; it must be an object of alarm options`],
  ];
}

const cases: Array<[string, unknown, string]> = [
  ['an unknown alarm', { deadLetterQueueDepth: { threshold: 1 } },
    'alarms.deadLetterQueueDepth is {"threshold":1}; \'deadLetterQueueDepth\' is not an alarm of SecureTopicAlarmsProps; '
    + 'its alarms are notificationsFailed, notificationsFailedToRedriveToDlq, deadLetterQueueMessages'],
  ['alarms that are not an object', 'all', 'alarms is \'all\'; it must be a SecureTopicAlarmsProps object, or left out for the defaults'],
  ...ALARMS.flatMap((alarm) => invalidOptions(alarm).map(([what, options, message]): [string, unknown, string] =>
    [`${alarm}: ${what}`, { [alarm]: options }, message])),
];

describe('SecureTopic alarm options', () => {
  // The dead-letter queue alarm is made per subscription; no subscription is made here, so each
  // case proves that its options are checked when the topic is constructed.
  test.each(cases)('%s is rejected when the topic is constructed, before any subscription or resource', (_name, alarms, message) => {
    const stack = newStack();
    const run = () => new SecureTopic(stack, 'T', { alarms: alarms as SecureTopicAlarmsProps });
    expect(run).toThrow(new RegExp(`^SecureTopic 'TestStack/T': ${escapeRegExp(message)}`));
    expect(stack.node.findChild('T').node.children).toEqual([]);
    expect(stack.node.tryFindChild('BulwarkMonitoring')).toBeUndefined();
  });

  test('enabled: false alone is accepted for every alarm, and no alarm is made', () => {
    const stack = newStack();
    const disabled = Object.fromEntries(ALARMS.map((alarm) => [alarm, { enabled: false }]));
    const topic = new SecureTopic(stack, 'T', { alarms: disabled });
    const sub = topic.subscribeQueue('Q', subscriberQueue(stack));
    expect(topic.alarms).toEqual([]);
    expect(sub.deadLetterQueueAlarm).toBeUndefined();
  });

  test('an option left undefined keeps its default (the dead-letter queue alarm still fires above 0)', () => {
    const stack = newStack();
    const topic = new SecureTopic(stack, 'T', { alarms: { deadLetterQueueMessages: { threshold: undefined, evaluationPeriods: 3 } } });
    const alarm = topic.subscribeQueue('Q', subscriberQueue(stack)).deadLetterQueueAlarm!.node.defaultChild as cloudwatch.CfnAlarm;
    expect([alarm.threshold, alarm.evaluationPeriods]).toEqual([0, 3]);
  });
});

function subscriberQueue(stack: Stack): sqs.Queue {
  return new sqs.Queue(stack, 'Subscriber', { enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED });
}
