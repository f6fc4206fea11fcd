import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SCENARIOS } from './compliance-scenarios';
import * as expected from './expected-acknowledgements.json';
import { ComplianceProfile, SecureTopic } from '../../src';
import { FLAG_SETS, testApp, testStack } from '../support/app';
import { complianceReport, COMPLIANCE_CONTEXT, describeCompliance, failingFindings, lines } from '../support/compliance';

describeCompliance('SecureTopic', SCENARIOS, expected as Record<string, string[]>, FLAG_SETS);

describe('SecureTopic compliance, beyond the matrix', () => {
  test('a dead-letter queue of your own is not acknowledged: its findings stay visible', () => {
    const app = testApp({}, { context: COMPLIANCE_CONTEXT });
    const stack = testStack(app);
    const topic = new SecureTopic(stack, 'Topic');
    const subscriber = new sqs.Queue(stack, 'Subscriber', { enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED });
    const deadLetterQueue = new sqs.Queue(stack, 'MyDeadLetterQueue', { enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED });
    topic.subscribeQueue('Q', subscriber, { deadLetterQueue });

    const report = complianceReport(app);

    expect(lines(failingFindings(report, ComplianceProfile.STANDARD)).filter((l) => l.includes('MyDeadLetterQueue'))).toEqual([
      'AwsSolutions-SQS3 @ MyDeadLetterQueue/Resource',
      'Serverless-SQSRedrivePolicy @ MyDeadLetterQueue/Resource',
    ]);
    expect(lines(report.acknowledgements)).toEqual([]);
  });

  test('STANDARD leaves no HIPAA, NIST or PCI finding on the topic and its dead-letter queues', () => {
    const app = testApp({}, { context: COMPLIANCE_CONTEXT });
    const stack = testStack(app);
    const topic = new SecureTopic(stack, 'Topic', { complianceProfile: ComplianceProfile.STANDARD });
    topic.subscribeQueue('Q', new sqs.Queue(stack, 'Subscriber', { enforceSSL: true }));

    const report = complianceReport(app);

    expect(lines(report.findings.filter((f) => f.path.startsWith('Topic/')))).toEqual([]);
  });
});
