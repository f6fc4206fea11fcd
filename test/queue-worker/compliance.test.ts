import { SCENARIOS } from './compliance-scenarios';
import * as expected from './expected-acknowledgements.json';
import { ComplianceProfile } from '../../src';
import { FLAG_SETS, testApp, testStack } from '../support/app';
import { complianceReport, COMPLIANCE_CONTEXT, describeCompliance, lines } from '../support/compliance';

describeCompliance('QueueWorker', SCENARIOS, expected as Record<string, string[]>, FLAG_SETS);

test('STANDARD reports, and does not hide, the trade-offs REGULATED fixes', () => {
  const app = testApp({}, { context: COMPLIANCE_CONTEXT });
  SCENARIOS.minimal.build(testStack(app), ComplianceProfile.STANDARD);

  const report = complianceReport(app);

  const regulatedOnly = report.findings.filter((f) => !['AwsSolutions', 'Serverless'].includes(f.source));
  expect(lines(regulatedOnly)).toEqual([
    'HIPAA.Security-CloudWatchLogGroupEncrypted @ Worker/Handler/LogGroup/Resource',
    'HIPAA.Security-IAMNoInlinePolicy @ Worker/Handler/ServiceRole/DefaultPolicy/Resource',
    'HIPAA.Security-LambdaConcurrency @ Worker/Handler/Function/Resource',
    'HIPAA.Security-LambdaInsideVPC @ Worker/Handler/Function/Resource',
    'NIST.800.53.R5-CloudWatchLogGroupEncrypted @ Worker/Handler/LogGroup/Resource',
    'NIST.800.53.R5-IAMNoInlinePolicy @ Worker/Handler/ServiceRole/DefaultPolicy/Resource',
    'NIST.800.53.R5-LambdaConcurrency @ Worker/Handler/Function/Resource',
    'NIST.800.53.R5-LambdaInsideVPC @ Worker/Handler/Function/Resource',
    'PCI.DSS.321-CloudWatchLogGroupEncrypted @ Worker/Handler/LogGroup/Resource',
    'PCI.DSS.321-IAMNoInlinePolicy @ Worker/Handler/ServiceRole/DefaultPolicy/Resource',
    'PCI.DSS.321-LambdaInsideVPC @ Worker/Handler/Function/Resource',
  ]);
});
