import { Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { AlarmComparison, AlarmMeasure, AlarmSet, AlarmSpec, ALARMS_ID } from '../../src/private/alarm-set';
import { testStack } from '../support/app';
import { escapeRegExp } from '../support/template';

/** A sink that records what it was given, to prove actions are wired once per alarm. */
class RecordingSink {
  public readonly alarms: cloudwatch.AlarmBase[] = [];
  public addAlarm(alarm: cloudwatch.AlarmBase): void {
    this.alarms.push(alarm);
  }
}

const metric = (period: Duration) => new cloudwatch.Metric({ namespace: 'Test', metricName: 'Things', period });

const COUNT: AlarmSpec = {
  id: 'ThingsAlarm',
  option: 'things',
  measure: AlarmMeasure.COUNT,
  defaults: { threshold: 0, period: Duration.minutes(5), evaluationPeriods: 1 },
  describe: ({ where, alarm }) => `Things of ${where} above ${alarm.threshold}.`,
};
const BELOW: AlarmSpec = {
  id: 'RunningAlarm',
  option: 'running',
  measure: AlarmMeasure.COUNT,
  comparison: AlarmComparison.BELOW,
  treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  defaults: { threshold: 1, period: Duration.minutes(1), evaluationPeriods: 3 },
  describe: ({ where }) => `Fewer things running in ${where} than wanted.`,
};
const RATE: AlarmSpec = {
  id: 'RateAlarm',
  option: 'rate',
  measure: AlarmMeasure.RATE,
  defaults: { threshold: 0.05, period: Duration.minutes(1), evaluationPeriods: 3 },
  describe: () => 'Too many failures.',
};
const AGE: AlarmSpec = {
  id: 'AgeAlarm',
  option: 'age',
  measure: AlarmMeasure.AGE,
  defaults: { maxAge: Duration.minutes(15), period: Duration.minutes(1), evaluationPeriods: 5 },
  describe: ({ alarm }) => `Older than ${alarm.maxAge!.toHumanString()}.`,
};
const LATENCY: AlarmSpec = {
  id: 'LatencyAlarm',
  option: 'latency',
  measure: AlarmMeasure.LATENCY,
  defaults: { maxLatency: Duration.seconds(2), period: Duration.minutes(1), evaluationPeriods: 5 },
  describe: ({ alarm }) => `Slower than ${alarm.threshold} ms.`,
};
const SPECS = [COUNT, BELOW, RATE, AGE, LATENCY];

function setUp(given?: unknown) {
  const stack = testStack();
  const owner = new Construct(stack, 'Owner');
  const sink = new RecordingSink();
  const set = new AlarmSet(owner, () => sink, SPECS, given, { typeName: 'TestAlarmsProps' });
  return { stack, owner, sink, set };
}

function alarmOf(stack: Stack, alarm: cloudwatch.IAlarm | undefined): any {
  expect(alarm).toBeDefined();
  const id = stack.getLogicalId((alarm as cloudwatch.Alarm).node.defaultChild as cloudwatch.CfnAlarm);
  return Template.fromStack(stack).toJSON().Resources[id].Properties;
}

describe('AlarmSet makes each comparison and missing-data mode', () => {
  test('ABOVE with NOT_BREACHING by default', () => {
    const { stack, set } = setUp();
    const props = alarmOf(stack, set.add(COUNT, metric, { where: 'here' }));
    expect(props).toMatchObject({
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      Threshold: 0,
      Period: 300,
      EvaluationPeriods: 1,
      AlarmDescription: 'Things of here above 0.',
    });
  });

  test('BELOW with BREACHING: a heartbeat or a running count that stops is an alarm', () => {
    const { stack, set } = setUp();
    const props = alarmOf(stack, set.add(BELOW, metric, { where: 'the service' }));
    expect(props).toMatchObject({ ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching', Threshold: 1, EvaluationPeriods: 3 });
  });

  test('AGE compares whole seconds, LATENCY whole milliseconds, RATE a share', () => {
    const { stack, set } = setUp({ age: { maxAge: Duration.minutes(2) }, latency: { maxLatency: Duration.millis(750) }, rate: { threshold: 0.2 } });
    const age = set.add(AGE, metric, { where: '' });
    const latency = set.add(LATENCY, metric, { where: '' });
    const rate = set.add(RATE, metric, { where: '' });
    expect(alarmOf(stack, age)).toMatchObject({ Threshold: 120, AlarmDescription: 'Older than 2 minutes.' });
    expect(alarmOf(stack, latency)).toMatchObject({ Threshold: 750, AlarmDescription: 'Slower than 750 ms.' });
    expect(alarmOf(stack, rate)).toMatchObject({ Threshold: 0.2 });
  });

  test('a token Duration in the compared unit becomes a token threshold; in another unit it is refused', () => {
    const { stack, set } = setUp({ age: { maxAge: Duration.seconds(Token.asNumber(Lazy.number({ produce: () => 90 }))) } });
    expect(alarmOf(stack, set.add(AGE, metric, { where: '' }))).toMatchObject({ Threshold: 90 });
    expect(() => setUp({ latency: { maxLatency: Duration.seconds(Token.asNumber(Lazy.number({ produce: () => 2 }))) } }))
      .toThrow(/alarms.latency.maxLatency is .*; its amount is a token, which cannot be converted at synthesis; give it as Duration.millis/);
  });

  test('given options replace the defaults; datapointsToAlarm is passed through', () => {
    const { stack, set } = setUp({ things: { threshold: 3, period: Duration.minutes(1), evaluationPeriods: 5, datapointsToAlarm: 2 } });
    expect(alarmOf(stack, set.add(COUNT, metric, { where: '' }))).toMatchObject({ Threshold: 3, Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 2 });
  });

  test('an explicit undefined keeps the default', () => {
    const { stack, set } = setUp({ things: { threshold: undefined } });
    expect(alarmOf(stack, set.add(COUNT, metric, { where: '' }))).toMatchObject({ Threshold: 0 });
  });
});

describe('AlarmSet places, registers and lists alarms', () => {
  test('in the Alarms child of the owner, or of the construct the alarm watches', () => {
    const { owner, set } = setUp();
    const route = new Construct(owner, 'Route');
    const a = set.add(COUNT, metric, { where: '' }) as cloudwatch.Alarm;
    const b = set.add(COUNT, metric, { scope: route, where: '' }) as cloudwatch.Alarm;
    expect(a.node.scope).toBe(owner.node.findChild(ALARMS_ID));
    expect(b.node.scope).toBe(route.node.findChild(ALARMS_ID));
    expect(a.node.id).toBe('ThingsAlarm');
  });

  test('each alarm is registered with the sink exactly once and listed in order', () => {
    const { sink, set } = setUp();
    const a = set.add(COUNT, metric, { where: '' });
    const b = set.add(AGE, metric, { where: '' });
    expect(sink.alarms).toEqual([a, b]);
    expect(set.alarms).toEqual([a, b]);
  });

  test('a disabled alarm makes nothing and is not registered', () => {
    const { owner, sink, set } = setUp({ things: { enabled: false } });
    expect(set.add(COUNT, metric, { where: '' })).toBeUndefined();
    expect(sink.alarms).toEqual([]);
    expect(owner.node.tryFindChild(ALARMS_ID)).toBeUndefined();
  });

  test('the sink is not resolved until the first alarm (the stack Monitoring is created on first use)', () => {
    const stack = testStack();
    let asked = 0;
    const set = new AlarmSet(new Construct(stack, 'O'), () => {
      asked++;
      return new RecordingSink();
    }, SPECS, undefined, { typeName: 'T' });
    expect(asked).toBe(0);
    set.add(COUNT, metric, { where: '' });
    expect(asked).toBe(1);
  });
});

describe('AlarmSet rejects every option that cannot take effect, before any resource exists', () => {
  const cases: Array<[string, unknown, string]> = [
    ['alarms that are not an object', 'loud', "alarms is 'loud'; it must be a TestAlarmsProps object"],
    ['an alarm that does not exist (a typo would be dropped silently)', { thing: { threshold: 1 } },
      "alarms.thing is {\"threshold\":1}; 'thing' is not an alarm of TestAlarmsProps; its alarms are things, running, rate, age, latency"],
    ['options that are not an object', { things: 5 }, 'alarms.things is 5; it must be an object of alarm options'],
    ['a key the alarm does not take', { things: { maxAge: Duration.minutes(1) } },
      'alarms.things.maxAge is 1 minute; this alarm takes enabled, period, evaluationPeriods, datapointsToAlarm, threshold'],
    ['enabled that is not a boolean', { things: { enabled: 'no' } }, "alarms.things.enabled is 'no'; it must be true or false"],
    ['a negative threshold', { things: { threshold: -1 } }, 'alarms.things.threshold is -1; it must be a number of 0 or more'],
    ['a NaN threshold (shown as NaN, not null)', { things: { threshold: NaN } }, 'alarms.things.threshold is NaN; it must be a number of 0 or more'],
    ['an infinite threshold', { things: { threshold: Infinity } }, 'alarms.things.threshold is Infinity; it must be a number of 0 or more'],
    ['a rate of 1 or more (it would never fire)', { rate: { threshold: 1 } }, 'alarms.rate.threshold is 1; it is a share of requests from 0 to 1'],
    ['a BELOW threshold of 0 (never below 0)', { running: { threshold: 0 } },
      'alarms.running.threshold is 0; the alarm fires when the metric is below it, and the metric is never below 0'],
    ['a 7-second period', { things: { period: Duration.seconds(7) } },
      'alarms.things.period is 7 seconds; CloudWatch takes 10 seconds, 30 seconds or a multiple of 60 seconds'],
    ['a period that is not a Duration', { things: { period: 60 } }, 'alarms.things.period is 60; it must be a Duration'],
    ['evaluation periods of 0', { things: { evaluationPeriods: 0 } }, 'alarms.things.evaluationPeriods is 0; it must be an integer from 1 to 100'],
    ['more datapoints than periods', { things: { evaluationPeriods: 2, datapointsToAlarm: 3 } },
      'alarms.things.datapointsToAlarm is 3; it must be an integer from 1 to 2'],
    ['period x evaluation periods over a day', { things: { period: Duration.minutes(30), evaluationPeriods: 49 } },
      "alarms.things: period (30 minutes) x evaluationPeriods (49) exceeds CloudWatch's 1 day for this period"],
    ['an age that is not a Duration', { age: { maxAge: 60 } }, 'alarms.age.maxAge is 60; it must be a Duration'],
    ['an age of part of a second', { age: { maxAge: Duration.millis(1500) } },
      'alarms.age.maxAge is 1 second 500 millis; it must be a whole number of seconds from 1 second to 14 days'],
    ['a latency over 60 s', { latency: { maxLatency: Duration.seconds(61) } },
      'alarms.latency.maxLatency is 1 minute 1 second; it must be a whole number of milliseconds from 1 millisecond to 60 seconds'],
  ];

  test.each(cases)('%s', (_name, given, message) => {
    const stack = testStack();
    const run = () => new AlarmSet(new Construct(stack, 'Owner'), () => new RecordingSink(), SPECS, given, { typeName: 'TestAlarmsProps' });
    expect(run).toThrow(new RegExp(`^Construct 'TestStack/Owner': ${escapeRegExp(message)}`));
    expect(run).not.toThrow(TypeError);
  });

  test('options of a disabled alarm are still checked', () => {
    expect(() => setUp({ things: { enabled: false, threshold: -1 } })).toThrow('alarms.things.threshold is -1');
  });

  test('refuse(): options for an alarm that cannot be made are an error; enabled: false alone is not', () => {
    expect(() => setUp({ things: { threshold: 2 } }).set.refuse(COUNT, 'there is nothing to watch'))
      .toThrow('alarms.things is {"threshold":2}; it cannot take effect: there is nothing to watch');
    expect(() => setUp({ things: { enabled: false } }).set.refuse(COUNT, 'there is nothing to watch')).not.toThrow();
    expect(() => setUp().set.refuse(COUNT, 'there is nothing to watch')).not.toThrow();
  });
});
