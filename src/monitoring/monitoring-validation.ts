import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import type { MonitoringProps } from './monitoring';
import { BulwarkError } from '../core/errors';
import { checkKnownProps, propKeys } from '../private/props';

// Internal to the library: every check of Monitoring's input, run before anything is made (and
// before the Monitoring becomes the stack's).

const PROPS = propKeys<MonitoringProps>()('MonitoringProps', ['alarmTopic', 'key', 'emailAddresses', 'dashboardEnabled', 'alarms', 'complianceProfile']);

/** Checks each prop on its own and against the others. */
export function validateMonitoringProps(scope: IConstruct, props: MonitoringProps): void {
  if (props === null || typeof props !== 'object' || Array.isArray(props)) {
    throw BulwarkError.invalid(scope, 'props', props, 'they must be a MonitoringProps object');
  }
  // From JavaScript a misspelled prop (emailAdresses) would be dropped without a word: nobody would be notified.
  checkKnownProps(scope, props, PROPS);
  if (props.alarmTopic !== undefined && props.key !== undefined) {
    throw new BulwarkError(scope, 'key encrypts the created alarm topic; it cannot be given together with alarmTopic (encrypt your own topic yourself)');
  }
  if (props.alarmTopic !== undefined && (props.emailAddresses ?? []).length > 0) {
    throw new BulwarkError(scope, 'emailAddresses subscribe to the created alarm topic; with alarmTopic, subscribe to your own topic directly');
  }
  if (props.emailAddresses !== undefined && !Array.isArray(props.emailAddresses)) {
    throw BulwarkError.invalid(scope, 'emailAddresses', props.emailAddresses, 'it must be a list of email addresses');
  }
  for (const address of props.emailAddresses ?? []) {
    checkEmailAddress(scope, address);
  }
  if (props.dashboardEnabled !== undefined && typeof props.dashboardEnabled !== 'boolean') {
    throw BulwarkError.invalid(scope, 'dashboardEnabled', props.dashboardEnabled, 'it must be true or false');
  }
}

/** Throws unless `address` looks like an email address (tokens pass). */
export function checkEmailAddress(scope: IConstruct, address: unknown): void {
  if (typeof address === 'string' && Token.isUnresolved(address)) {
    return;
  }
  if (typeof address !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) {
    throw BulwarkError.invalid(scope, 'email address', address, 'it must look like name@example.com');
  }
}
