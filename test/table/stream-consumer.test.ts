import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ComplianceProfile, SecureFunction, SecureTable, StreamConsumerOptions } from '../../src';
import { INLINE_CODE, newStack, thrownBy } from '../support/app';
import { expectProperties, failurePathKeyOf, resourceOf, statementsOf } from '../support/template';

/*
 * SecureTable.addStreamConsumer(): the event source mapping, its failure queue and alarms. Lambda
 * developer guide, "Using AWS Lambda with Amazon DynamoDB" (batching, retries, bisect, partial batch
 * responses, on-failure destinations: "Lambda sends a record of the batch to the destination", with
 * the function's execution role, which needs sqs:SendMessage).
 */

function tableWithStream(stack: Stack, id = 'Orders'): SecureTable {
  return new SecureTable(stack, id, {
    partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING }, stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
  });
}

function handler(stack: Stack, id = 'Projector'): SecureFunction {
  return new SecureFunction(stack, id, { code: INLINE_CODE, handler: 'index.handler' });
}

describe.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('a stream consumer (%s)', (profile) => {
  const regulated = profile === ComplianceProfile.REGULATED;
  const stack = newStack({}, profile);
  const table = tableWithStream(stack);
  const fn = handler(stack);
  const consumer = table.addStreamConsumer('Projector', fn.lambdaFunction);
  const template = Template.fromStack(stack);

  test('the mapping retries 3 times, bisects, takes partial batch responses and sends what it gives up on to the failure queue', () => {
    expectProperties(template, consumer.eventSourceMapping.node.defaultChild as lambda.CfnEventSourceMapping, {
      EventSourceArn: stack.resolve(table.tableStreamArn),
      FunctionName: stack.resolve(fn.lambdaFunction.functionName),
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      MaximumRetryAttempts: 3,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: stack.resolve(consumer.failureQueue.queueArn) } },
    });
  });

  test('the failure queue: retained 14 days, encrypted (the failure-path key in REGULATED, not the table\'s), written with the function\'s role', () => {
    const queue = resourceOf(template, consumer.failureQueue).Properties;
    expect(queue.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    expect(queue.KmsMasterKeyId ?? 'SSE-SQS').toEqual(regulated ? stack.resolve(failurePathKeyOf(stack).keyArn) : 'SSE-SQS');
    const actions = statementsOf(template, fn.lambdaFunction.role!).filter((s: any) => JSON.stringify(s.Resource).includes(
      JSON.stringify(stack.resolve(consumer.failureQueue.queueArn)).slice(1, -1))).flatMap((s: any) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['sqs:SendMessage']));
    // The failure queue's key only through SQS, for that queue: no kms:ReEncrypt* or GenerateDataKey* (AwsSolutions-IAM5).
    const keyStatements = statementsOf(template, fn.lambdaFunction.role!).filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('kms:'))
      && JSON.stringify(s.Condition ?? {}).includes(JSON.stringify(stack.resolve(consumer.failureQueue.queueArn))));
    expect(keyStatements.length).toBe(regulated ? 1 : 0);
    expect(JSON.stringify(keyStatements)).not.toMatch(/kms:ReEncrypt\*|GenerateDataKey\*/);
  });

  test('the function may read the stream', () => {
    const actions = statementsOf(template, fn.lambdaFunction.role!).flatMap((s: any) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream']));
  });

  test('alarms on the iterator age (in seconds), on the failure queue and on failed writes to it, under the consumer', () => {
    expect(consumer.alarms.map((a) => a.node.path)).toEqual(['TestStack/Orders/Consumers/Projector/Alarms/IteratorAgeAlarm',
      'TestStack/Orders/Consumers/Projector/Alarms/FailureQueueAlarm', 'TestStack/Orders/Consumers/Projector/Alarms/DestinationDeliveryFailuresAlarm']);
    // Lambda's own count of batches it could not send to the on-failure destination: those are lost.
    const delivery = resourceOf(template, consumer.alarms[2]).Properties;
    expect([delivery.MetricName, delivery.Namespace, delivery.Statistic, delivery.Threshold, delivery.Period])
      .toEqual(['DestinationDeliveryFailures', 'AWS/Lambda', 'Sum', 0, 300]);
    expect(JSON.stringify(delivery.Dimensions)).toBe(JSON.stringify([{ Name: 'FunctionName', Value: stack.resolve(fn.lambdaFunction.functionName) }]));
    const age = resourceOf(template, consumer.alarms[0]).Properties;
    expect(age).toMatchObject({ Threshold: 300, EvaluationPeriods: 5, ComparisonOperator: 'GreaterThanThreshold' });
    expect(age.Metrics.find((m: any) => m.Expression).Expression).toBe('age / 1000');
    expect(age.Metrics.find((m: any) => m.MetricStat).MetricStat.Metric.MetricName).toBe('IteratorAge');
    expect(resourceOf(template, consumer.alarms[1]).Properties).toMatchObject({ Threshold: 0, MetricName: 'ApproximateNumberOfMessagesVisible' });
  });
});

describe('stream consumer options', () => {
  test('batching, position, parallelization, retries, record age, a brought failure queue and tuned alarms', () => {
    const stack = newStack();
    const table = tableWithStream(stack);
    const queue = new sqs.Queue(stack, 'Failed', { enforceSSL: true });
    const consumer = table.addStreamConsumer('Projector', handler(stack).lambdaFunction, {
      batchSize: 500,
      maxBatchingWindow: Duration.seconds(10),
      startingPosition: lambda.StartingPosition.LATEST,
      parallelizationFactor: 4,
      retryAttempts: 0,
      maxRecordAge: Duration.hours(1),
      failureQueue: queue,
      alarms: { iteratorAge: { maxAge: Duration.minutes(1) }, failureQueueMessages: { enabled: false } },
    });
    const template = Template.fromStack(stack);
    expect(consumer.failureQueue).toBe(queue);
    template.resourceCountIs('AWS::SQS::Queue', 2);
    expectProperties(template, consumer.eventSourceMapping.node.defaultChild as lambda.CfnEventSourceMapping, {
      BatchSize: 500,
      MaximumBatchingWindowInSeconds: 10,
      StartingPosition: 'LATEST',
      ParallelizationFactor: 4,
      MaximumRetryAttempts: 0,
      MaximumRecordAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: stack.resolve(queue.queueArn) } },
    });
    expect(consumer.alarms.map((a) => a.node.id)).toEqual(['IteratorAgeAlarm', 'DestinationDeliveryFailuresAlarm']);
    expect(resourceOf(template, consumer.alarms[0]).Properties.Threshold).toBe(60);
  });

  test('two consumers of one table each have their own mapping, queue and alarms', () => {
    const stack = newStack();
    const table = tableWithStream(stack);
    const a = table.addStreamConsumer('A', handler(stack, 'FnA').lambdaFunction);
    const b = table.addStreamConsumer('B', handler(stack, 'FnB').lambdaFunction);
    expect(a.failureQueue).not.toBe(b.failureQueue);
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
  });

  test.each<[string, Partial<StreamConsumerOptions>, RegExp]>([
    ['batch size 0', { batchSize: 0 }, /batchSize is 0; it must be an integer from 1 to 10000/],
    ['window over 300 s', { maxBatchingWindow: Duration.minutes(6) }, /maxBatchingWindow/],
    ['parallelization 11', { parallelizationFactor: 11 }, /parallelizationFactor is 11; it must be an integer from 1 to 10/],
    ['retries -1', { retryAttempts: -1 }, /retryAttempts is -1/],
    ['record age 30 s', { maxRecordAge: Duration.seconds(30) }, /maxRecordAge/],
    ['AT_TIMESTAMP', { startingPosition: lambda.StartingPosition.AT_TIMESTAMP }, /DynamoDB streams start at TRIM_HORIZON or LATEST/],
    ['an unknown option', { batchSizes: 5 } as any, /batchSizes/],
    ['an unknown alarm', { alarms: { lag: {} } } as any, /lag/],
  ])('%s is refused', (_name, options, message) => {
    const stack = newStack();
    const table = tableWithStream(stack);
    expect(thrownBy(() => table.addStreamConsumer('C', handler(stack).lambdaFunction, options as StreamConsumerOptions)))
      .toEqual(expect.objectContaining({ message: expect.stringMatching(message) }));
  });

  test('a consumer in another stack is refused (each stack would need the other); grantStreamRead across stacks synthesizes', () => {
    const stack = newStack();
    const table = tableWithStream(stack);
    const compute = new Stack(stack.node.scope as App, 'Compute', { env: { account: stack.account, region: stack.region } });
    const fn = new SecureFunction(compute, 'Projector', { code: INLINE_CODE, handler: 'index.handler' });
    expect(() => table.addStreamConsumer('C', fn.lambdaFunction)).toThrow(/it is in stack Compute and the table in TestStack/);
    table.grantStreamRead(fn);
    expect(() => Template.fromStack(compute)).not.toThrow();
    const actions = statementsOf(Template.fromStack(compute), fn.lambdaFunction.role!).flatMap((st: any) => [st.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:ListStreams', 'dynamodb:GetRecords']));
  });

  test('a FIFO failure queue, a table without a stream and a handler that is not a function are refused', () => {
    const stack = newStack();
    const table = tableWithStream(stack);
    const fifo = new sqs.Queue(stack, 'Fifo', { fifo: true });
    expect(() => table.addStreamConsumer('C', handler(stack).lambdaFunction, { failureQueue: fifo })).toThrow(/it is a FIFO queue/);
    const plain = new SecureTable(stack, 'NoStream', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    expect(() => plain.addStreamConsumer('C', handler(stack, 'F2').lambdaFunction)).toThrow(/addStreamConsumer\('C'\): the table has no stream/);
    expect(() => table.addStreamConsumer('D', {} as lambda.IFunction)).toThrow(/handler is \{\}; it must be a Lambda function/);
  });
});

describe('the table\'s resource policy', () => {
  test('a statement for another account lands in the table\'s ResourcePolicy, on * (the table) when it names no resources', () => {
    const stack = newStack();
    const table = tableWithStream(stack);
    table.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AccountPrincipal('222222222222')], actions: ['dynamodb:GetItem'] }));
    // A hardening Deny for everyone only narrows access.
    table.addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['dynamodb:*'],
      conditions: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc123' } },
    }));
    const policy = resourceOf(Template.fromStack(stack), table.table).Properties.ResourcePolicy.PolicyDocument.Statement;
    expect(policy).toEqual([
      expect.objectContaining({ Effect: 'Allow', Action: 'dynamodb:GetItem', Principal: { AWS: expect.anything() }, Resource: '*' }),
      expect.objectContaining({ Effect: 'Deny', Principal: { AWS: '*' }, Resource: '*' }),
    ]);
  });

  test('the table\'s own ARN is refused: the table would depend on itself', () => {
    const stack = newStack();
    const table = tableWithStream(stack);
    expect(() => table.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AccountPrincipal('222222222222')], actions: ['dynamodb:GetItem'], resources: [table.tableArn],
    }))).toThrow(/names the table's own ARN, which makes the table depend on itself/);
  });

  test.each<[string, () => iam.PolicyStatement, RegExp]>([
    ['everyone', () => new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['dynamodb:GetItem'], resources: ['*'] }), /allows everyone/],
    ['an account wildcard', () => new iam.PolicyStatement({ principals: [new iam.ArnPrincipal('arn:aws:iam::*:root')], actions: ['dynamodb:GetItem'], resources: ['*'] }), /allows everyone/],
    ['no principal', () => new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: ['*'] }), /must name its principals.*it has none/],
  ])('a statement with %s is refused', (_name, statement, message) => {
    const stack = newStack();
    expect(() => tableWithStream(stack).addToResourcePolicy(statement())).toThrow(message);
  });
});
