import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MonitoredConstructProps } from './monitored-props';
import { Monitoring } from './monitoring';
import { ASYNC_FAILURE_QUEUE_ALARM, BACKUP_FAILURE_ALARMS } from './monitoring-monitoring';
import { AlarmSet, AlarmSpec } from '../private/alarm-set';
import type { StackBackup } from '../private/backup-plan';
import { ConstructContext, MonitoringSink } from '../private/context';
import { deadLetterDepth } from '../private/dead-letter-queue';

// Internal to the library (not re-exported from index.ts).

/**
 * The resolved context of a monitored construct: its profile, traits, key and monitoring (the
 * stack's `Monitoring` unless the props give one). Here rather than in `src/private` because the
 * default monitoring is a building block.
 */
export function constructContext(scope: Construct, props: MonitoredConstructProps): ConstructContext {
  return new ConstructContext(scope, props ?? {}, Monitoring.of);
}

/**
 * Alarms the stack's async-failure queue, once, when a SecureFunction creates it: with the options
 * of `monitoring` when it is a `Monitoring`, else with the defaults.
 */
export function watchAsyncFailureQueue(monitoring: MonitoringSink, queue: sqs.IQueue): void {
  if (monitoring instanceof Monitoring) {
    monitoring._watchAsyncFailureQueue(queue);
  } else {
    alarmWithDefaults(monitoring, ASYNC_FAILURE_QUEUE_ALARM, queue);
  }
}

/**
 * Alarms the stack's backup failures, once, when a construct creates the stack's backup plan: with
 * the options of `monitoring` when it is a `Monitoring`, else with the defaults.
 */
export function watchBackupFailures(monitoring: MonitoringSink, stackPlan: StackBackup): void {
  if (!stackPlan.created) {
    return;
  }
  if (monitoring instanceof Monitoring) {
    monitoring._watchBackupFailures(stackPlan.failures, stackPlan.undeliveredFailures);
    return;
  }
  alarmWithDefaults(monitoring, BACKUP_FAILURE_ALARMS.backupFailures, stackPlan.failures);
  alarmWithDefaults(monitoring, BACKUP_FAILURE_ALARMS.undeliveredBackupFailures, stackPlan.undeliveredFailures);
}

/** A stack queue's depth alarm with Monitoring's default options, for a monitoring that is not a `Monitoring` (no alarms props to read). */
function alarmWithDefaults(monitoring: MonitoringSink, spec: AlarmSpec, queue: sqs.IQueue): void {
  new AlarmSet(queue, () => monitoring, [spec], undefined, { typeName: 'MonitoringAlarmsProps' })
    .add(spec, deadLetterDepth(queue), { scope: queue, where: '' });
}
