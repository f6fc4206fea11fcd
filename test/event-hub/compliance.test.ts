import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as expected from './expected-acknowledgements.json';
import { ComplianceProfile, Monitoring, QueueWorker, SecureFunction } from '../../src';
// Imported from their modules, not the index: src/index.ts exports them once the maintainers add the lines.
import { EventHub } from '../../src/event-hub/event-hub';
import { HubTarget } from '../../src/event-hub/hub-target';
import { FLAG_SETS, INLINE_CODE, testApp, testStack } from '../support/app';
import { complianceReport, COMPLIANCE_CONTEXT, failingFindings, lines } from '../support/compliance';

const ARN = {
  stateMachine: 'arn:aws:states:eu-west-1:123456789012:stateMachine:fulfil',
  bus: 'arn:aws:events:eu-west-1:210987654321:event-bus/analytics',
};

/** Prop sets every profile is checked with. */
const SCENARIOS: Record<string, (stack: Stack, profile: ComplianceProfile) => void> = {
  minimal: (stack, profile) => {
    new EventHub(stack, 'Hub', { complianceProfile: profile });
  },
  maximal: (stack, profile) => {
    const monitoring = new Monitoring(stack, 'Monitoring', { complianceProfile: profile, emailAddresses: ['oncall@example.com'] });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const fn = new SecureFunction(stack, 'Fn', { code: INLINE_CODE, handler: 'index.handler', complianceProfile: profile, monitoring });
    const worker = new QueueWorker(stack, 'Worker', {
      complianceProfile: profile, monitoring, handlerProps: { code: INLINE_CODE, handler: 'index.handler' },
    });
    const fifoWorker = new QueueWorker(stack, 'FifoWorker', {
      complianceProfile: profile, monitoring, fifo: true, contentBasedDeduplication: true, handlerProps: { code: INLINE_CODE, handler: 'index.handler' },
    });
    const hub = new EventHub(stack, 'Hub', {
      complianceProfile: profile,
      monitoring,
      key,
      publisherAccountIds: ['111122223333', '444455556666'],
      archiveRetention: Duration.days(90),
      retryAttempts: 20,
      maxEventAge: Duration.hours(2),
      routes: [{
        id: 'Paid',
        eventPattern: { source: ['shop.orders'], detailType: ['OrderPaid'], detail: { total: events.Match.greaterThan(0) } },
        targets: [
          HubTarget.lambdaFunction(fn.lambdaFunction),
          HubTarget.queue(worker.queue),
          HubTarget.queue(fifoWorker.queue, { messageGroupId: 'orders' }),
          HubTarget.stateMachine(sfn.StateMachine.fromStateMachineArn(stack, 'Fulfil', ARN.stateMachine)),
          HubTarget.topic(new sns.Topic(stack, 'Notifications', { masterKey: key, enforceSSL: true })),
        ],
        description: 'Paid orders',
        retryAttempts: 5,
        maxEventAge: Duration.minutes(30),
      }],
      alarms: {
        deadLetterQueueMessages: { threshold: 1, evaluationPeriods: 2, datapointsToAlarm: 1 },
        failedInvocations: { threshold: 2 },
        invocationsSentToDlq: { period: Duration.minutes(1) },
        scheduleInvocationsFailedToBeSentToDlq: { enabled: false },
      },
    });
    hub.addRoute('Forward', {
      eventPattern: { source: events.Match.prefix('shop.') },
      targets: [HubTarget.eventBus(events.EventBus.fromEventBusArn(stack, 'Analytics', ARN.bus))],
      separateDeadLetterQueue: true,
      enabled: false,
    });
    hub.addSchedule('Nightly', {
      schedule: scheduler.ScheduleExpression.cron({ minute: '0', hour: '2' }),
      target: HubTarget.queue(worker.queue),
      input: scheduler.ScheduleTargetInput.fromObject({ job: 'reconcile' }),
      description: 'Nightly reconciliation',
      timeWindow: scheduler.TimeWindow.flexible(Duration.minutes(15)),
      retryAttempts: 3,
      maxEventAge: Duration.hours(1),
    });
    hub.addSchedule('Once', {
      schedule: scheduler.ScheduleExpression.expression('at(2030-01-01T00:00:00)'),
      target: HubTarget.lambdaFunction(fn.lambdaFunction),
    });
  },
};

const PROFILES = [ComplianceProfile.STANDARD, ComplianceProfile.REGULATED];
const CASES = Object.entries(FLAG_SETS).flatMap(([flagSet, flags]) =>
  PROFILES.flatMap((profile) => Object.keys(SCENARIOS).map((scenario) => ({ flagSet, flags, profile, scenario }))));

describe('EventHub compliance', () => {
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

  test('the hub\'s only acknowledgements are its dead-letter queues, in every profile and prop set', () => {
    const keys = PROFILES.flatMap((profile) => Object.keys(SCENARIOS).map((scenario) => `${profile} ${scenario}`));
    const hubAcks = keys.flatMap((key) => (expected as Record<string, string[]>)[key]).filter((line) => line.includes('@ Hub/'));
    expect(hubAcks.length).toBeGreaterThan(0);
    for (const line of hubAcks) {
      expect(line).toMatch(/^(AwsSolutions-SQS3|Serverless-SQSRedrivePolicy) @ Hub\/(Routes\/\w+\/)?DeadLetterQueue\/Resource$/);
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
