import { CfnParameter, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ComplianceProfile, SecureFunction, StreamProcessor, StreamProcessorProps } from '../../src';
import { INLINE_CODE, newStack, thrownBy } from '../support/app';
import { expectProperties, resourceOf, stackKeyOf, statementsOf } from '../support/template';

const HANDLER = { code: INLINE_CODE, handler: 'index.handler' };

function processor(stack: Stack, props: Partial<StreamProcessorProps> = {}, id = 'Clicks'): StreamProcessor {
  return new StreamProcessor(stack, id, { handlerProps: HANDLER, ...props });
}

describe.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('StreamProcessor defaults (%s)', (profile) => {
  const regulated = profile === ComplianceProfile.REGULATED;
  const stack = newStack({}, profile);
  const clicks = processor(stack);
  const template = Template.fromStack(stack);

  test('an on-demand stream, 24 hours, retained; aws/kinesis in STANDARD, the stack key in REGULATED', () => {
    expectProperties(template, clicks.stream, {
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      ShardCount: Match.absent(),
      RetentionPeriodHours: 24,
      StreamEncryption: regulated
        ? { EncryptionType: 'KMS', KeyId: stack.resolve(stackKeyOf(stack).keyArn) }
        : { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
    const resource = resourceOf(template, clicks.stream);
    expect([resource.DeletionPolicy, resource.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
    expect(clicks.key === undefined).toBe(!regulated);
  });

  test('the consumer: batches of 100 from the oldest record, 3 retries, split on error, partial failures, a failure queue', () => {
    expectProperties(template, clicks.eventSourceMapping, {
      EventSourceArn: stack.resolve(clicks.streamArn),
      FunctionName: stack.resolve(clicks.handler.functionName),
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      MaximumRetryAttempts: 3,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: stack.resolve(clicks.failureQueue.queueArn) } },
    });
    expect(clicks.streamConsumer).toBeUndefined();
  });

  test('the handler may read the stream with exact actions, and send to the failure queue', () => {
    const statements = statementsOf(template, (clicks.handler as lambda.Function).role!);
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({
        Action: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'],
        Resource: stack.resolve(clicks.streamArn),
      }),
      expect.objectContaining({ Action: 'sqs:SendMessage', Resource: stack.resolve(clicks.failureQueue.queueArn) }),
    ]));
    const keyStatements = statements.filter((s) => JSON.stringify(s.Condition ?? {}).includes('kinesis.eu-west-1.amazonaws.com'));
    expect(keyStatements).toEqual(regulated ? [expect.objectContaining({ Action: 'kms:Decrypt', Resource: stack.resolve(stackKeyOf(stack).keyArn) })] : []);
  });

  test('alarms: iterator age, failure queue, write throttles, and the handler\'s own errors and throttles', () => {
    expect(clicks.alarms.map((a) => a.node.id)).toEqual(['IteratorAgeAlarm', 'FailureQueueAlarm', 'DestinationDeliveryFailuresAlarm', 'WriteThrottlesAlarm', 'ErrorsAlarm', 'ThrottlesAlarm']);
    const throttles = resourceOf(template, clicks.alarms[3]).Properties;
    expect(throttles).toMatchObject({
      MetricName: 'WriteProvisionedThroughputExceeded',
      Namespace: 'AWS/Kinesis',
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Period: 300,
    });
    expect(throttles.Dimensions).toEqual([{ Name: 'StreamName', Value: stack.resolve(clicks.streamName) }]);
    expect(throttles.AlarmDescription).toContain('update-shard-count');
  });

  test('the consumer needs no Kinesis endpoint: Lambda polls the stream, not the function\'s code', () => {
    // In REGULATED the handler is in the shared network (its VPC exists), and still no Kinesis endpoint is added.
    expect(Object.keys(template.findResources('AWS::EC2::VPC')).length).toBe(regulated ? 1 : 0);
    expect(Object.keys(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { ServiceName: Match.stringLikeRegexp('kinesis') } }))).toEqual([]);
  });
});

describe('StreamProcessor options', () => {
  test('provisioned shards, retention, a given key, name, removal and every consumer setting', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    const queue = new sqs.Queue(stack, 'Failures');
    const clicks = processor(stack, {
      shardCount: 3,
      retentionPeriod: Duration.hours(72),
      key,
      streamName: 'clicks',
      removalPolicy: RemovalPolicy.DESTROY,
      batchSize: 1000,
      maxBatchingWindow: Duration.seconds(10),
      startingPosition: lambda.StartingPosition.AT_TIMESTAMP,
      startingPositionTimestamp: 1767225600,
      parallelizationFactor: 4,
      retryAttempts: 10,
      maxRecordAge: Duration.hours(6),
      failureQueue: queue,
    });
    const template = Template.fromStack(stack);
    expectProperties(template, clicks.stream, {
      Name: 'clicks',
      ShardCount: 3,
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      RetentionPeriodHours: 72,
      StreamEncryption: { EncryptionType: 'KMS', KeyId: stack.resolve(key.keyArn) },
    });
    expect(resourceOf(template, clicks.stream).DeletionPolicy).toBe('Delete');
    expectProperties(template, clicks.eventSourceMapping, {
      BatchSize: 1000,
      MaximumBatchingWindowInSeconds: 10,
      StartingPosition: 'AT_TIMESTAMP',
      StartingPositionTimestamp: 1767225600,
      ParallelizationFactor: 4,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 21600,
      DestinationConfig: { OnFailure: { Destination: stack.resolve(queue.queueArn) } },
    });
    expect(clicks.failureQueue).toBe(queue);
  });

  test('enhanced fan-out: a stream consumer the mapping reads from, with SubscribeToShard on it', () => {
    const stack = newStack();
    const clicks = processor(stack, { enhancedFanOut: true });
    const template = Template.fromStack(stack);
    expect(clicks.streamConsumer).toBeDefined();
    template.hasResourceProperties('AWS::Kinesis::StreamConsumer', { StreamARN: stack.resolve(clicks.streamArn) });
    expectProperties(template, clicks.eventSourceMapping, { EventSourceArn: stack.resolve(clicks.streamConsumer!.streamConsumerArn) });
    expect(statementsOf(template, (clicks.handler as lambda.Function).role!)).toEqual(expect.arrayContaining([expect.objectContaining({
      Action: ['kinesis:SubscribeToShard', 'kinesis:DescribeStreamConsumer'], Resource: stack.resolve(clicks.streamConsumer!.streamConsumerArn),
    })]));
  });

  test('a brought function: the processor makes its error and throttle alarms; a SecureFunction\'s keeps its own', () => {
    const stack = newStack();
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, code: INLINE_CODE, handler: 'index.handler' });
    const clicks = new StreamProcessor(stack, 'Clicks', { handler: fn, alarms: { handlerErrors: { threshold: 2 } } });
    expect(clicks.handler).toBe(fn);
    expect(clicks.secureFunction).toBeUndefined();
    expect(clicks.alarms.map((a) => a.node.id)).toEqual(['IteratorAgeAlarm', 'FailureQueueAlarm', 'DestinationDeliveryFailuresAlarm', 'WriteThrottlesAlarm', 'ErrorsAlarm', 'ThrottlesAlarm']);
    expect(clicks.alarms[4].node.scope).toBe(clicks.node.findChild('Alarms'));
    expect(resourceOf(Template.fromStack(stack), clicks.alarms[4]).Properties.Threshold).toBe(2);

    const stack2 = newStack();
    const secure = new SecureFunction(stack2, 'Own', HANDLER);
    expect(thrownBy(() => new StreamProcessor(stack2, 'Clicks', { handler: secure.lambdaFunction, alarms: { handlerErrors: { threshold: 2 } } })))
      .toMatchObject({ message: expect.stringMatching(/handlerErrors.*Own/) });
  });

  test('grants: producers put records with exact actions and the key only through Kinesis', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const clicks = processor(stack);
    const role = new iam.Role(stack, 'Producer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    expect(clicks.grantWrite(role).success).toBe(true);
    expect(statementsOf(Template.fromStack(stack), role)).toEqual([
      { Effect: 'Allow', Action: ['kinesis:PutRecord', 'kinesis:PutRecords', 'kinesis:ListShards', 'kinesis:DescribeStreamSummary'], Resource: stack.resolve(clicks.streamArn) },
      {
        Effect: 'Allow',
        Action: 'kms:GenerateDataKey',
        Resource: stack.resolve(stackKeyOf(stack).keyArn),
        // Kinesis uses the stream's ARN as encryption context (Kinesis developer guide, "Permissions to use user-generated KMS keys").
        Condition: { StringEquals: { 'kms:ViaService': 'kinesis.eu-west-1.amazonaws.com', 'kms:EncryptionContext:aws:kinesis:arn': stack.resolve(clicks.streamArn) } },
      },
    ]);
  });

  test('a REGULATED producer function in the shared network gets the Kinesis endpoint', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const clicks = processor(stack);
    clicks.grantWrite(new SecureFunction(stack, 'Producer', HANDLER));
    const endpoints = Object.values(Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint')).map((e: any) => JSON.stringify(e.Properties.ServiceName));
    expect(endpoints.filter((name) => name.includes('kinesis-streams'))).toHaveLength(1);
  });

  test('REGULATED with enhanced fan-out: still no Kinesis endpoint for the consumer; a reservation of at least shards x parallelization', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const clicks = processor(stack, { enhancedFanOut: true, shardCount: 6, parallelizationFactor: 2 });
    const template = Template.fromStack(stack);
    expect(Object.keys(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { ServiceName: Match.stringLikeRegexp('kinesis') } }))).toEqual([]);
    expect(resourceOf(template, clicks.handler).Properties.ReservedConcurrentExecutions).toBe(12);
    const stack2 = newStack({}, ComplianceProfile.REGULATED);
    const minimal = processor(stack2);
    expect(resourceOf(Template.fromStack(stack2), minimal.handler).Properties.ReservedConcurrentExecutions).toBe(10);
  });

  test('a reservation below shards x parallelization is refused', () => {
    const stack = newStack();
    const handlerProps = { ...HANDLER, reservedConcurrentExecutions: 5 };
    expect((thrownBy(() => processor(stack, { shardCount: 4, parallelizationFactor: 2, handlerProps })) as Error)
      .message).toMatch(/handlerProps.reservedConcurrentExecutions is 5.*8 \(4 shards x parallelizationFactor 2\)/);
    const stack2 = newStack();
    const fn = new lambda.Function(stack2, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, code: INLINE_CODE, handler: 'index.handler', reservedConcurrentExecutions: 2 });
    expect((thrownBy(() => new StreamProcessor(stack2, 'Clicks', { handler: fn })) as Error).message).toMatch(/reserved concurrency of handler TestStack\/Fn is 2.*on-demand stream starts with 4 shards/);
  });

  test('a function imported without its role is refused (the mapping would fail to create)', () => {
    const stack = newStack();
    const fn = lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:eu-west-1:123456789012:function:clicks');
    expect((thrownBy(() => new StreamProcessor(stack, 'Clicks', { handler: fn })) as Error).message).toMatch(/handler.*fromFunctionAttributes/);
  });

  test('the stream grants come before the mapping', () => {
    const stack = newStack();
    const clicks = processor(stack);
    const mapping = resourceOf(Template.fromStack(stack), clicks.eventSourceMapping);
    expect(mapping.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/ClicksHandlerServiceRoleDefaultPolicy/)]));
  });

  test('two processors in one stack', () => {
    const stack = newStack();
    const a = processor(stack, {}, 'A');
    const b = processor(stack, {}, 'B');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Kinesis::Stream', 2);
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
    expect(a.failureQueue).not.toBe(b.failureQueue);
  });
});

describe('StreamProcessor invalid input', () => {
  const cases: Array<[string, Partial<StreamProcessorProps> | ((s: Stack) => Partial<StreamProcessorProps>), RegExp]> = [
    ['no handler', { handlerProps: undefined }, /a handler is required/],
    ['zero shards', { shardCount: 0 }, /shardCount.*0/],
    ['fractional shards', { shardCount: 1.5 }, /shardCount/],
    ['retention under a day', { retentionPeriod: Duration.hours(12) }, /retentionPeriod is 12 hours.*from 1 day/],
    ['retention over a year', { retentionPeriod: Duration.hours(8761) }, /retentionPeriod/],
    ['retention in minutes', { retentionPeriod: Duration.minutes(1530) }, /whole hours/],
    ['a stream name with spaces', { streamName: 'click stream' }, /streamName/],
    ['a stream name too long', { streamName: 'x'.repeat(129) }, /streamName/],
    ['snapshot removal', { removalPolicy: RemovalPolicy.SNAPSHOT }, /cannot snapshot a Kinesis stream/],
    ['batch size 0', { batchSize: 0 }, /batchSize.*1 to 10000/],
    ['parallelization 11', { parallelizationFactor: 11 }, /parallelizationFactor/],
    ['retries -1', { retryAttempts: -1 }, /retryAttempts/],
    ['window 301 s', { maxBatchingWindow: Duration.seconds(301) }, /maxBatchingWindow/],
    ['record age 30 s', { maxRecordAge: Duration.seconds(30) }, /maxRecordAge/],
    ['record age past retention', { maxRecordAge: Duration.hours(30) }, /longer than the stream keeps records/],
    ['AT_TIMESTAMP without a time', { startingPosition: lambda.StartingPosition.AT_TIMESTAMP }, /startingPositionTimestamp/],
    ['a time without AT_TIMESTAMP', { startingPositionTimestamp: 100 }, /AT_TIMESTAMP only/],
    ['a FIFO failure queue', (s) => ({ failureQueue: new sqs.Queue(s, 'F', { fifo: true }) }), /FIFO/],
    ['a key given as an ARN', { key: 'arn:aws:kms:eu-west-1:123456789012:key/x' as any }, /key.*KMS key/],
    ['an unknown prop', { shards: 2 } as any, /shards.*shardCount/],
    ['a timestamp in milliseconds', { startingPosition: lambda.StartingPosition.AT_TIMESTAMP, startingPositionTimestamp: Date.now() }, /in the future.*not Date.now\(\)/],
    ['a key alias', (s) => ({ key: kms.Alias.fromAliasName(s, 'A', 'alias/clicks') as any }), /key.*alias/],
    ['a key of another region', (s) => ({ key: kms.Key.fromKeyArn(s, 'K', 'arn:aws:kms:us-east-1:123456789012:key/abc') }), /key.*us-east-1.*own region/],
    ['enhancedFanOut not a boolean', { enhancedFanOut: 'yes' as any }, /enhancedFanOut/],
  ];
  test.each(cases)('%s', (_name, props, message) => {
    const stack = newStack();
    const error = thrownBy(() => processor(stack, typeof props === 'function' ? props(stack) : props)) as Error;
    expect(error.message).toMatch(/StreamProcessor 'TestStack\/Clicks'/);
    expect(error.message).toMatch(message);
  });

  test('tokens pass: a shard count from a parameter', () => {
    const stack = newStack();
    const clicks = processor(stack, { shardCount: new CfnParameter(stack, 'Shards', { type: 'Number' }).valueAsNumber });
    expect(resourceOf(Template.fromStack(stack), clicks.stream).Properties.ShardCount).toEqual({ Ref: 'Shards' });
  });
});
