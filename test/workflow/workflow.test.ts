import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { PASS_DEFINITION } from './compliance-scenarios';
import { ComplianceProfile, EventHub, HubTarget, SecureFunction, Workflow, WorkflowProps } from '../../src';
import { INLINE_CODE, newStack } from '../support/app';
import { actionsOn, definitionOf, expectProperties, logicalIdOf, resourceOf, stackKeyOf, statementsOf } from '../support/template';

const HANDLER = { code: INLINE_CODE, handler: 'index.handler' };
const PASS = sfn.DefinitionBody.fromString(PASS_DEFINITION);

function workflow(stack: Stack, props: Partial<WorkflowProps> = {}, id = 'Workflow'): Workflow {
  return new Workflow(stack, id, { definitionBody: PASS, ...props });
}

describe('Workflow defaults', () => {
  const stack = newStack();
  const wf = workflow(stack);
  const template = Template.fromStack(stack);

  test('execution logs at level ALL, without execution data, to a retained vended-logs log group with a retention', () => {
    expectProperties(template, wf.stateMachine, {
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: stack.resolve(wf.logGroup.logGroupArn) } }],
      },
      TracingConfiguration: { Enabled: true },
      EncryptionConfiguration: Match.absent(),
    });
    const logGroup = resourceOf(template, wf.logGroup);
    // Ends in the stack id's UUID: a retained log group of a fixed name would block the next deployment.
    const [prefix, stackUuid] = logGroup.Properties.LogGroupName['Fn::Join'][1];
    expect(prefix).toMatch(/^\/aws\/vendedlogs\/states\/TestStack-Workflow-[A-Za-z0-9]+-$/);
    expect(stackUuid).toEqual({ 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] });
    expect(logGroup.Properties.RetentionInDays).toBe(365);
    // A fixed name: retained, but deleted if the deployment that creates it rolls back (a retry would find it in the way).
    expect(logGroup.DeletionPolicy).toBe('RetainExceptOnCreate');
  });

  test('a Standard execution times out after 24 hours unless told otherwise', () => {
    expect(wf.timeout.toHours()).toBe(24);
    expect(definitionOf(wf.stateMachine).TimeoutSeconds).toBe(86400);
  });

  test('its own role: only this account\'s Step Functions may assume it', () => {
    const role = resourceOf(template, wf.role);
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: { Service: 'states.amazonaws.com' },
      Condition: {
        StringEquals: { 'aws:SourceAccount': '123456789012' },
        ArnLike: { 'aws:SourceArn': stack.resolve(`arn:${stack.partition}:states:eu-west-1:123456789012:stateMachine:*`) },
      },
    }]);
  });

  test('the base policy holds only the log-delivery and X-Ray actions that need Resource *, and the state machine waits for it', () => {
    const base = wf.node.findChild('BasePolicy') as iam.ManagedPolicy;
    const statements = resourceOf(template, base).Properties.PolicyDocument.Statement;
    expect(statements.map((s: any) => [s.Sid, s.Resource])).toEqual([
      ['LogDeliveryHasNoResourceLevelPermissions', '*'],
      ['XRayHasNoResourceLevelPermissions', '*'],
    ]);
    expect(resourceOf(template, wf.stateMachine).DependsOn).toContain(logicalIdOf(base));
  });

  test('four alarms (failed, timed out, aborted, throttled) under the Alarms child, each to the alarm topic', () => {
    expect(wf.alarms.map((a) => a.node.path)).toEqual(['ExecutionsFailedAlarm', 'ExecutionsTimedOutAlarm', 'ExecutionsAbortedAlarm',
      'ExecutionThrottledAlarm'].map((id) => `TestStack/Workflow/Alarms/${id}`));
    for (const [alarm, metric] of [[wf.alarms[0], 'ExecutionsFailed'], [wf.alarms[3], 'ExecutionThrottled']] as const) {
      expectProperties(template, alarm, {
        MetricName: metric,
        Namespace: 'AWS/States',
        Statistic: 'Sum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [Match.anyValue()],
        Dimensions: [{ Name: 'StateMachineArn', Value: stack.resolve(wf.stateMachine.stateMachineArn) }],
      });
    }
  });
});

describe('Workflow in REGULATED', () => {
  const stack = newStack({}, ComplianceProfile.REGULATED);
  const wf = workflow(stack);
  const template = Template.fromStack(stack);
  const keyArn = stack.resolve(stackKeyOf(stack).keyArn);

  test('the definition, executions and logs are encrypted with the stack key', () => {
    expect(wf.key).toBe(stackKeyOf(stack));
    expectProperties(template, wf.stateMachine, {
      EncryptionConfiguration: { Type: 'CUSTOMER_MANAGED_KMS_KEY', KmsKeyId: keyArn, KmsDataKeyReusePeriodSeconds: 300 },
    });
    expect(resourceOf(template, wf.logGroup).Properties.KmsKeyId).toEqual(keyArn);
  });

  // Step Functions developer guide, "Data at rest encryption"
  // (https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html): the execution role
  // uses the key for the executions and for what it delivers to CloudWatch Logs, and the key policy
  // lets the log delivery service decrypt.
  test('deploy-time trap: the role may use the key for this account\'s state machines and their logs; log delivery may decrypt', () => {
    const statements = statementsOf(template, wf.role);
    expect(statements.filter((s) => JSON.stringify(s.Resource) === JSON.stringify(keyArn)).map((s) => [s.Sid, s.Action, s.Condition])).toEqual([
      ['EncryptExecutions', ['kms:Decrypt', 'kms:GenerateDataKey'],
        { ArnLike: { 'kms:EncryptionContext:aws:states:stateMachineArn': stack.resolve(`arn:${stack.partition}:states:eu-west-1:123456789012:stateMachine:*`) } }],
      ['EncryptExecutionLogs', 'kms:GenerateDataKey',
        { StringEquals: { 'kms:EncryptionContext:SourceArn': stack.resolve(`arn:${stack.partition}:logs:eu-west-1:123456789012:*`) } }],
    ]);
    const keyPolicy = resourceOf(template, stackKeyOf(stack)).Properties.KeyPolicy.Statement;
    expect(keyPolicy).toContainEqual(expect.objectContaining({
      Sid: 'AllowLogDeliveryToReadEncryptedStateMachineLogs',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: 'kms:Decrypt',
    }));
  });

  test('the role keeps its tasks\' grants in customer-managed policies', () => {
    const own = newStack({}, ComplianceProfile.REGULATED);
    const fn = new SecureFunction(own, 'Step', HANDLER);
    const withTask = workflow(own, { definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(own, 'Invoke', { lambdaFunction: fn.lambdaFunction })) });
    const ownTemplate = Template.fromStack(own);
    const roleName = JSON.stringify(own.resolve(withTask.role.roleName));
    expect(Object.values(ownTemplate.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles).includes(roleName))).toEqual([]);
    const grants = withTask.role.node.findChild('GrantsPolicy') as iam.ManagedPolicy;
    expect(resourceOf(ownTemplate, grants).Properties.PolicyDocument.Statement[0].Action).toBe('lambda:InvokeFunction');
  });
});

describe('grants', () => {
  test.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('%s: grantStartExecution, and the key only through Step Functions for this state machine', (profile) => {
    const stack = newStack({}, profile);
    const wf = workflow(stack);
    const fn = new SecureFunction(stack, 'Starter', HANDLER);
    wf.grantStartExecution(fn);
    const template = Template.fromStack(stack);
    const statements = statementsOf(template, fn.role);
    expect(actionsOn(statements, stack.resolve(wf.stateMachine.stateMachineArn))).toEqual(['states:StartExecution']);
    const forExecutions = statements.filter((s) => JSON.stringify(s.Condition ?? {}).includes('aws:states:stateMachineArn'));
    if (profile === ComplianceProfile.STANDARD) {
      expect(forExecutions).toEqual([]);
    } else {
      const onKey = statements.filter((s) => JSON.stringify(s.Resource) === JSON.stringify(stack.resolve(stackKeyOf(stack).keyArn)));
      expect(onKey.map((s) => [s.Action, s.Condition])).toEqual([['kms:GenerateDataKey', {
        StringEquals: { 'kms:ViaService': 'states.eu-west-1.amazonaws.com', 'kms:EncryptionContext:aws:states:stateMachineArn': stack.resolve(wf.stateMachine.stateMachineArn) },
      }]]);
    }
  });

  test('grantRead decrypts, grantTaskResponse and grantStartSyncExecution both', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const wf = workflow(stack, { stateMachineType: sfn.StateMachineType.EXPRESS });
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    const worker = new iam.Role(stack, 'Worker', { assumedBy: new iam.AccountRootPrincipal() });
    wf.grantRead(reader);
    wf.grantTaskResponse(worker);
    wf.grantStartSyncExecution(worker);
    const template = Template.fromStack(stack);
    const keyActions = (role: iam.IRole) => statementsOf(template, role)
      .filter((s) => JSON.stringify(s.Resource) === JSON.stringify(stack.resolve(stackKeyOf(stack).keyArn))).flatMap((s) => [s.Action].flat());
    expect(keyActions(reader)).toEqual(['kms:Decrypt']);
    expect(keyActions(worker).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });

  // Starting an execution of a state machine encrypted with a customer-managed key encrypts its
  // input: the role that starts it needs kms:GenerateDataKey (Step Functions developer guide,
  // "Data at rest encryption"), for EventBridge rules and Scheduler schedules as for anyone.
  test('deploy-time trap: an EventHub route and schedule to an encrypted workflow may use its key for it', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const wf = workflow(stack);
    const hub = new EventHub(stack, 'Hub');
    const route = hub.addRoute('Start', { eventPattern: { source: ['shop'] }, targets: [HubTarget.stateMachine(wf.stateMachine)] });
    const schedule = hub.addSchedule('Nightly', {
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)),
      target: HubTarget.stateMachine(wf.stateMachine),
    });
    const template = Template.fromStack(stack);
    for (const role of [route.role!, schedule.role]) {
      const keyArn = JSON.stringify(stack.resolve(stackKeyOf(stack).keyArn));
      const statement = statementsOf(template, role).find((s) => JSON.stringify(s.Resource) === keyArn);
      expect(JSON.parse(JSON.stringify(statement)))
        .toMatchObject(JSON.parse(JSON.stringify({
          Action: 'kms:GenerateDataKey',
          Condition: {
            StringEquals: {
              'kms:ViaService': 'states.eu-west-1.amazonaws.com',
              'kms:EncryptionContext:aws:states:stateMachineArn': stack.resolve(wf.stateMachine.stateMachineArn),
            },
          },
        })));
    }
  });

  test('a state machine without a customer-managed key: no key statement for the route', () => {
    const stack = newStack();
    const wf = workflow(stack);
    const route = new EventHub(stack, 'Hub').addRoute('Start', { eventPattern: { source: ['shop'] }, targets: [HubTarget.stateMachine(wf.stateMachine)] });
    const template = Template.fromStack(stack);
    expect(statementsOf(template, route.role!).flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith('kms:'))).toEqual([]);
  });
});

describe('definitions', () => {
  test('a chainable: its tasks\' grants go to the role\'s own policy, not the base policy', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Step', HANDLER);
    const wf = new Workflow(stack, 'Workflow', {
      definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(stack, 'Invoke', { lambdaFunction: fn.lambdaFunction })),
      timeout: Duration.minutes(30),
    });
    const template = Template.fromStack(stack);
    const defaultPolicy = wf.role.node.findChild('DefaultPolicy') as iam.Policy;
    expect(resourceOf(template, defaultPolicy).Properties.PolicyDocument.Statement[0].Action).toBe('lambda:InvokeFunction');
    expect(definitionOf(wf.stateMachine).TimeoutSeconds).toBe(1800);
  });

  test('a string: TimeoutSeconds written in when it sets none; its own is kept', () => {
    const stack = newStack();
    const express = workflow(stack, { stateMachineType: sfn.StateMachineType.EXPRESS }, 'Express');
    expect(definitionOf(express.stateMachine).TimeoutSeconds).toBe(300);
    const ownTimeout = sfn.DefinitionBody.fromString(JSON.stringify({ ...JSON.parse(PASS_DEFINITION), TimeoutSeconds: 60 }));
    const own = workflow(stack, { definitionBody: ownTimeout }, 'Own');
    expect(definitionOf(own.stateMachine).TimeoutSeconds).toBe(60);
    expectProperties(Template.fromStack(stack), express.stateMachine, { StateMachineType: 'EXPRESS' });
  });

  test('a string with references from the app: checked, and the timeout written in as its first field, the rest unchanged', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Step', HANDLER);
    const text = JSON.stringify({ StartAt: 'Call', States: { Call: { Type: 'Task', Resource: fn.lambdaFunction.functionArn, End: true } } });
    const wf = workflow(stack, { definitionBody: sfn.DefinitionBody.fromString(text), timeout: Duration.minutes(10) });
    expect(definitionOf(wf.stateMachine)).toEqual({ TimeoutSeconds: 600, StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'REF', End: true } } });
    expect(wf.timeout.toMinutes()).toBe(10);
    const express = text.replace('"Resource":', '"Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","Unused":');
    expect(() => workflow(stack, { stateMachineType: sfn.StateMachineType.EXPRESS, definitionBody: sfn.DefinitionBody.fromString(express) }, 'Express'))
      .toThrow('Express workflows do not support');
  });

  test('a definition\'s own TimeoutSeconds is the workflow\'s timeout; a substitution may stand for a number', () => {
    const stack = newStack();
    const text = '{"StartAt":"Wait","TimeoutSeconds":120,"States":{"Wait":{"Type":"Wait","Seconds":${Delay},"End":true}}}';
    const wf = workflow(stack, { definitionBody: sfn.DefinitionBody.fromString(text), definitionSubstitutions: { Delay: '5' } });
    expect(wf.timeout.toSeconds()).toBe(120);
    expectProperties(Template.fromStack(stack), wf.stateMachine, { DefinitionString: text, DefinitionSubstitutions: { Delay: '5' } });
  });

  test('a file: read and checked at synthesis, inlined (no asset)', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wf-')), 'definition.asl.json');
    fs.writeFileSync(file, PASS_DEFINITION);
    const stack = newStack();
    const wf = workflow(stack, { definitionBody: sfn.DefinitionBody.fromFile(file) });
    expect(definitionOf(wf.stateMachine)).toEqual({ TimeoutSeconds: 86400, ...JSON.parse(PASS_DEFINITION) });
    expectProperties(Template.fromStack(stack), wf.stateMachine, { DefinitionS3Location: Match.absent() });
  });

  test('substitutions and a name pass through', () => {
    const stack = newStack();
    const wf = workflow(stack, { stateMachineName: 'orders-fulfilment', definitionSubstitutions: { Table: 'orders' } });
    expectProperties(Template.fromStack(stack), wf.stateMachine, { StateMachineName: 'orders-fulfilment', DefinitionSubstitutions: { Table: 'orders' } });
  });

  test('Express: a fifth alarm on the p90 execution time, close to the five-minute limit', () => {
    const stack = newStack();
    const wf = workflow(stack, { stateMachineType: sfn.StateMachineType.EXPRESS, alarms: { executionTimeP90: { maxLatency: Duration.minutes(3) } } });
    const template = Template.fromStack(stack);
    expect(wf.alarms).toHaveLength(5);
    expectProperties(template, wf.alarms[4], { MetricName: 'ExecutionTime', ExtendedStatistic: 'p90', Threshold: 180000 });
  });

  test('two workflows in one stack do not collide', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const a = workflow(stack, {}, 'A');
    const b = workflow(stack, {}, 'B');
    const template = Template.fromStack(stack);
    expect(template.findResources('AWS::StepFunctions::StateMachine')).toEqual(expect.objectContaining({
      [logicalIdOf(a.stateMachine)]: expect.anything(), [logicalIdOf(b.stateMachine)]: expect.anything(),
    }));
    expect(resourceOf(template, a.logGroup).Properties.LogGroupName).not.toEqual(resourceOf(template, b.logGroup).Properties.LogGroupName);
  });

  test('a log group of yours outside /aws/vendedlogs/ gets a warning (the log-delivery resource policy has a size limit)', () => {
    const stack = newStack();
    workflow(stack, { logGroup: new logs.LogGroup(stack, 'MyLogGroup', { logGroupName: 'orders-workflow' }) }, 'Named');
    workflow(stack, { logGroup: logs.LogGroup.fromLogGroupName(stack, 'Imported', '/aws/vendedlogs/states/orders') }, 'Vended');
    Template.fromStack(stack);
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cdk-bulwark:workflow:log-group-name'));
    expect(warnings.map((w) => w.id)).toEqual(['/TestStack/Named']);
    expect(String(warnings[0].entry.data)).toContain("logs to the log group 'orders-workflow', whose name does not start with /aws/vendedlogs/");
  });

  test('a log group, role and key of your own are used', () => {
    const stack = newStack();
    const logGroup = new logs.LogGroup(stack, 'Mine', { logGroupName: '/aws/vendedlogs/states/mine' });
    const role = new iam.Role(stack, 'MyRole', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    const key = new kms.Key(stack, 'MyKey', { enableKeyRotation: true });
    const wf = workflow(stack, { logGroup, role, key, logExecutionData: true });
    const template = Template.fromStack(stack);
    expect(wf.role).toBe(role);
    expectProperties(template, wf.stateMachine, {
      RoleArn: stack.resolve(role.roleArn),
      LoggingConfiguration: Match.objectLike({
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: stack.resolve(logGroup.logGroupArn) } }],
      }),
      EncryptionConfiguration: Match.objectLike({ KmsKeyId: stack.resolve(key.keyArn) }),
    });
    expect(wf.node.tryFindChild('LogGroup')).toBeUndefined();
  });
});

describe('bad input fails at synthesis, naming the construct, the prop and the value', () => {
  const sync = () => JSON.stringify({ StartAt: 'Job', States: { Job: { Type: 'Task', Resource: 'arn:aws:states:::glue:startJobRun.sync', End: true } } });
  const invalid: Array<[string, (stack: Stack) => void, string | RegExp]> = [
    ['no definitionBody', (s) => new Workflow(s, 'Workflow', {} as any), "Workflow 'TestStack/Workflow': definitionBody is undefined; it must be a DefinitionBody"],
    ['a definition as a plain object', (s) => workflow(s, { definitionBody: { StartAt: 'x' } as any }), /definitionBody is \{.*\}; it must be a DefinitionBody/],
    ['a definition string that is not JSON', (s) => workflow(s, { definitionBody: sfn.DefinitionBody.fromString('StartAt: Pass') }),
      /the definition string is not valid JSON \(.*\); it must be an Amazon States Language definition/],
    ['an empty definition', (s) => workflow(s, { definitionBody: sfn.DefinitionBody.fromString('{"StartAt":"A","States":{}}') }),
      'the definition string has no states: an Amazon States Language definition needs a non-empty States object'],
    ['StartAt that is not a state', (s) => workflow(s, { definitionBody: sfn.DefinitionBody.fromString('{"StartAt":"B","States":{"A":{"Type":"Pass","End":true}}}') }),
      "the definition string starts at 'B', which is not one of its states (A)"],
    ['a definition file that does not exist', (s) => workflow(s, { definitionBody: sfn.DefinitionBody.fromFile('no/such/definition.json') }),
      "definitionBody is 'no/such/definition.json'; no such file"],
    ['a timeout of 0', (s) => workflow(s, { timeout: Duration.seconds(0) }), 'timeout is 0 seconds'],
    ['a Standard timeout over a year', (s) => workflow(s, { timeout: Duration.days(366) }), 'timeout is 366 days'],
    ['an Express timeout over five minutes', (s) => workflow(s, { stateMachineType: sfn.StateMachineType.EXPRESS, timeout: Duration.minutes(6) }),
      'timeout is 6 minutes'],
    ['a timeout and the definition\'s own TimeoutSeconds', (s) => workflow(s, {
      timeout: Duration.minutes(1), definitionBody: sfn.DefinitionBody.fromString('{"StartAt":"A","TimeoutSeconds":5,"States":{"A":{"Type":"Pass","End":true}}}'),
    }), 'sets its own TimeoutSeconds (5); give one or the other'],
    ['Express with a .sync task (string)', (s) => workflow(s, { stateMachineType: sfn.StateMachineType.EXPRESS, definitionBody: sfn.DefinitionBody.fromString(sync()) }),
      /stateMachineType is 'EXPRESS'; the definition string uses what Express workflows do not support .*: Job \(arn:aws:states:::glue:startJobRun.sync\)/],
    ['Express with a callback task (chainable)', (s) => workflow(s, {
      stateMachineType: sfn.StateMachineType.EXPRESS,
      definitionBody: sfn.DefinitionBody.fromChainable(new tasks.SqsSendMessage(s, 'Ask', {
        queue: new sqs.Queue(s, 'Q'),
        messageBody: sfn.TaskInput.fromObject({ token: sfn.JsonPath.taskToken }),
        integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      })),
    }), /Express workflows do not support .*Ask \(.*sqs:sendMessage.waitForTaskToken\)/],
    ['Express with an activity (string)', (s) => workflow(s, {
      stateMachineType: sfn.StateMachineType.EXPRESS,
      definitionBody: sfn.DefinitionBody.fromString(
        '{"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:eu-west-1:123456789012:activity:approve","End":true}}}'),
    }),
    /Express workflows do not support .*Ask \(arn:aws:states:eu-west-1:123456789012:activity:approve\)/],
    ['Express with an activity (chainable)', (s) => workflow(s, {
      stateMachineType: sfn.StateMachineType.EXPRESS,
      definitionBody: sfn.DefinitionBody.fromChainable(new tasks.StepFunctionsInvokeActivity(s, 'Approve', { activity: new sfn.Activity(s, 'Approval') })),
    }), /Express workflows do not support .*Approve/],
    ['Express with a Distributed Map', (s) => workflow(s, {
      stateMachineType: sfn.StateMachineType.EXPRESS,
      definitionBody: sfn.DefinitionBody.fromString(JSON.stringify({
        StartAt: 'Each',
        States: {
          Each: {
            Type: 'Map',
            End: true,
            ItemProcessor: {
              ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
              StartAt: 'P',
              States: { P: { Type: 'Pass', End: true } },
            },
          },
        },
      })),
    }), /Express workflows do not support .*Each \(a Distributed Map\)/],
    ['a definition\'s own TimeoutSeconds out of range', (s) => workflow(s, {
      stateMachineType: sfn.StateMachineType.EXPRESS,
      definitionBody: sfn.DefinitionBody.fromString(
        '{"StartAt":"A","TimeoutSeconds":600,"States":{"A":{"Type":"Pass","End":true}}}'),
    }),
    'the definition string sets TimeoutSeconds to 600; it must be a whole number of seconds from 1 to 300 (5 minutes)'],
    ['a timeout for a definition known only at deploy time', (s) => workflow(s, {
      definitionBody: sfn.DefinitionBody.fromString(Fn.sub('{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}')), timeout: Duration.minutes(5),
    }), 'a definition known only at deploy time cannot have it written in'],
    ['an invalid name', (s) => workflow(s, { stateMachineName: 'orders fulfilment' }), "stateMachineName is 'orders fulfilment'; it must be 1 to 80 letters"],
    ['a type that is not a StateMachineType', (s) => workflow(s, { stateMachineType: 'EXPRES' as any }), "stateMachineType is 'EXPRES'; it must be a StateMachineType value"],
    ['a retention that never expires', (s) => workflow(s, { logRetention: logs.RetentionDays.INFINITE }), 'logRetention is'],
    ['a log group and a retention', (s) => workflow(s, { logGroup: new logs.LogGroup(s, 'L'), logRetention: logs.RetentionDays.ONE_WEEK }),
      'a brought logGroup keeps its own retention'],
    ['the Express alarm on a Standard workflow', (s) => workflow(s, { alarms: { executionTimeP90: { maxLatency: Duration.minutes(1) } } }),
      /executionTimeP90.*it is for Express workflows/],
    ['an unknown alarm option', (s) => workflow(s, { alarms: { executionsFailed: { treshold: 1 } as any } }), /treshold/],
    ['an unknown prop', (s) => workflow(s, { definiton: PASS } as any), /definiton .*WorkflowProps has no such property/],
  ];
  test.each(invalid)('%s', (_name, build, message) => {
    const stack = newStack();
    expect(() => build(stack)).toThrow(message);
  });
});
