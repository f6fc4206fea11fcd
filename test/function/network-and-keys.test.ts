import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ComplianceProfile, SecureFunction } from '../../src';
import { INLINE_CODE, testStack } from '../support/app';

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
