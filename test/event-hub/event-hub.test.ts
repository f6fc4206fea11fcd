import { Aws, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { IConstruct } from 'constructs';
import { ComplianceProfile, Monitoring, QueueWorker, SecureFunction, SecureTopic } from '../../src';
// Imported from their modules, not the index: src/index.ts exports them once the maintainers add the lines.
import { HubTarget, HubTargetKind } from '../../src/core/hub-target';
import { EventHub, EventHubProps } from '../../src/event-hub/event-hub';
import { FLAG_SETS, FOURTEEN_DAYS, INLINE_CODE, newStack, testApp, testStack } from '../support/app';
import { actionsOn, escapeRegExp, expectProperties, logicalIdOf, resourceOf, stackKeyOf, statementsOf } from '../support/template';

const FLAG_SET_ENTRIES = Object.entries(FLAG_SETS);
const PAID = { source: ['shop.orders'], detailType: ['OrderPaid'] };
const MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:fulfil';
const OTHER_BUS_ARN = 'arn:aws:events:eu-west-1:210987654321:event-bus/analytics';

function fn(stack: Stack, id = 'Fn'): SecureFunction {
  return new SecureFunction(stack, id, { code: INLINE_CODE, handler: 'index.handler' });
}

/** Every statement of the key's policy that allows the service principal. */
function keyStatementsFor(template: Template, key: kms.IKey, service: string): any[] {
  const statements: any[] = resourceOf(template, key).Properties.KeyPolicy.Statement;
  return statements.filter((s) => s.Effect === 'Allow' && JSON.stringify(s.Principal?.Service) === JSON.stringify(service));
}

/** The statements of the queue's policies. */
function queuePolicyStatements(template: Template, stack: Stack, queue: sqs.IQueue): any[] {
  const ref = JSON.stringify(stack.resolve(queue.queueUrl));
  return Object.values(template.findResources('AWS::SQS::QueuePolicy'))
    .filter((p) => JSON.stringify(p.Properties.Queues).includes(ref))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

/** The rendered targets of a rule. */
function targetsOf(template: Template, rule: IConstruct): any[] {
  return resourceOf(template, rule).Properties.Targets;
}

/**
 * The RuleName dimension of a rule on a custom bus: its reference is `busname|rulename`, and CloudWatch
 * reports the rule's name alone.
 */
function ruleNameOf(stack: Stack, rule: events.IRule): unknown {
  return { 'Fn::Select': [1, { 'Fn::Split': ['|', stack.resolve(rule.ruleName)] }] };
}

function l1(alarm: cloudwatch.IAlarm): IConstruct {
  return alarm as cloudwatch.Alarm;
}

describe.each(FLAG_SET_ENTRIES)('EventHub defaults (%s)', (_flagSet, flags) => {
  describe.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('%s profile', (profile) => {
    const regulated = profile === ComplianceProfile.REGULATED;
    let stack: Stack;
    let hub: EventHub;
    let handler: SecureFunction;
    let template: Template;

    beforeAll(() => {
      stack = newStack(flags, profile);
      handler = fn(stack);
      hub = new EventHub(stack, 'Hub');
      hub.addRoute('Paid', { eventPattern: PAID, targets: [HubTarget.lambdaFunction(handler.lambdaFunction)] });
      hub.addSchedule('Nightly', { schedule: scheduler.ScheduleExpression.expression('cron(0 2 * * ? *)'), target: HubTarget.lambdaFunction(handler.lambdaFunction) });
      template = Template.fromStack(stack);
    });

    test('bus, archive and dead-letter queue are created when absent', () => {
      expect(hub.eventBus).toBe(hub.node.findChild('Bus'));
      expect(hub.archive).toBe(hub.node.findChild('Archive'));
      expect(hub.deadLetterQueue).toBe(hub.node.findChild('DeadLetterQueue'));
      expect(hub.complianceProfile).toBe(profile);
      template.resourceCountIs('AWS::Events::EventBus', 1);
      template.resourceCountIs('AWS::Events::Archive', 1);
    });

    test('the bus sends events it cannot process to the hub\'s dead-letter queue', () => {
      expectProperties(template, hub.eventBus, { DeadLetterConfig: { Arn: stack.resolve(hub.deadLetterQueue.queueArn) } });
    });

    if (regulated) {
      test('bus and archive are encrypted with the stack key; the dead-letter queue is not (it must survive a failure of that key)', () => {
        // Changed with #10 item 2: the dead-letter queue receives the events that fail because the bus key is disabled or missing
        // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-encryption-event-bus-dlq.html), so it uses SQS-managed encryption.
        const keyArn = stack.resolve(stackKeyOf(stack).keyArn);
        expect(hub.key).toBe(stackKeyOf(stack));
        expectProperties(template, hub.eventBus, { KmsKeyIdentifier: keyArn });
        template.hasResourceProperties('AWS::Events::Archive', { KmsKeyIdentifier: keyArn });
        expectProperties(template, hub.deadLetterQueue, { SqsManagedSseEnabled: true, KmsMasterKeyId: Match.absent() });
      });

      test('schedule payloads are encrypted with the stack key', () => {
        template.hasResourceProperties('AWS::Scheduler::Schedule', { KmsKeyArn: stack.resolve(stackKeyOf(stack).keyArn) });
      });
    } else {
      test('the bus and archive use AWS-owned keys; the dead-letter queue SQS-managed SSE', () => {
        expect(hub.key).toBeUndefined();
        expectProperties(template, hub.eventBus, { KmsKeyIdentifier: Match.absent() });
        template.hasResourceProperties('AWS::Events::Archive', { KmsKeyIdentifier: Match.absent() });
        expectProperties(template, hub.deadLetterQueue, { SqsManagedSseEnabled: true, KmsMasterKeyId: Match.absent() });
        template.hasResourceProperties('AWS::Scheduler::Schedule', { KmsKeyArn: Match.absent() });
      });
    }

    test('the archive keeps every event of the bus (no pattern) for 30 days', () => {
      template.hasResourceProperties('AWS::Events::Archive', {
        SourceArn: stack.resolve(hub.eventBus.eventBusArn),
        RetentionDays: 30,
        EventPattern: Match.absent(),
      });
    });

    test('the archive is deleted with the hub; the dead-letter queue is retained', () => {
      const archive = Object.values(template.findResources('AWS::Events::Archive'))[0];
      expect(archive.DeletionPolicy).toBeUndefined();
      expect(resourceOf(template, hub.deadLetterQueue).DeletionPolicy).toBe('Retain');
      expect(resourceOf(template, hub.deadLetterQueue).UpdateReplacePolicy).toBe('Retain');
    });

    test('the dead-letter queue is a standard queue that keeps messages 14 days and denies requests without TLS', () => {
      expectProperties(template, hub.deadLetterQueue, {
        FifoQueue: Match.absent(),
        MessageRetentionPeriod: FOURTEEN_DAYS,
        QueueName: Match.absent(),
      });
      expect(queuePolicyStatements(template, stack, hub.deadLetterQueue)).toEqual(expect.arrayContaining([expect.objectContaining({
        Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      })]));
    });

    test('the dead-letter queue lets the bus and the rules on it send, in one statement naming the bus by its literal name', () => {
      const statements = queuePolicyStatements(template, stack, hub.deadLetterQueue).filter((s) => s.Effect === 'Allow');
      const busName = resourceOf(template, hub.eventBus).Properties.Name;
      expect(typeof busName).toBe('string');
      expect(statements).toEqual([expect.objectContaining({
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: stack.resolve(hub.deadLetterQueue.queueArn),
        Condition: {
          ArnLike: {
            'aws:SourceArn': [
              stack.resolve(stack.formatArn({ service: 'events', resource: 'rule', resourceName: `${busName}/*` })),
              stack.resolve(stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: busName })),
            ],
          },
        },
      })]);
    });

    test('no bus policy without publisherAccountIds', () => {
      template.resourceCountIs('AWS::Events::EventBusPolicy', 0);
    });

    test('a route is a rule on the hub\'s bus with the pattern as given', () => {
      const route = hub.routes[0];
      expect(route.node.path).toBe('TestStack/Hub/Routes/Paid');
      expectProperties(template, route.rule, {
        EventBusName: stack.resolve(hub.eventBus.eventBusName),
        EventPattern: { 'source': ['shop.orders'], 'detail-type': ['OrderPaid'] },
        State: 'ENABLED',
      });
    });

    test('every route target has the hub\'s dead-letter queue and a retry policy of 185 attempts over 24 hours', () => {
      const [target] = targetsOf(template, hub.routes[0].rule);
      expect(target.DeadLetterConfig).toEqual({ Arn: stack.resolve(hub.deadLetterQueue.queueArn) });
      expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 });
      expect(hub.routes[0].deadLetterQueue).toBe(hub.deadLetterQueue);
    });

    test('EventBridge may invoke the Lambda target only from the rule', () => {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        FunctionName: stack.resolve(handler.lambdaFunction.functionArn),
        SourceArn: stack.resolve(hub.routes[0].rule.ruleArn),
      });
      expect(hub.routes[0].role).toBeUndefined();
    });

    test('three route alarms on the rule\'s metrics (EventBusName and the rule\'s own name), any occurrence in 5 minutes', () => {
      const route = hub.routes[0];
      expect(route.alarms).toHaveLength(3);
      for (const metricName of ['FailedInvocations', 'InvocationsSentToDlq', 'InvocationsFailedToBeSentToDlq']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Events',
          MetricName: metricName,
          Dimensions: [
            { Name: 'EventBusName', Value: stack.resolve(hub.eventBus.eventBusName) },
            { Name: 'RuleName', Value: ruleNameOf(stack, route.rule) },
          ],
          Statistic: 'Sum',
          Period: 300,
          EvaluationPeriods: 1,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
        });
      }
    });

    test('the dead-letter queue alarm fires on any message and says how to inspect and replay', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: stack.resolve(hub.deadLetterQueue.queueName) }],
        Statistic: 'Maximum',
        Period: 60,
        Threshold: 0,
        AlarmDescription: Match.stringLikeRegexp('Poll for messages.*Start replay.*put-events'),
      });
    });

    test('a schedule runs in the hub\'s schedule group with the hub\'s dead-letter queue and retry policy, exactly on time', () => {
      const schedule = hub.schedules[0];
      expect(hub.scheduleGroup).toBeDefined();
      expect(schedule.deadLetterQueue).toBe(hub.deadLetterQueue);
      expectProperties(template, schedule.schedule, {
        ScheduleExpression: 'cron(0 2 * * ? *)',
        GroupName: stack.resolve(hub.scheduleGroup!.scheduleGroupName),
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: {
          Arn: stack.resolve(handler.lambdaFunction.functionArn),
          RoleArn: stack.resolve(schedule.role.roleArn),
          DeadLetterConfig: { Arn: stack.resolve(hub.deadLetterQueue.queueArn) },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
        },
      });
    });

    test('the schedule group is not retained (its generated name would block a redeploy)', () => {
      const group = resourceOf(template, hub.scheduleGroup!);
      expect(group.DeletionPolicy).toBe('Delete');
    });

    test('the schedule role is assumable only by Scheduler of this account and may invoke exactly its target and write dead letters', () => {
      const schedule = hub.schedules[0];
      expect(resourceOf(template, schedule.role).Properties.AssumeRolePolicyDocument.Statement).toEqual([{
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      }]);
      const statements = statementsOf(template, schedule.role);
      expect(actionsOn(statements, stack.resolve(handler.lambdaFunction.functionArn))).toEqual(['lambda:InvokeFunction']);
      expect(actionsOn(statements, stack.resolve(hub.deadLetterQueue.queueArn))).toEqual(['sqs:SendMessage']);
      const kmsActions = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('kms:')));
      expect(kmsActions.length > 0).toBe(regulated);
    });

    test('two schedule alarms on the hub\'s schedule group', () => {
      for (const metricName of ['InvocationsSentToDeadLetterCount', 'InvocationsFailedToBeSentToDeadLetterCount']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Scheduler',
          MetricName: metricName,
          Dimensions: [{ Name: 'ScheduleGroup', Value: stack.resolve(hub.scheduleGroup!.scheduleGroupName) }],
          Statistic: 'Sum',
          Threshold: 0,
        });
      }
    });

    test('alarms: dead-letter queue, schedule group x 2, and three per route', () => {
      expect(hub.alarms).toHaveLength(1 + 2 + 3);
    });

    test('every alarm notifies the alarm topic on ALARM and OK and fits 1,024 characters', () => {
      const topicArn = stack.resolve(Monitoring.of(stack).alarmTopic.topicArn);
      for (const alarm of hub.alarms) {
        const resource = resourceOf(template, l1(alarm));
        expect(resource.Properties.AlarmActions).toEqual([topicArn]);
        expect(resource.Properties.OKActions).toEqual([topicArn]);
        expect(resource.Properties.AlarmDescription.length).toBeLessThanOrEqual(1024);
      }
    });

    test('a dashboard section is added', () => {
      const dashboard = Monitoring.of(stack).dashboard!.node.defaultChild as cloudwatch.CfnDashboard;
      const body = JSON.stringify(stack.resolve(dashboard.dashboardBody));
      expect(body).toContain('EventHub TestStack/Hub');
      expect(body).toContain('InvocationsSentToDlq');
    });

    test('deploy-time trap: route metrics and dashboard lines name the rule by its own name, not its busname|rulename reference', () => {
      const route = hub.routes[0];
      for (const metric of [route.metricMatchedEvents(), route.metricInvocations(), route.metricFailedInvocations(),
        route.metricInvocationsSentToDlq(), route.metricInvocationsFailedToBeSentToDlq()]) {
        expect(stack.resolve(metric.dimensions)).toEqual({
          EventBusName: stack.resolve(hub.eventBus.eventBusName),
          RuleName: ruleNameOf(stack, route.rule),
        });
      }
      const dashboard = Monitoring.of(stack).dashboard!.node.defaultChild as cloudwatch.CfnDashboard;
      const body = JSON.stringify(stack.resolve(dashboard.dashboardBody));
      const ruleRef = JSON.stringify(stack.resolve(route.rule.ruleName));
      expect(body).toContain(JSON.stringify({ 'Fn::Split': ['|', stack.resolve(route.rule.ruleName)] }));
      // Every occurrence of the rule's reference in the dashboard is inside the split.
      expect(body.split(ruleRef).length).toBe(body.split(`{"Fn::Split":["|",${ruleRef}]}`).length);
    });
  });
});

describe('EventHub overrides', () => {
  let stack: Stack;
  let template: Template;
  const hubs: Record<string, EventHub> = {};
  let handler: SecureFunction;

  beforeAll(() => {
    stack = newStack();
    handler = fn(stack);
    const lambdaTarget = HubTarget.lambdaFunction(handler.lambdaFunction);
    hubs.Archive = new EventHub(stack, 'Archive', { archiveRetention: Duration.days(365) });
    hubs.NoArchive = new EventHub(stack, 'NoArchive', { archiveEnabled: false });
    hubs.Publishers = new EventHub(stack, 'Publishers', { publisherAccountIds: ['111122223333', '444455556666'] });
    hubs.Retry = new EventHub(stack, 'Retry', {
      retryAttempts: 10,
      maxEventAge: Duration.hours(1),
      routes: [
        { id: 'HubDefaults', eventPattern: PAID, targets: [lambdaTarget] },
        { id: 'Own', eventPattern: PAID, targets: [lambdaTarget], retryAttempts: 0, maxEventAge: Duration.minutes(1), description: 'Mine', enabled: false },
      ],
    });
    hubs.Retry.addSchedule('Tuned', {
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(5)),
      target: lambdaTarget,
      retryAttempts: 2,
      maxEventAge: Duration.minutes(10),
      timeWindow: scheduler.TimeWindow.flexible(Duration.minutes(15)),
      description: 'Every five minutes',
      enabled: false,
      input: scheduler.ScheduleTargetInput.fromObject({ job: 'sync' }),
    });
    hubs.Separate = new EventHub(stack, 'Separate');
    hubs.Separate.addRoute('Isolated', { eventPattern: PAID, targets: [lambdaTarget], separateDeadLetterQueue: true });
    hubs.Alarms = new EventHub(stack, 'Alarms', {
      alarms: {
        deadLetterQueueMessages: { threshold: 5, period: Duration.minutes(5), evaluationPeriods: 3, datapointsToAlarm: 2 },
        failedInvocations: { threshold: 3 },
        invocationsSentToDlq: { enabled: false },
        invocationsFailedToBeSentToDlq: { enabled: false },
        scheduleInvocationsSentToDlq: { enabled: false },
        scheduleInvocationsFailedToBeSentToDlq: { enabled: false },
      },
    });
    hubs.Alarms.addRoute('Tuned', { eventPattern: PAID, targets: [lambdaTarget] });
    hubs.Alarms.addSchedule('Quiet', { schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)), target: lambdaTarget });
    hubs.NoAlarms = new EventHub(stack, 'NoAlarms', { alarms: { deadLetterQueueMessages: { enabled: false }, failedInvocations: { enabled: false } } });
    template = Template.fromStack(stack);
  });

  test('archiveRetention sets the archive\'s RetentionDays', () => {
    template.hasResourceProperties('AWS::Events::Archive', { SourceArn: stack.resolve(hubs.Archive.eventBus.eventBusArn), RetentionDays: 365 });
  });

  test('archiveEnabled: false creates no archive', () => {
    expect(hubs.NoArchive.archive).toBeUndefined();
    expect(hubs.NoArchive.node.tryFindChild('Archive')).toBeUndefined();
    template.resourcePropertiesCountIs('AWS::Events::Archive', { SourceArn: stack.resolve(hubs.NoArchive.eventBus.eventBusArn) }, 0);
  });

  test('publisherAccountIds: one bus policy statement naming exactly those accounts, never *', () => {
    template.resourcePropertiesCountIs('AWS::Events::EventBusPolicy', { EventBusName: stack.resolve(hubs.Publishers.eventBus.eventBusName) }, 1);
    template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      EventBusName: stack.resolve(hubs.Publishers.eventBus.eventBusName),
      Statement: {
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Resource: stack.resolve(hubs.Publishers.eventBus.eventBusArn),
        Principal: {
          AWS: [
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:root']] },
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::444455556666:root']] },
          ],
        },
      },
    });
  });

  test('hub retry settings apply to routes and schedules without their own; a route\'s own win', () => {
    const [defaults, own] = hubs.Retry.routes;
    expect(targetsOf(template, defaults.rule)[0].RetryPolicy).toEqual({ MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 });
    expect(targetsOf(template, own.rule)[0].RetryPolicy).toEqual({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 });
    expectProperties(template, own.rule, { Description: 'Mine', State: 'DISABLED' });
  });

  test('schedule options reach the schedule', () => {
    const schedule = hubs.Retry.schedules[0];
    expectProperties(template, schedule.schedule, {
      ScheduleExpression: 'rate(5 minutes)',
      Description: 'Every five minutes',
      State: 'DISABLED',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
      Target: { RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 600 }, Input: '{"job":"sync"}' },
    });
  });

  test('separateDeadLetterQueue gives the route its own standard, retained, alarmed queue', () => {
    const route = hubs.Separate.routes[0];
    expect(route.deadLetterQueue).toBe(route.node.findChild('DeadLetterQueue'));
    expect(route.deadLetterQueue).not.toBe(hubs.Separate.deadLetterQueue);
    expectProperties(template, route.deadLetterQueue, {
      FifoQueue: Match.absent(),
      MessageRetentionPeriod: FOURTEEN_DAYS,
      SqsManagedSseEnabled: true,
    });
    expect(resourceOf(template, route.deadLetterQueue).DeletionPolicy).toBe('Retain');
    expect(targetsOf(template, route.rule)[0].DeadLetterConfig).toEqual({ Arn: stack.resolve(route.deadLetterQueue.queueArn) });
    expect(route.alarms).toHaveLength(4);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: stack.resolve(route.deadLetterQueue.queueName) }],
      AlarmDescription: Match.stringLikeRegexp('Routes/Isolated'),
    });
  });

  test('alarm thresholds and periods can be tuned, and enabled: false removes an alarm', () => {
    const hub = hubs.Alarms;
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: stack.resolve(hub.deadLetterQueue.queueName) }],
      Threshold: 5,
      Period: 300,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'FailedInvocations',
      Dimensions: Match.arrayWith([{ Name: 'RuleName', Value: ruleNameOf(stack, hub.routes[0].rule) }]),
      Threshold: 3,
    });
    expect(hub.routes[0].alarms).toHaveLength(1);
    expect(hub.alarms).toHaveLength(2);
  });

  test('patterns written with events.Match, nested detail and $or pass validation and render as written', () => {
    const other = newStack();
    const hub = new EventHub(other, 'Hub');
    const route = hub.addRoute('Rich', {
      eventPattern: {
        source: events.Match.prefix('shop.'),
        account: ['123456789012'],
        detail: {
          total: events.Match.greaterThan(100),
          status: events.Match.anythingBut('CANCELLED'),
          customer: { tier: events.Match.anyOf(events.Match.exactString('gold'), events.Match.exactString('platinum')) },
          $or: [{ channel: ['web'] }, { channel: ['app'], region: events.Match.exists() }],
          note: events.Match.nullValue(),
        },
      },
      targets: [HubTarget.lambdaFunction(fn(other).lambdaFunction)],
    });
    expectProperties(Template.fromStack(other), route.rule, {
      EventPattern: {
        source: [{ prefix: 'shop.' }],
        detail: {
          total: [{ numeric: ['>', 100] }],
          status: [{ 'anything-but': ['CANCELLED'] }],
          $or: [{ channel: ['web'] }, { channel: ['app'], region: [{ exists: true }] }],
        },
      },
    });
  });

  test('a pattern of exactly 4,096 characters as rendered is accepted', () => {
    const other = newStack();
    const hub = new EventHub(other, 'Hub');
    const route = hub.addRoute('Longest', { eventPattern: { detailType: ['x'.repeat(4076)] }, targets: [HubTarget.lambdaFunction(fn(other).lambdaFunction)] });
    const rendered = JSON.stringify(other.resolve((route.rule.node.defaultChild as events.CfnRule).eventPattern));
    expect(rendered.length).toBe(4096);
  });

  test('with every alarm off there are none', () => {
    expect(hubs.NoAlarms.alarms).toEqual([]);
  });
});

describe('EventHub targets', () => {
  let stack: Stack;
  let template: Template;
  let hub: EventHub;
  let queue: sqs.Queue;
  let queueKey: kms.Key;
  let fifo: sqs.Queue;
  let topic: sns.Topic;
  let topicKey: kms.Key;
  let machine: sfn.IStateMachine;
  let otherBus: events.IEventBus;

  beforeAll(() => {
    stack = newStack();
    queueKey = new kms.Key(stack, 'QueueKey', { enableKeyRotation: true });
    queue = new sqs.Queue(stack, 'Target', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: queueKey, enforceSSL: true });
    fifo = new sqs.Queue(stack, 'Fifo', { fifo: true, contentBasedDeduplication: true, enforceSSL: true });
    topicKey = new kms.Key(stack, 'TopicKey', { enableKeyRotation: true });
    topic = new sns.Topic(stack, 'Topic', { masterKey: topicKey, enforceSSL: true });
    machine = sfn.StateMachine.fromStateMachineArn(stack, 'Machine', MACHINE_ARN);
    otherBus = events.EventBus.fromEventBusArn(stack, 'OtherBus', OTHER_BUS_ARN);
    hub = new EventHub(stack, 'Hub');
    hub.addRoute('All', {
      eventPattern: PAID,
      targets: [
        HubTarget.queue(queue),
        HubTarget.queue(fifo, { messageGroupId: 'orders' }),
        HubTarget.topic(topic),
        HubTarget.stateMachine(machine),
        HubTarget.eventBus(otherBus),
      ],
    });
    hub.addSchedule('ToQueue', { schedule: scheduler.ScheduleExpression.rate(Duration.days(1)), target: HubTarget.queue(fifo, { messageGroupId: 'nightly' }) });
    hub.addSchedule('ToTopic', { schedule: scheduler.ScheduleExpression.rate(Duration.days(1)), target: HubTarget.topic(topic) });
    hub.addSchedule('ToMachine', { schedule: scheduler.ScheduleExpression.rate(Duration.days(1)), target: HubTarget.stateMachine(machine) });
    hub.addSchedule('ToEncryptedQueue', { schedule: scheduler.ScheduleExpression.rate(Duration.days(1)), target: HubTarget.queue(queue) });
    template = Template.fromStack(stack);
  });

  test('HubTarget factories say what they deliver to', () => {
    expect(HubTarget.queue(queue).kind).toBe(HubTargetKind.QUEUE);
    expect(HubTarget.topic(topic).kind).toBe(HubTargetKind.TOPIC);
    expect(HubTarget.stateMachine(machine).kind).toBe(HubTargetKind.STATE_MACHINE);
    expect(HubTarget.eventBus(otherBus).kind).toBe(HubTargetKind.EVENT_BUS);
  });

  test('every target of the route has the dead-letter queue; all but the bus target a retry policy', () => {
    const rendered = targetsOf(template, hub.routes[0].rule);
    expect(rendered).toHaveLength(5);
    for (const target of rendered) {
      expect(target.DeadLetterConfig).toEqual({ Arn: stack.resolve(hub.deadLetterQueue.queueArn) });
    }
    const busTarget = rendered.find((t) => t.Arn === OTHER_BUS_ARN);
    expect(busTarget.RetryPolicy).toBeUndefined();
    expect(rendered.filter((t) => t.RetryPolicy !== undefined)).toHaveLength(4);
  });

  test('a FIFO queue target carries its fixed message group', () => {
    const fifoTarget = targetsOf(template, hub.routes[0].rule).find((t) => JSON.stringify(t.Arn) === JSON.stringify(stack.resolve(fifo.queueArn)));
    expect(fifoTarget.SqsParameters).toEqual({ MessageGroupId: 'orders' });
  });

  test('state machine and bus targets share the route\'s role: assumable by EventBridge of this account, exactly StartExecution and PutEvents', () => {
    const role = hub.routes[0].role!;
    expect(role).toBe(hub.routes[0].node.findChild('TargetRole'));
    expect(resourceOf(template, role).Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
    }]);
    const statements = statementsOf(template, role);
    expect(actionsOn(statements, MACHINE_ARN)).toEqual(['states:StartExecution']);
    expect(actionsOn(statements, OTHER_BUS_ARN)).toEqual(['events:PutEvents']);
    expect(statements).toHaveLength(2);
  });

  test('deploy-time trap: an SSE-KMS target queue\'s key lets EventBridge encrypt, and its policy lets exactly this rule send', () => {
    const [statement] = keyStatementsFor(template, queueKey, 'events.amazonaws.com');
    expect([statement.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    const allows = queuePolicyStatements(template, stack, queue).filter((s) => s.Effect === 'Allow');
    // CDK's own SqsQueue target would allow events.amazonaws.com without a condition for an encrypted queue.
    expect(allows).toEqual([expect.objectContaining({
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Condition: { ArnEquals: { 'aws:SourceArn': stack.resolve(hub.routes[0].rule.ruleArn) } },
    })]);
  });

  test('deploy-time trap: an encrypted topic target\'s key lets EventBridge encrypt, and its policy lets exactly this rule publish', () => {
    const [statement] = keyStatementsFor(template, topicKey, 'events.amazonaws.com');
    expect([statement.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [stack.resolve(topic.topicArn)],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sns:Publish',
          Condition: { ArnEquals: { 'aws:SourceArn': stack.resolve(hub.routes[0].rule.ruleArn) } },
        })]),
      },
    });
  });

  test('schedule roles get exactly the action that invokes their target, and the target\'s key only through its service', () => {
    const [toQueue, toTopic, toMachine, toEncrypted] = hub.schedules;
    expect(actionsOn(statementsOf(template, toQueue.role), stack.resolve(fifo.queueArn))).toEqual(['sqs:SendMessage']);
    expect(actionsOn(statementsOf(template, toTopic.role), stack.resolve(topic.topicArn))).toEqual(['sns:Publish']);
    const onKey = (key: kms.IKey) => (s: { Resource: unknown }) => JSON.stringify(s.Resource) === JSON.stringify(stack.resolve(key.keyArn));
    const topicKeyStatement = statementsOf(template, toTopic.role).find(onKey(topicKey))!;
    expect([topicKeyStatement.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(topicKeyStatement.Condition).toEqual({
      StringEquals: { 'kms:ViaService': 'sns.eu-west-1.amazonaws.com', 'kms:EncryptionContext:aws:sns:topicArn': stack.resolve(topic.topicArn) },
    });
    expect(actionsOn(statementsOf(template, toMachine.role), MACHINE_ARN)).toEqual(['states:StartExecution']);
    const queueKeyStatement = statementsOf(template, toEncrypted.role).find(onKey(queueKey))!;
    expect(queueKeyStatement.Condition.StringEquals['kms:EncryptionContext:aws:sqs:arn']).toEqual(stack.resolve(queue.queueArn));
  });

  test('a FIFO schedule target carries its fixed message group', () => {
    expectProperties(template, hub.schedules[0].schedule, { Target: { SqsParameters: { MessageGroupId: 'nightly' } } });
  });

  test('deploy-time trap: schedules depend on their role\'s policy and on the group they name by its literal name', () => {
    const schedule = resourceOf(template, hub.schedules[0].schedule);
    expect(schedule.DependsOn).toEqual(expect.arrayContaining([logicalIdOf(hub.scheduleGroup!), logicalIdOf(hub.schedules[0].role)]));
    expect(schedule.Properties.GroupName).toEqual(stack.resolve(hub.scheduleGroup!.scheduleGroupName));
  });
});

describe('EventHub with the library\'s building blocks as targets', () => {
  test('a QueueWorker\'s queue and a SecureTopic\'s topic (both on the stack key): their key lets EventBridge encrypt, their policies let the rule send', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const worker = new QueueWorker(stack, 'Worker', { handlerProps: { code: INLINE_CODE, handler: 'index.handler' } });
    const topic = new SecureTopic(stack, 'Topic');
    const hub = new EventHub(stack, 'Hub');
    const route = hub.addRoute('Fanout', { eventPattern: PAID, targets: [HubTarget.queue(worker.queue), HubTarget.topic(topic.topic)] });
    const template = Template.fromStack(stack);
    const statement = keyStatementsFor(template, stackKeyOf(stack), 'events.amazonaws.com')
      .find((s) => s.Sid === 'AllowEventBridgeToDeliverToEncryptedQueuesAndTopics');
    expect([statement.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    const ruleCondition = { ArnEquals: { 'aws:SourceArn': stack.resolve(route.rule.ruleArn) } };
    expect(queuePolicyStatements(template, stack, worker.queue)).toEqual(expect.arrayContaining([
      expect.objectContaining({ Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Condition: ruleCondition }),
    ]));
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [stack.resolve(topic.topic.topicArn)],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sns:Publish', Condition: ruleCondition })]) },
    });
  });
});

describe('EventHub bring-your-own', () => {
  let stack: Stack;
  let template: Template;
  let myBus: events.EventBus;
  let myDlq: sqs.Queue;
  let myKey: kms.Key;
  let routeDlq: sqs.Queue;
  let scheduleDlq: sqs.Queue;
  let monitoring: Monitoring;
  let handler: SecureFunction;
  const h: Record<string, EventHub> = {};

  beforeAll(() => {
    stack = newStack();
    monitoring = new Monitoring(stack, 'MyMonitoring', { emailAddresses: ['ops@example.com'] });
    myDlq = new sqs.Queue(stack, 'MyDlq', { enforceSSL: true });
    myBus = new events.EventBus(stack, 'MyBus', { deadLetterQueue: myDlq });
    myKey = new kms.Key(stack, 'MyKey', { enableKeyRotation: true });
    routeDlq = new sqs.Queue(stack, 'RouteDlq', { enforceSSL: true });
    scheduleDlq = new sqs.Queue(stack, 'ScheduleDlq', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: myKey, enforceSSL: true });
    handler = fn(stack);
    const target = HubTarget.lambdaFunction(handler.lambdaFunction);
    h.Bus = new EventHub(stack, 'WithBus', { eventBus: myBus, monitoring, routes: [{ id: 'R', eventPattern: PAID, targets: [target] }] });
    h.Dlq = new EventHub(stack, 'WithDlq', { deadLetterQueue: myDlq, monitoring, routes: [{ id: 'R', eventPattern: PAID, targets: [target] }] });
    h.Key = new EventHub(stack, 'WithKey', { key: myKey, monitoring });
    h.Monitoring = new EventHub(stack, 'WithMonitoring', { monitoring, routes: [{ id: 'R', eventPattern: PAID, targets: [target] }] });
    h.RouteDlq = new EventHub(stack, 'WithRouteDlq', { monitoring, routes: [{ id: 'R', eventPattern: PAID, targets: [target], deadLetterQueue: routeDlq }] });
    h.ScheduleDlq = new EventHub(stack, 'WithScheduleDlq', { monitoring });
    h.ScheduleDlq.addSchedule('S', { schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)), target, deadLetterQueue: scheduleDlq });
    template = Template.fromStack(stack);
  });

  test('a provided bus is routed from and no bus is created; with a dead-letter queue, no warning', () => {
    expect(h.Bus.eventBus).toBe(myBus);
    expect(h.Bus.node.tryFindChild('Bus')).toBeUndefined();
    expectProperties(template, h.Bus.routes[0].rule, { EventBusName: stack.resolve(myBus.eventBusName) });
    template.hasResourceProperties('AWS::Events::Archive', { SourceArn: stack.resolve(myBus.eventBusArn) });
    Annotations.fromStack(stack).hasNoWarning('/TestStack/WithBus', Match.stringLikeRegexp('bus-dead-letter-queue'));
  });

  test('a provided dead-letter queue takes the bus\'s and routes\' dead letters, gets their policy statements and an alarm; none is created', () => {
    const hub = h.Dlq;
    expect(hub.deadLetterQueue).toBe(myDlq);
    expect(hub.node.tryFindChild('DeadLetterQueue')).toBeUndefined();
    expectProperties(template, hub.eventBus, { DeadLetterConfig: { Arn: stack.resolve(myDlq.queueArn) } });
    expect(targetsOf(template, hub.routes[0].rule)[0].DeadLetterConfig).toEqual({ Arn: stack.resolve(myDlq.queueArn) });
    const allows = queuePolicyStatements(template, stack, myDlq).filter((s) => s.Effect === 'Allow');
    const busName = resourceOf(template, hub.eventBus).Properties.Name;
    expect(allows.map((s) => s.Condition)).toEqual([{
      ArnLike: {
        'aws:SourceArn': [
          stack.resolve(stack.formatArn({ service: 'events', resource: 'rule', resourceName: `${busName}/*` })),
          stack.resolve(stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: busName })),
        ],
      },
    }]);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: stack.resolve(myDlq.queueName) }],
      AlarmDescription: Match.stringLikeRegexp('TestStack/WithDlq'),
    });
  });

  test('a provided key encrypts bus and archive, not the dead-letter queue; its policy gets EventBridge\'s statements', () => {
    const hub = h.Key;
    const keyArn = stack.resolve(myKey.keyArn);
    expect(hub.key).toBe(myKey);
    expectProperties(template, hub.eventBus, { KmsKeyIdentifier: keyArn });
    template.hasResourceProperties('AWS::Events::Archive', { SourceArn: stack.resolve(hub.eventBus.eventBusArn), KmsKeyIdentifier: keyArn });
    // Changed with #10 item 2: the dead-letter queue must survive a failure of the hub's key.
    expectProperties(template, hub.deadLetterQueue, { SqsManagedSseEnabled: true, KmsMasterKeyId: Match.absent() });
    const actions = keyStatementsFor(template, myKey, 'events.amazonaws.com').flatMap((s) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey', 'kms:ReEncrypt*']));
  });

  test('without a key, STANDARD uses no customer-managed key for the hub (the stack key exists only for the alarm topic)', () => {
    expectProperties(template, h.Monitoring.eventBus, { KmsKeyIdentifier: Match.absent() });
    expect(h.Monitoring.key).toBeUndefined();
  });

  test('a provided Monitoring gets the alarms and no other is created', () => {
    expect(Monitoring.of(stack)).toBe(monitoring);
    expect(stack.node.tryFindChild('BulwarkMonitoring')).toBeUndefined();
    expect(monitoring.alarms).toEqual(expect.arrayContaining(h.Monitoring.alarms));
  });

  test('a provided route dead-letter queue is used and alarmed, and the hub\'s is not used by the route', () => {
    const route = h.RouteDlq.routes[0];
    expect(route.deadLetterQueue).toBe(routeDlq);
    expect(route.node.tryFindChild('DeadLetterQueue')).toBeUndefined();
    expect(targetsOf(template, route.rule)[0].DeadLetterConfig).toEqual({ Arn: stack.resolve(routeDlq.queueArn) });
    expect(route.alarms).toHaveLength(4);
  });

  test('a provided schedule dead-letter queue is used; the schedule role may send to it and use its key through SQS', () => {
    const schedule = h.ScheduleDlq.schedules[0];
    expect(schedule.deadLetterQueue).toBe(scheduleDlq);
    expectProperties(template, schedule.schedule, { Target: { DeadLetterConfig: { Arn: stack.resolve(scheduleDlq.queueArn) } } });
    const statements = statementsOf(template, schedule.role);
    expect(actionsOn(statements, stack.resolve(scheduleDlq.queueArn))).toEqual(['sqs:SendMessage']);
    expect(actionsOn(statements, stack.resolve(myKey.keyArn))).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });

  test('without a monitoring prop the stack\'s Monitoring is created on first use', () => {
    const other = newStack();
    const hub = new EventHub(other, 'Hub');
    expect(Monitoring.of(other)).toBe(other.node.findChild('BulwarkMonitoring'));
    expect(Monitoring.of(other).alarms).toEqual(expect.arrayContaining(hub.alarms));
  });
});

describe('EventHub warnings', () => {
  test('a provided bus without a dead-letter queue, or from outside the app, gets a warning', () => {
    const stack = newStack();
    new EventHub(stack, 'InApp', { eventBus: new events.EventBus(stack, 'Plain') });
    new EventHub(stack, 'Imported', { eventBus: events.EventBus.fromEventBusArn(stack, 'Elsewhere', OTHER_BUS_ARN) });
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/TestStack/InApp', Match.stringLikeRegexp('has no dead-letter queue.*cdk-bulwark:event-hub:bus-dead-letter-queue'));
    annotations.hasWarning('/TestStack/Imported', Match.stringLikeRegexp('was not created in this app.*cdk-bulwark:event-hub:bus-dead-letter-queue'));
  });

  test('a target queue or topic from outside the app gets a warning naming what its policy must allow', () => {
    const stack = newStack();
    const hub = new EventHub(stack, 'Hub');
    hub.addRoute('Out', { eventPattern: PAID, targets: [HubTarget.topic(sns.Topic.fromTopicArn(stack, 'T', 'arn:aws:sns:eu-west-1:123456789012:t'))] });
    Annotations.fromStack(stack).hasWarning('/TestStack/Hub/Routes/Out', Match.stringLikeRegexp('events.amazonaws.com sns:Publish \\(condition aws:SourceArn.*cdk-bulwark:event-hub:target-policy'));
  });

  test('a FIFO target queue from outside the app gets a warning that it must deduplicate by content', () => {
    const stack = newStack();
    const hub = new EventHub(stack, 'Hub');
    const imported = sqs.Queue.fromQueueArn(stack, 'Fifo', 'arn:aws:sqs:eu-west-1:123456789012:orders.fifo');
    expect(imported.fifo).toBe(true);
    hub.addRoute('Out', { eventPattern: PAID, targets: [HubTarget.queue(imported, { messageGroupId: 'orders' })] });
    Annotations.fromStack(stack).hasWarning('/TestStack/Hub', Match.stringLikeRegexp('TestStack/Fifo.*content-based deduplication.*cdk-bulwark:event-hub:fifo-deduplication'));
  });

  test('a FIFO target queue created with content-based deduplication gets no deduplication warning', () => {
    const stack = newStack();
    const hub = new EventHub(stack, 'Hub');
    const queue = new sqs.Queue(stack, 'Fifo', { fifo: true, contentBasedDeduplication: true });
    hub.addRoute('Out', { eventPattern: PAID, targets: [HubTarget.queue(queue, { messageGroupId: 'orders' })] });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('fifo-deduplication'));
  });

  test('a dead-letter queue from outside the app gets a warning naming what its policy must allow', () => {
    const stack = newStack();
    new EventHub(stack, 'Hub', { deadLetterQueue: sqs.Queue.fromQueueArn(stack, 'Dlq', 'arn:aws:sqs:eu-west-1:123456789012:dlq') });
    Annotations.fromStack(stack).hasWarning('/TestStack/Hub', Match.stringLikeRegexp('events.amazonaws.com sqs:SendMessage.*cdk-bulwark:event-hub:dead-letter-queue-policy'));
  });

  test('a key from outside the app gets a warning naming the key policy EventBridge needs', () => {
    const stack = newStack();
    new EventHub(stack, 'Hub', { key: kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab') });
    Annotations.fromStack(stack).hasWarning('/TestStack/Hub', Match.stringLikeRegexp('kms:EncryptionContext:aws:events:event-bus:arn.*cdk-bulwark:event-hub:key-policy'));
  });

  test('route retry settings with an event bus target among others: a warning that the bus target takes none', () => {
    const stack = newStack();
    const hub = new EventHub(stack, 'Hub');
    hub.addRoute('Mixed', {
      eventPattern: PAID,
      targets: [HubTarget.eventBus(events.EventBus.fromEventBusArn(stack, 'Other', OTHER_BUS_ARN)), HubTarget.lambdaFunction(fn(stack).lambdaFunction)],
      retryAttempts: 3,
    });
    Annotations.fromStack(stack).hasWarning('/TestStack/Hub', Match.stringLikeRegexp('cdk-bulwark:event-hub:bus-target-retry'));
  });
});

describe('EventHub grants', () => {
  test('grantPutEvents gives exactly events:PutEvents on the bus, and nothing on its key', () => {
    const stack = newStack(undefined, ComplianceProfile.REGULATED);
    const hub = new EventHub(stack, 'Hub');
    const publisher = new iam.Role(stack, 'Publisher', { assumedBy: new iam.AccountRootPrincipal() });
    hub.grantPutEvents(publisher);
    const template = Template.fromStack(stack);
    const statements = statementsOf(template, publisher);
    expect(actionsOn(statements, stack.resolve(hub.eventBus.eventBusArn))).toEqual(['events:PutEvents']);
    expect(statements).toHaveLength(1);
  });

  test('grantPutEvents to a principal without a policy of its own is an error pointing to publisherAccountIds', () => {
    const stack = newStack();
    const hub = new EventHub(stack, 'Hub');
    expect(() => hub.grantPutEvents(new iam.AccountPrincipal('111122223333'))).toThrow(/^EventHub 'TestStack\/Hub': grantPutEvents\(\).*publisherAccountIds/);
  });
});

describe('EventHub deploy-time traps (REGULATED)', () => {
  let stack: Stack;
  let hub: EventHub;
  let template: Template;

  beforeAll(() => {
    stack = newStack({}, ComplianceProfile.REGULATED);
    hub = new EventHub(stack, 'Hub', { publisherAccountIds: ['111122223333'] });
    hub.addRoute('Paid', { eventPattern: PAID, targets: [HubTarget.lambdaFunction(fn(stack).lambdaFunction)], separateDeadLetterQueue: true });
    hub.addSchedule('Tick', { schedule: scheduler.ScheduleExpression.rate(Duration.minutes(1)), target: HubTarget.stateMachine(sfn.StateMachine.fromStateMachineArn(stack, 'M', MACHINE_ARN)) });
    template = Template.fromStack(stack);
  });

  test('the dead-letter queues (the hub\'s and a separate route\'s) use SQS-managed encryption: no key statement is needed for them', () => {
    // Changed with #10 item 2 (the queues were encrypted with the stack key): EventBridge sends events that fail on a disabled or
    // missing bus key to the bus's dead-letter queue, and those that fail on it while being sent to a target to the target's
    // dead-letter queue (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-encryption-event-bus-dlq.html), so neither may
    // depend on that key. SSE-SQS satisfies every pack: AwsSolutions-SQS2 accepts SqsManagedSseEnabled, and HIPAA, NIST 800-53 R5
    // and PCI DSS 3.2.1 have no SQS encryption rule (node_modules/cdk-nag/lib/rules/sqs, the packs).
    for (const queue of [hub.deadLetterQueue, hub.routes[0].deadLetterQueue]) {
      expectProperties(template, queue, { SqsManagedSseEnabled: true, KmsMasterKeyId: Match.absent() });
    }
    const statement = keyStatementsFor(template, stackKeyOf(stack), 'events.amazonaws.com').find((s) => s.Sid === 'AllowEventBridgeToDeliverToEncryptedQueuesAndTopics');
    expect(statement).toBeUndefined();
  });

  test('the stack key lets EventBridge encrypt the bus and archive, scoped by the bus\'s encryption context — the ARN of this very bus', () => {
    const busName = resourceOf(template, hub.eventBus).Properties.Name;
    expect(typeof busName).toBe('string');
    const busArn = stack.resolve(stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: busName }));
    const statements = keyStatementsFor(template, stackKeyOf(stack), 'events.amazonaws.com');
    const scoped = statements.filter((s) => s.Condition?.StringEquals?.['kms:EncryptionContext:aws:events:event-bus:arn'] !== undefined);
    expect(scoped.length).toBe(2); // the bus's (CDK) and the archive's
    for (const s of scoped) {
      expect(s.Condition.StringEquals['kms:EncryptionContext:aws:events:event-bus:arn']).toEqual(busArn);
    }
    expect(scoped.flatMap((s) => [s.Action].flat())).toEqual(expect.arrayContaining(['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey', 'kms:ReEncrypt*']));
  });

  test('no key statement refers to the bus (that would make a key -> bus -> key cycle)', () => {
    const keyPolicy = JSON.stringify(resourceOf(template, stackKeyOf(stack)).Properties.KeyPolicy);
    expect(keyPolicy).not.toContain(logicalIdOf(hub.eventBus));
  });

  test('the schedule role needs no key for the SSE-SQS dead-letter queue; for one of yours with a key, only through SQS and only for that queue', () => {
    // Changed with #10 item 2: the hub's dead-letter queue no longer uses the stack key, so the role has no KMS statement for it.
    expect(statementsOf(template, hub.schedules[0].role).filter((s) => [s.Action].flat().includes('kms:GenerateDataKey'))).toEqual([]);
    const other = newStack({}, ComplianceProfile.REGULATED);
    const key = new kms.Key(other, 'Key', { enableKeyRotation: true });
    const dlq = new sqs.Queue(other, 'Dlq', { encryptionMasterKey: key, enforceSSL: true });
    const otherHub = new EventHub(other, 'Hub');
    const schedule = otherHub.addSchedule('Tick', {
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(1)),
      target: HubTarget.stateMachine(sfn.StateMachine.fromStateMachineArn(other, 'M', MACHINE_ARN)),
      deadLetterQueue: dlq,
    });
    const statement = statementsOf(Template.fromStack(other), schedule.role).find((s) => [s.Action].flat().includes('kms:GenerateDataKey'))!;
    expect(statement.Condition).toEqual({
      StringEquals: {
        'kms:ViaService': 'sqs.eu-west-1.amazonaws.com',
        'kms:EncryptionContext:aws:sqs:arn': other.resolve(dlq.queueArn),
      },
    });
  });

  test('roles keep their grants in managed policies, not inline ones', () => {
    for (const role of [hub.schedules[0].role]) {
      const roleRef = JSON.stringify(stack.resolve(role.roleName));
      const inline = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles).includes(roleRef));
      expect(inline).toEqual([]);
    }
  });

  test('no dead-letter queue of a rule, the bus or a schedule is FIFO', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    const arns = new Set<string>();
    for (const rule of Object.values(template.findResources('AWS::Events::Rule'))) {
      rule.Properties.Targets.forEach((t: any) => arns.add(JSON.stringify(t.DeadLetterConfig.Arn)));
    }
    Object.values(template.findResources('AWS::Events::EventBus')).forEach((b) => arns.add(JSON.stringify(b.Properties.DeadLetterConfig.Arn)));
    Object.values(template.findResources('AWS::Scheduler::Schedule')).forEach((s) => arns.add(JSON.stringify(s.Properties.Target.DeadLetterConfig.Arn)));
    expect(arns.size).toBe(2);
    for (const arn of arns) {
      const logicalId = JSON.parse(arn)['Fn::GetAtt'][0];
      expect(queues[logicalId].Properties.FifoQueue).toBeUndefined();
    }
  });

  test('the bus policy never allows *', () => {
    const policies = Object.values(template.findResources('AWS::Events::EventBusPolicy'));
    expect(policies).toHaveLength(1);
    for (const policy of policies) {
      expect(policy.Properties.Principal).toBeUndefined();
      expect(JSON.stringify(policy.Properties.Statement.Principal)).not.toMatch(/"\*"/);
      expect(policy.Properties.Statement.Principal.AWS).toBeDefined();
    }
  });
});

describe('EventHub invalid input', () => {
  const target = (stack: Stack) => HubTarget.lambdaFunction(((stack.node.tryFindChild('Fn') as SecureFunction | undefined) ?? fn(stack)).lambdaFunction);
  const route = (stack: Stack, extra: Record<string, unknown> = {}) => ({ eventPattern: PAID, targets: [target(stack)], ...extra });
  const withRoute = (extra: (stack: Stack) => Record<string, unknown>) => (stack: Stack) =>
    new EventHub(stack, 'Hub').addRoute('Paid', { ...route(stack), ...extra(stack) } as any);
  const withPattern = (eventPattern: unknown) => withRoute(() => ({ eventPattern }));
  const withSchedule = (expression: string) => (stack: Stack) =>
    new EventHub(stack, 'Hub').addSchedule('Tick', { schedule: scheduler.ScheduleExpression.expression(expression), target: target(stack) });
  const hubWith = (props: (stack: Stack) => EventHubProps) => (stack: Stack) => new EventHub(stack, 'Hub', props(stack));
  const fifoQueue = (stack: Stack, id = 'Fifo') => new sqs.Queue(stack, id, { fifo: true });

  const cases: Array<[string, (stack: Stack) => unknown, string]> = [
    ['an empty event pattern', withPattern({}),
      'route \'Paid\' eventPattern is {}; an empty pattern matches no event and EventBridge rejects it'],
    ['no event pattern', withPattern(undefined),
      'route \'Paid\' eventPattern is undefined; it must be an events.EventPattern with at least one field'],
    ['a pattern field that is not a list', withPattern({ source: 'shop.orders' }),
      'route \'Paid\' eventPattern.source is \'shop.orders\'; EventBridge matches values in lists: write [\'shop.orders\']'],
    ['an empty list in a pattern', withPattern({ source: [] }),
      'route \'Paid\' eventPattern.source is []; an empty list matches no event and EventBridge rejects it'],
    ['an unknown pattern field', withPattern({ sources: ['shop'] }),
      'route \'Paid\' eventPattern.sources is ["shop"]; \'sources\' is not an event pattern field'],
    ['a detail leaf that is not a list', withPattern({ detail: { status: 'PAID' } }),
      'route \'Paid\' eventPattern.detail.status is \'PAID\'; EventBridge matches values in lists: write [\'PAID\']'],
    ['an empty detail object', withPattern({ source: ['shop'], detail: {} }),
      'route \'Paid\' eventPattern.detail is {}; an empty object matches no event'],
    ['an unknown content filter', withPattern({ source: [{ prefx: 'shop' }] }),
      'route \'Paid\' eventPattern.source[0] is {"prefx":"shop"}; a list holds values or content filters'],
    ['a pattern over 4,096 characters as JSON', withPattern({ source: ['x'.repeat(4082)] }),
      'route \'Paid\' eventPattern is 4097 characters long as JSON; EventBridge allows at most 4096 per rule pattern (PutRule)'],
    ['a pattern over 4,096 characters once detailType is written detail-type', withPattern({ detailType: ['x'.repeat(4077)] }),
      'route \'Paid\' eventPattern is 4097 characters long as JSON; EventBridge allows at most 4096'],
    ['a pattern whose known part is already over 4,096 characters', withPattern({ source: ['x'.repeat(4082)], account: [Aws.ACCOUNT_ID] }),
      'route \'Paid\' eventPattern is at least 4112 characters long as JSON; EventBridge allows at most 4096'],
    ['archive retention of 0 days', hubWith(() => ({ archiveRetention: Duration.days(0) })),
      'archiveRetention is 0 days; EventBridge keeps archived events for a whole number of days; give Duration.days(n) with n from 1'],
    ['archive retention of 36 hours', hubWith(() => ({ archiveRetention: Duration.hours(36) })),
      'archiveRetention is 1 day 12 hours; EventBridge keeps archived events for a whole number of days'],
    ['archive retention without an archive', hubWith(() => ({ archiveEnabled: false, archiveRetention: Duration.days(7) })),
      'archiveRetention applies to the archive; it cannot be given with archiveEnabled: false'],
    ['duplicate route ids in props', hubWith((s) => ({ routes: [{ id: 'Paid', ...route(s) }, { id: 'Paid', ...route(s) }] })),
      'route id is \'Paid\'; the hub already has a route with this id'],
    ['a duplicate route id in addRoute', (s) => {
      const hub = new EventHub(s, 'Hub', { routes: [{ id: 'Paid', ...route(s) }] });
      hub.addRoute('Paid', route(s));
    }, 'route id is \'Paid\'; the hub already has a route with this id; route ids must be unique in the hub'],
    ['a route id with a slash', (s) => new EventHub(s, 'Hub').addRoute('a/b', route(s)),
      'route id is \'a/b\'; it must be a non-empty string without \'/\''],
    ['no targets', withRoute(() => ({ targets: [] })),
      'route \'Paid\' targets is \'0 targets\'; a route takes 1 to 5 targets'],
    ['six targets', withRoute((s) => ({ targets: [1, 2, 3, 4, 5, 6].map((i) => HubTarget.queue(new sqs.Queue(s, `Q${i}`))) })),
      'route \'Paid\' targets is \'6 targets\'; a route takes 1 to 5 targets (EventBridge\'s limit per rule)'],
    ['a target that is not a HubTarget', withRoute((s) => ({ targets: [new sqs.Queue(s, 'Raw')] })),
      'route \'Paid\' targets[0] is \'TestStack/Raw\'; give a HubTarget: HubTarget.lambdaFunction(fn), .queue(queue)'],
    ['a FIFO queue target without a message group', withRoute((s) => ({ targets: [HubTarget.queue(fifoQueue(s))] })),
      'route \'Paid\' targets[0] is \'TestStack/Fifo\'; it is a FIFO queue; give HubTarget.queue(queue, { messageGroupId })'],
    ['a message group on a standard queue', withRoute((s) => ({ targets: [HubTarget.queue(new sqs.Queue(s, 'Std'), { messageGroupId: 'g' })] })),
      'route \'Paid\' targets[0] messageGroupId is \'g\'; the queue TestStack/Std is a standard queue'],
    ['a route message group read from the event', withRoute((s) => ({
      targets: [HubTarget.queue(new sqs.Queue(s, 'Fifo', { fifo: true, contentBasedDeduplication: true }), { messageGroupId: events.EventField.fromPath('$.detail.orderId') })],
    })), 'route \'Paid\' targets[0] messageGroupId is \'$.detail.orderId\'; EventBridge rules send the message group id as given and cannot read it from the event'],
    ['a route message group that is a token', withRoute((s) => ({
      targets: [HubTarget.queue(new sqs.Queue(s, 'Fifo', { fifo: true, contentBasedDeduplication: true }), { messageGroupId: Lazy.string({ produce: () => 'g' }) })],
    })), 'route \'Paid\' targets[0] messageGroupId is \'g\'; EventBridge rules send the message group id as given'],
    ['a FIFO route target queue without content-based deduplication', withRoute((s) => ({ targets: [HubTarget.queue(fifoQueue(s), { messageGroupId: 'g' })] })),
      'route \'Paid\' targets[0] is \'TestStack/Fifo\'; it is a FIFO queue without content-based deduplication; EventBridge rules send no '
      + 'deduplication id, so a FIFO target queue must have contentBasedDeduplication: true'],
    ['a FIFO route target queue with content-based deduplication off', withRoute((s) => ({
      targets: [HubTarget.queue(new sqs.Queue(s, 'Fifo', { fifo: true, contentBasedDeduplication: false }), { messageGroupId: 'g' })],
    })), 'route \'Paid\' targets[0] is \'TestStack/Fifo\'; it is a FIFO queue without content-based deduplication'],
    ['a FIFO schedule target queue without content-based deduplication', (s) => new EventHub(s, 'Hub').addSchedule('Tick', {
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)), target: HubTarget.queue(fifoQueue(s), { messageGroupId: 'g' }),
    }), 'schedule \'Tick\' target is \'TestStack/Fifo\'; it is a FIFO queue without content-based deduplication; EventBridge Scheduler send no'],
    ['a hub dead-letter queue on the AWS managed key', hubWith((s) => ({ deadLetterQueue: new sqs.Queue(s, 'Dlq', { encryption: sqs.QueueEncryption.KMS_MANAGED }) })),
      'deadLetterQueue is \'TestStack/Dlq\'; it is encrypted with the AWS managed key alias/aws/sqs, whose key policy cannot let EventBridge (events.amazonaws.com) use it'],
    ['a route dead-letter queue on the AWS managed key', withRoute((s) => ({ deadLetterQueue: new sqs.Queue(s, 'Dlq', { encryption: sqs.QueueEncryption.KMS_MANAGED }) })),
      'route \'Paid\' deadLetterQueue is \'TestStack/Dlq\'; it is encrypted with the AWS managed key alias/aws/sqs'],
    ['a route target queue on the AWS managed key', withRoute((s) => ({ targets: [HubTarget.queue(new sqs.Queue(s, 'Q', { encryption: sqs.QueueEncryption.KMS_MANAGED }))] })),
      'route \'Paid\' targets[0] is \'TestStack/Q\'; it is encrypted with the AWS managed key alias/aws/sqs'],
    ['a route target queue on the AWS managed key by alias', withRoute((s) => ({
      targets: [HubTarget.queue(new sqs.Queue(s, 'Q', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: kms.Alias.fromAliasName(s, 'AwsSqs', 'alias/aws/sqs') }))],
    })), 'route \'Paid\' targets[0] is \'TestStack/Q\'; it is encrypted with the AWS managed key alias/aws/sqs'],
    ['a route target topic on the AWS managed key', withRoute((s) => ({
      targets: [HubTarget.topic(new sns.Topic(s, 'T', { masterKey: kms.Alias.fromAliasName(s, 'AwsSns', 'alias/aws/sns') }))],
    })), 'route \'Paid\' targets[0] is \'TestStack/T\'; it is encrypted with the AWS managed key alias/aws/sns, whose key policy cannot let EventBridge'],
    ['a route target topic on the AWS managed key by ARN', withRoute((s) => ({
      targets: [HubTarget.topic(new sns.Topic(s, 'T', { masterKey: kms.Key.fromKeyArn(s, 'AwsSns', 'arn:aws:kms:eu-west-1:123456789012:alias/aws/sns') }))],
    })), 'route \'Paid\' targets[0] is \'TestStack/T\'; it is encrypted with the AWS managed key alias/aws/sns'],
    ['a FIFO topic target', withRoute((s) => ({ targets: [HubTarget.topic(new sns.Topic(s, 'T', { fifo: true }))] })),
      'route \'Paid\' targets[0] is \'TestStack/T\'; it is a FIFO topic; EventBridge rules cannot set the message group it needs'],
    ['the hub\'s own bus as target', (s) => {
      const hub = new EventHub(s, 'Hub');
      hub.addRoute('Loop', { eventPattern: PAID, targets: [HubTarget.eventBus(hub.eventBus)] });
    }, 'route \'Loop\' targets[0] is \'TestStack/Hub/Bus\'; it is the hub\'s own bus'],
    ['a hub dead-letter queue that is a plain object (from JavaScript)', hubWith(() => ({ deadLetterQueue: {} as sqs.IQueue })),
      'deadLetterQueue is {}; it must be an SQS queue (sqs.IQueue)'],
    ['a hub dead-letter queue that is another construct', hubWith((s) => ({ deadLetterQueue: new sns.Topic(s, 'NotAQueue') as unknown as sqs.IQueue })),
      'deadLetterQueue is \'TestStack/NotAQueue\'; it must be an SQS queue (sqs.IQueue)'],
    ['a route dead-letter queue that is a plain object', withRoute(() => ({ deadLetterQueue: {} })),
      'route \'Paid\' deadLetterQueue is {}; it must be an SQS queue (sqs.IQueue)'],
    ['a schedule dead-letter queue that is a plain object', (s) => new EventHub(s, 'Hub').addSchedule('Tick', {
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)), target: target(s), deadLetterQueue: {} as sqs.IQueue,
    }), 'schedule \'Tick\' deadLetterQueue is {}; it must be an SQS queue (sqs.IQueue)'],
    ['a queue target that is a plain object', withRoute(() => ({ targets: [HubTarget.queue({} as sqs.IQueue)] })),
      'route \'Paid\' targets[0] is {}; HubTarget.queue() needs a construct to deliver to, not a plain object'],
    ['a FIFO hub dead-letter queue', hubWith((s) => ({ deadLetterQueue: fifoQueue(s) })),
      'deadLetterQueue is \'TestStack/Fifo\'; it is a FIFO queue; EventBridge and Scheduler send dead letters only to standard queues'],
    ['a FIFO route dead-letter queue', withRoute((s) => ({ deadLetterQueue: fifoQueue(s) })),
      'route \'Paid\' deadLetterQueue is \'TestStack/Fifo\'; it is a FIFO queue'],
    ['a route dead-letter queue and separateDeadLetterQueue', withRoute((s) => ({ deadLetterQueue: new sqs.Queue(s, 'D'), separateDeadLetterQueue: true })),
      'route \'Paid\' deadLetterQueue and route \'Paid\' separateDeadLetterQueue cannot be set together'],
    ['retryAttempts 186', hubWith(() => ({ retryAttempts: 186 })),
      'retryAttempts is 186; it must be an integer from 0 to 185'],
    ['a route retryAttempts of -1', withRoute(() => ({ retryAttempts: -1 })),
      'route \'Paid\' retryAttempts is -1; it must be an integer from 0 to 185'],
    ['maxEventAge of 30 seconds', hubWith(() => ({ maxEventAge: Duration.seconds(30) })),
      'maxEventAge is 30 seconds; it must be a whole number of seconds from 1 minute to 1 day'],
    ['a route maxEventAge of 25 hours', withRoute(() => ({ maxEventAge: Duration.hours(25) })),
      'route \'Paid\' maxEventAge is 1 day 1 hour; it must be a whole number of seconds from 1 minute to 1 day'],
    ['retry settings on a route with only a bus target', withRoute((s) => ({
      targets: [HubTarget.eventBus(events.EventBus.fromEventBusArn(s, 'Other', OTHER_BUS_ARN))], maxEventAge: Duration.hours(1),
    })), 'route \'Paid\': retryAttempts and maxEventAge do not apply to event bus targets'],
    ['a too-long route description', withRoute(() => ({ description: 'x'.repeat(513) })),
      'route \'Paid\' description is \'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\'; it has 513 characters; EventBridge allows at most 512'],
    ['a publisher account of *', hubWith(() => ({ publisherAccountIds: ['*'] })),
      'publisherAccountIds[0] is \'*\'; an AWS account id is 12 digits (never \'*\''],
    ['a publisher account of 5 digits', hubWith(() => ({ publisherAccountIds: ['111122223333', '12345'] })),
      'publisherAccountIds[1] is \'12345\'; an AWS account id is 12 digits'],
    ['a publisher account listed twice', hubWith(() => ({ publisherAccountIds: ['111122223333', '111122223333'] })),
      'publisherAccountIds[1] is \'111122223333\'; it is listed twice'],
    ['publishers with a provided bus', hubWith((s) => ({ eventBus: new events.EventBus(s, 'B'), publisherAccountIds: ['111122223333'] })),
      'eventBus and publisherAccountIds cannot be set together'],
    ['rate(0 minutes)', withSchedule('rate(0 minutes)'), 'schedule \'Tick\' schedule is \'rate(0 minutes)\'; a rate must be at least 1'],
    ['rate(1 minutes)', withSchedule('rate(1 minutes)'), 'schedule \'Tick\' schedule is \'rate(1 minutes)\'; write the unit singular for 1'],
    ['rate(5 minute)', withSchedule('rate(5 minute)'), 'schedule \'Tick\' schedule is \'rate(5 minute)\'; write the unit plural above 1 (rate(5 minutes))'],
    ['rate(2 weeks)', withSchedule('rate(2 weeks)'), 'schedule \'Tick\' schedule is \'rate(2 weeks)\'; a rate is rate(value unit)'],
    ['a five-field cron', withSchedule('cron(0 8 * * *)'), 'schedule \'Tick\' schedule is \'cron(0 8 * * *)\'; a cron expression has six fields'],
    ['a cron with neither day field ?', withSchedule('cron(0 8 * * MON *)'), 'exactly one of day-of-month and day-of-week must be ?'],
    ['a cron with both day fields ?', withSchedule('cron(0 8 ? * ? *)'), 'exactly one of day-of-month and day-of-week must be ?'],
    ['a cron with a bad minutes field', withSchedule('cron(x 8 * * ? *)'), 'the minutes field \'x\' is not valid cron syntax'],
    ['an at() date that does not exist', withSchedule('at(2030-02-30T00:00:00)'), 'schedule \'Tick\' schedule is \'at(2030-02-30T00:00:00)\'; the date and time of at() do not exist'],
    ['an unknown expression', withSchedule('every day'), 'EventBridge Scheduler takes rate(value unit), cron(six fields) or at(yyyy-mm-ddThh:mm:ss)'],
    ['a schedule targeting an event bus', (s) => new EventHub(s, 'Hub').addSchedule('Tick', {
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)), target: HubTarget.eventBus(events.EventBus.fromEventBusArn(s, 'Other', OTHER_BUS_ARN)),
    }), 'schedule \'Tick\' target is \'TestStack/Other\'; a schedule cannot target an event bus'],
    ['a schedule message group read from an event', (s) => new EventHub(s, 'Hub').addSchedule('Tick', {
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)),
      target: HubTarget.queue(fifoQueue(s), { messageGroupId: events.EventField.fromPath('$.detail.id') }),
    }), 'a schedule has no event to read a path from; give a fixed id'],
    ['a FIFO schedule dead-letter queue', (s) => new EventHub(s, 'Hub').addSchedule('Tick', {
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)), target: target(s), deadLetterQueue: fifoQueue(s),
    }), 'schedule \'Tick\' deadLetterQueue is \'TestStack/Fifo\'; it is a FIFO queue'],
    ['a duplicate schedule id', (s) => {
      const hub = new EventHub(s, 'Hub');
      const options = { schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)), target: target(s) };
      hub.addSchedule('Tick', options);
      hub.addSchedule('Tick', options);
    }, 'schedule id is \'Tick\'; the hub already has a schedule with this id'],
    ['alarm datapointsToAlarm above evaluationPeriods', hubWith(() => ({ alarms: { deadLetterQueueMessages: { evaluationPeriods: 1, datapointsToAlarm: 2 } } })),
      'alarms.deadLetterQueueMessages.datapointsToAlarm is 2; it must be an integer from 1 to 1'],
  ];

  test.each(cases)('%s', (_name, build, message) => {
    const run = () => build(newStack());
    const expected = new RegExp(`^EventHub 'TestStack/Hub': .*${escapeRegExp(message)}`);
    expect(run).toThrow(expected);
    expect(run).not.toThrow(TypeError);
  });

  test('there are at least twelve invalid-input cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
  });
});

describe.each(FLAG_SET_ENTRIES)('two EventHubs in one REGULATED stack (%s)', (_flagSet, flags) => {
  let stack: Stack;
  let a: EventHub;
  let b: EventHub;
  let template: Template;

  beforeAll(() => {
    stack = newStack(flags, ComplianceProfile.REGULATED);
    const handler = fn(stack);
    a = new EventHub(stack, 'A', { routes: [{ id: 'Paid', eventPattern: PAID, targets: [HubTarget.lambdaFunction(handler.lambdaFunction)] }] });
    b = new EventHub(stack, 'B', { routes: [{ id: 'Paid', eventPattern: PAID, targets: [HubTarget.lambdaFunction(handler.lambdaFunction)] }] });
    for (const hub of [a, b]) {
      hub.addSchedule('Tick', { schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)), target: HubTarget.lambdaFunction(handler.lambdaFunction) });
    }
    template = Template.fromStack(stack);
  });

  test('they have distinct buses (names), archives, dead-letter queues, rules and schedule groups', () => {
    template.resourceCountIs('AWS::Events::EventBus', 2);
    template.resourceCountIs('AWS::Events::Archive', 2);
    const names = Object.values(template.findResources('AWS::Events::EventBus')).map((r) => r.Properties.Name);
    expect(new Set(names).size).toBe(2);
    expect(stack.resolve(a.deadLetterQueue.queueArn)).not.toEqual(stack.resolve(b.deadLetterQueue.queueArn));
    const groups = Object.values(template.findResources('AWS::Scheduler::ScheduleGroup')).map((r) => r.Properties.Name);
    expect(new Set(groups).size).toBe(2);
    template.resourceCountIs('AWS::Events::Rule', 2);
  });

  test('they share one stack key and one alarm topic', () => {
    template.resourceCountIs('AWS::KMS::Key', 2); // the stack key and the alarm topic's failure-path key
    template.resourceCountIs('AWS::SNS::Topic', 1);
  });

  test('the stack key policy has each statement id once', () => {
    const statements: any[] = resourceOf(template, stackKeyOf(stack)).Properties.KeyPolicy.Statement;
    const sids = statements.map((s) => s.Sid).filter((sid: unknown) => sid !== undefined);
    expect(sids.length).toBeGreaterThan(0);
    expect(new Set(sids).size).toBe(sids.length);
  });

  test('each hub alarms on its own rules and queues', () => {
    expect(a.alarms).toHaveLength(6);
    expect(b.alarms).toHaveLength(6);
    const ids = [...a.alarms, ...b.alarms].map((alarm) => logicalIdOf(l1(alarm)));
    expect(new Set(ids).size).toBe(12);
  });
});

describe('EventHub on a provided bus with the same key', () => {
  test('the archive\'s key statement names the bus without referring to it (no key -> bus -> key cycle)', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const bus = new events.EventBus(stack, 'SharedBus', { kmsKey: key });
    new EventHub(stack, 'Hub', { eventBus: bus, key });
    const template = Template.fromStack(stack);
    const keyPolicy = JSON.stringify(resourceOf(template, key).Properties.KeyPolicy);
    expect(keyPolicy).not.toContain(logicalIdOf(bus));
    template.hasResourceProperties('AWS::Events::Archive', { SourceArn: stack.resolve(bus.eventBusArn), KmsKeyIdentifier: stack.resolve(key.keyArn) });
    const archiveStatement = keyStatementsFor(template, key, 'events.amazonaws.com').find((st) => [st.Action].flat().includes('kms:ReEncrypt*'));
    const busName = resourceOf(template, bus).Properties.Name;
    expect(archiveStatement.Condition.StringEquals['kms:EncryptionContext:aws:events:event-bus:arn'])
      .toEqual(stack.resolve(stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: busName })));
  });
});

describe('EventHub and the AWS managed SQS key', () => {
  test('schedule dead-letter queues and schedule target queues may use it (Scheduler sends with the schedule\'s role)', () => {
    const stack = newStack();
    const hub = new EventHub(stack, 'Hub');
    const managed = new sqs.Queue(stack, 'Managed', { encryption: sqs.QueueEncryption.KMS_MANAGED });
    const dlq = new sqs.Queue(stack, 'ManagedDlq', { encryption: sqs.QueueEncryption.KMS_MANAGED });
    const schedule = hub.addSchedule('Tick', { schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)), target: HubTarget.queue(managed), deadLetterQueue: dlq });
    expect(schedule.deadLetterQueue).toBe(dlq);
  });

  test('a route target queue or dead-letter queue with SQS-managed encryption or a customer-managed key is accepted', () => {
    const stack = newStack();
    const hub = new EventHub(stack, 'Hub');
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const route = hub.addRoute('Paid', {
      eventPattern: PAID,
      targets: [HubTarget.queue(new sqs.Queue(stack, 'Sse', { encryption: sqs.QueueEncryption.SQS_MANAGED })),
        HubTarget.queue(new sqs.Queue(stack, 'Cmk', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key }))],
      deadLetterQueue: new sqs.Queue(stack, 'Dlq', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key }),
    });
    expect(route.rule).toBeDefined();
  });
});

describe('EventHub on the default event bus', () => {
  test('route metrics have only the RuleName dimension: the rule\'s name, which is what its reference resolves to', () => {
    const stack = newStack();
    const hub = new EventHub(stack, 'Hub', { eventBus: events.EventBus.fromEventBusName(stack, 'Default', 'default') });
    const route = hub.addRoute('Paid', { eventPattern: PAID, targets: [HubTarget.lambdaFunction(fn(stack).lambdaFunction)] });
    expect(stack.resolve(route.metricFailedInvocations().dimensions)).toEqual({ RuleName: stack.resolve(route.rule.ruleName) });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'FailedInvocations',
      Dimensions: [{ Name: 'RuleName', Value: stack.resolve(route.rule.ruleName) }],
    });
  });
});

describe('EventHub dead-letter queue policies at scale', () => {
  test('25 routes sharing the hub\'s dead-letter queue add one statement to its policy, not one per rule (SQS allows 20)', () => {
    const stack = newStack();
    const hub = new EventHub(stack, 'Hub');
    const target = HubTarget.lambdaFunction(fn(stack).lambdaFunction);
    const queue = new sqs.Queue(stack, 'Target', { enforceSSL: true });
    const machine = sfn.StateMachine.fromStateMachineArn(stack, 'Machine', MACHINE_ARN);
    const otherBus = events.EventBus.fromEventBusArn(stack, 'OtherBus', OTHER_BUS_ARN);
    for (let i = 0; i < 25; i++) {
      const extra = [HubTarget.queue(queue), HubTarget.stateMachine(machine), HubTarget.eventBus(otherBus)][i % 3];
      hub.addRoute(`Route${i}`, { eventPattern: { source: [`shop.${i}`] }, targets: [target, extra] });
    }
    const template = Template.fromStack(stack);
    const statements = queuePolicyStatements(template, stack, hub.deadLetterQueue);
    expect(statements.filter((st) => st.Effect === 'Allow')).toHaveLength(1);
    expect(statements.length).toBeLessThanOrEqual(2); // and the TLS-only deny
    for (const route of hub.routes) {
      for (const rendered of targetsOf(template, route.rule)) {
        expect(rendered.DeadLetterConfig).toEqual({ Arn: stack.resolve(hub.deadLetterQueue.queueArn) });
      }
    }
  });

  test('a route\'s own dead-letter queue gets one statement for the rules of the hub\'s bus', () => {
    const stack = newStack();
    const hub = new EventHub(stack, 'Hub');
    const target = HubTarget.lambdaFunction(fn(stack).lambdaFunction);
    const shared = new sqs.Queue(stack, 'Shared', { enforceSSL: true });
    hub.addRoute('A', { eventPattern: PAID, targets: [target], deadLetterQueue: shared });
    hub.addRoute('B', { eventPattern: PAID, targets: [target], deadLetterQueue: shared });
    const template = Template.fromStack(stack);
    const busName = resourceOf(template, hub.eventBus).Properties.Name;
    expect(queuePolicyStatements(template, stack, shared).filter((st) => st.Effect === 'Allow').map((st) => st.Condition)).toEqual([{
      ArnLike: { 'aws:SourceArn': stack.resolve(stack.formatArn({ service: 'events', resource: 'rule', resourceName: `${busName}/*` })) },
    }]);
  });

  test('deploy-time trap: a target queue in another stack makes no reference cycle; its policy names the hub\'s bus rules by literal name', () => {
    const app = testApp();
    const queueStack = testStack(app, 'QueueStack');
    const hubStack = testStack(app, 'HubStack');
    const queue = new sqs.Queue(queueStack, 'Target', { enforceSSL: true });
    const hub = new EventHub(hubStack, 'Hub');
    hub.addRoute('Out', { eventPattern: PAID, targets: [HubTarget.queue(queue)] });
    expect(() => app.synth()).not.toThrow();
    const template = Template.fromStack(queueStack);
    const busName = resourceOf(Template.fromStack(hubStack), hub.eventBus).Properties.Name;
    const allows = queuePolicyStatements(template, queueStack, queue).filter((st) => st.Effect === 'Allow');
    expect(allows.map((st) => st.Condition)).toEqual([{
      ArnLike: { 'aws:SourceArn': queueStack.resolve(queueStack.formatArn({ service: 'events', resource: 'rule', resourceName: `${busName}/*` })) },
    }]);
    expect(JSON.stringify(template.toJSON())).not.toContain('Fn::ImportValue');
  });
});

describe('EventHub failure paths survive a failure of the hub\'s key (#10 item 2)', () => {
  // EventBridge sends an event that fails because the bus key is disabled or missing to the bus's dead-letter queue, and one that
  // fails on it while being sent to a target to the target's dead-letter queue:
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-encryption-event-bus-dlq.html
  const WARNING = 'cdk-bulwark:event-hub:dead-letter-queue-key';

  function warningsOf(stack: Stack): string[] {
    return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(WARNING)).map((w) => String(w.entry.data));
  }

  test.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('%s: every dead-letter queue the hub creates uses SQS-managed encryption', (profile) => {
    const stack = newStack({}, profile);
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const hub = new EventHub(stack, 'Hub', { key });
    const route = hub.addRoute('Paid', { eventPattern: PAID, targets: [HubTarget.lambdaFunction(fn(stack).lambdaFunction)], separateDeadLetterQueue: true });
    const template = Template.fromStack(stack);
    expectProperties(template, hub.eventBus, { KmsKeyIdentifier: stack.resolve(key.keyArn) });
    for (const queue of [hub.deadLetterQueue, route.deadLetterQueue]) {
      expectProperties(template, queue, { SqsManagedSseEnabled: true, KmsMasterKeyId: Match.absent() });
    }
    expect(warningsOf(stack)).toEqual([]);
  });

  test.each<[string, (stack: Stack, hub: () => EventHub, queue: sqs.IQueue) => void]>([
    ['the hub\'s deadLetterQueue', (_stack, hub) => hub()],
    ['a route\'s deadLetterQueue', (stack, hub, queue) => hub().addRoute('Paid', {
      eventPattern: PAID, targets: [HubTarget.lambdaFunction(fn(stack).lambdaFunction)], deadLetterQueue: queue,
    })],
    ['a schedule\'s deadLetterQueue', (stack, hub, queue) => hub().addSchedule('Tick', {
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)),
      target: HubTarget.lambdaFunction(fn(stack).lambdaFunction),
      deadLetterQueue: queue,
    })],
  ])('%s encrypted with the hub\'s key is warned about, acknowledgeably; with another key it is not', (name, use) => {
    for (const shared of [true, false]) {
      const stack = newStack({}, ComplianceProfile.REGULATED);
      const key = new kms.Key(stack, 'HubKey', { enableKeyRotation: true });
      const queueKey = shared ? kms.Key.fromKeyArn(stack, 'SameKey', key.keyArn) : new kms.Key(stack, 'Other', { enableKeyRotation: true });
      const queue = new sqs.Queue(stack, 'Dlq', { encryptionMasterKey: queueKey, enforceSSL: true });
      use(stack, () => new EventHub(stack, 'Hub', { key, ...(name.startsWith('the hub') ? { deadLetterQueue: queue } : {}) }), queue);
      expect(warningsOf(stack)).toEqual(shared ? [expect.stringMatching(new RegExp(
        '^The dead-letter queue TestStack/Dlq is encrypted with the hub\'s key TestStack/HubKey, which also encrypts the bus.*'
        + 'When that key is disabled or deleted, the events that fail because of it cannot be written to this queue either, and are lost.*'
        + escapeRegExp(`[ack: ${WARNING}]`)))] : []);
    }
  });

  test('no warning without a hub key (STANDARD), whatever the queue\'s key', () => {
    const stack = newStack({}, ComplianceProfile.STANDARD);
    const queue = new sqs.Queue(stack, 'Dlq', { encryptionMasterKey: new kms.Key(stack, 'K', { enableKeyRotation: true }), enforceSSL: true });
    new EventHub(stack, 'Hub', { deadLetterQueue: queue });
    expect(warningsOf(stack)).toEqual([]);
  });
});

describe('EventHub refuses values EventBridge and Scheduler reject (#10 item 6)', () => {
  const target = (stack: Stack) => HubTarget.lambdaFunction(fn(stack).lambdaFunction);
  const withCron = (expression: string) => (stack: Stack) =>
    new EventHub(stack, 'Hub').addSchedule('Tick', { schedule: scheduler.ScheduleExpression.expression(expression), target: target(stack) });
  const withDetail = (filter: unknown) => (stack: Stack) =>
    new EventHub(stack, 'Hub').addRoute('Paid', { eventPattern: { source: ['shop'], detail: { total: [filter] } } as any, targets: [target(stack)] });

  // Scheduler's cron fields: https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#cron-based
  // (minutes 0-59, hours 0-23, day-of-month 1-31 with ? L W, month 1-12 or JAN-DEC, day-of-week 1-7 or SUN-SAT with ? L #, year 1970-2199).
  const cronCases: Array<[string, string]> = [
    ['cron(0 24 * * ? *)', 'the hours field \'24\' is not valid cron syntax: 24 is out of range (0-23)'],
    ['cron(60 8 * * ? *)', 'the minutes field \'60\' is not valid cron syntax: 60 is out of range (0-59)'],
    ['cron(0 8 0 * ? *)', 'the day-of-month field \'0\' is not valid cron syntax: 0 is out of range (1-31)'],
    ['cron(0 8 32W * ? *)', 'the day-of-month field \'32W\' is not valid cron syntax: 32 is out of range (1-31)'],
    ['cron(0 8 ? 13 MON *)', 'the month field \'13\' is not valid cron syntax: 13 is out of range (1-12 or JAN-DEC)'],
    ['cron(0 8 ? JAN-MAY2 MON *)', 'the month field \'JAN-MAY2\' is not valid cron syntax: \'MAY2\' is not a month value (1-12 or JAN-DEC)'],
    ['cron(0 8 ? * MON-FRY *)', 'the day-of-week field \'MON-FRY\' is not valid cron syntax: \'FRY\' is not a day-of-week value (1-7 or SUN-SAT)'],
    ['cron(0 8 ? * 8 *)', 'the day-of-week field \'8\' is not valid cron syntax: 8 is out of range (1-7 or SUN-SAT)'],
    ['cron(0 8 ? * 3#2,4#1 *)', 'the day-of-week field \'3#2,4#1\' is not valid cron syntax: # takes one day and its week of the month'],
    ['cron(0 8 ? * MON#6 *)', 'the day-of-week field \'MON#6\' is not valid cron syntax: # takes one day and its week of the month'],
    ['cron(0 8 * * ? 2200)', 'the year field \'2200\' is not valid cron syntax: 2200 is out of range (1970-2199)'],
    ['cron(0 8 * * ? 1969-2000)', 'the year field \'1969-2000\' is not valid cron syntax: 1969 is out of range (1970-2199)'],
    ['cron(0/0 8 * * ? *)', 'the minutes field \'0/0\' is not valid cron syntax: the increment \'0\' must be a whole number from 1 to 60'],
    ['cron(0,,5 8 * * ? *)', 'the minutes field \'0,,5\' is not valid cron syntax: an empty list item'],
    ['cron(1-2-3 8 * * ? *)', 'the minutes field \'1-2-3\' is not valid cron syntax: \'1-2-3\' is not a value or a range'],
    ['cron(0 ? * * ? *)', 'the hours field \'?\' is not valid cron syntax: ? is only for day-of-month and day-of-week'],
  ];

  // Content filters: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
  // (numeric takes '=', a lower bound > or >=, an upper bound < or <=, or a lower then an upper bound, with numbers).
  const filterCases: Array<[string, unknown, string]> = [
    ['a numeric operator that does not exist (=>)', { numeric: ['=>', 5] }, '\'=>\' is not a numeric operator'],
    ['a numeric operator !=', { numeric: ['!=', 5] }, '\'!=\' is not a numeric operator'],
    ['a numeric value that is a string', { numeric: ['>', '5'] }, 'numeric takes [\'=\', n]'],
    ['a numeric filter with one element', { numeric: ['>'] }, 'numeric takes [\'=\', n]'],
    ['a numeric range upper bound first', { numeric: ['<', 10, '>', 0] }, 'a numeric range is a lower bound (> or >=) then an upper bound (< or <=)'],
    ['a numeric range with = ', { numeric: ['=', 1, '<', 5] }, 'a numeric range is a lower bound (> or >=) then an upper bound'],
    ['an empty numeric range', { numeric: ['>', 5, '<', 5] }, 'the lower bound 5 is not below the upper bound 5, so the range matches nothing'],
    ['a numeric value that is not finite', { numeric: ['>', Infinity] }, 'numeric takes [\'=\', n]'],
    ['a prefix that is a number', { prefix: 5 }, 'prefix takes a string or { \'equals-ignore-case\': string }'],
    ['a suffix with an unknown option', { suffix: { wildcard: '*.png' } }, 'suffix takes a string or { \'equals-ignore-case\': string }'],
    ['exists as a string', { exists: 'true' }, 'exists takes true or false'],
    ['a cidr that is no block', { cidr: '10.0.0.0' }, 'cidr takes an IPv4 or IPv6 block in CIDR notation'],
    ['a cidr with a prefix over 32', { cidr: '10.0.0.0/33' }, 'cidr takes an IPv4 or IPv6 block in CIDR notation'],
    ['equals-ignore-case with a list', { 'equals-ignore-case': ['a'] }, 'equals-ignore-case takes a string'],
    ['wildcard as a number', { wildcard: 1 }, 'wildcard takes a string'],
    ['anything-but of mixed strings and numbers', { 'anything-but': ['a', 1] }, 'anything-but takes a string, a number, a list of only strings or only numbers'],
    ['anything-but of an empty list', { 'anything-but': [] }, 'anything-but takes a string'],
    ['anything-but of an empty prefix', { 'anything-but': { prefix: '' } }, 'anything-but takes a string'],
    ['anything-but of numeric', { 'anything-but': { numeric: ['>', 1] } }, 'anything-but takes a string'],
    ['anything-but of a boolean', { 'anything-but': true }, 'anything-but takes a string'],
    ['two filters in one object', { prefix: 'a', suffix: 'b' }, 'a content filter has one key, and this one has 2 (prefix, suffix)'],
  ];

  test.each(cronCases)('refuses %s', (expression, message) => {
    expect(() => withCron(expression)(newStack())).toThrow(new RegExp(`^EventHub 'TestStack/Hub': schedule 'Tick' schedule is '${escapeRegExp(expression)}'; `
      + `.*${escapeRegExp(message)}`));
  });

  test('refuses a cron built with scheduler.ScheduleExpression.cron() whose hour is out of range', () => {
    const build = (stack: Stack) => new EventHub(stack, 'Hub').addSchedule('Tick', {
      schedule: scheduler.ScheduleExpression.cron({ hour: '24', minute: '0' }), target: target(stack),
    });
    expect(() => build(newStack())).toThrow('the hours field \'24\' is not valid cron syntax: 24 is out of range (0-23)');
  });

  test.each(filterCases)('refuses %s', (_name, filter, message) => {
    const run = () => withDetail(filter)(newStack());
    expect(run).toThrow(new RegExp(`^EventHub 'TestStack/Hub': route 'Paid' eventPattern\\.detail\\.total\\[0\\] is .*; .*${escapeRegExp(message)}`));
    expect(run).not.toThrow(TypeError);
  });

  test.each([
    'cron(0 8 * * ? *)', 'cron(*/5 * * * ? *)', 'cron(0/15 * * * ? *)', 'cron(5-10/2 8 ? * MON,WED,fri *)', 'cron(0 8 ? JAN-MAR MON-FRI *)',
    'cron(0 8 L * ? *)', 'cron(0 8 LW * ? *)', 'cron(0 8 15W * ? *)', 'cron(0 8 ? * L *)', 'cron(0 8 ? * 6L *)', 'cron(0 8 ? * 3#2 *)',
    'cron(0 8 ? * MON#1 *)', 'cron(0 0 1 1 ? 2030-2035)', 'cron(59 23 31 12 ? 2199)',
  ])('accepts %s', (expression) => {
    expect(() => withCron(expression)(newStack())).not.toThrow();
  });

  test('accepts every content filter events.Match writes', () => {
    const stack = newStack();
    const hub = new EventHub(stack, 'Hub');
    const matchers = [
      events.Match.greaterThan(0), events.Match.greaterThanOrEqual(0), events.Match.lessThan(5), events.Match.lessThanOrEqual(5),
      events.Match.equal(3),
      events.Match.interval(0, 5), events.Match.allOf(events.Match.greaterThan(0), events.Match.lessThan(5)), events.Match.prefix('a'), events.Match.suffix('b'),
      events.Match.prefixEqualsIgnoreCase('a'), events.Match.suffixEqualsIgnoreCase('b'), events.Match.equalsIgnoreCase('c'), events.Match.wildcard('*.png'),
      events.Match.cidr('10.0.0.0/24'), events.Match.ipAddressRange('2001:db8::/32'), events.Match.exists(), events.Match.doesNotExist(),
      events.Match.anythingBut('a', 'b'), events.Match.anythingBut(1, 2), events.Match.anythingButPrefix('a'), events.Match.anythingButSuffix('b'),
      events.Match.anythingButEqualsIgnoreCase('a', 'b'), events.Match.anythingButWildcard('*/lib/*'), events.Match.anyOf(events.Match.prefix('a'), events.Match.exists()),
    ];
    const only = target(stack);
    matchers.forEach((matcher, i) => hub.addRoute(`R${i}`, { eventPattern: { source: ['shop'], detail: { field: matcher } }, targets: [only] }));
    expect(hub.routes).toHaveLength(matchers.length);
  });
});
