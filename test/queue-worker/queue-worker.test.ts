import { Aws, CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IConstruct } from 'constructs';
import { ComplianceProfile, Monitoring, QueueWorker, QueueWorkerProps, SecureFunction } from '../../src';
import { FLAG_SETS, FOURTEEN_DAYS, INLINE_CODE, newStack } from '../support/app';
import { actionsOn, asyncFailureQueueOf, escapeRegExp, expectProperties, failurePathKeyOf, keyStatementFor, resourceOf, stackKeyOf, statementsOf } from '../support/template';

const HANDLER = { code: INLINE_CODE, handler: 'index.handler' };
const CONSUME_ACTIONS = ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'];
const SEND_ACTIONS = ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'];

function l1Alarm(alarm: cloudwatch.IAlarm): IConstruct {
  return alarm as cloudwatch.Alarm;
}

const FLAG_SET_ENTRIES = Object.entries(FLAG_SETS);

describe.each(FLAG_SET_ENTRIES)('QueueWorker defaults (%s)', (_flagSet, flags) => {
  describe.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('%s profile', (profile) => {
    const regulated = profile === ComplianceProfile.REGULATED;
    let stack: Stack;
    let worker: QueueWorker;
    let sender: iam.Role;
    let template: Template;

    beforeAll(() => {
      stack = newStack(flags, profile);
      worker = new QueueWorker(stack, 'W', { handlerProps: HANDLER });
      sender = new iam.Role(stack, 'Sender', { assumedBy: new iam.AccountRootPrincipal() });
      worker.grantSendMessages(sender);
      template = Template.fromStack(stack);
    });

    test('the queue, its dead-letter queue and the handler are created when absent', () => {
      expect(worker.queue).toBe(worker.node.findChild('Queue'));
      expect(worker.deadLetterQueue).toBe(worker.node.findChild('DeadLetterQueue'));
      expect(worker.secureFunction).toBe(worker.node.findChild('Handler'));
      expect(worker.handler).toBe(worker.secureFunction!.lambdaFunction);
      expect(worker.complianceProfile).toBe(profile);
    });

    if (regulated) {
      test('queue and dead-letter queue are encrypted with the stack key', () => {
        const keyArn = stack.resolve(stackKeyOf(stack).keyArn);
        for (const queue of [worker.queue, worker.deadLetterQueue!]) {
          expectProperties(template, queue, { KmsMasterKeyId: keyArn, SqsManagedSseEnabled: Match.absent() });
        }
      });
    } else {
      test('queue and dead-letter queue use SQS-managed SSE', () => {
        for (const queue of [worker.queue, worker.deadLetterQueue!]) {
          expectProperties(template, queue, { SqsManagedSseEnabled: true, KmsMasterKeyId: Match.absent() });
        }
      });
    }

    test('queue and dead-letter queue deny requests without TLS', () => {
      for (const queue of [worker.queue, worker.deadLetterQueue!]) {
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [stack.resolve(queue.queueUrl)],
          PolicyDocument: {
            Statement: Match.arrayWith([{
              Effect: 'Deny',
              Action: 'sqs:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Resource: stack.resolve(queue.queueArn),
            }]),
          },
        });
      }
    });

    test('the dead-letter queue keeps messages 14 days', () => {
      expectProperties(template, worker.deadLetterQueue!, { MessageRetentionPeriod: 1209600 });
    });

    test('the queue keeps messages 4 days', () => {
      expectProperties(template, worker.queue, { MessageRetentionPeriod: 4 * 24 * 3600 });
    });

    test('messages move to the dead-letter queue after 5 receives', () => {
      expectProperties(template, worker.queue, {
        RedrivePolicy: { deadLetterTargetArn: stack.resolve(worker.deadLetterQueue!.queueArn), maxReceiveCount: 5 },
      });
    });

    test('visibility timeout is 6 x the 30 s handler timeout', () => {
      expectProperties(template, worker.queue, { VisibilityTimeout: 180 });
      expectProperties(template, worker.handler, { Timeout: 30 });
    });

    test('the event source reports batch item failures, takes batches of 10, has no window, and is capped at the reserved concurrency', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: stack.resolve(worker.queue.queueArn),
        FunctionName: stack.resolve(worker.handler.functionName),
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: Match.absent(),
        // Event source mappings ignore reserved concurrency: without this cap, throttled batches would
        // count towards maxReceiveCount and healthy messages would be dead-lettered under load.
        ScalingConfig: regulated ? { MaximumConcurrency: 10 } : Match.absent(),
      });
      const mappingId = stack.getLogicalId(worker.eventSourceMapping.node.defaultChild as CfnElement);
      expect(stack.resolve(worker.eventSourceMapping.eventSourceMappingId)).toEqual({ Ref: mappingId });
    });

    test('queues are standard (not FIFO) with generated names', () => {
      for (const queue of [worker.queue, worker.deadLetterQueue!]) {
        expectProperties(template, queue, { FifoQueue: Match.absent(), QueueName: Match.absent() });
      }
    });

    test('queues, log group and stack key are retained on deletion', () => {
      // The failure-path key (alarm topic, async-failure queue) in both profiles; the stack key only where something uses it (REGULATED).
      const keys = regulated ? [stackKeyOf(stack), failurePathKeyOf(stack)] : [failurePathKeyOf(stack)];
      const retained = [worker.queue, worker.deadLetterQueue!, worker.secureFunction!.logGroup, ...keys, asyncFailureQueueOf(stack)];
      for (const construct of retained) {
        const resource = resourceOf(template, construct);
        expect(resource.DeletionPolicy).toBe('Retain');
        expect(resource.UpdateReplacePolicy).toBe('Retain');
      }
    });

    test('the handler is a SecureFunction (ARM64, pinned runtime, tracing, JSON logs)', () => {
      expectProperties(template, worker.handler, {
        Architectures: ['arm64'],
        Runtime: 'nodejs24.x',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON', LogGroup: stack.resolve(worker.secureFunction!.logGroup.logGroupName) },
      });
    });

    test('the handler role may consume the queue with exactly the SQS consume actions', () => {
      const statements = statementsOf(template, worker.secureFunction!.role);
      expect(actionsOn(statements, stack.resolve(worker.queue.queueArn))).toEqual(CONSUME_ACTIONS);
      expect(actionsOn(statements, stack.resolve(worker.deadLetterQueue!.queueArn))).toEqual([]);
    });

    if (regulated) {
      test('the handler role can decrypt with the queue key, only through SQS and for this queue (the stack key encrypts everything)', () => {
        const statements = statementsOf(template, worker.secureFunction!.role);
        const keyArn = stack.resolve(worker.queue.encryptionMasterKey!.keyArn);
        expect(keyArn).toEqual(stack.resolve(stackKeyOf(stack).keyArn));
        const onKey = statements.filter((st) => JSON.stringify(st.Resource) === JSON.stringify(keyArn));
        expect(onKey.map((st) => [st.Action, st.Condition])).toEqual([['kms:Decrypt', {
          StringEquals: { 'kms:ViaService': 'sqs.eu-west-1.amazonaws.com', 'kms:EncryptionContext:aws:sqs:arn': stack.resolve(worker.queue.queueArn) },
        }]]);
      });

      test('the handler role has no inline policy: its grants are in managed policies', () => {
        const roleRef = stack.resolve(worker.secureFunction!.role.roleName);
        const inline = Object.values(template.findResources('AWS::IAM::Policy'))
          .filter((p) => JSON.stringify(p.Properties.Roles).includes(JSON.stringify(roleRef)));
        expect(inline).toEqual([]);
        template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
          Roles: [roleRef],
          PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Resource: stack.resolve(worker.queue.queueArn) })]) },
        });
      });

      test('the handler reserves 10 concurrent executions and runs in the shared network', () => {
        expectProperties(template, worker.handler, {
          ReservedConcurrentExecutions: 10,
          VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }),
        });
        template.resourceCountIs('AWS::EC2::VPC', 1);
        template.resourceCountIs('AWS::EC2::NatGateway', 0);
      });

      test('the stack key lets CloudWatch Logs encrypt log groups, scoped by a log-group name pattern', () => {
        const statement = keyStatementFor(template, stackKeyOf(stack), stack.resolve(`logs.${Aws.REGION}.amazonaws.com`));
        expect([statement.Action].flat()).toEqual(expect.arrayContaining(['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*']));
        const pattern = JSON.stringify(statement.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']);
        expect(pattern).toMatch(/:log-group:\*"/);
        // A log group's own ARN here would make a dependency cycle (log group -> key -> log group).
        expect(pattern).not.toContain(stack.getLogicalId(worker.secureFunction!.logGroup.node.defaultChild as CfnElement));
      });
    } else {
      test('in STANDARD the handler\'s only KMS permissions are for dead letters to the failure-path key', () => {
        const keyArn = JSON.stringify(stack.resolve(failurePathKeyOf(stack).keyArn));
        const kmsStatements = statementsOf(template, worker.secureFunction!.role).filter((s) => [s.Action].flat().some((a) => a.startsWith('kms:')));
        expect(kmsStatements.map((s) => JSON.stringify(s.Resource))).toEqual([keyArn]);
        expect([kmsStatements[0].Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
      });

      test('the handler has no reserved concurrency and no VPC', () => {
        expectProperties(template, worker.handler, { ReservedConcurrentExecutions: Match.absent(), VpcConfig: Match.absent() });
        template.resourceCountIs('AWS::EC2::VPC', 0);
      });
    }

    test('grantSendMessages gives exactly SendMessage, GetQueueAttributes and GetQueueUrl on the queue (and in REGULATED GenerateDataKey and Decrypt on its key)', () => {
      const statements = statementsOf(template, sender);
      expect(actionsOn(statements, stack.resolve(worker.queue.queueArn))).toEqual(SEND_ACTIONS);
      expect(actionsOn(statements, stack.resolve(worker.deadLetterQueue!.queueArn))).toEqual([]);
      if (regulated) {
        expect(actionsOn(statements, stack.resolve(stackKeyOf(stack).keyArn))).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
      } else {
        // STANDARD has no stack key here (the alarm topic and async-failure queue use the failure-path key).
        expect(statements.flatMap((st) => [st.Action].flat()).filter((a) => a.startsWith('kms:'))).toEqual([]);
      }
    });

    test('four alarms: dead-letter queue, oldest message age, handler errors and throttles', () => {
      expect(worker.alarms).toHaveLength(4);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 5); // + the stack's async-failure queue alarm
    });

    test('the dead-letter queue alarm fires on any visible message and says how to redrive', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: stack.resolve(worker.deadLetterQueue!.queueName) }],
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmDescription: Match.stringLikeRegexp('start-message-move-task'),
      });
    });

    test('the oldest-message alarm fires above 15 minutes for 5 minutes', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: stack.resolve(worker.queue.queueName) }],
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 5,
        Threshold: 900,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    });

    test('the handler errors and throttles alarms fire on any occurrence in 5 minutes', () => {
      for (const metricName of ['Errors', 'Throttles']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Lambda',
          MetricName: metricName,
          Dimensions: [{ Name: 'FunctionName', Value: stack.resolve(worker.handler.functionName) }],
          Statistic: 'Sum',
          Period: 300,
          EvaluationPeriods: 1,
          Threshold: 0,
          TreatMissingData: 'notBreaching',
        });
      }
    });

    test('every alarm notifies the alarm topic on ALARM and OK', () => {
      const topicArn = stack.resolve(Monitoring.of(stack).alarmTopic.topicArn);
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
      expect(alarms.length).toBeGreaterThan(0);
      for (const alarm of alarms) {
        expect(alarm.Properties.AlarmActions).toEqual([topicArn]);
        expect(alarm.Properties.OKActions).toEqual([topicArn]);
      }
    });

    test('every alarm description fits CloudWatch\'s 1,024 characters', () => {
      for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
        expect(typeof alarm.Properties.AlarmDescription).toBe('string');
        expect(alarm.Properties.AlarmDescription.length).toBeLessThanOrEqual(1024);
      }
    });

    test('the alarm topic is encrypted with the failure-path key (not the stack key), which lets CloudWatch use it', () => {
      const key = failurePathKeyOf(stack);
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: stack.resolve(key.keyArn) });
      const statement = keyStatementFor(template, key, 'cloudwatch.amazonaws.com');
      expect([statement.Action].flat()).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']));
    });

    test('the alarm topic policy lets CloudWatch publish and denies requests without TLS', () => {
      const topicArn = stack.resolve(Monitoring.of(stack).alarmTopic.topicArn);
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [topicArn],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({ Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'cloudwatch.amazonaws.com' } }),
          ]),
        },
      });
    });

    test('failed asynchronous invocations go to the stack\'s standard async-failure queue', () => {
      const asyncQueue = asyncFailureQueueOf(stack);
      expectProperties(template, worker.handler, { DeadLetterConfig: { TargetArn: stack.resolve(asyncQueue.queueArn) } });
      expectProperties(template, asyncQueue, { FifoQueue: Match.absent(), MessageRetentionPeriod: FOURTEEN_DAYS });
    });

    test('a dashboard section is added', () => {
      expect(Monitoring.of(stack).dashboard).toBeDefined();
      template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    });
  });
});

describe.each(FLAG_SET_ENTRIES)('QueueWorker FIFO variant (%s)', (_flagSet, flags) => {
  let stack: Stack;
  let worker: QueueWorker;
  let deduplicating: QueueWorker;
  let template: Template;

  beforeAll(() => {
    stack = newStack(flags);
    worker = new QueueWorker(stack, 'W', { fifo: true, handlerProps: HANDLER });
    deduplicating = new QueueWorker(stack, 'Dedup', { fifo: true, contentBasedDeduplication: true, batchSize: 5, handlerProps: HANDLER });
    template = Template.fromStack(stack);
  });

  test('queue and dead-letter queue are FIFO, with names CloudFormation generates (no fixed name)', () => {
    expect(worker.queue.fifo).toBe(true);
    expect(worker.deadLetterQueue!.fifo).toBe(true);
    for (const queue of [worker.queue, worker.deadLetterQueue!]) {
      expectProperties(template, queue, { FifoQueue: true, QueueName: Match.absent() });
    }
  });

  test('the FIFO dead-letter queue keeps the standard defaults (14 days, 5 receives, TLS)', () => {
    expectProperties(template, worker.deadLetterQueue!, { MessageRetentionPeriod: FOURTEEN_DAYS });
    expectProperties(template, worker.queue, {
      RedrivePolicy: { deadLetterTargetArn: stack.resolve(worker.deadLetterQueue!.queueArn), maxReceiveCount: 5 },
      VisibilityTimeout: 180,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', { Queues: [stack.resolve(worker.deadLetterQueue!.queueUrl)] });
  });

  test('the event source has no batching window', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: stack.resolve(worker.queue.queueArn),
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: Match.absent(),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  test('contentBasedDeduplication is set on the FIFO queue only', () => {
    expectProperties(template, deduplicating.queue, { FifoQueue: true, ContentBasedDeduplication: true });
    expectProperties(template, deduplicating.deadLetterQueue!, { ContentBasedDeduplication: Match.absent() });
    expectProperties(template, worker.queue, { ContentBasedDeduplication: Match.absent() });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { EventSourceArn: stack.resolve(deduplicating.queue.queueArn), BatchSize: 5 });
  });

  test('the handler\'s async-failure queue stays a standard queue (Lambda cannot use FIFO there)', () => {
    const asyncQueue = asyncFailureQueueOf(stack);
    expect(asyncQueue.fifo).toBe(false);
    expectProperties(template, asyncQueue, { FifoQueue: Match.absent() });
    expectProperties(template, worker.handler, { DeadLetterConfig: { TargetArn: stack.resolve(asyncQueue.queueArn) } });
  });
});

describe('QueueWorker overrides', () => {
  let stack: Stack;
  let template: Template;
  const workers: Record<string, QueueWorker> = {};
  const props: Record<string, Omit<QueueWorkerProps, 'handlerProps'> & { handlerProps?: Partial<QueueWorkerProps['handlerProps']> }> = {
    Batch: { batchSize: 100, maxBatchingWindow: Duration.seconds(30) },
    Concurrency: { maxConcurrency: 50 },
    Retention: { retentionPeriod: Duration.days(7) },
    Receives: { maxReceiveCount: 10 },
    Visibility: { visibilityTimeout: Duration.minutes(15) },
    Timeout: { handlerProps: { timeout: Duration.minutes(2), memorySize: 1024 } },
    LongTimeout: { handlerProps: { timeout: Duration.minutes(15) } },
    Alarms: {
      alarms: {
        deadLetterQueueMessages: { threshold: 5, period: Duration.minutes(5), evaluationPeriods: 3, datapointsToAlarm: 2 },
        oldestMessageAge: { maxAge: Duration.hours(1) },
        handlerErrors: { threshold: 3 },
        handlerThrottles: { threshold: 1, evaluationPeriods: 2 },
      },
    },
    NoAlarms: {
      alarms: {
        deadLetterQueueMessages: { enabled: false },
        oldestMessageAge: { enabled: false },
        handlerErrors: { enabled: false },
        handlerThrottles: { enabled: false },
      },
    },
  };

  beforeAll(() => {
    stack = newStack();
    for (const [id, p] of Object.entries(props)) {
      workers[id] = new QueueWorker(stack, id, { ...p, handlerProps: { ...HANDLER, ...p.handlerProps } } as QueueWorkerProps);
    }
    template = Template.fromStack(stack);
  });

  test('batchSize and maxBatchingWindow go to the event source; the window adds to the visibility timeout', () => {
    const worker = workers.Batch;
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: stack.resolve(worker.queue.queueArn),
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 30,
    });
    expectProperties(template, worker.queue, { VisibilityTimeout: 6 * 30 + 30 });
  });

  test('maxConcurrency becomes ScalingConfig.MaximumConcurrency', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: stack.resolve(workers.Concurrency.queue.queueArn),
      ScalingConfig: { MaximumConcurrency: 50 },
    });
  });

  test('retentionPeriod sets the queue retention, not the dead-letter queue\'s', () => {
    expectProperties(template, workers.Retention.queue, { MessageRetentionPeriod: 7 * 24 * 3600 });
    expectProperties(template, workers.Retention.deadLetterQueue!, { MessageRetentionPeriod: FOURTEEN_DAYS });
  });

  test('maxReceiveCount goes to the redrive policy', () => {
    expectProperties(template, workers.Receives.queue, { RedrivePolicy: { maxReceiveCount: 10 } });
  });

  test('a visibility timeout above the minimum is used as given', () => {
    expectProperties(template, workers.Visibility.queue, { VisibilityTimeout: 900 });
  });

  test('the handler timeout drives the default visibility timeout; handler props reach the function', () => {
    expectProperties(template, workers.Timeout.queue, { VisibilityTimeout: 6 * 120 });
    expectProperties(template, workers.Timeout.handler, { Timeout: 120, MemorySize: 1024 });
  });

  test('a 15-minute handler timeout is accepted: 6 x 15 min = 90 min is within SQS\'s 12-hour limit', () => {
    expectProperties(template, workers.LongTimeout.queue, { VisibilityTimeout: 6 * 900 });
  });

  test('alarm thresholds, periods and datapoints can be tuned', () => {
    const worker = workers.Alarms;
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: stack.resolve(worker.deadLetterQueue!.queueName) }],
      Threshold: 5,
      Period: 300,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: stack.resolve(worker.queue.queueName) }],
      Threshold: 3600,
      EvaluationPeriods: 5,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: stack.resolve(worker.handler.functionName) }],
      Threshold: 3,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Throttles',
      Dimensions: [{ Name: 'FunctionName', Value: stack.resolve(worker.handler.functionName) }],
      Threshold: 1,
      EvaluationPeriods: 2,
    });
  });

  test('enabled: false removes each alarm', () => {
    const worker = workers.NoAlarms;
    expect(worker.alarms).toEqual([]);
    const mentions = [worker.queue.queueName, worker.deadLetterQueue!.queueName, worker.handler.functionName]
      .map((token) => JSON.stringify(stack.resolve(token)));
    const alarmsOnWorker = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
      .filter((alarm) => mentions.some((m) => JSON.stringify(alarm.Properties.Dimensions).includes(m)));
    expect(alarmsOnWorker).toEqual([]);
    // The tuned worker still has all four, so the count differs by exactly those.
    expect(workers.Alarms.alarms).toHaveLength(4);
  });
});

describe('QueueWorker bring-your-own', () => {
  let stack: Stack;
  let template: Template;
  let myQueue: sqs.Queue;
  let myQueueDlq: sqs.Queue;
  let myDlq: sqs.Queue;
  let myKey: kms.Key;
  let myFunction: lambda.Function;
  let mySecureFunction: SecureFunction;
  let monitoring: Monitoring;
  const w: Record<string, QueueWorker> = {};

  beforeAll(() => {
    stack = newStack();
    monitoring = new Monitoring(stack, 'MyMonitoring', { emailAddresses: ['ops@example.com'] });
    myQueueDlq = new sqs.Queue(stack, 'MyQueueDlq', { enforceSSL: true });
    myQueue = new sqs.Queue(stack, 'MyQueue', {
      visibilityTimeout: Duration.minutes(3),
      deadLetterQueue: { queue: myQueueDlq, maxReceiveCount: 5 },
      enforceSSL: true,
    });
    myDlq = new sqs.Queue(stack, 'MyDlq', { enforceSSL: true });
    myKey = new kms.Key(stack, 'MyKey', { enableKeyRotation: true });
    myFunction = new lambda.Function(stack, 'MyFunction', {
      code: INLINE_CODE, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X, timeout: Duration.seconds(20),
    });
    mySecureFunction = new SecureFunction(stack, 'MySecureFunction', { ...HANDLER, monitoring });
    w.Queue = new QueueWorker(stack, 'WithQueue', { queue: myQueue, handlerProps: HANDLER, monitoring });
    w.Dlq = new QueueWorker(stack, 'WithDlq', { deadLetterQueue: myDlq, handlerProps: HANDLER, monitoring });
    w.Key = new QueueWorker(stack, 'WithKey', { key: myKey, handlerProps: HANDLER, monitoring });
    w.Function = new QueueWorker(stack, 'WithFunction', { handler: myFunction, monitoring });
    w.SecureFunction = new QueueWorker(stack, 'WithSecureFunction', { handler: mySecureFunction.lambdaFunction, monitoring });
    w.Monitoring = new QueueWorker(stack, 'WithMonitoring', { handlerProps: HANDLER, monitoring });
    template = Template.fromStack(stack);
  });

  test('a provided queue is consumed and no queue is created', () => {
    const worker = w.Queue;
    expect(worker.queue).toBe(myQueue);
    expect(worker.node.tryFindChild('Queue')).toBeUndefined();
    expect(worker.node.tryFindChild('DeadLetterQueue')).toBeUndefined();
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: stack.resolve(myQueue.queueArn),
      FunctionName: stack.resolve(worker.handler.functionName),
    });
  });

  test('a provided queue\'s own dead-letter queue is adopted and alarmed', () => {
    const worker = w.Queue;
    expect(worker.deadLetterQueue).toBe(myQueueDlq);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: stack.resolve(myQueueDlq.queueName) }],
    });
  });

  test('a provided dead-letter queue is used and none is created', () => {
    const worker = w.Dlq;
    expect(worker.deadLetterQueue).toBe(myDlq);
    expect(worker.node.tryFindChild('DeadLetterQueue')).toBeUndefined();
    expectProperties(template, worker.queue, { RedrivePolicy: { deadLetterTargetArn: stack.resolve(myDlq.queueArn), maxReceiveCount: 5 } });
  });

  test('a provided key encrypts the created queues and the handler may decrypt with it', () => {
    const worker = w.Key;
    const keyArn = stack.resolve(myKey.keyArn);
    for (const queue of [worker.queue, worker.deadLetterQueue!]) {
      expectProperties(template, queue, { KmsMasterKeyId: keyArn, SqsManagedSseEnabled: Match.absent() });
    }
    expect(actionsOn(statementsOf(template, worker.secureFunction!.role), keyArn)).toContain('kms:Decrypt');
  });

  test('without a key, STANDARD queues use SQS-managed SSE (the key is created only for the alarm topic)', () => {
    expectProperties(template, w.Dlq.queue, { SqsManagedSseEnabled: true, KmsMasterKeyId: Match.absent() });
  });

  test('a provided lambda.Function is the handler: no SecureFunction is created, its timeout sets the visibility timeout', () => {
    const worker = w.Function;
    expect(worker.handler).toBe(myFunction);
    expect(worker.secureFunction).toBeUndefined();
    expect(worker.node.tryFindChild('Handler')).toBeUndefined();
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: stack.resolve(worker.queue.queueArn),
      FunctionName: stack.resolve(myFunction.functionName),
    });
    expectProperties(template, worker.queue, { VisibilityTimeout: 6 * 20 });
  });

  test('a provided lambda.Function gets errors and throttles alarms and exactly the consume grant', () => {
    const worker = w.Function;
    expect(worker.alarms).toHaveLength(4);
    for (const metricName of ['Errors', 'Throttles']) {
      template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', {
        MetricName: metricName,
        Dimensions: [{ Name: 'FunctionName', Value: stack.resolve(myFunction.functionName) }],
      }, 1);
    }
    expect(actionsOn(statementsOf(template, myFunction.role!), stack.resolve(worker.queue.queueArn))).toEqual(CONSUME_ACTIONS);
  });

  test('a SecureFunction\'s function as handler keeps its own alarms, not duplicated by the worker', () => {
    const worker = w.SecureFunction;
    expect(worker.alarms).toHaveLength(2);
    for (const metricName of ['Errors', 'Throttles']) {
      template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', {
        MetricName: metricName,
        Dimensions: [{ Name: 'FunctionName', Value: stack.resolve(mySecureFunction.lambdaFunction.functionName) }],
      }, 1);
    }
  });

  test('a provided Monitoring gets the alarms and no other is created', () => {
    expect(Monitoring.of(stack)).toBe(monitoring);
    expect(stack.node.tryFindChild('BulwarkMonitoring')).toBeUndefined();
    template.resourceCountIs('AWS::SNS::Topic', 1);
    const topicArn = stack.resolve(monitoring.alarmTopic.topicArn);
    for (const alarm of w.Monitoring.alarms) {
      expectProperties(template, l1Alarm(alarm), { AlarmActions: [topicArn], OKActions: [topicArn] });
    }
  });

  test('without a monitoring prop the stack\'s Monitoring is created on first use', () => {
    const other = newStack();
    const worker = new QueueWorker(other, 'W', { handlerProps: HANDLER });
    expect(Monitoring.of(other)).toBe(other.node.findChild('BulwarkMonitoring'));
    expect(worker.alarms.length).toBeGreaterThan(0);
    expect(Monitoring.of(other).alarms).toEqual(expect.arrayContaining(worker.alarms));
  });
});

describe('QueueWorker with a queue from outside the app', () => {
  test('its dead-letter queue is unknown: a warning says so and no DLQ alarm or metric is made', () => {
    const stack = newStack();
    const queue = sqs.Queue.fromQueueArn(stack, 'Imported', 'arn:aws:sqs:eu-west-1:123456789012:orders');
    const worker = new QueueWorker(stack, 'W', { queue, handlerProps: HANDLER });
    expect(worker.deadLetterQueue).toBeUndefined();
    expect(worker.alarms).toHaveLength(3);
    expect(() => worker.metricDeadLetterQueueMessagesVisible()).toThrow(/needs the dead-letter queue/);
    Annotations.fromStack(stack).hasWarning('/TestStack/W', Match.stringLikeRegexp('cdk-bulwark:queue-worker:unknown-dead-letter-queue'));
  });
});

describe('QueueWorker invalid input', () => {
  const fn = (stack: Stack, props: Partial<lambda.FunctionProps> = {}) => new lambda.Function(stack, 'Fn', {
    code: INLINE_CODE, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X, ...props,
  });
  const standardQueue = (stack: Stack, id = 'Q') => new sqs.Queue(stack, id);
  const fifoQueue = (stack: Stack, id = 'Q') => new sqs.Queue(stack, id, { fifo: true });
  const fifoQueueWithDlq = (stack: Stack) => new sqs.Queue(stack, 'Q', {
    fifo: true, visibilityTimeout: Duration.minutes(3), deadLetterQueue: { queue: fifoQueue(stack, 'Dlq'), maxReceiveCount: 5 },
  });

  const cases: Array<[string, (stack: Stack) => QueueWorkerProps, string]> = [
    ['batchSize 0', () => ({ handlerProps: HANDLER, batchSize: 0 }),
      'batchSize is 0; it must be an integer from 1 to 10000'],
    ['batchSize 10001', () => ({ handlerProps: HANDLER, batchSize: 10001, maxBatchingWindow: Duration.seconds(1) }),
      'batchSize is 10001; it must be an integer from 1 to 10000'],
    ['batchSize 2.5', () => ({ handlerProps: HANDLER, batchSize: 2.5 }),
      'batchSize is 2.5; it must be an integer from 1 to 10000'],
    ['batchSize 11 without a batching window', () => ({ handlerProps: HANDLER, batchSize: 11 }),
      'batchSize is 11; above 10 Lambda needs maxBatchingWindow of at least 1 second'],
    ['FIFO batchSize 11', () => ({ handlerProps: HANDLER, fifo: true, batchSize: 11 }),
      'batchSize is 11; it must be an integer from 1 to 10'],
    ['FIFO with maxBatchingWindow', () => ({ handlerProps: HANDLER, fifo: true, maxBatchingWindow: Duration.seconds(10) }),
      'maxBatchingWindow is 10 seconds; FIFO queues take no batching window; leave it unset'],
    ['maxBatchingWindow above 5 minutes', () => ({ handlerProps: HANDLER, maxBatchingWindow: Duration.minutes(6) }),
      'maxBatchingWindow is 6 minutes; it must be a whole number of seconds from 0 seconds to 5 minutes'],
    ['retentionPeriod 30 seconds', () => ({ handlerProps: HANDLER, retentionPeriod: Duration.seconds(30) }),
      'retentionPeriod is 30 seconds; it must be a whole number of seconds from 1 minute to 14 days'],
    ['retentionPeriod 15 days', () => ({ handlerProps: HANDLER, retentionPeriod: Duration.days(15) }),
      'retentionPeriod is 15 days; it must be a whole number of seconds from 1 minute to 14 days'],
    ['maxReceiveCount 0', () => ({ handlerProps: HANDLER, maxReceiveCount: 0 }),
      'maxReceiveCount is 0; it must be an integer from 1 to 1000'],
    ['maxReceiveCount 1001', () => ({ handlerProps: HANDLER, maxReceiveCount: 1001 }),
      'maxReceiveCount is 1001; it must be an integer from 1 to 1000'],
    ['visibilityTimeout below 6 x the handler timeout', () => ({ handlerProps: HANDLER, visibilityTimeout: Duration.seconds(60) }),
      'visibilityTimeout is 60 seconds; with a 30 s handler timeout and no batching window it must be at least 180 seconds'],
    ['visibilityTimeout below 6 x timeout + window', () => ({ handlerProps: HANDLER, visibilityTimeout: Duration.seconds(180), maxBatchingWindow: Duration.seconds(20) }),
      'visibilityTimeout is 180 seconds; with a 30 s handler timeout and a 20 s batching window it must be at least 200 seconds'],
    ['visibilityTimeout below 6 x a provided function\'s timeout', (s) => ({ handler: fn(s, { timeout: Duration.minutes(1) }), visibilityTimeout: Duration.minutes(5) }),
      'visibilityTimeout is 300 seconds; with a 60 s handler timeout and no batching window it must be at least 360 seconds'],
    ['visibilityTimeout above 12 hours', () => ({ handlerProps: HANDLER, visibilityTimeout: Duration.hours(13) }),
      'visibilityTimeout is 13 hours; it must be a whole number of seconds from 0 seconds to 12 hours'],
    ['a provided queue whose visibility timeout is too short', (s) => ({
      handlerProps: HANDLER,
      queue: new sqs.Queue(s, 'Q', { deadLetterQueue: { queue: standardQueue(s, 'Dlq'), maxReceiveCount: 5 } }),
    }), 'the given queue\'s visibility timeout is 30 seconds; with a 30 s handler timeout and no batching window it must be at least 180 seconds'],
    ['a provided in-app queue without a dead-letter queue', (s) => ({ handlerProps: HANDLER, queue: new sqs.Queue(s, 'Q', { visibilityTimeout: Duration.minutes(3) }) }),
      'queue is \'TestStack/Q\'; it has no dead-letter queue'],
    ['handler and handlerProps', (s) => ({ handler: fn(s), handlerProps: HANDLER }),
      'handler and handlerProps cannot be set together'],
    ['neither handler nor handlerProps', () => ({}),
      'a handler is required; give handler (a function of yours) or handlerProps (to create a SecureFunction)'],
    ['queue and deadLetterQueue', (s) => ({ handlerProps: HANDLER, queue: standardQueue(s), deadLetterQueue: standardQueue(s, 'Dlq') }),
      'queue and deadLetterQueue cannot be set together'],
    ['queue and key', (s) => ({ handlerProps: HANDLER, queue: standardQueue(s), key: new kms.Key(s, 'K') }),
      'queue and key cannot be set together'],
    ['queue and maxReceiveCount', (s) => ({ handlerProps: HANDLER, queue: standardQueue(s), maxReceiveCount: 5 }),
      'queue and maxReceiveCount cannot be set together'],
    ['fifo: false with a FIFO queue', (s) => ({ handlerProps: HANDLER, fifo: false, queue: fifoQueueWithDlq(s) }),
      'fifo is false; the given queue TestStack/Q is FIFO; leave fifo unset or make it match'],
    ['FIFO queue with a standard dead-letter queue', (s) => ({ handlerProps: HANDLER, fifo: true, deadLetterQueue: standardQueue(s, 'Dlq') }),
      'deadLetterQueue is \'TestStack/Dlq\'; it is standard but the queue is FIFO; SQS needs a dead-letter queue of the same type'],
    ['standard queue with a FIFO dead-letter queue', (s) => ({ handlerProps: HANDLER, deadLetterQueue: fifoQueue(s, 'Dlq') }),
      'deadLetterQueue is \'TestStack/Dlq\'; it is FIFO but the queue is standard'],
    ['contentBasedDeduplication without fifo', () => ({ handlerProps: HANDLER, contentBasedDeduplication: true }),
      'contentBasedDeduplication is true; it applies only to FIFO queues'],
    ['maxConcurrency 1', () => ({ handlerProps: HANDLER, maxConcurrency: 1 }),
      'maxConcurrency is 1; it must be an integer from 2 to 1000'],
    ['maxConcurrency 1001', () => ({ handlerProps: HANDLER, maxConcurrency: 1001 }),
      'maxConcurrency is 1001; it must be an integer from 2 to 1000'],
    ['reserved concurrency 5 below maxConcurrency 10', () => ({ handlerProps: { ...HANDLER, reservedConcurrentExecutions: 5 }, maxConcurrency: 10 }),
      'maxConcurrency is 10; the handler\'s reserved concurrency is 5; maxConcurrency must not exceed it'],
    ['a provided function reserving 5 below maxConcurrency 10', (s) => ({ handler: fn(s, { reservedConcurrentExecutions: 5 }), maxConcurrency: 10 }),
      'maxConcurrency is 10; the handler\'s reserved concurrency is 5'],
    ['alarm datapointsToAlarm above evaluationPeriods', () => ({ handlerProps: HANDLER, alarms: { deadLetterQueueMessages: { evaluationPeriods: 1, datapointsToAlarm: 3 } } }),
      'alarms.deadLetterQueueMessages.datapointsToAlarm is 3; it must be an integer from 1 to 1'],
    ['alarm maxAge of 0 seconds', () => ({ handlerProps: HANDLER, alarms: { oldestMessageAge: { maxAge: Duration.seconds(0) } } }),
      'alarms.oldestMessageAge.maxAge is 0 seconds; it must be a whole number of seconds from 1 second to 14 days'],
  ];

  test.each(cases)('%s', (_name, makeProps, message) => {
    const build = () => {
      const stack = newStack();
      new QueueWorker(stack, 'W', makeProps(stack));
    };
    const expected = new RegExp(`^QueueWorker 'TestStack/W': .*${escapeRegExp(message)}`);
    expect(build).toThrow(expected);
    expect(build).not.toThrow(TypeError);
  });

  test.each([
    ['16 minutes', Duration.minutes(16), 'handlerProps.timeout is 16 minutes; it must be a whole number of seconds from 1 second to 15 minutes'],
    ['a plain number (not a Duration)', 30 as unknown as Duration, 'handlerProps.timeout is 30; it must be a Duration'],
  ])('an invalid handler timeout (%s) is reported before anything is made', (_name, timeout, message) => {
    const build = () => new QueueWorker(newStack(), 'W', { handlerProps: { ...HANDLER, timeout } });
    expect(build).toThrow(`QueueWorker 'TestStack/W': ${message}`);
    expect(build).not.toThrow(TypeError);
  });

  test.each([
    ['handlerProps null', { handlerProps: null }],
    ['handler null', { handler: null }],
    ['no props at all', undefined],
  ])('%s is "a handler is required", not a TypeError', (_name, props) => {
    const build = () => new QueueWorker(newStack(), 'W', props as any);
    expect(build).toThrow("QueueWorker 'TestStack/W': a handler is required");
    expect(build).not.toThrow(TypeError);
  });

  test.each([
    ['visibilityTimeout', { visibilityTimeout: Duration.minutes(10) }],
    ['retentionPeriod', { retentionPeriod: Duration.days(2) }],
    ['maxReceiveCount', { maxReceiveCount: 3 }],
    ['contentBasedDeduplication', { contentBasedDeduplication: true }],
  ])('queue with %s (which configures the created queue) is an error', (prop, extra) => {
    const stack = newStack();
    const queue = sqs.Queue.fromQueueArn(stack, 'Q', 'arn:aws:sqs:eu-west-1:123456789012:orders');
    const build = () => new QueueWorker(stack, 'W', { handlerProps: HANDLER, queue, ...extra });
    expect(build).toThrow(`QueueWorker 'TestStack/W': queue and ${prop} cannot be set together`);
  });
});

describe.each(FLAG_SET_ENTRIES)('two QueueWorkers in one REGULATED stack (%s)', (_flagSet, flags) => {
  let stack: Stack;
  let a: QueueWorker;
  let b: QueueWorker;
  let template: Template;

  beforeAll(() => {
    stack = newStack(flags, ComplianceProfile.REGULATED);
    a = new QueueWorker(stack, 'A', { handlerProps: HANDLER });
    b = new QueueWorker(stack, 'B', { handlerProps: HANDLER, maxConcurrency: 20 });
    template = Template.fromStack(stack);
  });

  test('they have distinct queues, dead-letter queues and handlers', () => {
    const arns = [a.queue, a.deadLetterQueue!, b.queue, b.deadLetterQueue!].map((q) => JSON.stringify(stack.resolve(q.queueArn)));
    expect(new Set(arns).size).toBe(4);
    expect(stack.resolve(a.handler.functionArn)).not.toEqual(stack.resolve(b.handler.functionArn));
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
  });

  test('they share one alarm topic, one stack key, one network and one async-failure queue', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::KMS::Key', 2); // the stack key and the failure-path key
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::SQS::Queue', 5); // 2 x (queue + DLQ) + the async-failure queue
    const asyncQueueArn = stack.resolve(asyncFailureQueueOf(stack).queueArn);
    for (const worker of [a, b]) {
      expectProperties(template, worker.handler, { DeadLetterConfig: { TargetArn: asyncQueueArn } });
      expectProperties(template, worker.queue, { KmsMasterKeyId: stack.resolve(stackKeyOf(stack).keyArn) });
    }
  });

  test('the stack key policy gets each service statement once', () => {
    const key = resourceOf(template, stackKeyOf(stack));
    const sids: string[] = key.Properties.KeyPolicy.Statement.map((s: any) => s.Sid).filter((sid: unknown) => sid !== undefined);
    expect(sids.length).toBeGreaterThan(0);
    expect(new Set(sids).size).toBe(sids.length);
  });

  test('REGULATED reserved concurrency is at least the event source\'s maxConcurrency', () => {
    expectProperties(template, a.handler, { ReservedConcurrentExecutions: 10 });
    expectProperties(template, b.handler, { ReservedConcurrentExecutions: 20 });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: stack.resolve(b.queue.queueArn),
      ScalingConfig: { MaximumConcurrency: 20 },
    });
  });

  test('all alarms of both workers notify the one topic', () => {
    const topicArn = stack.resolve(Monitoring.of(stack).alarmTopic.topicArn);
    for (const alarm of [...a.alarms, ...b.alarms]) {
      expectProperties(template, l1Alarm(alarm), { AlarmActions: [topicArn], OKActions: [topicArn] });
    }
    expect(a.alarms).toHaveLength(4);
    expect(b.alarms).toHaveLength(4);
  });
});

