import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { EventHub, HubTarget, QueueWorker, SecureTopic } from '../../src';
import { INLINE_CODE, newStack } from '../support/app';

/*
 * From JavaScript nothing refuses an unknown key, and a misspelled option would be dropped without
 * a word (#10 item 13): every props and options struct of EventHub, SecureTopic and QueueWorker is
 * checked with the kit's checkKnownProps (src/private/props.ts), whose own test compares each key
 * list with its struct's declaration.
 */

const target = (stack: Stack) => HubTarget.queue(new sqs.Queue(stack, 'Target', { enforceSSL: true }));
const PATTERN = { source: ['shop'] };
const HANDLER = { code: INLINE_CODE, handler: 'index.handler' };
const js = <T>(value: unknown): T => value as T;

test.each<[string, (stack: Stack) => unknown, string]>([
  ['EventHubProps', (s) => new EventHub(s, 'Hub', js({ archiveRetentionDays: 7 })),
    'EventHub \'TestStack/Hub\': archiveRetentionDays is 7; EventHubProps has no such property. Its properties are complianceProfile, monitoring'],
  ['EventHubProps in Python\'s spelling', (s) => new EventHub(s, 'Hub', js({ dead_letter_queue: undefined, retry_attempts: 3 })),
    'retry_attempts is 3; EventHubProps has no such property (did you mean retryAttempts?)'],
  ['a route in routes', (s) => new EventHub(s, 'Hub', { routes: [js({ id: 'Paid', eventPattern: PATTERN, targets: [target(s)], retries: 3 })] }),
    'routes[0].retries is 3; HubRouteProps has no such property'],
  ['the options of addRoute', (s) => new EventHub(s, 'Hub').addRoute('Paid', js({ eventPattern: PATTERN, targets: [target(s)], separateDeadLetterQueues: true })),
    'options of route \'Paid\': separateDeadLetterQueues is true; HubRouteOptions has no such property (did you mean separateDeadLetterQueue?)'],
  ['the options of addSchedule', (s) => new EventHub(s, 'Hub').addSchedule('Tick', js({
    schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)), target: target(s), timewindow: scheduler.TimeWindow.off(),
  })), 'options of schedule \'Tick\': timewindow is'],
  ['SecureTopicProps', (s) => new SecureTopic(s, 'Topic', js({ fifoTopic: true })),
    'SecureTopic \'TestStack/Topic\': fifoTopic is true; SecureTopicProps has no such property'],
  ['the options of subscribeQueue', (s) => new SecureTopic(s, 'Topic').subscribeQueue('Orders', new sqs.Queue(s, 'Q', { enforceSSL: true }),
    js({ rawDelivery: true })), 'options of subscription \'Orders\': rawDelivery is true; QueueSubscriptionOptions has no such property'],
  ['rawMessageDelivery on subscribeFunction (queues only)', (s) => new SecureTopic(s, 'Topic').subscribeFunction('Audit',
    new QueueWorker(s, 'W', { handlerProps: HANDLER }).handler, js({ rawMessageDelivery: true })),
  'options of subscription \'Audit\': rawMessageDelivery is true; TopicSubscriptionOptions has no such property'],
  ['QueueWorkerProps', (s) => new QueueWorker(s, 'Worker', js({ handlerProps: HANDLER, maxRecieveCount: 3 })),
    'QueueWorker \'TestStack/Worker\': maxRecieveCount is 3; QueueWorkerProps has no such property (did you mean maxReceiveCount?)'],
  ['a misspelled handler prop (before the missing-handler error)', (s) => new QueueWorker(s, 'Worker', js({ handlerprops: HANDLER })),
    'handlerprops is {'],
  ['the options of grantPublish', (s) => new SecureTopic(s, 'Topic').grantPublish(new iam.ServicePrincipal('s3.amazonaws.com'), js({ sourceARN: 'arn:aws:s3:::b' })),
    'options of grantPublish(): sourceARN is \'arn:aws:s3:::b\'; ServiceGrantOptions has no such property (did you mean sourceArn?)'],
])('refuses an unknown key in %s', (_name, build, message) => {
  expect(() => build(newStack())).toThrow(message);
});

test('null options from Python (None) are no options', () => {
  const stack = newStack();
  const topic = new SecureTopic(stack, 'Topic');
  expect(() => topic.subscribeQueue('Orders', new sqs.Queue(stack, 'Q', { enforceSSL: true }), js(null))).not.toThrow();
  expect(() => topic.grantPublish(new iam.ServicePrincipal('s3.amazonaws.com'), js(null))).not.toThrow();
});
