import { App, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { EventHub, HubTarget, QueueWorker, SecureTopic } from '../../src';
import { INLINE_CODE, newStack, testApp } from '../support/app';

/*
 * A dead-letter queue must be where the service that writes to it requires, and the library refuses
 * one that its ARN or stack places elsewhere (#10 item 5):
 * - SNS: "The Amazon SNS subscription and Amazon SQS queue must be under the same AWS account and Region"
 *   (https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html); a subscription lives with its topic.
 * - EventBridge: a rule's dead-letter queue is in the rule's region, another account is allowed (CDK's own
 *   targets refuse the same: "Both the queue and the rule must be in the same region"; cross-account DLQs need
 *   the queue policy, https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html).
 * - SQS: a dead-letter queue is in the source queue's account and region
 *   (https://docs.aws.amazon.com/sdk-for-java/v1/developer-guide/examples-sqs-dead-letter-queues.html).
 * Subscriber queues are not refused: SNS delivers across accounts and regions
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-cross-region-delivery.html).
 */

const HERE = 'arn:aws:sqs:eu-west-1:123456789012:dlq';
const OTHER_REGION = 'arn:aws:sqs:us-east-1:123456789012:dlq';
const OTHER_ACCOUNT = 'arn:aws:sqs:eu-west-1:210987654321:dlq';

function imported(stack: Stack, arn: string): sqs.IQueue {
  return sqs.Queue.fromQueueArn(stack, 'Dlq', arn);
}

const subscribe = (arn: string) => (stack: Stack) => new SecureTopic(stack, 'Topic')
  .subscribeQueue('Orders', new sqs.Queue(stack, 'Subscriber', { enforceSSL: true }), { deadLetterQueue: imported(stack, arn) });
const hub = (arn: string) => (stack: Stack) => new EventHub(stack, 'Hub', { deadLetterQueue: imported(stack, arn) });
const route = (arn: string) => (stack: Stack) => new EventHub(stack, 'Hub').addRoute('Paid', {
  eventPattern: { source: ['shop'] }, targets: [HubTarget.queue(new sqs.Queue(stack, 'Target', { enforceSSL: true }))], deadLetterQueue: imported(stack, arn),
});
const worker = (arn: string) => (stack: Stack) => new QueueWorker(stack, 'Worker', {
  deadLetterQueue: imported(stack, arn), handlerProps: { code: INLINE_CODE, handler: 'index.handler' },
});

test.each<[string, (stack: Stack) => unknown, string]>([
  ['a subscription dead-letter queue in another region', subscribe(OTHER_REGION),
    'SecureTopic \'TestStack/Topic\': deadLetterQueue of subscription \'Orders\' is \'TestStack/Dlq\'; it is in account 123456789012 and region us-east-1, '
    + 'but SNS requires the account and region of the subscription (the topic\'s) (account 123456789012 and region eu-west-1); give a queue there'],
  ['a subscription dead-letter queue in another account', subscribe(OTHER_ACCOUNT),
    'it is in account 210987654321 and region eu-west-1, but SNS requires the account and region of the subscription (the topic\'s)'],
  ['the hub\'s dead-letter queue in another region', hub(OTHER_REGION),
    'EventHub \'TestStack/Hub\': deadLetterQueue is \'TestStack/Dlq\'; it is in region us-east-1, but EventBridge requires the region of the hub\'s '
    + 'rules and bus (region eu-west-1); give a queue there'],
  ['a route\'s dead-letter queue in another region', route(OTHER_REGION),
    'EventHub \'TestStack/Hub\': route \'Paid\' deadLetterQueue is \'TestStack/Dlq\'; it is in region us-east-1, but EventBridge requires the region'],
  ['a QueueWorker dead-letter queue in another region', worker(OTHER_REGION),
    'QueueWorker \'TestStack/Worker\': deadLetterQueue is \'TestStack/Dlq\'; it is in account 123456789012 and region us-east-1, but SQS requires '
    + 'the account and region of the queue that redrives to it (account 123456789012 and region eu-west-1)'],
  ['a QueueWorker dead-letter queue in another account', worker(OTHER_ACCOUNT),
    'deadLetterQueue is \'TestStack/Dlq\'; it is in account 210987654321 and region eu-west-1, but SQS requires the account and region'],
])('refuses %s', (_name, build, message) => {
  expect(() => build(newStack())).toThrow(message);
});

test.each<[string, (stack: Stack) => unknown]>([
  ['a subscription dead-letter queue here', subscribe(HERE)],
  ['the hub\'s dead-letter queue in another account of the same region (EventBridge allows it)', hub(OTHER_ACCOUNT)],
  ['a route\'s dead-letter queue here', route(HERE)],
  ['a QueueWorker dead-letter queue here', worker(HERE)],
])('accepts %s', (_name, build) => {
  expect(() => build(newStack())).not.toThrow();
});

test('a queue of another stack is placed by that stack\'s environment; an environment-agnostic stack is not checked', () => {
  const app: App = testApp();
  const there = new Stack(app, 'There', { env: { account: '123456789012', region: 'us-east-1' } });
  const dlq = new sqs.Queue(there, 'Dlq', { enforceSSL: true });
  const here = new Stack(app, 'Here', { env: { account: '123456789012', region: 'eu-west-1' } });
  expect(() => new EventHub(here, 'Hub', { deadLetterQueue: dlq })).toThrow('it is in region us-east-1, but EventBridge requires');
  const agnostic = new Stack(app, 'Agnostic');
  expect(() => new EventHub(agnostic, 'Hub', { deadLetterQueue: dlq })).not.toThrow('requires the region');
});
