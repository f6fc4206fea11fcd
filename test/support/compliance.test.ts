import { CfnResource, Validations } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { testApp, testStack } from './app';
import { complianceReport, COMPLIANCE_CONTEXT, failingFindings, lines } from './compliance';
import { ComplianceProfile } from '../../src';

// The compliance helper must be able to fail: these tests feed it what it has to catch.
describe('complianceReport', () => {
  function appWithQueue() {
    const app = testApp({}, { context: COMPLIANCE_CONTEXT });
    const stack = testStack(app);
    const queue = new sqs.Queue(stack, 'Plain', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    return { app, stack, queue };
  }

  test('reports cdk-nag findings of a non-compliant resource', () => {
    const { app } = appWithQueue();
    const report = complianceReport(app);
    expect(lines(failingFindings(report, ComplianceProfile.STANDARD))).toEqual(expect.arrayContaining([
      'AwsSolutions-SQS2 @ Plain/Resource',
      'AwsSolutions-SQS3 @ Plain/Resource',
      'AwsSolutions-SQS4 @ Plain/Resource',
    ]));
  });

  test('STANDARD ignores the HIPAA/NIST/PCI findings that REGULATED counts', () => {
    const { app, stack } = appWithQueue();
    new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.ONE_DAY });
    const report = complianceReport(app);
    expect(lines(failingFindings(report, ComplianceProfile.STANDARD))).not.toContain('HIPAA.Security-CloudWatchLogGroupEncrypted @ Logs/Resource');
    expect(lines(failingFindings(report, ComplianceProfile.REGULATED))).toContain('HIPAA.Security-CloudWatchLogGroupEncrypted @ Logs/Resource');
  });

  test('an acknowledgement on the exact resource hides its finding and counts as used', () => {
    const { app, queue } = appWithQueue();
    Validations.of(queue.node.defaultChild as CfnResource).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'test' });
    const report = complianceReport(app);
    expect(lines(report.findings)).not.toContain('AwsSolutions-SQS3 @ Plain/Resource');
    expect(report.unusedAcknowledgements).toEqual([]);
  });

  test('an acknowledgement that matches nothing is reported as unused', () => {
    const { app, queue } = appWithQueue();
    Validations.of(queue.node.defaultChild as CfnResource).acknowledge({ id: 'AwsSolutions-IAM4', reason: 'test' });
    expect(lines(complianceReport(app).unusedAcknowledgements)).toEqual(['AwsSolutions-IAM4 @ Plain/Resource']);
  });

  test('an acknowledgement above the resource is reported as broader than its finding', () => {
    const { app, queue } = appWithQueue();
    Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'test' });
    expect(lines(complianceReport(app).unusedAcknowledgements)).toEqual(['AwsSolutions-SQS3 @ Plain']);
  });

  test('reports CloudFormation Validate findings', () => {
    const { app, queue } = appWithQueue();
    (queue.node.defaultChild as CfnResource).addPropertyOverride('MessageRetentionPeriod', 10);
    expect(lines(complianceReport(app).cfnValidate)).toEqual(['F3034 @ Plain/Resource']);
  });
});
