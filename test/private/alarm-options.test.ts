import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  EventHub, Monitoring, QueueWorker, SecureApi, SecureFunction, SecureHttpApi, SecureTopic, UserDirectory, HttpApiAuthorization,
} from '../../src';
import { INLINE_CODE, newStack } from '../support/app';
import { escapeRegExp } from '../support/template';

/*
 * Every alarm option of every construct is validated at construction, before any resource exists,
 * and an option is never dropped: it takes effect or it is an error. One table for the library, so
 * that a construct added later joins it.
 */

const HANDLER = { code: INLINE_CODE, handler: 'index.handler' };

/** Each construct, made with `alarms`, and the alarm options it takes. */
const CONSTRUCTS: Array<[string, string[], (scope: Construct, alarms: any) => Construct]> = [
  ['SecureFunction', ['errors', 'throttles'], (s, alarms) => new SecureFunction(s, 'X', { ...HANDLER, alarms })],
  ['QueueWorker', ['deadLetterQueueMessages', 'oldestMessageAge', 'handlerErrors', 'handlerThrottles'],
    (s, alarms) => new QueueWorker(s, 'X', { handlerProps: HANDLER, alarms })],
  ['Monitoring', ['subscriptionDeadLetterQueue', 'asyncFailureQueue'], (s, alarms) => new Monitoring(s, 'X', { alarms })],
  ['SecureTopic', ['notificationsFailed', 'notificationsFailedToRedriveToDlq', 'deadLetterQueueMessages'],
    (s, alarms) => new SecureTopic(s, 'X', { alarms })],
  ['EventHub', ['deadLetterQueueMessages', 'failedInvocations', 'invocationsSentToDlq', 'invocationsFailedToBeSentToDlq',
    'scheduleInvocationsSentToDlq', 'scheduleInvocationsFailedToBeSentToDlq'], (s, alarms) => new EventHub(s, 'X', { alarms })],
  ['SecureApi', ['serverErrorRate', 'clientErrorRate', 'latencyP90', 'throttledRequests'], (s, alarms) => new SecureApi(s, 'X', { alarms })],
  ['SecureHttpApi', ['serverErrorRate', 'clientErrorRate', 'latencyP90'],
    (s, alarms) => new SecureHttpApi(s, 'X', { authorization: HttpApiAuthorization.iam(), alarms })],
  ['UserDirectory', ['signInThrottles', 'tokenRefreshThrottles'], (s, alarms) => new UserDirectory(s, 'X', { alarms })],
];

/** A bad value for each kind of option, and the message it gives. */
const BAD_OPTIONS: Array<[string, Record<string, unknown>, (option: string) => string]> = [
  ['a 7-second period', { period: Duration.seconds(7) },
    (o) => `alarms.${o}.period is 7 seconds; CloudWatch takes 10 seconds, 30 seconds or a multiple of 60 seconds`],
  ['zero evaluation periods', { evaluationPeriods: 0 }, (o) => `alarms.${o}.evaluationPeriods is 0; it must be an integer from 1 to 100`],
  ['more datapoints than periods', { evaluationPeriods: 1, datapointsToAlarm: 2 },
    (o) => `alarms.${o}.datapointsToAlarm is 2; it must be an integer from 1 to 1`],
  ['enabled that is not a boolean', { enabled: 'yes' }, (o) => `alarms.${o}.enabled is 'yes'; it must be true or false`],
  ['a key no alarm takes', { thresold: 3 }, (o) => `alarms.${o}.thresold is 3; this alarm takes enabled, period, evaluationPeriods`],
];

const CASES = CONSTRUCTS.flatMap(([name, options, make]) => options.flatMap((option) =>
  BAD_OPTIONS.map(([what, value, message]) => [`${name} alarms.${option}: ${what}`, name, make, { [option]: value }, message(option)] as const)));

describe('every alarm option of every construct is checked at construction', () => {
  test.each(CASES)('%s', (_title, name, make, alarms, message) => {
    const stack = newStack();
    const run = () => make(stack, alarms);
    expect(run).toThrow(new RegExp(`^${name} 'TestStack/X': ${escapeRegExp(message)}`));
    expect(run).not.toThrow(TypeError);
  });

  test.each(CONSTRUCTS)('%s: an alarm it does not have is an error, naming the ones it has', (name, options, make) => {
    const typeName = name === 'SecureFunction' ? 'FunctionAlarmsProps' : `${name}AlarmsProps`;
    expect(() => make(newStack(), { noSuchAlarm: { threshold: 1 } }))
      .toThrow(`${name} 'TestStack/X': alarms.noSuchAlarm is {"threshold":1}; 'noSuchAlarm' is not an alarm of ${typeName}; its alarms are ${options.join(', ')}`);
  });

  test.each(CONSTRUCTS)('%s: a bad option fails before any resource is made, in the construct or the stack', (_name, options, make) => {
    const stack = newStack();
    const before = stack.node.findAll().length;
    expect(() => make(stack, { [options[0]]: { period: Duration.seconds(7) } })).toThrow();
    // Only the construct itself was added (its constructor had started): no child, no Monitoring, no key.
    expect(stack.node.findAll().map((c) => c.node.path).slice(before)).toEqual(['TestStack/X']);
  });
});

describe('options that cannot take effect are refused, never dropped', () => {
  test('an EventHub without routes refuses a route alarm with a 7-second period', () => {
    expect(() => new EventHub(newStack(), 'Hub', { alarms: { failedInvocations: { period: Duration.seconds(7) } } }))
      .toThrow("EventHub 'TestStack/Hub': alarms.failedInvocations.period is 7 seconds");
  });

  test('a QueueWorker with a brought SecureFunction refuses handler alarm options (even a valid one)', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', HANDLER);
    expect(() => new QueueWorker(stack, 'W', { handler: fn.lambdaFunction, alarms: { handlerErrors: { threshold: -1 } } }))
      .toThrow("QueueWorker 'TestStack/W': alarms.handlerErrors.threshold is -1; it must be a number of 0 or more");
    expect(() => new QueueWorker(stack, 'W2', { handler: fn.lambdaFunction, alarms: { handlerErrors: { threshold: 2 } } }))
      .toThrow("QueueWorker 'TestStack/W2': alarms.handlerErrors is {\"threshold\":2}; it cannot take effect: the handler is the function of the "
        + "SecureFunction TestStack/Fn, which has its own alarm: tune it with that SecureFunction's alarms");
    expect(() => new QueueWorker(stack, 'W3', { handler: fn.lambdaFunction, alarms: { handlerThrottles: { enabled: false } } })).not.toThrow();
  });

  test('the refusal comes before anything is made: no queue, and the brought function is not wired to one', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', HANDLER);
    const before = stack.node.findAll().length;
    expect(() => new QueueWorker(stack, 'W', { handler: fn.lambdaFunction, alarms: { handlerErrors: { threshold: 2 } } })).toThrow();
    expect(stack.node.findAll().map((c) => c.node.path).slice(before)).toEqual(['TestStack/W']);
    expect(fn.lambdaFunction.node.findAll().filter((c) => c instanceof lambda.EventSourceMapping)).toEqual([]);
  });

  test('a Monitoring with a topic of your own refuses subscription dead-letter queue options (there are no subscriptions of ours)', () => {
    const stack = newStack();
    const alarmTopic = sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:eu-west-1:123456789012:alarms');
    expect(() => new Monitoring(stack, 'M', { alarmTopic, alarms: { subscriptionDeadLetterQueue: { threshold: 3 } } }))
      .toThrow("Monitoring 'TestStack/M': alarms.subscriptionDeadLetterQueue is {\"threshold\":3}; it cannot take effect: with alarmTopic the "
        + 'subscriptions are yours');
  });

  test('a QueueWorker with a plain function handler applies the handler alarm options itself', () => {
    const stack = newStack();
    const fn = new lambda.Function(stack, 'Plain', { ...HANDLER, runtime: lambda.Runtime.NODEJS_22_X });
    const worker = new QueueWorker(stack, 'W', { handler: fn, alarms: { handlerErrors: { threshold: 4 } } });
    const errors = worker.node.findChild('Alarms').node.findChild('ErrorsAlarm');
    expect(Stack.of(worker).resolve((errors.node.defaultChild as any).threshold)).toBe(4);
  });

  test('a QueueWorker on a queue from elsewhere refuses dead-letter queue alarm options', () => {
    const stack = newStack();
    const queue = sqs.Queue.fromQueueArn(stack, 'Q', 'arn:aws:sqs:eu-west-1:123456789012:orders');
    expect(() => new QueueWorker(stack, 'W', { queue, handlerProps: HANDLER, alarms: { deadLetterQueueMessages: { threshold: 3 } } }))
      .toThrow(/alarms.deadLetterQueueMessages is \{"threshold":3\}; it cannot take effect: the dead-letter queue of TestStack\/Q is not known here/);
  });

  test('Monitoring refuses asyncFailureQueue options when no SecureFunction uses it (at synthesis: functions come later)', () => {
    const stack = newStack();
    new Monitoring(stack, 'Main');
    new Monitoring(stack, 'Team', { alarms: { asyncFailureQueue: { threshold: 2 } } });
    expect(() => (stack.node.root as App).synth())
      .toThrow(/alarms.asyncFailureQueue is \{"threshold":2\}; it cannot take effect: no SecureFunction of this stack/);
  });

  test('Monitoring applies asyncFailureQueue options when the first SecureFunction uses it', () => {
    const stack = newStack();
    new Monitoring(stack, 'Main', { alarms: { asyncFailureQueue: { threshold: 2 } } });
    new SecureFunction(stack, 'Fn', HANDLER);
    const alarm = stack.node.findChild('BulwarkAsyncFailureQueue').node.findChild('Alarms').node.findChild('MessagesVisibleAlarm');
    expect(stack.resolve((alarm.node.defaultChild as any).threshold)).toBe(2);
  });
});
