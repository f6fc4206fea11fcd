import { Aws, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ComplianceProfile, Monitoring, SecureFunction, SecureFunctionProps } from '../../src';
import { FLAG_SETS, FOURTEEN_DAYS, INLINE_CODE, newStack } from '../support/app';
import { actionsOn, asyncFailureQueueOf, escapeRegExp, expectProperties, failurePathKeyOf, keyStatementFor, logicalIdOf, resourceOf, stackKeyOf, statementsOf } from '../support/template';

const HANDLER = { code: INLINE_CODE, handler: 'index.handler' };

const LOG_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
const XRAY_ACTIONS = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const ENI_ACTIONS = ['ec2:AssignPrivateIpAddresses', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface',
  'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:UnassignPrivateIpAddresses'];

describe.each(Object.entries(FLAG_SETS))('SecureFunction defaults (%s)', (_flagSet, flags) => {
  describe.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('%s profile', (profile) => {
    const regulated = profile === ComplianceProfile.REGULATED;
    let stack: Stack;
    let fn: SecureFunction;
    let template: Template;

    beforeAll(() => {
      stack = newStack(flags, profile);
      fn = new SecureFunction(stack, 'Fn', HANDLER);
      template = Template.fromStack(stack);
    });

    test('the function runs on ARM64', () => {
      expectProperties(template, fn.lambdaFunction, { Architectures: ['arm64'] });
    });

    test('the runtime is pinned to nodejs24.x', () => {
      expectProperties(template, fn.lambdaFunction, { Runtime: 'nodejs24.x' });
    });

    test('memory is 512 MB and the timeout 30 s', () => {
      expectProperties(template, fn.lambdaFunction, { MemorySize: 512, Timeout: 30 });
      expect(fn.timeout.toSeconds()).toBe(30);
    });

    test('X-Ray tracing is active', () => {
      expectProperties(template, fn.lambdaFunction, { TracingConfig: { Mode: 'Active' } });
    });

    test('logs are JSON (INFO, system WARN) to its own log group', () => {
      expect(fn.logGroup).toBe(fn.node.findChild('LogGroup'));
      expectProperties(template, fn.lambdaFunction, {
        LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'WARN', LogGroup: stack.resolve(fn.logGroup.logGroupName) },
      });
    });

    test('the log group keeps logs one year and is retained', () => {
      expectProperties(template, fn.logGroup, { RetentionInDays: 365 });
      const resource = resourceOf(template, fn.logGroup);
      expect(resource.DeletionPolicy).toBe('Retain');
      expect(resource.UpdateReplacePolicy).toBe('Retain');
    });

    test('the role is its own, assumed by Lambda, without AWS-managed policies', () => {
      expect(fn.role).toBe(fn.node.findChild('ServiceRole'));
      expect(fn.grantPrincipal).toBe(fn.role);
      expectProperties(template, fn.lambdaFunction, { Role: stack.resolve(fn.role.roleArn) });
      expectProperties(template, fn.role, {
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } })] },
        ManagedPolicyArns: Match.absent(),
        Policies: Match.absent(),
      });
    });

    test('a managed policy lets the role write only to its own log group', () => {
      const managed = statementsOf(template, fn.role, ['AWS::IAM::ManagedPolicy']);
      expect(actionsOn(managed, stack.resolve(fn.logGroup.logGroupArn))).toEqual(LOG_ACTIONS);
      const allActions = statementsOf(template, fn.role).flatMap((s) => [s.Action].flat());
      expect(allActions.filter((a) => a.startsWith('logs:'))).toEqual(LOG_ACTIONS);
    });

    test('only X-Ray (and, in a VPC, network interface) actions have a * resource', () => {
      const expected = regulated ? [...ENI_ACTIONS, ...XRAY_ACTIONS].sort() : XRAY_ACTIONS;
      expect(actionsOn(statementsOf(template, fn.role), '*')).toEqual(expected);
    });

    test('failed asynchronous invocations go to the stack\'s async-failure queue', () => {
      const asyncQueue = asyncFailureQueueOf(stack);
      expect(fn.deadLetterQueue).toBe(asyncQueue);
      expectProperties(template, fn.lambdaFunction, { DeadLetterConfig: { TargetArn: stack.resolve(asyncQueue.queueArn) } });
      expect(actionsOn(statementsOf(template, fn.role), stack.resolve(asyncQueue.queueArn))).toEqual(['sqs:SendMessage']);
    });

    test('the async-failure queue is a standard, TLS-only queue keeping messages 14 days, retained and alarmed', () => {
      const asyncQueue = asyncFailureQueueOf(stack);
      expectProperties(template, asyncQueue, { FifoQueue: Match.absent(), MessageRetentionPeriod: FOURTEEN_DAYS });
      expect(resourceOf(template, asyncQueue).DeletionPolicy).toBe('Retain');
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [stack.resolve(asyncQueue.queueUrl)],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: stack.resolve(asyncQueue.queueName) }],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [stack.resolve(Monitoring.of(stack).alarmTopic.topicArn)],
      });
    });

    test('asynchronous invocations are retried twice within 6 hours', () => {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: stack.resolve(fn.lambdaFunction.functionName),
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 21600,
      });
    });

    test('errors and throttles alarms notify the alarm topic', () => {
      expect(fn.alarms).toHaveLength(2);
      const topicArn = stack.resolve(Monitoring.of(stack).alarmTopic.topicArn);
      for (const metricName of ['Errors', 'Throttles']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: metricName,
          Dimensions: [{ Name: 'FunctionName', Value: stack.resolve(fn.lambdaFunction.functionName) }],
          Threshold: 0,
          Period: 300,
          EvaluationPeriods: 1,
          TreatMissingData: 'notBreaching',
          AlarmActions: [topicArn],
          OKActions: [topicArn],
        });
      }
    });

    test('every alarm description fits CloudWatch\'s 1,024 characters', () => {
      for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
        expect(alarm.Properties.AlarmDescription.length).toBeLessThanOrEqual(1024);
      }
    });

    test('the function starts only after its base policy exists', () => {
      const basePolicy = fn.node.findChild('BasePolicy');
      expect(resourceOf(template, fn.lambdaFunction).DependsOn).toContain(logicalIdOf(basePolicy));
    });

    if (regulated) {
      test('the function reserves 10 concurrent executions', () => {
        expectProperties(template, fn.lambdaFunction, { ReservedConcurrentExecutions: 10 });
        expect(fn.reservedConcurrentExecutions).toBe(10);
      });

      test('environment and log group are encrypted with the stack key', () => {
        const keyArn = stack.resolve(stackKeyOf(stack).keyArn);
        expect(fn.key).toBe(stackKeyOf(stack));
        expectProperties(template, fn.lambdaFunction, { KmsKeyArn: keyArn });
        expectProperties(template, fn.logGroup, { KmsKeyId: keyArn });
      });

      test('the stack key lets CloudWatch Logs use it, scoped by a log-group name pattern (not a log group ARN)', () => {
        const statement = keyStatementFor(template, stackKeyOf(stack), stack.resolve(`logs.${Aws.REGION}.amazonaws.com`));
        expect([statement.Action].flat()).toEqual(expect.arrayContaining(['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*']));
        const pattern = JSON.stringify(statement.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']);
        expect(pattern).toMatch(/:log-group:\*"/);
        expect(pattern).not.toContain(logicalIdOf(fn.logGroup));
      });

      test('the function runs in the shared network\'s isolated subnets', () => {
        const network = stack.node.findChild('BulwarkNetwork') as ec2.Vpc;
        expect(network.isolatedSubnets.length).toBeGreaterThan(0);
        expectProperties(template, fn.lambdaFunction, {
          VpcConfig: {
            SubnetIds: network.isolatedSubnets.map((s) => stack.resolve(s.subnetId)),
            SecurityGroupIds: [stack.resolve((fn.node.findChild('SecurityGroup') as ec2.SecurityGroup).securityGroupId)],
          },
        });
      });

      test('the shared network has no NAT or internet gateway and logs its flows', () => {
        const network = stack.node.findChild('BulwarkNetwork') as ec2.Vpc;
        template.resourceCountIs('AWS::EC2::VPC', 1);
        template.resourceCountIs('AWS::EC2::NatGateway', 0);
        template.resourceCountIs('AWS::EC2::InternetGateway', 0);
        expect(network.publicSubnets).toEqual([]);
        expect(network.privateSubnets).toEqual([]);
        template.hasResourceProperties('AWS::EC2::FlowLog', {
          ResourceId: stack.resolve(network.vpcId),
          ResourceType: 'VPC',
          TrafficType: 'ALL',
        });
      });

      test('the function\'s security group allows only HTTPS out (to any address: gateway endpoints use AWS prefix lists)', () => {
        const group = fn.node.findChild('SecurityGroup') as ec2.SecurityGroup;
        expectProperties(template, group, {
          SecurityGroupEgress: [Match.objectLike({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' })],
        });
      });

      test('the role has no inline policy: every grant is in a managed policy', () => {
        expect(statementsOf(template, fn.role, ['AWS::IAM::Policy'])).toEqual([]);
        const roleRef = JSON.stringify(stack.resolve(fn.role.roleName));
        const inline = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles).includes(roleRef));
        expect(inline).toEqual([]);
        expect(actionsOn(statementsOf(template, fn.role, ['AWS::IAM::ManagedPolicy']), stack.resolve(fn.deadLetterQueue.queueArn))).toEqual(['sqs:SendMessage']);
      });

      test('the async-failure queue is encrypted with the failure-path key, which the role may use to send dead letters', () => {
        const keyArn = stack.resolve(failurePathKeyOf(stack).keyArn);
        expectProperties(template, asyncFailureQueueOf(stack), { KmsMasterKeyId: keyArn });
        expect(actionsOn(statementsOf(template, fn.role), keyArn)).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey']));
      });

      test('a grant to the function lands in a managed policy', () => {
        const other = newStack(flags, profile);
        const f = new SecureFunction(other, 'Fn', HANDLER);
        const bucketArn = 'arn:aws:s3:::example-bucket/*';
        f.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucketArn] }));
        const t = Template.fromStack(other);
        expect(actionsOn(statementsOf(t, f.role, ['AWS::IAM::ManagedPolicy']), bucketArn)).toEqual(['s3:GetObject']);
        expect(statementsOf(t, f.role, ['AWS::IAM::Policy'])).toEqual([]);
      });
    } else {
      test('no VPC, reserved concurrency or customer-managed key in STANDARD', () => {
        expectProperties(template, fn.lambdaFunction, {
          VpcConfig: Match.absent(),
          ReservedConcurrentExecutions: Match.absent(),
          KmsKeyArn: Match.absent(),
        });
        expectProperties(template, fn.logGroup, { KmsKeyId: Match.absent() });
        expect(fn.key).toBeUndefined();
        template.resourceCountIs('AWS::EC2::VPC', 0);
      });

      test('the async-failure queue uses a customer-managed key even in STANDARD (one queue serves both profiles): the failure-path key', () => {
        expectProperties(template, asyncFailureQueueOf(stack), { KmsMasterKeyId: stack.resolve(failurePathKeyOf(stack).keyArn) });
      });

      test('the role may use the failure-path key only to send dead letters, and no stack key is needed', () => {
        expect(actionsOn(statementsOf(template, fn.role), stack.resolve(failurePathKeyOf(stack).keyArn)).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
        expect(stack.node.tryFindChild('BulwarkStackKey')).toBeUndefined();
      });
    }
  });
});

describe('SecureFunction overrides', () => {
  let stack: Stack;
  let template: Template;
  const fns: Record<string, SecureFunction> = {};
  const overrides: Record<string, Partial<SecureFunctionProps>> = {
    Memory: { memorySize: 1024 },
    Timeout: { timeout: Duration.minutes(1) },
    Retention: { logRetention: logs.RetentionDays.ONE_MONTH },
    Runtime: { runtime: lambda.Runtime.NODEJS_22_X },
    Architecture: { architecture: lambda.Architecture.X86_64 },
    Async: { asyncRetryAttempts: 0, asyncMaxEventAge: Duration.hours(1) },
    Reserved: { reservedConcurrentExecutions: 3 },
    LogLevel: { applicationLogLevel: lambda.ApplicationLogLevel.DEBUG },
    Environment: { environment: { TABLE: 'orders' }, description: 'handles orders' },
    Alarms: {
      alarms: { errors: { threshold: 2, evaluationPeriods: 3, datapointsToAlarm: 2, period: Duration.minutes(1) }, throttles: { enabled: false } },
    },
    NoAlarms: { alarms: { errors: { enabled: false }, throttles: { enabled: false } } },
  };

  beforeAll(() => {
    stack = newStack();
    for (const [id, props] of Object.entries(overrides)) {
      fns[id] = new SecureFunction(stack, id, { ...HANDLER, ...props });
    }
    template = Template.fromStack(stack);
  });

  test('memorySize', () => {
    expectProperties(template, fns.Memory.lambdaFunction, { MemorySize: 1024 });
  });

  test('timeout', () => {
    expectProperties(template, fns.Timeout.lambdaFunction, { Timeout: 60 });
    expect(fns.Timeout.timeout.toSeconds()).toBe(60);
  });

  test('logRetention', () => {
    expectProperties(template, fns.Retention.logGroup, { RetentionInDays: 30 });
  });

  test('runtime', () => {
    expectProperties(template, fns.Runtime.lambdaFunction, { Runtime: 'nodejs22.x' });
  });

  test('architecture', () => {
    expectProperties(template, fns.Architecture.lambdaFunction, { Architectures: ['x86_64'] });
  });

  test('asyncRetryAttempts and asyncMaxEventAge', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: stack.resolve(fns.Async.lambdaFunction.functionName),
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 3600,
    });
  });

  test('reservedConcurrentExecutions', () => {
    expectProperties(template, fns.Reserved.lambdaFunction, { ReservedConcurrentExecutions: 3 });
    expect(fns.Reserved.reservedConcurrentExecutions).toBe(3);
  });

  test('applicationLogLevel', () => {
    expectProperties(template, fns.LogLevel.lambdaFunction, { LoggingConfig: { ApplicationLogLevel: 'DEBUG' } });
  });

  test('environment and description (no customer-managed key in STANDARD)', () => {
    expectProperties(template, fns.Environment.lambdaFunction, {
      Environment: { Variables: { TABLE: 'orders' } },
      Description: 'handles orders',
      KmsKeyArn: Match.absent(),
    });
  });

  test('alarm thresholds are tuned and enabled: false removes an alarm', () => {
    const name = stack.resolve(fns.Alarms.lambdaFunction.functionName);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: name }],
      Threshold: 2,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      Period: 60,
    });
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'Throttles', Dimensions: [{ Name: 'FunctionName', Value: name }] }, 0);
    expect(fns.Alarms.alarms).toHaveLength(1);
  });

  test('all alarms can be switched off', () => {
    const name = JSON.stringify(stack.resolve(fns.NoAlarms.lambdaFunction.functionName));
    expect(fns.NoAlarms.alarms).toEqual([]);
    const onFunction = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
      .filter((a) => JSON.stringify(a.Properties.Dimensions ?? []).includes(name));
    expect(onFunction).toEqual([]);
  });

  test('metric methods read the function\'s metrics', () => {
    const fn = fns.Memory;
    const metrics: Array<[cloudwatch.Metric, string]> = [
      [fn.metricErrors(), 'Errors'], [fn.metricThrottles(), 'Throttles'],
      [fn.metricDuration(), 'Duration'], [fn.metricInvocations(), 'Invocations'],
    ];
    for (const [metric, name] of metrics) {
      expect(metric.metricName).toBe(name);
      expect(metric.namespace).toBe('AWS/Lambda');
      expect(stack.resolve(metric.dimensions!.FunctionName)).toEqual(stack.resolve(fn.lambdaFunction.functionName));
    }
  });
});

describe('SecureFunction bring-your-own', () => {
  let stack: Stack;
  let template: Template;
  let vpc: ec2.Vpc;
  let group: ec2.SecurityGroup;
  let logGroup: logs.LogGroup;
  let dlq: sqs.Queue;
  let key: kms.Key;
  let monitoring: Monitoring;
  const fns: Record<string, SecureFunction> = {};

  beforeAll(() => {
    stack = newStack();
    monitoring = new Monitoring(stack, 'MyMonitoring', { emailAddresses: ['ops@example.com'] });
    vpc = new ec2.Vpc(stack, 'MyVpc', {
      natGateways: 0,
      maxAzs: 2,
      subnetConfiguration: [
        { name: 'App', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        { name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ],
    });
    group = new ec2.SecurityGroup(stack, 'MyGroup', { vpc, allowAllOutbound: false });
    logGroup = new logs.LogGroup(stack, 'MyLogGroup', { retention: logs.RetentionDays.ONE_WEEK });
    dlq = new sqs.Queue(stack, 'MyDlq', { enforceSSL: true });
    key = new kms.Key(stack, 'MyKey', { enableKeyRotation: true });
    // Every function brings the dead-letter queue, so the stack's async-failure queue is never needed.
    const common = { ...HANDLER, deadLetterQueue: dlq, monitoring };
    fns.Vpc = new SecureFunction(stack, 'WithVpc', { ...common, vpc });
    fns.Subnets = new SecureFunction(stack, 'WithSubnets', { ...common, vpc, vpcSubnets: { subnetGroupName: 'Data' } });
    fns.Groups = new SecureFunction(stack, 'WithGroups', { ...common, vpc, securityGroups: [group] });
    fns.LogGroup = new SecureFunction(stack, 'WithLogGroup', { ...common, logGroup });
    fns.Key = new SecureFunction(stack, 'WithKey', { ...common, key, environment: { STAGE: 'test' } });
    fns.Regulated = new SecureFunction(stack, 'RegulatedWithVpc', { ...common, vpc, complianceProfile: ComplianceProfile.REGULATED });
    template = Template.fromStack(stack);
  });

  test('a provided vpc is used and the shared network is not created', () => {
    expect(stack.node.tryFindChild('BulwarkNetwork')).toBeUndefined();
    template.resourceCountIs('AWS::EC2::VPC', 1);
    const subnets = vpc.isolatedSubnets.map((s) => stack.resolve(s.subnetId));
    expectProperties(template, fns.Vpc.lambdaFunction, { VpcConfig: { SubnetIds: subnets } });
    expect(actionsOn(statementsOf(template, fns.Vpc.role), '*')).toEqual([...ENI_ACTIONS, ...XRAY_ACTIONS].sort());
  });

  test('in REGULATED a provided vpc replaces the shared network', () => {
    expectProperties(template, fns.Regulated.lambdaFunction, {
      VpcConfig: { SubnetIds: vpc.isolatedSubnets.map((s) => stack.resolve(s.subnetId)) },
      ReservedConcurrentExecutions: 10,
    });
  });

  test('vpcSubnets selects the subnets', () => {
    const data = vpc.selectSubnets({ subnetGroupName: 'Data' }).subnetIds.map((id) => stack.resolve(id));
    expect(data).toHaveLength(2);
    expectProperties(template, fns.Subnets.lambdaFunction, { VpcConfig: { SubnetIds: data } });
  });

  test('provided security groups are used and none is created', () => {
    expect(fns.Groups.node.tryFindChild('SecurityGroup')).toBeUndefined();
    expectProperties(template, fns.Groups.lambdaFunction, { VpcConfig: { SecurityGroupIds: [stack.resolve(group.securityGroupId)] } });
  });

  test('without security groups one is created that allows only HTTPS out', () => {
    const created = fns.Vpc.node.findChild('SecurityGroup') as ec2.SecurityGroup;
    expectProperties(template, created, {
      VpcId: stack.resolve(vpc.vpcId),
      SecurityGroupEgress: [Match.objectLike({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' })],
    });
  });

  test('a provided log group is used, none is created, and the role may write only to it', () => {
    const fn = fns.LogGroup;
    expect(fn.logGroup).toBe(logGroup);
    expect(fn.node.tryFindChild('LogGroup')).toBeUndefined();
    expectProperties(template, fn.lambdaFunction, { LoggingConfig: { LogGroup: stack.resolve(logGroup.logGroupName) } });
    expect(actionsOn(statementsOf(template, fn.role), stack.resolve(logGroup.logGroupArn))).toEqual(LOG_ACTIONS);
  });

  test('a provided dead-letter queue is used and the stack\'s async-failure queue is not created', () => {
    for (const fn of Object.values(fns)) {
      expect(fn.deadLetterQueue).toBe(dlq);
      expectProperties(template, fn.lambdaFunction, { DeadLetterConfig: { TargetArn: stack.resolve(dlq.queueArn) } });
      expect(actionsOn(statementsOf(template, fn.role), stack.resolve(dlq.queueArn))).toEqual(['sqs:SendMessage']);
    }
    expect(stack.node.tryFindChild('BulwarkAsyncFailureQueue')).toBeUndefined();
    template.resourceCountIs('AWS::SQS::Queue', 2); // the provided one and the alarm topic's subscription DLQ
  });

  test('a provided key encrypts environment and log group, and its policy lets CloudWatch Logs use it', () => {
    const fn = fns.Key;
    expect(fn.key).toBe(key);
    expectProperties(template, fn.lambdaFunction, { KmsKeyArn: stack.resolve(key.keyArn) });
    expectProperties(template, fn.logGroup, { KmsKeyId: stack.resolve(key.keyArn) });
    const statement = keyStatementFor(template, key, stack.resolve(`logs.${Aws.REGION}.amazonaws.com`));
    expect(JSON.stringify(statement.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn'])).toMatch(/:log-group:\*"/);
  });

  test('a provided Monitoring gets the alarms and no other is created', () => {
    expect(stack.node.tryFindChild('BulwarkMonitoring')).toBeUndefined();
    template.resourceCountIs('AWS::SNS::Topic', 1);
    const topicArn = stack.resolve(monitoring.alarmTopic.topicArn);
    for (const fn of Object.values(fns)) {
      for (const alarm of fn.alarms) {
        expectProperties(template, alarm as cloudwatch.Alarm, { AlarmActions: [topicArn], OKActions: [topicArn] });
      }
    }
  });
});

describe('SecureFunction invalid input', () => {
  const cases: Array<[string, (stack: Stack) => SecureFunctionProps, string]> = [
    ['memorySize 64', () => ({ ...HANDLER, memorySize: 64 }), 'memorySize is 64; it must be an integer from 128 to 10240'],
    ['memorySize 10241', () => ({ ...HANDLER, memorySize: 10241 }), 'memorySize is 10241; it must be an integer from 128 to 10240'],
    ['timeout 16 minutes', () => ({ ...HANDLER, timeout: Duration.minutes(16) }),
      'timeout is 16 minutes; it must be a whole number of seconds from 1 second to 15 minutes'],
    ['timeout 0 seconds', () => ({ ...HANDLER, timeout: Duration.seconds(0) }),
      'timeout is 0 seconds; it must be a whole number of seconds from 1 second to 15 minutes'],
    ['timeout 1.5 seconds', () => ({ ...HANDLER, timeout: Duration.millis(1500) }),
      'timeout is 1 second 500 millis; it must be a whole number of seconds'],
    ['asyncRetryAttempts 3', () => ({ ...HANDLER, asyncRetryAttempts: 3 }), 'asyncRetryAttempts is 3; it must be an integer from 0 to 2'],
    ['asyncMaxEventAge 30 seconds', () => ({ ...HANDLER, asyncMaxEventAge: Duration.seconds(30) }),
      'asyncMaxEventAge is 30 seconds; it must be a whole number of seconds from 1 minute to 6 hours'],
    ['asyncMaxEventAge 7 hours', () => ({ ...HANDLER, asyncMaxEventAge: Duration.hours(7) }),
      'asyncMaxEventAge is 7 hours; it must be a whole number of seconds from 1 minute to 6 hours'],
    ['reservedConcurrentExecutions 0', () => ({ ...HANDLER, reservedConcurrentExecutions: 0 }),
      'reservedConcurrentExecutions is 0; it must be an integer from 1 to 100000'],
    ['empty handler', () => ({ ...HANDLER, handler: '' }), 'handler is \'\'; it must name the entry point'],
    ['blank handler', () => ({ ...HANDLER, handler: '   ' }), 'handler is \'   \'; it must name the entry point'],
    ['missing code', () => ({ handler: 'index.handler' } as unknown as SecureFunctionProps), 'code is undefined; it is required'],
    ['logGroup and logRetention', (s) => ({ ...HANDLER, logGroup: new logs.LogGroup(s, 'Logs'), logRetention: logs.RetentionDays.ONE_DAY }),
      'logRetention applies to the created log group; it cannot be given together with logGroup'],
    ['vpcSubnets without vpc', () => ({ ...HANDLER, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }),
      'vpcSubnets and securityGroups need vpc; give vpc as well'],
    ['securityGroups without vpc', (s) => ({ ...HANDLER, securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(s, 'Sg', 'sg-12345678')] }),
      'vpcSubnets and securityGroups need vpc; give vpc as well'],
    ['a FIFO deadLetterQueue', (s) => ({ ...HANDLER, deadLetterQueue: new sqs.Queue(s, 'Dlq', { fifo: true }) }),
      'deadLetterQueue is \'TestStack/Dlq\'; it is a FIFO queue; Lambda sends failed asynchronous events only to standard queues'],
    ['alarm evaluationPeriods 0', () => ({ ...HANDLER, alarms: { errors: { evaluationPeriods: 0 } } }),
      'alarms.errors.evaluationPeriods is 0; it must be an integer from 1 to 100'],
    ['a one-letter environment variable', () => ({ ...HANDLER, environment: { A: '1' } }),
      'environment is \'A\'; variable names need 2 or more letters, digits or underscores, starting with a letter'],
    ['a reserved environment variable', () => ({ ...HANDLER, environment: { AWS_REGION: 'eu-west-1' } }),
      'environment is \'AWS_REGION\'; Lambda reserves this variable name; choose another'],
    ['environment over 4 KB', () => ({ ...HANDLER, environment: { BIG: 'x'.repeat(4100) } }),
      'environment takes 4103 bytes; Lambda allows 4 KB in all'],
    ['a handler with a space', () => ({ ...HANDLER, handler: 'index handler' }),
      'handler is \'index handler\'; Lambda takes at most 128 characters without spaces'],
    ['a description over 256 characters', () => ({ ...HANDLER, description: 'd'.repeat(300) }),
      `description is '${'d'.repeat(40)}...'; it has 300 characters; Lambda allows at most 256`],
    // Values Lambda or CloudWatch Logs would reject at deploy time (from JavaScript or Python anything can arrive).
    ['an applicationLogLevel that does not exist', () => ({ ...HANDLER, applicationLogLevel: 'VERBOSE' as lambda.ApplicationLogLevel }),
      'applicationLogLevel is \'VERBOSE\'; it must be a lambda.ApplicationLogLevel value: INFO, DEBUG, WARN, TRACE, ERROR, FATAL'],
    ['a lower-case applicationLogLevel', () => ({ ...HANDLER, applicationLogLevel: 'info' as lambda.ApplicationLogLevel }),
      'applicationLogLevel is \'info\'; it must be a lambda.ApplicationLogLevel value'],
    ['a logRetention that is no CloudWatch retention', () => ({ ...HANDLER, logRetention: 42 as logs.RetentionDays }),
      'logRetention is 42; it must be a logs.RetentionDays value, from ONE_DAY to TEN_YEARS'],
    ['a logRetention given by name', () => ({ ...HANDLER, logRetention: 'ONE_YEAR' as unknown as logs.RetentionDays }),
      'logRetention is \'ONE_YEAR\'; it must be a logs.RetentionDays value, from ONE_DAY to TEN_YEARS'],
    ['logRetention INFINITE', () => ({ ...HANDLER, logRetention: logs.RetentionDays.INFINITE }),
      'logRetention is INFINITE; every log group the library creates expires: choose a logs.RetentionDays value up to TEN_YEARS'],
    ['a runtime given as a string', () => ({ ...HANDLER, runtime: 'nodejs24.x' as unknown as lambda.Runtime }),
      'runtime is \'nodejs24.x\'; it must be a lambda.Runtime, such as lambda.Runtime.NODEJS_24_X'],
    ['an architecture given as a string', () => ({ ...HANDLER, architecture: 'arm64' as unknown as lambda.Architecture }),
      'architecture is \'arm64\'; it must be lambda.Architecture.ARM_64 or lambda.Architecture.X86_64'],
    // Settings that would quietly defeat the protection.
    ['no security groups', (s) => ({ ...HANDLER, vpc: new ec2.Vpc(s, 'Vpc'), securityGroups: [] }),
      'securityGroups is []; give at least one security group, or leave it unset for the function\'s own group that allows only outbound HTTPS'],
    ['a security group id instead of a group', (s) => ({ ...HANDLER, vpc: new ec2.Vpc(s, 'Vpc'), securityGroups: ['sg-12345678' as unknown as ec2.ISecurityGroup] }),
      'securityGroups is \'sg-12345678\'; every entry must be a security group (ec2.ISecurityGroup)'],
    ['a VPC id instead of a VPC', () => ({ ...HANDLER, vpc: 'vpc-12345678' as unknown as ec2.IVpc }),
      'vpc is \'vpc-12345678\'; it must be a VPC (ec2.IVpc)'],
    // From JavaScript nothing else refuses a misspelled prop: the function would keep the default.
    ['a misspelled prop', () => ({ ...HANDLER, logRetension: logs.RetentionDays.ONE_WEEK } as SecureFunctionProps),
      'logRetension is 7; SecureFunctionProps has no such property (did you mean logRetention?)'],
    ["Python's snake_case", () => ({ ...HANDLER, reserved_concurrent_executions: 2 } as SecureFunctionProps),
      'reserved_concurrent_executions is 2; SecureFunctionProps has no such property (did you mean reservedConcurrentExecutions?)'],
    ['a misspelled subnet selection', (s) => ({ ...HANDLER, vpc: new ec2.Vpc(s, 'Vpc'), vpcSubnets: { subnetGroup: 'Data' } as ec2.SubnetSelection }),
      'vpcSubnets.subnetGroup is \'Data\'; ec2.SubnetSelection has no such property'],
  ];

  test.each(cases)('%s', (_name, makeProps, message) => {
    const build = () => {
      const stack = newStack();
      new SecureFunction(stack, 'Fn', makeProps(stack));
    };
    expect(build).toThrow(new RegExp(`^SecureFunction 'TestStack/Fn': ${escapeRegExp(message)}`));
    expect(build).not.toThrow(TypeError);
  });
});

describe('two SecureFunctions in one stack', () => {
  let stack: Stack;
  let a: SecureFunction;
  let b: SecureFunction;
  let template: Template;

  beforeAll(() => {
    stack = newStack({}, ComplianceProfile.REGULATED);
    a = new SecureFunction(stack, 'A', HANDLER);
    b = new SecureFunction(stack, 'B', HANDLER);
    template = Template.fromStack(stack);
  });

  test('each has its own role and log group', () => {
    expect(stack.resolve(a.role.roleArn)).not.toEqual(stack.resolve(b.role.roleArn));
    expect(stack.resolve(a.logGroup.logGroupArn)).not.toEqual(stack.resolve(b.logGroup.logGroupArn));
    expect(actionsOn(statementsOf(template, a.role), stack.resolve(b.logGroup.logGroupArn))).toEqual([]);
  });

  test('they share the stack key, the failure-path key, the network and the async-failure queue (alarmed once)', () => {
    template.resourceCountIs('AWS::KMS::Key', 2);
    template.resourceCountIs('AWS::EC2::VPC', 1);
    expect(a.deadLetterQueue).toBe(b.deadLetterQueue);
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'QueueName', Value: stack.resolve(a.deadLetterQueue.queueName) }],
    }, 1);
  });
});
