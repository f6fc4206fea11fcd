import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ComplianceProfile, QueueWorker } from '../../src';
import { INLINE_CODE, testStack } from '../support/app';

const HANDLER = { code: INLINE_CODE, handler: 'index.handler' };

describe('QueueWorker metrics', () => {
  let stack: Stack;
  let worker: QueueWorker;
  beforeAll(() => {
    stack = testStack();
    worker = new QueueWorker(stack, 'W', { handlerProps: HANDLER });
  });

  test.each([
    ['metricApproximateNumberOfMessagesVisible', 'ApproximateNumberOfMessagesVisible', 'Maximum', () => worker.queue],
    ['metricApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesNotVisible', 'Maximum', () => worker.queue],
    ['metricApproximateAgeOfOldestMessage', 'ApproximateAgeOfOldestMessage', 'Maximum', () => worker.queue],
    ['metricNumberOfMessagesSent', 'NumberOfMessagesSent', 'Sum', () => worker.queue],
    ['metricDeadLetterQueueMessagesVisible', 'ApproximateNumberOfMessagesVisible', 'Maximum', () => worker.deadLetterQueue!],
  ] as const)('%s is %s (%s) of the right queue', (method, metricName, statistic, queueOf) => {
    const metric = (worker as any)[method]();
    expect(metric.namespace).toBe('AWS/SQS');
    expect(metric.metricName).toBe(metricName);
    expect(metric.statistic).toBe(statistic);
    expect(stack.resolve(metric.dimensions.QueueName)).toEqual(stack.resolve(queueOf().queueName));
  });

  test('options are passed through', () => {
    const metric = worker.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'p99' });
    expect(metric.period.toMinutes()).toBe(1);
    expect(metric.statistic).toBe('p99');
  });

  test('metricHandlerErrors is the handler\'s Errors metric', () => {
    const metric = worker.metricHandlerErrors();
    expect([metric.namespace, metric.metricName]).toEqual(['AWS/Lambda', 'Errors']);
    expect(stack.resolve(metric.dimensions!.FunctionName)).toEqual(stack.resolve(worker.handler.functionName));
  });
});

describe('QueueWorker warnings', () => {
  test('a maxReceiveCount below 5 warns (acknowledgeably); 5 or more does not', () => {
    const low = testStack();
    new QueueWorker(low, 'W', { handlerProps: HANDLER, maxReceiveCount: 2 });
    Annotations.fromStack(low).hasWarning('/TestStack/W',
      Match.stringLikeRegexp('maxReceiveCount is 2: a throttled batch counts as a receive.*\\[ack: cdk-bulwark:queue-worker:low-max-receive-count\\]'));

    const fine = testStack();
    new QueueWorker(fine, 'W', { handlerProps: HANDLER, maxReceiveCount: 5 });
    Annotations.fromStack(fine).hasNoWarning('/TestStack/W', Match.stringLikeRegexp('low-max-receive-count'));
  });
});

describe('a key of your own in REGULATED', () => {
  test('encrypts both queues, instead of the stack key, and the handler may decrypt with it', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Own', { enableKeyRotation: true });
    const worker = new QueueWorker(stack, 'W', { complianceProfile: ComplianceProfile.REGULATED, key, handlerProps: HANDLER });
    const template = Template.fromStack(stack);
    for (const queue of [worker.queue, worker.deadLetterQueue!]) {
      template.templateMatches({
        Resources: { [stack.getLogicalId(queue.node.defaultChild as any)]: { Properties: { KmsMasterKeyId: stack.resolve(key.keyArn) } } },
      });
    }
    const keyArn = JSON.stringify(stack.resolve(key.keyArn));
    const statements = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as any[])
      .filter((st) => JSON.stringify(st.Resource) === keyArn);
    expect(statements.flatMap((st) => [st.Action].flat()).sort()).toEqual(['kms:Decrypt']);
  });
});
