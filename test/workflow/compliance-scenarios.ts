import { Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { ComplianceProfile, EventHub, HubTarget, Monitoring, SecureFunction, Workflow } from '../../src';
import { INLINE_CODE } from '../support/app';
import { ComplianceScenario } from '../support/compliance';

const HANDLER = { code: INLINE_CODE, handler: 'index.handler' };

/** A definition of one Pass state, as Amazon States Language. */
export const PASS_DEFINITION = JSON.stringify({ StartAt: 'Pass', States: { Pass: { Type: 'Pass', End: true } } });

/** Prop sets every profile is checked with. */
export const SCENARIOS: Record<string, ComplianceScenario> = {
  minimal: {
    warnings: ['cdk-bulwark:monitoring:no-subscribers @ BulwarkMonitoring'],
    build: (stack, profile) => {
      new Workflow(stack, 'Workflow', { complianceProfile: profile, definitionBody: sfn.DefinitionBody.fromString(PASS_DEFINITION) });
    },
  },
  maximal: {
    build: (stack, profile) => {
      const monitoring = new Monitoring(stack, 'Monitoring', { complianceProfile: profile, emailAddresses: ['oncall@example.com'] });
      const fn = new SecureFunction(stack, 'Step', { ...HANDLER, complianceProfile: profile, monitoring });
      const invoke = new tasks.LambdaInvoke(stack, 'Invoke', { lambdaFunction: fn.lambdaFunction, payloadResponseOnly: true });
      const workflow = new Workflow(stack, 'Workflow', {
        complianceProfile: profile,
        monitoring,
        definitionBody: sfn.DefinitionBody.fromChainable(invoke.next(new sfn.Succeed(stack, 'Done'))),
        key: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
        timeout: Duration.hours(2),
        logRetention: logs.RetentionDays.THREE_MONTHS,
        logExecutionData: true,
        alarms: { executionsFailed: { threshold: 1 }, executionThrottled: { enabled: false } },
      });
      const hub = new EventHub(stack, 'Hub', { complianceProfile: profile, monitoring });
      hub.addRoute('Start', { eventPattern: { source: ['shop.orders'] }, targets: [HubTarget.stateMachine(workflow.stateMachine)] });
      workflow.grantStartExecution(new SecureFunction(stack, 'Starter', { ...HANDLER, complianceProfile: profile, monitoring }));
    },
    // CDK's LambdaInvoke lets the role invoke every version and alias of the function: the user's
    // task, so its finding stays visible (DESIGN.md: opt-ins are not acknowledged).
    userFindings: (profile) => [`AwsSolutions-IAM5[Resource::<StepFunction12077BE9.Arn>:*] @ Workflow/Role/${
      profile === ComplianceProfile.REGULATED ? 'GrantsPolicy' : 'DefaultPolicy'}/Resource`],
  },
  express: {
    warnings: ['cdk-bulwark:monitoring:no-subscribers @ BulwarkMonitoring'],
    build: (stack, profile) => {
      new Workflow(stack, 'Workflow', {
        complianceProfile: profile,
        stateMachineType: sfn.StateMachineType.EXPRESS,
        queryLanguage: sfn.QueryLanguage.JSONATA,
        definitionBody: sfn.DefinitionBody.fromChainable(sfn.Pass.jsonata(stack, 'Pass', { outputs: { ok: true } })),
      });
    },
  },
};
