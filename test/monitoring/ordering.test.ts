import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
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
