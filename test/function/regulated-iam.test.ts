import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ComplianceProfile, SecureFunction } from '../../src';
import { INLINE_CODE, testStack } from '../support/app';

const HANDLER = { code: INLINE_CODE, handler: 'index.handler' };

describe('REGULATED grants policies stay within IAM\'s 6,144-character limit', () => {
  let stack: Stack;
  let template: Template;
  beforeAll(() => {
    stack = testStack();
    const fn = new SecureFunction(stack, 'Fn', { ...HANDLER, complianceProfile: ComplianceProfile.REGULATED });
    for (let i = 0; i < 40; i++) {
      new sqs.Queue(stack, `Queue${i}`).grantSendMessages(fn);
    }
    template = Template.fromStack(stack);
  });

  test('grants are split across several managed policies, none with an inline policy', () => {
    const grants = Object.entries(template.findResources('AWS::IAM::ManagedPolicy')).filter(([id]) => id.includes('GrantsPolicy'));
    expect(grants.length).toBeGreaterThan(1);
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('each policy, with every reference deployed as a realistic ARN, is under the limit', () => {
    const arn = 'arn:aws:sqs:eu-west-1:123456789012:TestStack-Queue12345678ABCDEFGH-abcdefghijkl';
    for (const policy of Object.values(template.findResources('AWS::IAM::ManagedPolicy'))) {
      const deployed = JSON.stringify(policy.Properties.PolicyDocument, (_k, v) =>
        v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && /^(Ref|Fn::)/.test(Object.keys(v)[0]) ? arn : v);
      expect(deployed.length).toBeLessThan(6144);
    }
  });
});

describe('alarm options are checked against CloudWatch\'s rules', () => {
  test.each([
    ['a negative threshold', { errors: { threshold: -1 } }, 'alarms.errors.threshold is -1; it must be a number of 0 or more'],
    ['a NaN threshold', { errors: { threshold: NaN } }, 'alarms.errors.threshold is NaN; it must be a number of 0 or more'],
    ['a 7-second period', { errors: { period: Duration.seconds(7) } }, 'alarms.errors.period is 7 seconds; CloudWatch takes 10 seconds, 30 seconds or a multiple of 60 seconds'],
    ['more than a day of 30-minute periods', { throttles: { period: Duration.minutes(30), evaluationPeriods: 49 } },
      "alarms.throttles: period (30 minutes) x evaluationPeriods (49) exceeds CloudWatch's 1 day for this period"],
    ['more than 7 days of daily periods', { errors: { period: Duration.days(2), evaluationPeriods: 4 } },
      "alarms.errors: period (2 days) x evaluationPeriods (4) exceeds CloudWatch's 7 days for this period"],
  ])('%s', (_name, alarms, message) => {
    const build = () => new SecureFunction(testStack(), 'Fn', { ...HANDLER, alarms });
    expect(build).toThrow(`SecureFunction 'TestStack/Fn': ${message}`);
  });
});

describe('the shared network\'s flow-log role', () => {
  test('only this account\'s flow logs may assume it, and the flow log waits for its policy', () => {
    const stack = testStack();
    new SecureFunction(stack, 'Fn', { ...HANDLER, complianceProfile: ComplianceProfile.REGULATED });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': '123456789012' },
            ArnLike: { 'aws:SourceArn': stack.resolve(`arn:${stack.partition}:ec2:eu-west-1:123456789012:vpc-flow-log/*`) },
          },
        }],
      },
    });
    const flowLog = Object.values(template.findResources('AWS::EC2::FlowLog'))[0];
    const policies = Object.keys(template.findResources('AWS::IAM::ManagedPolicy')).filter((id) => id.includes('FlowLogRole'));
    expect(policies).toHaveLength(1);
    expect(flowLog.DependsOn).toEqual(expect.arrayContaining(policies));
  });
});
