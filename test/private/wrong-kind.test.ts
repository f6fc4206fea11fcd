import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { EventHub, HubTarget, QueueWorker, SecureFunction, SecureTopic } from '../../src';
import { INLINE_CODE, newStack, thrownBy } from '../support/app';

/*
 * Every prop and parameter of EventHub, SecureTopic and QueueWorker that takes a resource refuses
 * a resource of the wrong kind (what JavaScript, Python and Java callers can pass despite the
 * types) with an error naming the construct, the prop, the value and the expected kind: never a
 * TypeError from inside CDK. The checks live in one place, src/private/shapes.ts.
 */

const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const RATE = scheduler.ScheduleExpression.rate(Duration.hours(1));
const PATTERN = { source: ['shop.orders'] };

function worker(stack: Stack): QueueWorker {
  return new QueueWorker(stack, 'Worker', { handlerProps: { code: INLINE_CODE, handler: 'index.handler' } });
}
function secureFunction(stack: Stack): SecureFunction {
  return new SecureFunction(stack, 'Fn', { code: INLINE_CODE, handler: 'index.handler' });
}
function topic(stack: Stack): sns.Topic {
  return new sns.Topic(stack, 'Plain');
}
/** A value of the wrong type, as a JavaScript caller passes it. */
function js<T>(value: unknown): T {
  return value as T;
}

const CASES: Array<[string, (stack: Stack) => unknown, string]> = [
  // EventHub
  ['EventHub eventBus: a queue', (s) => new EventHub(s, 'Hub', { eventBus: js(new sqs.Queue(s, 'Q')) }),
    'EventHub \'TestStack/Hub\': eventBus is \'TestStack/Q\'; it must be an EventBridge event bus (events.IEventBus; for an ARN use '
    + 'events.EventBus.fromEventBusArn()), and this is a Queue (AWS::SQS::Queue)'],
  ['EventHub eventBus: an ARN string', (s) => new EventHub(s, 'Hub', { eventBus: js('arn:aws:events:eu-west-1:123456789012:event-bus/b') }),
    'eventBus is \'arn:aws:events:eu-west-1:123456789012:event-bus/b\'; it must be an EventBridge event bus (events.IEventBus; for an ARN use '
    + 'events.EventBus.fromEventBusArn()), not a string'],
  ['EventHub key: an ARN string', (s) => new EventHub(s, 'Hub', { key: js(KEY_ARN) }),
    `EventHub 'TestStack/Hub': key is '${KEY_ARN}'; it must be a KMS key (kms.IKey; for an ARN use kms.Key.fromKeyArn()), not a string`],
  ['EventHub deadLetterQueue: a topic', (s) => new EventHub(s, 'Hub', { deadLetterQueue: js(topic(s)) }),
    'deadLetterQueue is \'TestStack/Plain\'; it must be an SQS queue (sqs.IQueue): a queue of this app, or one from sqs.Queue.fromQueueArn(), '
    + 'and this is a Topic (AWS::SNS::Topic)'],
  ['route deadLetterQueue: a QueueWorker', (s) => new EventHub(s, 'Hub').addRoute('Paid', {
    eventPattern: PATTERN, targets: [HubTarget.topic(topic(s))], deadLetterQueue: js(worker(s)),
  }), 'route \'Paid\' deadLetterQueue is \'TestStack/Worker\'; it must be an SQS queue (sqs.IQueue): a queue of this app, or one from '
    + 'sqs.Queue.fromQueueArn(), and this is a QueueWorker'],
  ['HubTarget.queue(worker)', (s) => new EventHub(s, 'Hub').addRoute('Paid', { eventPattern: PATTERN, targets: [HubTarget.queue(js(worker(s)))] }),
    'route \'Paid\' targets[0] is \'TestStack/Worker\'; HubTarget.queue() needs an SQS queue (sqs.IQueue), such as a QueueWorker\'s queue, '
    + 'and this is a QueueWorker'],
  ['HubTarget.lambdaFunction(secureFunction)', (s) => new EventHub(s, 'Hub').addRoute('Paid', {
    eventPattern: PATTERN, targets: [HubTarget.lambdaFunction(js(secureFunction(s)))],
  }), 'route \'Paid\' targets[0] is \'TestStack/Fn\'; HubTarget.lambdaFunction() needs a Lambda function (lambda.IFunction), and this is a SecureFunction'],
  ['HubTarget.topic(queue)', (s) => new EventHub(s, 'Hub').addRoute('Paid', { eventPattern: PATTERN, targets: [HubTarget.topic(js(new sqs.Queue(s, 'Q')))] }),
    'HubTarget.topic() needs an SNS topic (sns.ITopic), such as a SecureTopic\'s topic, and this is a Queue (AWS::SQS::Queue)'],
  ['HubTarget.eventBus(ARN string)', (s) => new EventHub(s, 'Hub').addRoute('Paid', {
    eventPattern: PATTERN, targets: [HubTarget.eventBus(js('arn:aws:events:eu-west-1:123456789012:event-bus/b'))],
  }), 'targets[0] is \'arn:aws:events:eu-west-1:123456789012:event-bus/b\'; HubTarget.eventBus() needs an EventBridge event bus (events.IEventBus; '
    + 'for an ARN use events.EventBus.fromEventBusArn()), not a string'],
  ['schedule deadLetterQueue: a topic', (s) => new EventHub(s, 'Hub').addSchedule('Tick', {
    schedule: RATE, target: HubTarget.topic(topic(s)), deadLetterQueue: js(new sns.Topic(s, 'Other')),
  }), 'schedule \'Tick\' deadLetterQueue is \'TestStack/Other\'; it must be an SQS queue (sqs.IQueue)'],
  ['schedule input: a string', (s) => new EventHub(s, 'Hub').addSchedule('Tick', { schedule: RATE, target: HubTarget.topic(topic(s)), input: js('{}') }),
    'schedule \'Tick\' input is \'{}\'; it must be a scheduler.ScheduleTargetInput: .fromObject({ ... }) or .fromText(\'...\')'],
  ['schedule timeWindow: a Duration', (s) => new EventHub(s, 'Hub').addSchedule('Tick', {
    schedule: RATE, target: HubTarget.topic(topic(s)), timeWindow: js(Duration.minutes(5)),
  }), 'schedule \'Tick\' timeWindow is 5 minutes; it must be a scheduler.TimeWindow: .off() or .flexible(Duration.minutes(n))'],
  ['grantPutEvents(a string)', (s) => new EventHub(s, 'Hub').grantPutEvents(js('arn:aws:iam::123456789012:role/app')),
    'the grantee of grantPutEvents() is \'arn:aws:iam::123456789012:role/app\'; it must be an iam.IGrantable: a role, a user, a function, '
    + 'or a principal such as new iam.ServicePrincipal(\'s3.amazonaws.com\'), not a string'],

  // SecureTopic
  ['SecureTopic key: an ARN string', (s) => new SecureTopic(s, 'Topic', { key: js(KEY_ARN) }),
    `SecureTopic 'TestStack/Topic': key is '${KEY_ARN}'; it must be a KMS key (kms.IKey; for an ARN use kms.Key.fromKeyArn()), not a string`],
  ['subscribeQueue(worker)', (s) => new SecureTopic(s, 'Topic').subscribeQueue('Orders', js(worker(s))),
    'queue of subscription \'Orders\' is \'TestStack/Worker\'; it must be an SQS queue (sqs.IQueue), such as a QueueWorker\'s queue, and this is a QueueWorker'],
  ['subscribeQueue(topic)', (s) => new SecureTopic(s, 'Topic').subscribeQueue('Orders', js(topic(s))),
    'queue of subscription \'Orders\' is \'TestStack/Plain\'; it must be an SQS queue (sqs.IQueue), such as a QueueWorker\'s queue, '
    + 'and this is a Topic (AWS::SNS::Topic)'],
  ['subscribeFunction(secureFunction)', (s) => new SecureTopic(s, 'Topic').subscribeFunction('Audit', js(secureFunction(s))),
    'function of subscription \'Audit\' is \'TestStack/Fn\'; it must be a Lambda function (lambda.IFunction), such as a SecureFunction\'s '
    + 'lambdaFunction, and this is a SecureFunction'],
  ['subscription deadLetterQueue: a topic', (s) => new SecureTopic(s, 'Topic').subscribeQueue('Orders', new sqs.Queue(s, 'Q'), { deadLetterQueue: js(topic(s)) }),
    'deadLetterQueue of subscription \'Orders\' is \'TestStack/Plain\'; it must be an SQS queue (sqs.IQueue), or left unset to have one created, '
    + 'and this is a Topic (AWS::SNS::Topic)'],
  ['grantPublish(a string)', (s) => new SecureTopic(s, 'Topic').grantPublish(js('arn:aws:iam::123456789012:role/app')),
    'the grantee of grantPublish() is \'arn:aws:iam::123456789012:role/app\'; it must be an iam.IGrantable'],
  ['grantPublish(undefined)', (s) => new SecureTopic(s, 'Topic').grantPublish(js(undefined)),
    'the grantee of grantPublish() is undefined; it must be an iam.IGrantable'],

  // QueueWorker
  ['QueueWorker queue: a QueueWorker', (s) => new QueueWorker(s, 'Other', { queue: js(worker(s)), handler: secureFunction(s).lambdaFunction }),
    'QueueWorker \'TestStack/Other\': queue is \'TestStack/Worker\'; it must be an SQS queue (sqs.IQueue), and this is a QueueWorker'],
  ['QueueWorker deadLetterQueue: a topic', (s) => new QueueWorker(s, 'Other', { deadLetterQueue: js(topic(s)), handler: secureFunction(s).lambdaFunction }),
    'deadLetterQueue is \'TestStack/Plain\'; it must be an SQS queue (sqs.IQueue), and this is a Topic (AWS::SNS::Topic)'],
  ['QueueWorker key: an ARN string', (s) => new QueueWorker(s, 'Other', { key: js(KEY_ARN), handler: secureFunction(s).lambdaFunction }),
    `key is '${KEY_ARN}'; it must be a KMS key (kms.IKey; for an ARN use kms.Key.fromKeyArn()), not a string`],
  ['QueueWorker handler: a SecureFunction', (s) => new QueueWorker(s, 'Other', { handler: js(secureFunction(s)) }),
    'handler is \'TestStack/Fn\'; it must be a Lambda function (lambda.IFunction), such as a SecureFunction\'s lambdaFunction'],
  ['grantSendMessages(a plain object)', (s) => worker(s).grantSendMessages(js({ principal: 'x' })),
    'the grantee of grantSendMessages() is {"principal":"x"}; it must be an iam.IGrantable'],
];

test.each(CASES)('%s is refused with a clear message', (_name, build, message) => {
  const stack = newStack();
  const error = thrownBy(() => build(stack));
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).name).toBe('BulwarkError');
  expect((error as Error).message).toContain(message);
});

test('the right kinds pass the same checks (imported resources included)', () => {
  const stack = newStack();
  const queue = sqs.Queue.fromQueueArn(stack, 'Imported', 'arn:aws:sqs:eu-west-1:123456789012:orders');
  const hub = new EventHub(stack, 'Hub');
  hub.addRoute('Paid', { eventPattern: PATTERN, targets: [HubTarget.queue(queue)] });
  const secureTopic = new SecureTopic(stack, 'Topic');
  secureTopic.subscribeQueue('Orders', new sqs.Queue(stack, 'Q', { enforceSSL: true }));
  secureTopic.grantPublish(new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() }));
  expect(hub.routes).toHaveLength(1);
});
