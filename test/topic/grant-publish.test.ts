import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SecureTopic } from '../../src';
import { testApp, testStack } from '../support/app';
import { COMPLIANCE_CONTEXT, complianceReport, lines } from '../support/compliance';

/**
 * grantPublish to a principal without an identity policy: the topic policy and the key policy admit
 * it. The key statement must not name the topic (the topic is encrypted with the key: a cycle that
 * CloudFormation rejects, F3004).
 */
describe.each([
  ['another account', () => new iam.AccountPrincipal('111111111111'), {}],
  // A service principal is scoped to the account it acts for (test/private/service-grants.test.ts).
  ['a service principal', () => new iam.ServicePrincipal('s3.amazonaws.com'), { 'aws:SourceAccount': '123456789012' }],
])('grantPublish to %s', (_name, principal, scope) => {
  test('synthesizes without a dependency cycle and admits the principal on topic and key', () => {
    const app = testApp({}, { context: COMPLIANCE_CONTEXT });
    const stack = testStack(app);
    const topic = new SecureTopic(stack, 'Events');
    topic.subscribeQueue('Sink', new sqs.Queue(stack, 'Sink', { enforceSSL: true }));
    topic.grantPublish(principal());

    const report = complianceReport(app);
    expect(lines(report.cfnValidate)).toEqual([]);

    const template = Template.fromStack(stack);
    const keyId = stack.getLogicalId(topic.key.node.defaultChild as any);
    const statements: any[] = template.toJSON().Resources[keyId].Properties.KeyPolicy.Statement;
    const expected = Object.fromEntries(Object.entries(stack.resolve(principal().policyFragment.principalJson) as Record<string, unknown[]>)
      .map(([k, v]) => [k, v.length === 1 ? v[0] : v]));
    const publisher = statements.filter((s) => JSON.stringify(s.Principal) === JSON.stringify(expected));
    expect(publisher).toHaveLength(1);
    expect(publisher[0].Action).toEqual(['kms:GenerateDataKey', 'kms:Decrypt']);
    expect(publisher[0].Condition).toEqual({ StringEquals: { ...scope, 'kms:ViaService': 'sns.eu-west-1.amazonaws.com' } });
  });
});
