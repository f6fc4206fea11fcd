import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ComplianceProfile, SecureFunction } from '../../src';
import { FLAG_SETS, INLINE_CODE, newStack, testStack } from '../support/app';
import { expectProperties, logicalIdOf, stackKeyOf } from '../support/template';

const HANDLER = { code: INLINE_CODE, handler: 'index.handler' };

describe('a VPC-attached SecureFunction can reach AWS', () => {
  let stack: Stack;
  let fn: SecureFunction;
  let template: Template;
  beforeAll(() => {
    stack = testStack();
    fn = new SecureFunction(stack, 'Fn', { ...HANDLER, complianceProfile: ComplianceProfile.REGULATED });
    template = Template.fromStack(stack);
  });

  test('the shared network has no route to the internet', () => {
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
  });

  test('the function exposes its VPC to add interface endpoints', () => {
    expect(fn.vpc).toBeDefined();
    fn.vpc!.addInterfaceEndpoint('SecretsManager', { service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER });
    expect(fn.vpc!.node.tryFindChild('SecretsManager')).toBeDefined();
  });
});

describe('the dead-letter key grant is scoped to SQS and the one queue', () => {
  test.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('%s', (profile) => {
    const stack = testStack();
    const fn = new SecureFunction(stack, 'Fn', { ...HANDLER, complianceProfile: profile });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'EncryptDeadLetters',
          Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
          Resource: stack.resolve(fn.deadLetterQueue.encryptionMasterKey!.keyArn),
          Condition: {
            StringEquals: {
              'kms:ViaService': 'sqs.eu-west-1.amazonaws.com',
              'kms:EncryptionContext:aws:sqs:arn': stack.resolve(fn.deadLetterQueue.queueArn),
            },
          },
        })]),
      },
    });
  });

  test('connections of a function outside a VPC is a clear error', () => {
    const fn = new SecureFunction(testStack(), 'Fn', HANDLER);
    expect(() => fn.connections).toThrow("SecureFunction 'TestStack/Fn': connections exist only for a function in a VPC");
  });
});

// DESIGN.md, "What good is measured by": log groups without retention, 0. CDK's custom resource that
// closes the shared network's default security group is a plain AWS::Lambda::Function that would log
// to a group Lambda creates on its first run (no retention, no key): it gets one of ours.
describe.each(Object.entries(FLAG_SETS))('every function logs to an explicit log group with a retention (%s)', (_flagSet, flags) => {
  test.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('%s SecureFunction', (profile) => {
    const stack = newStack(flags, profile);
    new SecureFunction(stack, 'Fn', HANDLER);
    const template = Template.fromStack(stack).toJSON();
    const functions = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions.length).toBe(profile === ComplianceProfile.REGULATED ? 2 : 1);
    for (const fn of functions) {
      expect(fn.Properties.LoggingConfig?.LogGroup).toBeDefined();
    }
    const groups = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::Logs::LogGroup');
    for (const group of groups) {
      expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
      expect(group.DeletionPolicy).toBe('Retain');
    }
  });

  test('the default-security-group restriction logs to a retained, encrypted group of the network, created first', () => {
    const stack = newStack(flags, ComplianceProfile.REGULATED);
    new SecureFunction(stack, 'Fn', HANDLER);
    const network = stack.node.findChild('BulwarkNetwork');
    const logGroup = network.node.findChild('DefaultSecurityGroupRestrictionLogGroup') as logs.LogGroup;
    const template = Template.fromStack(stack);
    expectProperties(template, logGroup, { RetentionInDays: 365, KmsKeyId: stack.resolve(stackKeyOf(stack).keyArn) });
    const [handler] = Object.values<any>(template.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp('default security group') },
    }));
    expect(handler.Properties.LoggingConfig).toEqual({ LogGroup: stack.resolve(logGroup.logGroupName) });
    expect(handler.DependsOn).toContain(logicalIdOf(logGroup));
  });
});
