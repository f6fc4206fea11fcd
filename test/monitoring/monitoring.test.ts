import { Annotations as CdkAnnotations, Aws, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ComplianceProfile, Monitoring, MonitoringProps, SecureFunction, SecureTopic } from '../../src';
import { FLAG_SETS, FOURTEEN_DAYS, INLINE_CODE, newStack, NO_SUBSCRIBERS, testApp, testStack } from '../support/app';
import { actionsOn, asyncFailureQueueOf, escapeRegExp, expectProperties, failurePathKeyOf, keyStatementFor, logicalIdOf, resourceOf, stackKeyOf, statementsOf } from '../support/template';


/** A simple alarm to register. */
function alarm(scope: Construct, id: string, description?: string): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    metric: new cloudwatch.Metric({ namespace: 'Test', metricName: 'Failures', period: Duration.minutes(1) }),
    threshold: 0,
    evaluationPeriods: 1,
    alarmDescription: description,
  });
}

describe.each(Object.entries(FLAG_SETS))('Monitoring defaults (%s)', (_flagSet, flags) => {
  let stack: Stack;
  let monitoring: Monitoring;
  let registered: cloudwatch.Alarm;
  let template: Template;

  beforeAll(() => {
    stack = newStack(flags, undefined, false);
    CdkAnnotations.of(stack).acknowledgeWarning(NO_SUBSCRIBERS, 'the warning itself is tested below');
    monitoring = new Monitoring(stack, 'M');
    registered = alarm(stack, 'Registered', 'Test alarm: investigate the Test/Failures metric.');
    monitoring.addAlarm(registered);
    template = Template.fromStack(stack);
  });

  // The alarm topic was encrypted with the stack key until the failure-path key existed: a disabled
  // stack key then silenced the alarms about its own failure.
  test('one alarm topic is created, encrypted with the failure-path key, not the stack key', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    expectProperties(template, monitoring.alarmTopic, { KmsMasterKeyId: stack.resolve(failurePathKeyOf(stack).keyArn) });
    expect(stack.node.tryFindChild('BulwarkStackKey')).toBeUndefined();
  });

  test('the failure-path key rotates and is retained', () => {
    expectProperties(template, failurePathKeyOf(stack), { EnableKeyRotation: true });
    expect(resourceOf(template, failurePathKeyOf(stack)).DeletionPolicy).toBe('Retain');
  });

  test('the key policy lets CloudWatch decrypt and generate data keys, as alarms on an encrypted topic need', () => {
    // AWS's documented statement: no condition that CloudWatch's call through SNS might not carry.
    const statement = keyStatementFor(template, failurePathKeyOf(stack), 'cloudwatch.amazonaws.com');
    expect([statement.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(statement.Condition).toBeUndefined();
  });

  test('the topic policy denies publishing without TLS', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [stack.resolve(monitoring.alarmTopic.topicArn)],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Deny',
          Action: 'sns:Publish',
          Principal: '*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        })]),
      },
    });
  });

  test('the topic policy lets only this account\'s CloudWatch alarms publish', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [stack.resolve(monitoring.alarmTopic.topicArn)],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow',
          Action: 'sns:Publish',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Resource: stack.resolve(monitoring.alarmTopic.topicArn),
          Condition: {
            ArnLike: { 'aws:SourceArn': Match.anyValue() },
            StringEquals: { 'aws:SourceAccount': stack.resolve(Aws.ACCOUNT_ID) },
          },
        })]),
      },
    });
  });

  test('a dashboard is created', () => {
    expect(monitoring.dashboard).toBeDefined();
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  test('nobody is subscribed and no subscription dead-letter queue exists yet', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    template.resourceCountIs('AWS::SQS::Queue', 0);
    expect(monitoring.subscriptionDeadLetterQueue).toBeUndefined();
  });

  test('addAlarm sends ALARM and OK to the topic', () => {
    const topicArn = stack.resolve(monitoring.alarmTopic.topicArn);
    expectProperties(template, registered, { AlarmActions: [topicArn], OKActions: [topicArn] });
    expect(monitoring.alarms).toEqual([registered]);
  });

  test('Monitoring.of finds the first Monitoring of the stack', () => {
    expect(Monitoring.of(stack)).toBe(monitoring);
    expect(stack.node.tryFindChild('BulwarkMonitoring')).toBeUndefined();
  });
});

describe('Monitoring.of', () => {
  test('creates BulwarkMonitoring under the stack when absent, once', () => {
    const stack = newStack({}, undefined, false);
    const first = Monitoring.of(stack);
    expect(first).toBe(stack.node.findChild('BulwarkMonitoring'));
    expect(Monitoring.of(stack)).toBe(first);
  });

  test('keeps one Monitoring per stack', () => {
    const app = testApp();
    const a = testStack(app, 'A');
    const b = testStack(app, 'B');
    expect(Monitoring.of(a)).not.toBe(Monitoring.of(b));
  });
});

describe('Monitoring subscribers warning', () => {
  test('warns cdk-bulwark:monitoring:no-subscribers when nobody subscribes', () => {
    const stack = newStack({}, undefined, false);
    new Monitoring(stack, 'M');
    Annotations.fromStack(stack).hasWarning('/TestStack/M', Match.stringLikeRegexp(NO_SUBSCRIBERS));
  });

  test('does not warn when an email subscription is added', () => {
    const stack = newStack({}, undefined, false);
    new Monitoring(stack, 'M', { emailAddresses: ['ops@example.com'] });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp(NO_SUBSCRIBERS));
  });

  test('does not warn when addEmailSubscription is called after construction', () => {
    const stack = newStack({}, undefined, false);
    const monitoring = new Monitoring(stack, 'M');
    monitoring.addEmailSubscription('ops@example.com');
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp(NO_SUBSCRIBERS));
  });

  test('under the recommended flags an unacknowledged warning fails synthesis; acknowledging it lets synthesis pass', () => {
    const unacknowledged = newStack(FLAG_SETS['recommended feature flags'], undefined, false);
    new Monitoring(unacknowledged, 'M');
    expect(() => Template.fromStack(unacknowledged)).toThrow(/Nobody is subscribed to the alarm topic/);

    const acknowledged = newStack(FLAG_SETS['recommended feature flags'], undefined, false);
    new Monitoring(acknowledged, 'M');
    CdkAnnotations.of(acknowledged).acknowledgeWarning(NO_SUBSCRIBERS, 'subscribed outside this app');
    expect(() => Template.fromStack(acknowledged)).not.toThrow();
  });

  test('does not warn for a topic brought by the user (its subscriptions are theirs)', () => {
    const stack = newStack({}, undefined, false);
    new Monitoring(stack, 'M', { alarmTopic: new sns.Topic(stack, 'MyTopic') });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp(NO_SUBSCRIBERS));
  });
});

describe.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('Monitoring email subscriptions (%s)', (profile) => {
  const regulated = profile === ComplianceProfile.REGULATED;
  let stack: Stack;
  let monitoring: Monitoring;
  let template: Template;

  beforeAll(() => {
    stack = newStack({}, profile, false);
    monitoring = new Monitoring(stack, 'M', { emailAddresses: ['ops@example.com'] });
    monitoring.addEmailSubscription('oncall@example.com');
    template = Template.fromStack(stack);
  });

  test('each address is an email subscription with a RedrivePolicy to the subscription dead-letter queue', () => {
    const dlqArn = stack.resolve(monitoring.subscriptionDeadLetterQueue!.queueArn);
    for (const address of ['ops@example.com', 'oncall@example.com']) {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        TopicArn: stack.resolve(monitoring.alarmTopic.topicArn),
        Protocol: 'email',
        Endpoint: address,
        RedrivePolicy: { deadLetterTargetArn: dlqArn },
      });
    }
  });

  test('the subscriptions share one dead-letter queue', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.resourceCountIs('AWS::SQS::Queue', 1);
  });

  test('the subscription dead-letter queue keeps messages 14 days, is TLS-only and retained', () => {
    const dlq = monitoring.subscriptionDeadLetterQueue!;
    expectProperties(template, dlq, { MessageRetentionPeriod: FOURTEEN_DAYS });
    expect(resourceOf(template, dlq).DeletionPolicy).toBe('Retain');
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [stack.resolve(dlq.queueUrl)],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('SNS may send failed deliveries of the alarm topic to the dead-letter queue', () => {
    const dlq = monitoring.subscriptionDeadLetterQueue!;
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [stack.resolve(dlq.queueUrl)],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Principal: { Service: 'sns.amazonaws.com' },
          Condition: { ArnEquals: { 'aws:SourceArn': stack.resolve(monitoring.alarmTopic.topicArn) } },
        })]),
      },
    });
  });

  test('the subscription dead-letter queue is alarmed through the topic', () => {
    const topicArn = stack.resolve(monitoring.alarmTopic.topicArn);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: stack.resolve(monitoring.subscriptionDeadLetterQueue!.queueName) }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicArn],
      OKActions: [topicArn],
    });
    expect(monitoring.alarms).toHaveLength(1);
  });

  if (regulated) {
    test('the subscription dead-letter queue is encrypted with the failure-path key, whose policy lets SNS use it', () => {
      const key = failurePathKeyOf(stack);
      expectProperties(template, monitoring.subscriptionDeadLetterQueue!, { KmsMasterKeyId: stack.resolve(key.keyArn) });
      const statement = keyStatementFor(template, key, 'sns.amazonaws.com');
      expect([statement.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    });
  } else {
    test('the subscription dead-letter queue uses SQS-managed SSE (no key policy needed for SNS)', () => {
      expectProperties(template, monitoring.subscriptionDeadLetterQueue!, { SqsManagedSseEnabled: true, KmsMasterKeyId: Match.absent() });
    });
  }
});

describe('Monitoring overrides and bring-your-own', () => {
  test('dashboardEnabled: false creates no dashboard and addSection does nothing', () => {
    const stack = newStack({}, undefined, false);
    const monitoring = new Monitoring(stack, 'M', { dashboardEnabled: false, emailAddresses: ['ops@example.com'] });
    monitoring.addSection('Nothing', new cloudwatch.TextWidget({ markdown: 'x' }));
    expect(monitoring.dashboard).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });

  test('addSection adds a heading and the widgets to the dashboard', () => {
    const stack = newStack({}, undefined, false);
    const monitoring = new Monitoring(stack, 'M', { emailAddresses: ['ops@example.com'] });
    monitoring.addSection('Orders', new cloudwatch.TextWidget({ markdown: 'orders widget' }));
    const body = JSON.stringify(Template.fromStack(stack).toJSON().Resources[logicalIdOf(monitoring.dashboard!)].Properties.DashboardBody);
    expect(body).toContain('## Orders');
    expect(body).toContain('orders widget');
  });

  test('a provided key encrypts the topic, gets the CloudWatch statement, and no stack key is created', () => {
    const stack = newStack({}, undefined, false);
    const key = new kms.Key(stack, 'MyKey', { enableKeyRotation: true });
    const monitoring = new Monitoring(stack, 'M', { key, emailAddresses: ['ops@example.com'] });
    const template = Template.fromStack(stack);
    expectProperties(template, monitoring.alarmTopic, { KmsMasterKeyId: stack.resolve(key.keyArn) });
    expect(stack.node.tryFindChild('BulwarkStackKey')).toBeUndefined();
    expect(stack.node.tryFindChild('BulwarkFailurePathKey')).toBeUndefined();
    template.resourceCountIs('AWS::KMS::Key', 1);
    keyStatementFor(template, key, 'cloudwatch.amazonaws.com');
  });

  test('a provided key from outside the app cannot get the statement: a warning says what to allow', () => {
    const stack = newStack({}, undefined, false);
    const key = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555');
    new Monitoring(stack, 'M', { key, emailAddresses: ['ops@example.com'] });
    Annotations.fromStack(stack).hasWarning('/TestStack/M', Match.stringLikeRegexp('cdk-bulwark:key-policy:CloudWatchAlarms'));
  });

  test('a provided alarm topic is used: no topic, key or topic policy is created', () => {
    const stack = newStack({}, undefined, false);
    const topic = new sns.Topic(stack, 'MyTopic');
    const monitoring = new Monitoring(stack, 'M', { alarmTopic: topic });
    const registered = alarm(stack, 'Registered');
    monitoring.addAlarm(registered);
    const template = Template.fromStack(stack);
    expect(monitoring.alarmTopic).toBe(topic);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::SNS::TopicPolicy', 0);
    template.resourceCountIs('AWS::KMS::Key', 0);
    expectProperties(template, registered, { AlarmActions: [stack.resolve(topic.topicArn)], OKActions: [stack.resolve(topic.topicArn)] });
  });

  test('a topic is created when alarmTopic is absent', () => {
    const stack = newStack({}, undefined, false);
    const monitoring = new Monitoring(stack, 'M', { emailAddresses: ['ops@example.com'] });
    expect(monitoring.alarmTopic).toBe(monitoring.node.findChild('AlarmTopic'));
  });

  test('an alarm description of exactly 1,024 characters is accepted', () => {
    const stack = newStack({}, undefined, false);
    const monitoring = new Monitoring(stack, 'M');
    expect(() => monitoring.addAlarm(alarm(stack, 'Long', 'x'.repeat(1024)))).not.toThrow();
  });

  test('two Monitoring constructs in one stack do not collide; the first is the stack\'s', () => {
    const stack = newStack({}, undefined, false);
    const first = new Monitoring(stack, 'First', { emailAddresses: ['a@example.com'] });
    const second = new Monitoring(stack, 'Second', { emailAddresses: ['b@example.com'], key: new kms.Key(stack, 'SecondKey', { enableKeyRotation: true }) });
    const template = Template.fromStack(stack);
    expect(Monitoring.of(stack)).toBe(first);
    template.resourceCountIs('AWS::SNS::Topic', 2);
    expect(stack.resolve(first.alarmTopic.topicArn)).not.toEqual(stack.resolve(second.alarmTopic.topicArn));
  });
});

describe('Monitoring invalid input', () => {
  const cases: Array<[string, (stack: Stack) => MonitoringProps, string]> = [
    ['an email address without @', () => ({ emailAddresses: ['not-an-email'] }),
      'email address is \'not-an-email\'; it must look like name@example.com'],
    ['an email address with spaces', () => ({ emailAddresses: ['ops team@example.com'] }),
      'email address is \'ops team@example.com\'; it must look like name@example.com'],
    ['an empty email address', () => ({ emailAddresses: [''] }),
      'email address is \'\'; it must look like name@example.com'],
    ['key and alarmTopic', (s) => ({ alarmTopic: new sns.Topic(s, 'T'), key: new kms.Key(s, 'K') }),
      'key encrypts the created alarm topic; it cannot be given together with alarmTopic'],
    // From JavaScript nothing else refuses a misspelled prop: nobody would be notified.
    ['a misspelled prop', () => ({ emailAdresses: ['ops@example.com'] } as MonitoringProps),
      'emailAdresses is ["ops@example.com"]; MonitoringProps has no such property (did you mean emailAddresses?)'],
    ["Python's snake_case", () => ({ dashboard_enabled: false } as MonitoringProps),
      'dashboard_enabled is false; MonitoringProps has no such property (did you mean dashboardEnabled?)'],
  ];

  test.each(cases)('%s', (_name, makeProps, message) => {
    const build = () => {
      const stack = newStack({}, undefined, false);
      new Monitoring(stack, 'M', makeProps(stack));
    };
    expect(build).toThrow(new RegExp(`^Monitoring 'TestStack/M': ${escapeRegExp(message)}`));
    expect(build).not.toThrow(TypeError);
  });

  test('addEmailSubscription on a brought topic', () => {
    const build = () => {
      const stack = newStack({}, undefined, false);
      new Monitoring(stack, 'M', { alarmTopic: new sns.Topic(stack, 'T') }).addEmailSubscription('ops@example.com');
    };
    expect(build).toThrow(/^Monitoring 'TestStack\/M': addEmailSubscription\(\) subscribes to the created alarm topic; subscribe to your own alarmTopic directly/);
    expect(build).not.toThrow(TypeError);
  });

  test('addEmailSubscription with a bad address', () => {
    const build = () => new Monitoring(newStack({}, undefined, false), 'M').addEmailSubscription('ops@example');
    expect(build).toThrow(/^Monitoring 'TestStack\/M': email address is 'ops@example'; it must look like name@example.com/);
    expect(build).not.toThrow(TypeError);
  });

  test('an alarm description over 1,024 characters', () => {
    const build = () => {
      const stack = newStack({}, undefined, false);
      new Monitoring(stack, 'M').addAlarm(alarm(stack, 'Long', 'x'.repeat(1025)));
    };
    expect(build).toThrow(/^Monitoring 'TestStack\/M': the description of alarm TestStack\/Long is 1025 characters; CloudWatch allows at most 1024/);
    expect(build).not.toThrow(TypeError);
  });

  test('an unknown compliance profile in context', () => {
    const build = () => {
      const stack = newStack({}, undefined, false);
      stack.node.setContext('cdk-bulwark:complianceProfile', 'STRICT');
      new Monitoring(stack, 'M');
    };
    expect(build).toThrow(/^Monitoring 'TestStack\/M': context value 'cdk-bulwark:complianceProfile' is 'STRICT'; it must be one of STANDARD, REGULATED/);
    expect(build).not.toThrow(TypeError);
  });
});

// DESIGN.md, "Failure paths survive the failure they report". A disabled or deleted stack key makes
// every function, queue and topic that uses it fail (KMS errors); the alarms about those failures,
// the failed emails of the alarms and the failed asynchronous events must still be delivered and
// kept. So none of them is encrypted with the stack key; they share the failure-path key, which
// encrypts nothing else.
describe.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('failure paths do not depend on the stack key (%s)', (profile) => {
  let stack: Stack;
  let monitoring: Monitoring;
  let fn: SecureFunction;
  let template: Template;

  beforeAll(() => {
    stack = newStack({}, profile);
    monitoring = new Monitoring(stack, 'M', { emailAddresses: ['ops@example.com'] });
    fn = new SecureFunction(stack, 'Fn', { code: INLINE_CODE, handler: 'index.handler' });
    new SecureTopic(stack, 'Topic'); // uses the stack key in both profiles
    template = Template.fromStack(stack);
  });

  test('the alarm topic, its subscription dead-letter queue and the async-failure queue use the failure-path key', () => {
    const failureKeyArn = stack.resolve(failurePathKeyOf(stack).keyArn);
    expectProperties(template, monitoring.alarmTopic, { KmsMasterKeyId: failureKeyArn });
    expectProperties(template, asyncFailureQueueOf(stack), { KmsMasterKeyId: failureKeyArn });
    if (profile === ComplianceProfile.REGULATED) {
      expectProperties(template, monitoring.subscriptionDeadLetterQueue!, { KmsMasterKeyId: failureKeyArn });
    } else {
      expectProperties(template, monitoring.subscriptionDeadLetterQueue!, { KmsMasterKeyId: Match.absent(), SqsManagedSseEnabled: true });
    }
    expect(stack.resolve(stackKeyOf(stack).keyArn)).not.toEqual(failureKeyArn);
  });

  test('the failure-path key encrypts nothing else', () => {
    const ref = JSON.stringify(stack.resolve(failurePathKeyOf(stack).keyArn));
    const users = Object.entries<any>(template.toJSON().Resources)
      .filter(([, r]) => r.Type !== 'AWS::IAM::ManagedPolicy' && r.Type !== 'AWS::IAM::Policy' && JSON.stringify(r.Properties ?? {}).includes(ref))
      .map(([id]) => id)
      .sort();
    const expected = [monitoring.alarmTopic, asyncFailureQueueOf(stack)];
    if (profile === ComplianceProfile.REGULATED) {
      expected.push(monitoring.subscriptionDeadLetterQueue!);
    }
    expect(users).toEqual(expected.map((c) => logicalIdOf(c)).sort());
  });

  test('the stack key does not admit CloudWatch alarms: no alarm depends on it', () => {
    const statements: any[] = resourceOf(template, stackKeyOf(stack)).Properties.KeyPolicy.Statement;
    expect(statements.filter((st) => JSON.stringify(st.Principal ?? {}).includes('cloudwatch.amazonaws.com'))).toEqual([]);
    keyStatementFor(template, failurePathKeyOf(stack), 'cloudwatch.amazonaws.com');
  });

  test('the function may use the failure-path key only through SQS, for the async-failure queue', () => {
    const statements = statementsOf(template, fn.role);
    expect(actionsOn(statements, stack.resolve(failurePathKeyOf(stack).keyArn))).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });
});
