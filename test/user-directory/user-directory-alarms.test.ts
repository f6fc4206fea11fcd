import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { UserDirectoryAlarmsProps } from '../../src';
import { UserDirectory, UserDirectoryClientKind } from '../../src/user-directory/user-directory';
import { newStack } from '../support/app';
import { escapeRegExp } from '../support/template';

const ALARMS = ['signInThrottles', 'tokenRefreshThrottles'] as const;

/** Every way an option of one alarm can be wrong, with the message that names it. */
function invalidOptions(alarm: string): Array<[string, unknown, string]> {
  return [
    ['an unknown key', { maxLatency: Duration.seconds(1) },
      `alarms.${alarm}.maxLatency is 1 second; this alarm takes enabled, period, evaluationPeriods, datapointsToAlarm, threshold`],
    ['a period CloudWatch does not take', { period: Duration.seconds(90) },
      `alarms.${alarm}.period is 1 minute 30 seconds; CloudWatch takes 10 seconds, 30 seconds or a multiple of 60 seconds`],
    ['a negative threshold', { threshold: -0.5 }, `alarms.${alarm}.threshold is -0.5; it must be a number of 0 or more`],
    ['more datapoints than evaluation periods', { evaluationPeriods: 1, datapointsToAlarm: 2 },
      `alarms.${alarm}.datapointsToAlarm is 2; it must be an integer from 1 to 1`],
    ['enabled that is not a boolean', { enabled: 'no' }, `alarms.${alarm}.enabled is 'no'; it must be true or false`],
  ];
}

const cases: Array<[string, unknown, string]> = [
  ['an unknown alarm', { signInFailures: { threshold: 1 } },
    'alarms.signInFailures is {"threshold":1}; \'signInFailures\' is not an alarm of UserDirectoryAlarmsProps; '
    + 'its alarms are signInThrottles, tokenRefreshThrottles'],
  ['alarms that are a list', [], 'alarms is []; it must be a UserDirectoryAlarmsProps object, or left out for the defaults'],
  ...ALARMS.flatMap((alarm) => invalidOptions(alarm).map(([what, options, message]): [string, unknown, string] =>
    [`${alarm}: ${what}`, { [alarm]: options }, message])),
];

describe('UserDirectory alarm options', () => {
  // The alarms are made per app client; no client is added here, so each case proves that their
  // options are checked when the directory is constructed.
  test.each(cases)('%s is rejected when the directory is constructed, before any client or resource', (_name, alarms, message) => {
    const stack = newStack();
    const run = () => new UserDirectory(stack, 'U', { alarms: alarms as UserDirectoryAlarmsProps });
    expect(run).toThrow(new RegExp(`^UserDirectory 'TestStack/U': ${escapeRegExp(message)}`));
    expect(stack.node.findChild('U').node.children).toEqual([]);
    expect(stack.node.tryFindChild('BulwarkMonitoring')).toBeUndefined();
  });

  test('enabled: false alone is accepted for every alarm, and a sign-in client gets no alarm', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'U', { alarms: { signInThrottles: { enabled: false }, tokenRefreshThrottles: { enabled: false } } });
    users.addClient('Web', { kind: UserDirectoryClientKind.PUBLIC_CLIENT });
    expect(users.alarms).toEqual([]);
    expect(users.node.findChild('Clients').node.findChild('Web').node.tryFindChild('Alarms')).toBeUndefined();
  });

  test('each client\'s alarms are in the Alarms child of its group, with the tuned options', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'U', { alarms: { tokenRefreshThrottles: { threshold: 2, period: Duration.minutes(1) } } });
    users.addClient('Web', { kind: UserDirectoryClientKind.PUBLIC_CLIENT });
    users.addClient('Mobile', { kind: UserDirectoryClientKind.PUBLIC_CLIENT });
    // Read from the L1 alarms: no synthesis needed.
    const cfn = (alarms: IConstruct, id: string) => alarms.node.findChild(id).node.defaultChild as cloudwatch.CfnAlarm;
    for (const id of ['Web', 'Mobile']) {
      const alarms = users.node.findChild('Clients').node.findChild(id).node.findChild('Alarms');
      expect(alarms.node.children.map((c) => c.node.id).sort()).toEqual(['SignInThrottlesAlarm', 'TokenRefreshThrottlesAlarm']);
      expect([cfn(alarms, 'TokenRefreshThrottlesAlarm').threshold, cfn(alarms, 'TokenRefreshThrottlesAlarm').period]).toEqual([2, 60]);
      expect([cfn(alarms, 'SignInThrottlesAlarm').threshold, cfn(alarms, 'SignInThrottlesAlarm').period]).toEqual([0, 300]);
    }
    expect(users.alarms).toHaveLength(4);
  });
});
