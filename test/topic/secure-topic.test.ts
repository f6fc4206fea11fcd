import { CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { ComplianceProfile, Monitoring, QueueWorker, SecureFunction, SecureTopic, TopicSubscription } from '../../src';
import { FLAG_SETS, FOURTEEN_DAYS, INLINE_CODE, newStack } from '../support/app';
import { actionsOn, escapeRegExp, expectProperties, keyStatementFor, logicalIdOf, resourceOf, stackKeyOf, statementsOf } from '../support/template';

const HANDLER = { code: INLINE_CODE, handler: 'index.handler' };
const FLAG_SET_ENTRIES = Object.entries(FLAG_SETS);

function plainFunction(stack: Stack, id = 'Fn'): lambda.Function {
  return new lambda.Function(stack, id, { code: INLINE_CODE, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X });
}

function subscriberQueue(stack: Stack, id = 'Subscriber', props: sqs.QueueProps = {}): sqs.Queue {
  return new sqs.Queue(stack, id, { enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED, ...props });
}

/** The statement of a queue's policy that lets SNS send. */
function snsSendStatement(stack: Stack, queue: sqs.IQueue, topic: SecureTopic) {
  return {
    Effect: 'Allow',
    Action: 'sqs:SendMessage',
    Principal: { Service: 'sns.amazonaws.com' },
    Resource: stack.resolve(queue.queueArn),
    Condition: { ArnEquals: { 'aws:SourceArn': stack.resolve(topic.topic.topicArn) } },
  };
}

function alarmsOn(template: Template, stack: Stack, topic: SecureTopic, metricName: string) {
  return template.findResources('AWS::CloudWatch::Alarm', {
    Properties: { MetricName: metricName, Dimensions: [{ Name: 'TopicName', Value: stack.resolve(topic.topic.topicName) }] },
  });
}

function dashboardBody(template: Template): string {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  return JSON.stringify(dashboards[0].Properties.DashboardBody);
}

describe.each(FLAG_SET_ENTRIES)('SecureTopic defaults (%s)', (_flagSet, flags) => {
  describe.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('%s profile', (profile) => {
    const regulated = profile === ComplianceProfile.REGULATED;
    let stack: Stack;
    let topic: SecureTopic;
    let queue: sqs.Queue;
    let fn: lambda.Function;
    let queueSub: TopicSubscription;
    let fnSub: TopicSubscription;
    let publisher: iam.Role;
    let template: Template;

    beforeAll(() => {
      stack = newStack(flags, profile);
      topic = new SecureTopic(stack, 'T');
      queue = subscriberQueue(stack);
      fn = plainFunction(stack);
      queueSub = topic.subscribeQueue('Orders', queue);
      fnSub = topic.subscribeFunction('Audit', fn);
      publisher = new iam.Role(stack, 'Publisher', { assumedBy: new iam.AccountRootPrincipal() });
      topic.grantPublish(publisher);
      template = Template.fromStack(stack);
    });

    test('the topic is created with a stable construct id and the profile in force', () => {
      expect(topic.topic).toBe(topic.node.findChild('Topic'));
      expect(topic.complianceProfile).toBe(profile);
      template.resourceCountIs('AWS::SNS::Topic', 2); // + the alarm topic
    });

    test('the topic is encrypted with the stack key in both profiles (service publishers need a key policy alias/aws/sns cannot have)', () => {
      expect(topic.key).toBe(stackKeyOf(stack));
      expectProperties(template, topic.topic, { KmsMasterKeyId: stack.resolve(stackKeyOf(stack).keyArn) });
    });

    test('the topic is standard with a name CloudFormation generates', () => {
      expectProperties(template, topic.topic, { FifoTopic: Match.absent(), TopicName: Match.absent(), ContentBasedDeduplication: Match.absent() });
    });

    test('the topic policy denies publishing without TLS', () => {
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [stack.resolve(topic.topic.topicArn)],
        PolicyDocument: {
          Statement: [{
            Effect: 'Deny',
            Action: 'sns:Publish',
            Principal: '*',
            Resource: stack.resolve(topic.topic.topicArn),
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Sid: 'AllowPublishThroughSSLOnly',
          }],
        },
      });
    });

    test('each subscription gets its own dead-letter queue with a stable construct id', () => {
      expect(queueSub.deadLetterQueue).toBe(topic.node.findChild('Subscriptions').node.findChild('Orders').node.findChild('DeadLetterQueue'));
      expect(fnSub.deadLetterQueue).toBe(topic.node.findChild('Subscriptions').node.findChild('Audit').node.findChild('DeadLetterQueue'));
      expect(queueSub.deadLetterQueue).not.toBe(fnSub.deadLetterQueue);
      expect(topic.subscriptions.map((s) => s.subscriptionId)).toEqual(['Orders', 'Audit']);
    });

    test('dead-letter queues are standard, keep messages 14 days and are retained', () => {
      for (const sub of [queueSub, fnSub]) {
        expectProperties(template, sub.deadLetterQueue, {
          FifoQueue: Match.absent(),
          MessageRetentionPeriod: FOURTEEN_DAYS,
          QueueName: Match.absent(),
        });
        const resource = resourceOf(template, sub.deadLetterQueue);
        expect(resource.DeletionPolicy).toBe('Retain');
        expect(resource.UpdateReplacePolicy).toBe('Retain');
      }
    });

    if (regulated) {
      test('dead-letter queues are encrypted with the stack key, whose policy lets SNS use it', () => {
        for (const sub of [queueSub, fnSub]) {
          expectProperties(template, sub.deadLetterQueue, {
            KmsMasterKeyId: stack.resolve(stackKeyOf(stack).keyArn),
            SqsManagedSseEnabled: Match.absent(),
          });
        }
        const statement = keyStatementFor(template, stackKeyOf(stack), 'sns.amazonaws.com');
        expect([statement.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
      });
    } else {
      test('dead-letter queues use SQS-managed SSE, so the stack key policy needs nothing for SNS', () => {
        for (const sub of [queueSub, fnSub]) {
          expectProperties(template, sub.deadLetterQueue, { SqsManagedSseEnabled: true, KmsMasterKeyId: Match.absent() });
        }
        const statements: any[] = resourceOf(template, stackKeyOf(stack)).Properties.KeyPolicy.Statement;
        expect(statements.filter((s) => JSON.stringify(s.Principal).includes('sns.amazonaws.com'))).toEqual([]);
      });
    }

    test('dead-letter queues deny requests without TLS and let SNS send from this topic only', () => {
      for (const sub of [queueSub, fnSub]) {
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [stack.resolve(sub.deadLetterQueue.queueUrl)],
          PolicyDocument: {
            Statement: [
              {
                Effect: 'Deny',
                Action: 'sqs:*',
                Principal: { AWS: '*' },
                Resource: stack.resolve(sub.deadLetterQueue.queueArn),
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              },
              snsSendStatement(stack, sub.deadLetterQueue, topic),
            ],
          },
        });
      }
    });

    test('the queue subscription delivers to the queue, with the SNS envelope, every message, failures to its dead-letter queue', () => {
      expectProperties(template, queueSub.subscription, {
        Protocol: 'sqs',
        Endpoint: stack.resolve(queue.queueArn),
        TopicArn: stack.resolve(topic.topic.topicArn),
        RedrivePolicy: { deadLetterTargetArn: stack.resolve(queueSub.deadLetterQueue.queueArn) },
        RawMessageDelivery: Match.absent(),
        FilterPolicy: Match.absent(),
        FilterPolicyScope: Match.absent(),
        Region: Match.absent(),
      });
    });

    test('the subscriber queue\'s policy lets SNS send from this topic only', () => {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [stack.resolve(queue.queueUrl)],
        PolicyDocument: { Statement: Match.arrayWith([snsSendStatement(stack, queue, topic)]) },
      });
    });

    test('subscriptions are created after the queue policies that let SNS send', () => {
      const dependsOn: string[] = resourceOf(template, queueSub.subscription).DependsOn;
      expect(dependsOn).toEqual(expect.arrayContaining([
        logicalIdOf(queue.node.findChild('Policy')),
        logicalIdOf(queueSub.deadLetterQueue.node.findChild('Policy')),
      ]));
      expect(resourceOf(template, fnSub.subscription).DependsOn).toEqual(expect.arrayContaining([
        logicalIdOf(fnSub.deadLetterQueue.node.findChild('Policy')),
      ]));
    });

    test('the function subscription delivers to the function, which only this topic may invoke', () => {
      expectProperties(template, fnSub.subscription, {
        Protocol: 'lambda',
        Endpoint: stack.resolve(fn.functionArn),
        RedrivePolicy: { deadLetterTargetArn: stack.resolve(fnSub.deadLetterQueue.queueArn) },
      });
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: stack.resolve(fn.functionArn),
        Principal: 'sns.amazonaws.com',
        SourceArn: stack.resolve(topic.topic.topicArn),
      });
    });

    test('grantPublish gives exactly sns:Publish on the topic and GenerateDataKey and Decrypt on its key, through SNS for this topic only', () => {
      const statements = statementsOf(template, publisher);
      expect(actionsOn(statements, stack.resolve(topic.topic.topicArn))).toEqual(['sns:Publish']);
      const keyArn = stack.resolve(topic.key.keyArn);
      expect(actionsOn(statements, keyArn)).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
      const keyStatement = statements.find((s) => JSON.stringify(s.Resource) === JSON.stringify(keyArn))!;
      expect(keyStatement.Condition).toEqual({
        StringEquals: {
          'kms:ViaService': 'sns.eu-west-1.amazonaws.com',
          'kms:EncryptionContext:aws:sns:topicArn': stack.resolve(topic.topic.topicArn),
        },
      });
      expect(statements.flatMap((s) => [s.Action].flat())).not.toContain('sns:*');
    });

    test('four alarms: failed notifications, failed redrives and one per dead-letter queue', () => {
      expect(topic.alarms).toHaveLength(4);
      expect(queueSub.deadLetterQueueAlarm).toBeDefined();
      expect(fnSub.deadLetterQueueAlarm).toBeDefined();
      expect(Monitoring.of(stack).alarms).toEqual(expect.arrayContaining(topic.alarms));
    });

    test('the topic\'s alarms are in its Alarms child; each dead-letter queue alarm is in the Alarms child of its subscription', () => {
      expect(topic.node.findChild('Alarms').node.children.map((c) => c.node.id).sort())
        .toEqual(['NotificationsFailedAlarm', 'NotificationsFailedToRedriveToDlqAlarm']);
      for (const sub of [queueSub, fnSub]) {
        const group = topic.node.findChild('Subscriptions').node.findChild(sub.subscriptionId);
        expect(sub.deadLetterQueueAlarm).toBe(group.node.findChild('Alarms').node.findChild('DeadLetterQueueAlarm'));
      }
    });

    test('the failed-notifications alarm fires on any failure in 5 minutes', () => {
      const alarms = Object.values(alarmsOn(template, stack, topic, 'NumberOfNotificationsFailed'));
      expect(alarms).toHaveLength(1);
      expect(alarms[0].Properties).toMatchObject({
        Namespace: 'AWS/SNS',
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
    });

    test('the failed-redrive alarm fires on any lost notification in 1 minute and says they are lost', () => {
      const alarms = Object.values(alarmsOn(template, stack, topic, 'NumberOfNotificationsFailedToRedriveToDlq'));
      expect(alarms).toHaveLength(1);
      expect(alarms[0].Properties).toMatchObject({
        Namespace: 'AWS/SNS', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 0, TreatMissingData: 'notBreaching',
      });
      expect(alarms[0].Properties.AlarmDescription).toMatch(/lost/);
    });

    test('the dead-letter queue alarms fire on any visible message and say how to redeliver for the subscriber\'s kind', () => {
      const expectations: Array<[TopicSubscription, RegExp]> = [
        [queueSub, /start-message-move-task --source-arn <DLQ ARN> --destination-arn <subscriber queue ARN>/],
        [fnSub, /aws lambda invoke --invocation-type Event/],
      ];
      for (const [sub, redeliver] of expectations) {
        expectProperties(template, sub.deadLetterQueueAlarm as cloudwatch.Alarm, {
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: stack.resolve(sub.deadLetterQueue.queueName) }],
          Statistic: 'Maximum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 0,
          AlarmDescription: Match.stringLikeRegexp(`subscription '${sub.subscriptionId}'`),
        });
        expect(resourceOf(template, sub.deadLetterQueueAlarm as cloudwatch.Alarm).Properties.AlarmDescription).toMatch(redeliver);
      }
    });

    test('every alarm notifies the alarm topic on ALARM and OK, with a description within 1,024 characters', () => {
      const topicArn = stack.resolve(Monitoring.of(stack).alarmTopic.topicArn);
      for (const alarm of topic.alarms) {
        const properties = resourceOf(template, alarm as cloudwatch.Alarm).Properties;
        expect(properties.AlarmActions).toEqual([topicArn]);
        expect(properties.OKActions).toEqual([topicArn]);
        expect(properties.AlarmDescription.length).toBeLessThanOrEqual(1024);
      }
    });

    test('a dashboard section shows deliveries, failures with each dead-letter queue, and filtering', () => {
      const body = dashboardBody(template);
      expect(body).toContain('## Topic TestStack/T');
      for (const text of ['NumberOfMessagesPublished', 'NumberOfNotificationsFailed', 'NumberOfNotificationsRedrivenToDlq',
        'NumberOfNotificationsFailedToRedriveToDlq', 'NumberOfNotificationsFilteredOut', 'DLQ Orders', 'DLQ Audit']) {
        expect(body).toContain(text);
      }
    });

    test('no warning: the topic has subscribers and every policy could be set', () => {
      expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cdk-bulwark:topic'))).toEqual([]);
    });
  });
});

describe.each(FLAG_SET_ENTRIES)('SecureTopic FIFO variant (%s)', (_flagSet, flags) => {
  let stack: Stack;
  let topic: SecureTopic;
  let plain: SecureTopic;
  let fifoSub: TopicSubscription;
  let standardSub: TopicSubscription;
  let template: Template;

  beforeAll(() => {
    stack = newStack(flags);
    topic = new SecureTopic(stack, 'T', { fifo: true, contentBasedDeduplication: true });
    plain = new SecureTopic(stack, 'Plain', { fifo: true });
    fifoSub = topic.subscribeQueue('Ordered', subscriberQueue(stack, 'FifoSubscriber', { fifo: true }));
    standardSub = topic.subscribeQueue('Analytics', subscriberQueue(stack, 'StandardSubscriber'));
    plain.subscribeQueue('Ordered', subscriberQueue(stack, 'PlainSubscriber', { fifo: true }));
    template = Template.fromStack(stack);
  });

  test('the topic is FIFO with a generated .fifo name (CloudFormation needs one) and content-based deduplication when asked', () => {
    expect(topic.topic.fifo).toBe(true);
    expectProperties(template, topic.topic, {
      FifoTopic: true,
      ContentBasedDeduplication: true,
      TopicName: Match.stringLikeRegexp('^TestStack-T-.*\\.fifo$'),
    });
    expectProperties(template, plain.topic, { FifoTopic: true, ContentBasedDeduplication: Match.absent() });
  });

  test('the dead-letter queues of a FIFO topic\'s subscriptions are FIFO, whatever the subscriber (SNS requires it)', () => {
    for (const sub of [fifoSub, standardSub]) {
      expect(sub.deadLetterQueue.fifo).toBe(true);
      expectProperties(template, sub.deadLetterQueue, {
        FifoQueue: true,
        MessageRetentionPeriod: FOURTEEN_DAYS,
        ContentBasedDeduplication: Match.absent(),
      });
    }
  });

  test('FIFO topics deliver to FIFO queues and, with best-effort order, to standard queues (AWS documents both)', () => {
    expectProperties(template, fifoSub.subscription, { Protocol: 'sqs', RedrivePolicy: { deadLetterTargetArn: stack.resolve(fifoSub.deadLetterQueue.queueArn) } });
    expectProperties(template, standardSub.subscription, { Protocol: 'sqs' });
  });
});

describe('SecureTopic overrides', () => {
  let stack: Stack;
  let template: Template;
  const topics: Record<string, SecureTopic> = {};
  const subs: Record<string, TopicSubscription> = {};

  beforeAll(() => {
    stack = newStack();
    topics.Named = new SecureTopic(stack, 'Named', { displayName: 'Order events' });
    subs.Named = topics.Named.subscribeQueue('Q', subscriberQueue(stack, 'NamedSubscriber'));
    topics.Filters = new SecureTopic(stack, 'Filters');
    subs.Attributes = topics.Filters.subscribeQueue('Attributes', subscriberQueue(stack, 'AttributesSubscriber'), {
      rawMessageDelivery: true,
      filterPolicy: {
        type: sns.SubscriptionFilter.stringFilter({ allowlist: ['created', 'updated'] }),
        total: sns.SubscriptionFilter.numericFilter({ greaterThan: 100 }),
      },
    });
    subs.Body = topics.Filters.subscribeFunction('Body', plainFunction(stack, 'BodyFn'), {
      filterPolicyWithMessageBody: {
        order: sns.FilterOrPolicy.policy({ status: sns.FilterOrPolicy.filter(sns.SubscriptionFilter.stringFilter({ allowlist: ['paid'] })) }),
      },
    });
    topics.Alarms = new SecureTopic(stack, 'Alarms', {
      alarms: {
        notificationsFailed: { threshold: 3, period: Duration.minutes(1), evaluationPeriods: 5, datapointsToAlarm: 3 },
        notificationsFailedToRedriveToDlq: { period: Duration.minutes(5) },
        deadLetterQueueMessages: { threshold: 10, evaluationPeriods: 2 },
      },
    });
    subs.Alarms = topics.Alarms.subscribeQueue('Q', subscriberQueue(stack, 'AlarmsSubscriber'));
    topics.NoAlarms = new SecureTopic(stack, 'NoAlarms', {
      alarms: {
        notificationsFailed: { enabled: false },
        notificationsFailedToRedriveToDlq: { enabled: false },
        deadLetterQueueMessages: { enabled: false },
      },
    });
    subs.NoAlarms = topics.NoAlarms.subscribeQueue('Q', subscriberQueue(stack, 'NoAlarmsSubscriber'));
    template = Template.fromStack(stack);
  });

  test('displayName reaches the topic', () => {
    expectProperties(template, topics.Named.topic, { DisplayName: 'Order events' });
  });

  test('filterPolicy filters on message attributes and rawMessageDelivery drops the envelope', () => {
    expectProperties(template, subs.Attributes.subscription, {
      RawMessageDelivery: true,
      FilterPolicy: { type: ['created', 'updated'], total: [{ numeric: ['>', 100] }] },
      FilterPolicyScope: Match.absent(),
    });
  });

  test('filterPolicyWithMessageBody filters on the body, nested policies included', () => {
    expectProperties(template, subs.Body.subscription, {
      FilterPolicy: { order: { status: ['paid'] } },
      FilterPolicyScope: 'MessageBody',
      RawMessageDelivery: Match.absent(),
    });
  });

  test('alarm thresholds, periods and datapoints can be tuned', () => {
    const failed = Object.values(alarmsOn(template, stack, topics.Alarms, 'NumberOfNotificationsFailed'));
    expect(failed[0].Properties).toMatchObject({ Threshold: 3, Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3 });
    const lost = Object.values(alarmsOn(template, stack, topics.Alarms, 'NumberOfNotificationsFailedToRedriveToDlq'));
    expect(lost[0].Properties).toMatchObject({ Threshold: 0, Period: 300 });
    expectProperties(template, subs.Alarms.deadLetterQueueAlarm as cloudwatch.Alarm, { Threshold: 10, EvaluationPeriods: 2, Period: 60 });
  });

  test('enabled: false removes each alarm', () => {
    expect(topics.NoAlarms.alarms).toEqual([]);
    expect(subs.NoAlarms.deadLetterQueueAlarm).toBeUndefined();
    expect(Object.keys(alarmsOn(template, stack, topics.NoAlarms, 'NumberOfNotificationsFailed'))).toEqual([]);
    expect(Object.keys(alarmsOn(template, stack, topics.NoAlarms, 'NumberOfNotificationsFailedToRedriveToDlq'))).toEqual([]);
    expect(Object.keys(template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { Dimensions: [{ Name: 'QueueName', Value: stack.resolve(subs.NoAlarms.deadLetterQueue.queueName) }] },
    }))).toEqual([]);
  });

  test('metric methods use SNS\'s names with sums', () => {
    const topic = topics.Named;
    const metrics: Array<[cloudwatch.Metric, string]> = [
      [topic.metricNumberOfMessagesPublished(), 'NumberOfMessagesPublished'],
      [topic.metricNumberOfNotificationsDelivered(), 'NumberOfNotificationsDelivered'],
      [topic.metricNumberOfNotificationsFailed(), 'NumberOfNotificationsFailed'],
      [topic.metricNumberOfNotificationsFilteredOut(), 'NumberOfNotificationsFilteredOut'],
      [topic.metricNumberOfNotificationsRedrivenToDlq(), 'NumberOfNotificationsRedrivenToDlq'],
      [topic.metricNumberOfNotificationsFailedToRedriveToDlq(), 'NumberOfNotificationsFailedToRedriveToDlq'],
    ];
    for (const [metric, name] of metrics) {
      expect(metric.metricName).toBe(name);
      expect(metric.namespace).toBe('AWS/SNS');
      expect(metric.statistic).toBe('Sum');
      expect(stack.resolve(metric.dimensions)).toEqual({ TopicName: stack.resolve(topic.topic.topicName) });
    }
    expect(topic.metricNumberOfNotificationsFailed({ period: Duration.minutes(1) }).period.toSeconds()).toBe(60);
  });
});

describe('SecureTopic bring-your-own', () => {
  let stack: Stack;
  let template: Template;
  let myKey: kms.Key;
  let myDlq: sqs.Queue;
  let myKmsDlq: sqs.Queue;
  let dlqKey: kms.Key;
  let queueKey: kms.Key;
  let monitoring: Monitoring;
  const topics: Record<string, SecureTopic> = {};
  const subs: Record<string, TopicSubscription> = {};

  beforeAll(() => {
    stack = newStack();
    monitoring = new Monitoring(stack, 'MyMonitoring', { emailAddresses: ['ops@example.com'] });
    myKey = new kms.Key(stack, 'MyKey', { enableKeyRotation: true });
    dlqKey = new kms.Key(stack, 'DlqKey', { enableKeyRotation: true });
    queueKey = new kms.Key(stack, 'QueueKey', { enableKeyRotation: true });
    myDlq = new sqs.Queue(stack, 'MyDlq', { enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED });
    myKmsDlq = new sqs.Queue(stack, 'MyKmsDlq', { enforceSSL: true, encryptionMasterKey: dlqKey });
    topics.Key = new SecureTopic(stack, 'WithKey', { key: myKey, monitoring });
    subs.Key = topics.Key.subscribeQueue('Q', subscriberQueue(stack, 'KeySubscriber'));
    topics.Dlq = new SecureTopic(stack, 'WithDlq', { monitoring });
    subs.Dlq = topics.Dlq.subscribeQueue('Q', subscriberQueue(stack, 'DlqSubscriber'), { deadLetterQueue: myDlq });
    subs.SharedDlq = topics.Dlq.subscribeFunction('Fn', plainFunction(stack), { deadLetterQueue: myDlq });
    subs.KmsDlq = topics.Dlq.subscribeQueue('Kms', subscriberQueue(stack, 'KmsDlqSubscriber'), { deadLetterQueue: myKmsDlq });
    topics.QueueKey = new SecureTopic(stack, 'WithQueueKey', { monitoring });
    subs.QueueKey = topics.QueueKey.subscribeQueue('Q', new sqs.Queue(stack, 'EncryptedSubscriber', { enforceSSL: true, encryptionMasterKey: queueKey }));
    template = Template.fromStack(stack);
  });

  test('a provided key encrypts the topic and the created dead-letter queues, and its policy lets SNS use it', () => {
    expect(topics.Key.key).toBe(myKey);
    expectProperties(template, topics.Key.topic, { KmsMasterKeyId: stack.resolve(myKey.keyArn) });
    expectProperties(template, subs.Key.deadLetterQueue, { KmsMasterKeyId: stack.resolve(myKey.keyArn) });
    keyStatementFor(template, myKey, 'sns.amazonaws.com');
  });

  test('without a key the topic uses the stack key', () => {
    expect(topics.Dlq.key).toBe(stackKeyOf(stack));
    expectProperties(template, topics.Dlq.topic, { KmsMasterKeyId: stack.resolve(stackKeyOf(stack).keyArn) });
  });

  test('a provided dead-letter queue is used, none is created, and its policy lets SNS send from this topic', () => {
    expect(subs.Dlq.deadLetterQueue).toBe(myDlq);
    expect(topics.Dlq.node.findChild('Subscriptions').node.findChild('Q').node.tryFindChild('DeadLetterQueue')).toBeUndefined();
    expectProperties(template, subs.Dlq.subscription, { RedrivePolicy: { deadLetterTargetArn: stack.resolve(myDlq.queueArn) } });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [stack.resolve(myDlq.queueUrl)],
      PolicyDocument: { Statement: Match.arrayWith([snsSendStatement(stack, myDlq, topics.Dlq)]) },
    });
  });

  test('a dead-letter queue shared by two subscriptions gets one alarm', () => {
    expect(subs.Dlq.deadLetterQueueAlarm).toBeDefined();
    expect(subs.SharedDlq.deadLetterQueueAlarm).toBeUndefined();
    expect(Object.keys(template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { Dimensions: [{ Name: 'QueueName', Value: stack.resolve(myDlq.queueName) }] },
    }))).toHaveLength(1);
  });

  test('a provided dead-letter queue\'s customer-managed key gets the key policy statement SNS needs', () => {
    const statement = keyStatementFor(template, dlqKey, 'sns.amazonaws.com');
    expect([statement.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });

  test('a subscriber queue\'s own customer-managed key lets SNS use it for this topic only', () => {
    const statement = keyStatementFor(template, queueKey, 'sns.amazonaws.com');
    expect([statement.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(statement.Condition).toEqual({ ArnEquals: { 'aws:SourceArn': stack.resolve(topics.QueueKey.topic.topicArn) } });
  });

  test('a provided Monitoring gets the alarms and no other is created', () => {
    expect(stack.node.tryFindChild('BulwarkMonitoring')).toBeUndefined();
    expect(monitoring.alarms).toEqual(expect.arrayContaining([...topics.Key.alarms, ...topics.Dlq.alarms]));
    const topicArn = stack.resolve(monitoring.alarmTopic.topicArn);
    for (const alarm of topics.Dlq.alarms) {
      expectProperties(template, alarm as cloudwatch.Alarm, { AlarmActions: [topicArn], OKActions: [topicArn] });
    }
  });

  test('without a monitoring prop the stack\'s Monitoring is created on first use', () => {
    const other = newStack();
    const topic = new SecureTopic(other, 'T');
    expect(Monitoring.of(other)).toBe(other.node.findChild('BulwarkMonitoring'));
    expect(Monitoring.of(other).alarms).toEqual(expect.arrayContaining(topic.alarms));
  });
});

describe('SecureTopic with resources from outside the app', () => {
  function warningsOf(stack: Stack): string[] {
    return Annotations.fromStack(stack).findWarning('*', Match.anyValue())
      .map((w) => `${String(w.entry.data).match(/\[ack: ([^\]]+)\]/)?.[1]} @ ${w.id}`);
  }

  test('an imported subscriber queue: the subscription is made and a warning names the policies its owner must set', () => {
    const stack = newStack();
    const topic = new SecureTopic(stack, 'T');
    const queue = sqs.Queue.fromQueueArn(stack, 'Imported', 'arn:aws:sqs:eu-west-1:123456789012:orders');
    const sub = topic.subscribeQueue('Orders', queue);
    expectProperties(Template.fromStack(stack), sub.subscription, { Endpoint: 'arn:aws:sqs:eu-west-1:123456789012:orders' });
    expect(warningsOf(stack)).toEqual(['cdk-bulwark:topic:external-queue @ /TestStack/T/Subscriptions/Orders']);
  });

  test('an in-app queue with an imported key: a warning names the key policy statement SNS needs', () => {
    const stack = newStack();
    const topic = new SecureTopic(stack, 'T');
    const key = kms.Key.fromKeyArn(stack, 'ImportedKey', 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555');
    topic.subscribeQueue('Orders', new sqs.Queue(stack, 'Q', { enforceSSL: true, encryptionMasterKey: key }));
    expect(warningsOf(stack)).toEqual(['cdk-bulwark:topic:subscriber-key-policy @ /TestStack/T/Subscriptions/Orders']);
  });

  test('an imported dead-letter queue: a warning names the policies its owner must set', () => {
    const stack = newStack();
    const topic = new SecureTopic(stack, 'T');
    const deadLetterQueue = sqs.Queue.fromQueueArn(stack, 'ImportedDlq', 'arn:aws:sqs:eu-west-1:123456789012:orders-dlq');
    topic.subscribeQueue('Orders', subscriberQueue(stack), { deadLetterQueue });
    expect(warningsOf(stack)).toEqual(['cdk-bulwark:topic:external-dead-letter-queue @ /TestStack/T/Subscriptions/Orders']);
  });

  test('an imported key for the topic: the created dead-letter queues need its owner to let SNS use it', () => {
    const stack = newStack();
    const key = kms.Key.fromKeyArn(stack, 'ImportedKey', 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555');
    const topic = new SecureTopic(stack, 'T', { key });
    topic.subscribeQueue('Orders', subscriberQueue(stack));
    expect(warningsOf(stack)).toEqual(['cdk-bulwark:key-policy:SNS @ /TestStack/T']);
  });

  test('a topic without subscriptions warns that its messages are dropped', () => {
    const stack = newStack();
    new SecureTopic(stack, 'T');
    expect(warningsOf(stack)).toEqual(['cdk-bulwark:topic:no-subscriptions @ /TestStack/T']);
  });
});

describe.each(FLAG_SET_ENTRIES)('SecureTopic deploy-time traps (%s)', (_flagSet, flags) => {
  test('a REGULATED QueueWorker subscribes through its queue: the shared stack key lets SNS in without naming the topic (no dependency cycle)', () => {
    const stack = newStack(flags, ComplianceProfile.REGULATED);
    const topic = new SecureTopic(stack, 'T');
    const worker = new QueueWorker(stack, 'W', { handlerProps: HANDLER });
    const sub = topic.subscribeQueue('Worker', worker.queue);
    // Strict CloudFormation Validate (F3004 circular dependency) runs on synthesis.
    const template = Template.fromStack(stack);
    expect(worker.queue.encryptionMasterKey).toBe(topic.key);
    const statement = keyStatementFor(template, stackKeyOf(stack), 'sns.amazonaws.com');
    expect(statement.Condition).toBeUndefined();
    expect(JSON.stringify(statement)).not.toContain(logicalIdOf(topic.topic));
    expectProperties(template, sub.subscription, { Endpoint: stack.resolve(worker.queue.queueArn) });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [stack.resolve(worker.queue.queueUrl)],
      PolicyDocument: { Statement: Match.arrayWith([snsSendStatement(stack, worker.queue, topic)]) },
    });
  });

  test('one function subscribes to two topics (CDK alone would give both subscriptions the id "Topic")', () => {
    const stack = newStack(flags);
    const fn = new SecureFunction(stack, 'F', HANDLER);
    const a = new SecureTopic(stack, 'A');
    const b = new SecureTopic(stack, 'B');
    const subA = a.subscribeFunction('F', fn.lambdaFunction);
    const subB = b.subscribeFunction('F', fn.lambdaFunction);
    const template = Template.fromStack(stack);
    expect(subA.subscription.node.path).not.toEqual(subB.subscription.node.path);
    for (const [topic, sub] of [[a, subA], [b, subB]] as Array<[SecureTopic, TopicSubscription]>) {
      expectProperties(template, sub.subscription, { TopicArn: stack.resolve(topic.topic.topicArn) });
      template.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'sns.amazonaws.com', SourceArn: stack.resolve(topic.topic.topicArn) });
    }
  });

  test('a subscriber queue in another stack: the subscription lives with the queue, which deploys after the topic', () => {
    const stack = newStack(flags);
    const other = new Stack(stack.node.scope!, 'Consumers', { env: { account: '123456789012', region: 'eu-west-1' } });
    const topic = new SecureTopic(stack, 'T');
    const queue = new sqs.Queue(other, 'Q', { enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED });
    const sub = topic.subscribeQueue('Remote', queue);
    expect(Stack.of(sub.subscription)).toBe(other);
    expect(other.dependencies).toContain(stack);
    Template.fromStack(other).hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sqs', Region: Match.absent() });
  });
});

describe('SecureTopic alarm descriptions', () => {
  test('fit CloudWatch\'s 1,024 characters even with long construct paths and subscription ids', () => {
    const stack = newStack();
    let scope: Construct = stack;
    for (let i = 0; i < 6; i++) {
      scope = new Construct(scope, `VeryLongIntermediateConstructName${i}`);
    }
    const topic = new SecureTopic(scope, 'T'.repeat(200));
    topic.subscribeQueue('Q'.repeat(300), subscriberQueue(stack));
    topic.subscribeFunction('F'.repeat(300), plainFunction(stack));
    const descriptions = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))
      .map((alarm) => alarm.Properties.AlarmDescription as string);
    expect(descriptions).toHaveLength(4);
    for (const description of descriptions) {
      expect(description.length).toBeLessThanOrEqual(1024);
    }
  });
});

describe('SecureTopic invalid input', () => {
  const fifoQueue = (stack: Stack, id = 'Q') => subscriberQueue(stack, id, { fifo: true });
  const managedKeyQueue = (stack: Stack, id = 'Q') => new sqs.Queue(stack, id, { enforceSSL: true, encryption: sqs.QueueEncryption.KMS_MANAGED });
  const values = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);

  const cases: Array<[string, (stack: Stack) => void, string]> = [
    ['contentBasedDeduplication without fifo', (s) => new SecureTopic(s, 'T', { contentBasedDeduplication: true }),
      'contentBasedDeduplication is true; it applies only to FIFO topics; set fifo: true or leave it unset'],
    ['displayName of 101 characters', (s) => new SecureTopic(s, 'T', { displayName: 'x'.repeat(101) }),
      'it must be a string of at most 100 characters (it has 101)'],
    ['an empty subscription id', (s) => new SecureTopic(s, 'T').subscribeQueue('', subscriberQueue(s)),
      'subscription id is \'\'; give each subscription a non-empty id'],
    ['a subscription id used twice', (s) => {
      const topic = new SecureTopic(s, 'T');
      topic.subscribeQueue('Orders', subscriberQueue(s, 'A'));
      topic.subscribeFunction('Orders', plainFunction(s));
    }, 'subscription id is \'Orders\'; it is already used on this topic; give each subscription its own id'],
    ['the same queue subscribed twice', (s) => {
      const topic = new SecureTopic(s, 'T');
      const queue = subscriberQueue(s);
      topic.subscribeQueue('A', queue);
      topic.subscribeQueue('B', queue);
    }, 'queue of subscription \'B\' is \'TestStack/Subscriber\'; it is already subscribed as \'A\''],
    ['no queue', (s) => new SecureTopic(s, 'T').subscribeQueue('A', undefined as unknown as sqs.IQueue),
      'queue of subscription \'A\' is undefined; it is required: the queue to deliver to'],
    ['a queue that is a plain object (from JavaScript)', (s) => new SecureTopic(s, 'T').subscribeQueue('A', {} as sqs.IQueue),
      'queue of subscription \'A\' is {}; it must be a queue construct, not a plain object'],
    ['a function subscription on a FIFO topic', (s) => new SecureTopic(s, 'T', { fifo: true }).subscribeFunction('Audit', plainFunction(s)),
      'subscribeFunction(\'Audit\'): FIFO topics deliver only to SQS queues'],
    ['a FIFO queue on a standard topic', (s) => new SecureTopic(s, 'T').subscribeQueue('A', fifoQueue(s)),
      'queue of subscription \'A\' is \'TestStack/Q\'; it is a FIFO queue, and standard topics cannot deliver to FIFO queues'],
    ['a subscriber queue encrypted with alias/aws/sqs', (s) => new SecureTopic(s, 'T').subscribeQueue('A', managedKeyQueue(s)),
      'queue of subscription \'A\' is \'TestStack/Q\'; it is encrypted with the AWS managed key alias/aws/sqs'],
    ['a standard dead-letter queue on a FIFO topic', (s) => new SecureTopic(s, 'T', { fifo: true })
      .subscribeQueue('A', fifoQueue(s), { deadLetterQueue: subscriberQueue(s, 'Dlq') }),
    'deadLetterQueue of subscription \'A\' is \'TestStack/Dlq\'; it is a standard queue but the topic is FIFO; SNS needs FIFO dead-letter queues'],
    ['a FIFO dead-letter queue on a standard topic', (s) => new SecureTopic(s, 'T')
      .subscribeFunction('A', plainFunction(s), { deadLetterQueue: fifoQueue(s, 'Dlq') }),
    'deadLetterQueue of subscription \'A\' is \'TestStack/Dlq\'; it is a FIFO queue but the topic is standard'],
    ['a dead-letter queue encrypted with alias/aws/sqs', (s) => new SecureTopic(s, 'T')
      .subscribeQueue('A', subscriberQueue(s), { deadLetterQueue: managedKeyQueue(s, 'Dlq') }),
    'deadLetterQueue of subscription \'A\' is \'TestStack/Dlq\'; it is encrypted with the AWS managed key alias/aws/sqs'],
    ['a dead-letter queue that is not a queue (a plain object from JavaScript)', (s) => new SecureTopic(s, 'T')
      .subscribeQueue('A', subscriberQueue(s), { deadLetterQueue: {} as unknown as sqs.IQueue }),
    'deadLetterQueue of subscription \'A\' is {}; it must be an SQS queue (sqs.IQueue)'],
    ['a dead-letter queue that is another construct', (s) => new SecureTopic(s, 'T')
      .subscribeQueue('A', subscriberQueue(s), { deadLetterQueue: new sns.Topic(s, 'NotAQueue') as unknown as sqs.IQueue }),
    'deadLetterQueue of subscription \'A\' is \'TestStack/NotAQueue\'; it must be an SQS queue (sqs.IQueue)'],
    ['the subscriber as its own dead-letter queue', (s) => {
      const queue = subscriberQueue(s);
      new SecureTopic(s, 'T').subscribeQueue('A', queue, { deadLetterQueue: queue });
    }, 'deadLetterQueue of subscription \'A\' is \'TestStack/Subscriber\'; it is the subscriber itself'],
    ['filterPolicy and filterPolicyWithMessageBody together', (s) => new SecureTopic(s, 'T').subscribeQueue('A', subscriberQueue(s), {
      filterPolicy: { a: sns.SubscriptionFilter.existsFilter() },
      filterPolicyWithMessageBody: { b: sns.FilterOrPolicy.filter(sns.SubscriptionFilter.existsFilter()) },
    }), 'filterPolicy and filterPolicyWithMessageBody of subscription \'A\' cannot be set together'],
    ['an empty filterPolicy', (s) => new SecureTopic(s, 'T').subscribeQueue('A', subscriberQueue(s), { filterPolicy: {} }),
      'filterPolicy of subscription \'A\' is {}; give at least one key, or leave it unset to deliver every message'],
    ['a filterPolicy with 6 keys', (s) => new SecureTopic(s, 'T').subscribeQueue('A', subscriberQueue(s), {
      filterPolicy: Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => [k, sns.SubscriptionFilter.existsFilter()])),
    }), 'filterPolicy of subscription \'A\' is ["a","b","c","d","e","f"]; SNS allows at most 5 keys per filter policy'],
    ['a filterPolicy of 13 x 13 = 169 combinations', (s) => new SecureTopic(s, 'T').subscribeQueue('A', subscriberQueue(s), {
      filterPolicy: {
        a: sns.SubscriptionFilter.stringFilter({ allowlist: values(13) }),
        b: sns.SubscriptionFilter.stringFilter({ allowlist: values(13) }),
      },
    }), 'its values make 169 combinations (the product of the number of values of every key); SNS allows at most 150'],
    ['a filterPolicy value that is a plain array', (s) => new SecureTopic(s, 'T').subscribeQueue('A', subscriberQueue(s), {
      filterPolicy: { type: ['created'] as unknown as sns.SubscriptionFilter },
    }), 'filterPolicy of subscription \'A\', key \'type\', is ["created"]; it must be an sns.SubscriptionFilter'],
    ['a filter without values', (s) => new SecureTopic(s, 'T').subscribeQueue('A', subscriberQueue(s), {
      filterPolicy: { type: sns.SubscriptionFilter.stringFilter({}) },
    }), 'key \'type\', is []; the filter has no values, so it would match nothing'],
    ['an empty nested body policy', (s) => new SecureTopic(s, 'T').subscribeFunction('A', plainFunction(s), {
      filterPolicyWithMessageBody: { order: sns.FilterOrPolicy.policy({}) },
    }), 'filterPolicyWithMessageBody of subscription \'A\', key \'order\', is {}; a nested policy needs at least one key'],
    ['a body policy value that is a SubscriptionFilter', (s) => new SecureTopic(s, 'T').subscribeFunction('A', plainFunction(s), {
      filterPolicyWithMessageBody: { order: sns.SubscriptionFilter.existsFilter() as unknown as sns.FilterOrPolicy },
    }), 'key \'order\', is {"conditions":[{"exists":true}]}; it must be an sns.FilterOrPolicy'],
    ['rawMessageDelivery that is not a boolean', (s) => new SecureTopic(s, 'T').subscribeQueue('A', subscriberQueue(s), {
      rawMessageDelivery: 'yes' as unknown as boolean,
    }), 'rawMessageDelivery of subscription \'A\' is \'yes\'; it must be true or false'],
    ['an alarm period CloudWatch does not take', (s) => new SecureTopic(s, 'T', { alarms: { notificationsFailed: { period: Duration.seconds(45) } } }),
      'alarms.notificationsFailed.period is 45 seconds; CloudWatch takes 10 seconds, 30 seconds or a multiple of 60 seconds'],
    ['a negative alarm threshold', (s) => new SecureTopic(s, 'T', { alarms: { notificationsFailedToRedriveToDlq: { threshold: -1 } } }),
      'alarms.notificationsFailedToRedriveToDlq.threshold is -1; it must be a number of 0 or more'],
    ['dead-letter queue alarm datapoints above its evaluation periods (checked before any subscription)', (s) => new SecureTopic(s, 'T', {
      alarms: { deadLetterQueueMessages: { evaluationPeriods: 1, datapointsToAlarm: 2 } },
    }), 'alarms.deadLetterQueueMessages.datapointsToAlarm is 2; it must be an integer from 1 to 1'],
  ];

  test.each(cases)('%s', (_name, build, message) => {
    const run = () => build(newStack());
    expect(run).toThrow(new RegExp(`^SecureTopic 'TestStack/T': .*${escapeRegExp(message)}`));
    expect(run).not.toThrow(TypeError);
  });

  test('valid dead-letter queue alarm options leave no alarm behind until a subscription is made', () => {
    const stack = newStack();
    const topic = new SecureTopic(stack, 'T', { alarms: { deadLetterQueueMessages: { threshold: 3 } } });
    // The alarms now live in an Alarms child: look for the dead-letter queue alarm anywhere under the topic.
    expect(topic.node.findAll().filter((c) => c.node.id === 'DeadLetterQueueAlarm')).toEqual([]);
    expect(topic.alarms).toHaveLength(2);
  });

  test('a rejected subscription leaves no resources behind', () => {
    const stack = newStack();
    const topic = new SecureTopic(stack, 'T');
    expect(() => topic.subscribeQueue('A', fifoQueue(stack))).toThrow(/standard topics cannot deliver to FIFO queues/);
    expect(topic.node.tryFindChild('Subscriptions')).toBeUndefined();
    expect(topic.subscriptions).toEqual([]);
  });
});

describe.each(FLAG_SET_ENTRIES)('two SecureTopics in one REGULATED stack (%s)', (_flagSet, flags) => {
  let stack: Stack;
  let a: SecureTopic;
  let b: SecureTopic;
  let worker: QueueWorker;
  let subA: TopicSubscription;
  let subB: TopicSubscription;
  let template: Template;

  beforeAll(() => {
    stack = newStack(flags, ComplianceProfile.REGULATED);
    a = new SecureTopic(stack, 'A');
    b = new SecureTopic(stack, 'B');
    worker = new QueueWorker(stack, 'W', { handlerProps: HANDLER });
    subA = a.subscribeQueue('Orders', worker.queue);
    subB = b.subscribeQueue('Orders', worker.queue);
    template = Template.fromStack(stack);
  });

  test('they have distinct topics, subscriptions and dead-letter queues, even with the same subscription id and subscriber', () => {
    expect(stack.resolve(a.topic.topicArn)).not.toEqual(stack.resolve(b.topic.topicArn));
    expect(stack.resolve(subA.deadLetterQueue.queueArn)).not.toEqual(stack.resolve(subB.deadLetterQueue.queueArn));
    expect(logicalIdOf(subA.subscription)).not.toEqual(logicalIdOf(subB.subscription));
    template.resourceCountIs('AWS::SNS::Topic', 3); // + the alarm topic
    template.resourceCountIs('AWS::SNS::Subscription', 2);
  });

  test('the worker queue\'s policy lets each topic send, each by its own ARN', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [stack.resolve(worker.queue.queueUrl)],
      PolicyDocument: { Statement: Match.arrayWith([snsSendStatement(stack, worker.queue, a), snsSendStatement(stack, worker.queue, b)]) },
    });
  });

  test('they share one stack key, whose policy gets each service statement once', () => {
    template.resourceCountIs('AWS::KMS::Key', 2); // the stack key and the alarm topic's failure-path key
    const sids: string[] = resourceOf(template, stackKeyOf(stack)).Properties.KeyPolicy.Statement
      .map((s: any) => s.Sid).filter((sid: unknown) => sid !== undefined);
    expect(sids).toContain('AllowSnsToDeliverToEncryptedQueues');
    expect(new Set(sids).size).toBe(sids.length);
  });

  test('all their alarms notify the one alarm topic, and their alarms have distinct construct paths', () => {
    const topicArn = stack.resolve(Monitoring.of(stack).alarmTopic.topicArn);
    const alarms = [...a.alarms, ...b.alarms];
    expect(alarms).toHaveLength(6);
    expect(new Set(alarms.map((alarm) => stack.getLogicalId((alarm as IConstruct).node.defaultChild as CfnElement))).size).toBe(6);
    for (const alarm of alarms) {
      expectProperties(template, alarm as cloudwatch.Alarm, { AlarmActions: [topicArn], OKActions: [topicArn] });
    }
  });
});

describe('SecureTopic refuses filter conditions SNS rejects (#10 item 6)', () => {
  // SNS filter policies share EventBridge's content-filter grammar (numeric takes '=', a lower bound > or >=, an upper bound
  // < or <=, or a lower then an upper bound) and have no wildcard filter:
  // https://docs.aws.amazon.com/sns/latest/dg/numeric-value-matching.html, https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html
  const subscribe = (conditions: unknown[], body = false) => (stack: Stack) => new SecureTopic(stack, 'T').subscribeQueue('A',
    new sqs.Queue(stack, 'Subscriber', { enforceSSL: true }), body
      ? { filterPolicyWithMessageBody: { total: sns.FilterOrPolicy.filter(new sns.SubscriptionFilter(conditions)) } }
      : { filterPolicy: { total: new sns.SubscriptionFilter(conditions) } });

  test.each<[string, unknown[], boolean, string]>([
    ['a numeric operator that does not exist (=>)', [{ numeric: ['=>', 5] }], false,
      'filterPolicy of subscription \'A\', key \'total\', condition 0 is {"numeric":["=>",5]}; \'=>\' is not a numeric operator'],
    ['the same in a message-body policy', [{ numeric: ['=>', 5] }], true,
      'filterPolicyWithMessageBody of subscription \'A\', key \'total\', condition 0 is {"numeric":["=>",5]}; \'=>\' is not a numeric operator'],
    ['a numeric range upper bound first', ['x', { numeric: ['<=', 5, '>', 1] }], false,
      'condition 1 is {"numeric":["<=",5,">",1]}; a numeric range is a lower bound (> or >=) then an upper bound (< or <=)'],
    ['a wildcard filter (EventBridge only)', [{ wildcard: '*.png' }], false, 'SNS filter policies have no \'wildcard\' filter'],
    ['a condition with two keys', [{ prefix: 'a', suffix: 'b' }], false, 'a condition has one key, and this one has 2 (prefix, suffix)'],
    ['an anything-but of mixed values', [{ 'anything-but': ['a', 1] }], false, 'anything-but takes a string, a number, a list of only strings or only numbers'],
  ])('refuses %s', (_name, conditions, body, message) => {
    const run = () => subscribe(conditions, body)(newStack());
    expect(run).toThrow(new RegExp(`^SecureTopic 'TestStack/T': (filterPolicy.*)?${escapeRegExp(message)}.*sns\\.SubscriptionFilter writes conditions that SNS accepts$`));
  });

  test('accepts every condition sns.SubscriptionFilter writes', () => {
    const stack = newStack();
    const topic = new SecureTopic(stack, 'T');
    topic.subscribeQueue('A', new sqs.Queue(stack, 'Subscriber', { enforceSSL: true }), {
      filterPolicy: {
        price: sns.SubscriptionFilter.numericFilter({ allowlist: [1], between: { start: 1, stop: 5 }, greaterThan: 10, lessThanOrEqualTo: 0 }),
        color: sns.SubscriptionFilter.stringFilter({ allowlist: ['red'], denylist: ['blue'], matchPrefixes: ['g'], matchSuffixes: ['n'] }),
        store: sns.SubscriptionFilter.existsFilter(),
      },
    });
    expect(topic.subscriptions).toHaveLength(1);
  });
});
