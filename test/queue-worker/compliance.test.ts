import { Duration, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as expected from './expected-acknowledgements.json';
import { ComplianceProfile, Monitoring, QueueWorker } from '../../src';
import { FLAG_SETS, INLINE_CODE, testApp, testStack } from '../support/app';
import { complianceReport, COMPLIANCE_CONTEXT, failingFindings, lines } from '../support/compliance';

/** Prop sets every profile is checked with. */
const SCENARIOS: Record<string, (stack: Stack, profile: ComplianceProfile) => void> = {
  minimal: (stack, profile) => {
    new QueueWorker(stack, 'Worker', {
      complianceProfile: profile,
      handlerProps: { code: INLINE_CODE, handler: 'index.handler' },
    });
  },
  maximal: (stack, profile) => {
    const monitoring = new Monitoring(stack, 'Monitoring', { complianceProfile: profile, emailAddresses: ['oncall@example.com'] });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new QueueWorker(stack, 'Worker', {
      complianceProfile: profile,
      monitoring,
      key,
      visibilityTimeout: Duration.minutes(10),
      retentionPeriod: Duration.days(7),
      maxReceiveCount: 8,
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(20),
      maxConcurrency: 20,
      alarms: {
        oldestMessageAge: { maxAge: Duration.minutes(5), evaluationPeriods: 3, datapointsToAlarm: 2 },
        handlerErrors: { threshold: 5 },
      },
      handlerProps: {
        code: INLINE_CODE,
        handler: 'index.handler',
        description: 'Processes orders',
        memorySize: 1024,
        timeout: Duration.seconds(60),
        environment: { TABLE: 'orders' },
        applicationLogLevel: lambda.ApplicationLogLevel.DEBUG,
        logRetention: logs.RetentionDays.SIX_MONTHS,
        reservedConcurrentExecutions: 25,
        asyncRetryAttempts: 1,
        asyncMaxEventAge: Duration.hours(1),
      },
    });
  },
  fifo: (stack, profile) => {
    new QueueWorker(stack, 'Worker', {
      complianceProfile: profile,
      fifo: true,
      contentBasedDeduplication: true,
      batchSize: 5,
      handlerProps: { code: INLINE_CODE, handler: 'index.handler' },
    });
  },
};

const PROFILES = [ComplianceProfile.STANDARD, ComplianceProfile.REGULATED];
const CASES = Object.entries(FLAG_SETS).flatMap(([flagSet, flags]) =>
  PROFILES.flatMap((profile) => Object.keys(SCENARIOS).map((scenario) => ({ flagSet, flags, profile, scenario }))));

describe('QueueWorker compliance', () => {
  test.each(CASES)('$profile, $scenario props, $flagSet', ({ flags, profile, scenario }) => {
    const app = testApp(flags, { context: COMPLIANCE_CONTEXT });
    const stack = testStack(app);
    SCENARIOS[scenario](stack, profile);

    const report = complianceReport(app);

    expect(lines(failingFindings(report, profile))).toEqual([]);
    expect(lines(report.unusedAcknowledgements)).toEqual([]);
    // The only warning: nobody subscribes to the alarm topic unless the scenario adds an email.
    expect(lines(report.warnings)).toEqual(scenario === 'maximal' ? [] : ['cdk-bulwark:monitoring:no-subscribers @ BulwarkMonitoring']);
    expect(lines(report.acknowledgements)).toEqual((expected as Record<string, string[]>)[`${profile} ${scenario}`]);
    // Every acknowledgement says which of the four classes it belongs to.
    for (const ack of report.acknowledgements) {
      expect(ack.reason).toMatch(/^\[(false positive|AWS requirement or limit|pack conflict or harmful remedy|priced feature)\] \S/);
    }
  });

  test('STANDARD reports, and does not hide, the trade-offs REGULATED fixes', () => {
    const app = testApp({}, { context: COMPLIANCE_CONTEXT });
    const stack = testStack(app);
    SCENARIOS.minimal(stack, ComplianceProfile.STANDARD);

    const report = complianceReport(app);

    expect(lines(report.findings.filter((f) => f.source === 'HIPAA.Security'))).toEqual([
      'HIPAA.Security-CloudWatchLogGroupEncrypted @ Worker/Handler/LogGroup/Resource',
      'HIPAA.Security-IAMNoInlinePolicy @ Worker/Handler/ServiceRole/DefaultPolicy/Resource',
      'HIPAA.Security-LambdaConcurrency @ Worker/Handler/Function/Resource',
      'HIPAA.Security-LambdaInsideVPC @ Worker/Handler/Function/Resource',
    ]);
  });
});
