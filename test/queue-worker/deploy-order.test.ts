import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ComplianceProfile, QueueWorker } from '../../src';
import { INLINE_CODE, testStack } from '../support/app';

/**
 * CloudFormation creates an SQS event source mapping only if the function's role can already
 * receive from the queue ("The provided execution role does not have permissions to call
 * ReceiveMessage on SQS"). Nothing is deployed here, so the ordering is asserted on the template.
 */
describe.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('%s: the event source mapping is created after its permissions', (profile) => {
  let template: Template;
  let stack: Stack;
  let worker: QueueWorker;
  beforeAll(() => {
    stack = testStack();
    worker = new QueueWorker(stack, 'Worker', { complianceProfile: profile, handlerProps: { code: INLINE_CODE, handler: 'index.handler' } });
    template = Template.fromStack(stack);
  });

  test('the policy with sqs:ReceiveMessage on the queue precedes the mapping, directly or through the function', () => {
    const resources = template.toJSON().Resources as Record<string, { Type: string; DependsOn?: string[]; Properties: any }>;
    const queueArn = stack.resolve(worker.queue.queueArn);
    const grantingPolicies = Object.entries(resources)
      .filter(([, r]) => ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].includes(r.Type))
      .filter(([, r]) => (r.Properties.PolicyDocument.Statement as any[]).some((s) =>
        [s.Action].flat().includes('sqs:ReceiveMessage') && JSON.stringify(s.Resource) === JSON.stringify(queueArn)))
      .map(([id]) => id);
    expect(grantingPolicies).toHaveLength(1);

    const [mappingId, mapping] = Object.entries(resources).find(([, r]) => r.Type === 'AWS::Lambda::EventSourceMapping')!;
    const functionId = mapping.Properties.FunctionName.Ref as string;
    const before = new Set([...(mapping.DependsOn ?? []), functionId, ...(resources[functionId].DependsOn ?? [])]);
    expect({ mapping: mappingId, precededBy: before.has(grantingPolicies[0]) }).toEqual({ mapping: mappingId, precededBy: true });
  });
});
