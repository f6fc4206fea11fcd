import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { ARN, SCENARIOS } from './compliance-scenarios';
import * as expected from './expected-acknowledgements.json';
import { ComplianceProfile, EventHub, HubTarget } from '../../src';
import { FLAG_SETS, testApp, testStack } from '../support/app';
import { complianceReport, COMPLIANCE_CONTEXT, describeCompliance, lines } from '../support/compliance';

const PROFILES = [ComplianceProfile.STANDARD, ComplianceProfile.REGULATED];

describeCompliance('EventHub', SCENARIOS, expected as Record<string, string[]>, FLAG_SETS);

describe('EventHub compliance, beyond the matrix', () => {
  test('the hub\'s only acknowledgements are its dead-letter queues, in every profile and prop set', () => {
    const keys = PROFILES.flatMap((profile) => Object.keys(SCENARIOS).map((scenario) => `${profile} ${scenario}`));
    const hubAcks = keys.flatMap((key) => (expected as Record<string, string[]>)[key]).filter((line) => line.includes('@ Hub/'));
    expect(hubAcks.length).toBeGreaterThan(0);
    for (const line of hubAcks) {
      expect(line).toMatch(/^(AwsSolutions-SQS3|Serverless-SQSRedrivePolicy) @ Hub\/(Routes\/\w+\/)?DeadLetterQueue\/Resource \(false positive\)$/);
    }
  });

  test('STANDARD reports, and does not hide, the trade-offs REGULATED fixes', () => {
    const app = testApp({}, { context: COMPLIANCE_CONTEXT });
    const stack = testStack(app);
    const hub = new EventHub(stack, 'Hub', { complianceProfile: ComplianceProfile.STANDARD });
    hub.addSchedule('Tick', {
      schedule: scheduler.ScheduleExpression.expression('rate(5 minutes)'),
      target: HubTarget.stateMachine(sfn.StateMachine.fromStateMachineArn(stack, 'Machine', ARN.stateMachine)),
    });

    const report = complianceReport(app);

    // The schedule's role keeps CDK's inline policy in STANDARD; REGULATED uses managed policies.
    expect(lines(report.findings.filter((f) => f.source === 'HIPAA.Security'))).toEqual([
      'HIPAA.Security-IAMNoInlinePolicy @ Hub/Schedules/Tick/Role/DefaultPolicy/Resource',
    ]);
  });
});
