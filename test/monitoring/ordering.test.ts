import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Monitoring, QueueWorker } from '../../src';
import { INLINE_CODE, testStack } from '../support/app';

const HANDLER = { code: INLINE_CODE, handler: 'index.handler' };

describe('one Monitoring per stack', () => {
  test('a Monitoring created after the default one would get no alarms: that is an error', () => {
    const stack = testStack();
    new QueueWorker(stack, 'Worker', { handlerProps: HANDLER });
    expect(() => new Monitoring(stack, 'Monitoring', { emailAddresses: ['oncall@example.com'] }))
      .toThrow("Monitoring 'TestStack/Monitoring': the stack already has the default Monitoring");
  });

  test('a Monitoring created first is the one constructs use', () => {
    const stack = testStack();
    const monitoring = new Monitoring(stack, 'Monitoring', { emailAddresses: ['oncall@example.com'] });
    new QueueWorker(stack, 'Worker', { handlerProps: HANDLER });
    expect(Monitoring.of(stack)).toBe(monitoring);
    Template.fromStack(stack).resourceCountIs('AWS::SNS::Topic', 1);
  });

  test('a second Monitoring passed explicitly is allowed (alarms go where they are sent)', () => {
    const stack = testStack();
    new Monitoring(stack, 'Main');
    const team = new Monitoring(stack, 'Team');
    const worker = new QueueWorker(stack, 'Worker', { monitoring: team, handlerProps: HANDLER });
    expect(team.alarms).toEqual(expect.arrayContaining(worker.alarms));
  });

  test('composite alarms can be registered', () => {
    const stack = testStack();
    const monitoring = new Monitoring(stack, 'Monitoring');
    const worker = new QueueWorker(stack, 'Worker', { handlerProps: HANDLER });
    const composite = new cloudwatch.CompositeAlarm(stack, 'Any', {
      alarmRule: cloudwatch.AlarmRule.anyOf(...worker.alarms),
      alarmDescription: 'Any alarm of the worker',
    });
    monitoring.addAlarm(composite);
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmActions: [stack.resolve(monitoring.alarmTopic.topicArn)],
    });
  });
});

describe('the stack-level alarms can be tuned or switched off', () => {
  test('subscription DLQ alarm threshold and period', () => {
    const stack = testStack();
    const monitoring = new Monitoring(stack, 'Monitoring', {
      emailAddresses: ['oncall@example.com'],
      alarms: { subscriptionDeadLetterQueue: { threshold: 3, period: Duration.minutes(5) } },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: stack.resolve(monitoring.subscriptionDeadLetterQueue!.queueName) }],
      Threshold: 3,
      Period: 300,
    });
  });

  test('async-failure queue alarm switched off', () => {
    const stack = testStack();
    new Monitoring(stack, 'Monitoring', { alarms: { asyncFailureQueue: { enabled: false } } });
    new QueueWorker(stack, 'Worker', { handlerProps: HANDLER });
    const queueName = stack.resolve((stack.node.findChild('BulwarkAsyncFailureQueue') as sqs.Queue).queueName);
    const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))
      .filter((a) => JSON.stringify(a.Properties.Dimensions ?? []).includes(JSON.stringify(queueName)));
    expect(alarms).toEqual([]);
  });

  test('bad options name Monitoring and the prop', () => {
    expect(() => new Monitoring(testStack(), 'Monitoring', { alarms: { asyncFailureQueue: { period: Duration.seconds(7) } } }))
      .toThrow("Monitoring 'TestStack/Monitoring': alarms.asyncFailureQueue.period is 7 seconds; CloudWatch takes 10 seconds, 30 seconds or a multiple of 60 seconds");
  });
});
