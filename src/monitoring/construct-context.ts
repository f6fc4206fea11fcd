import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MonitoredConstructProps } from './monitored-props';
import { Monitoring } from './monitoring';
import { ASYNC_FAILURE_QUEUE_ALARM, BACKUP_FAILURE_ALARMS } from './monitoring-monitoring';
import { AlarmSet } from '../private/alarm-set';
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
    new AlarmSet(queue, () => monitoring, [ASYNC_FAILURE_QUEUE_ALARM], undefined, { typeName: 'MonitoringAlarmsProps' })
      .add(ASYNC_FAILURE_QUEUE_ALARM, deadLetterDepth(queue), { scope: queue, where: '' });
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
  const specs = [BACKUP_FAILURE_ALARMS.backupFailures, BACKUP_FAILURE_ALARMS.undeliveredBackupFailures];
  const queues = [stackPlan.failures, stackPlan.undeliveredFailures];
  specs.forEach((spec, i) => new AlarmSet(queues[i], () => monitoring, [spec], undefined, { typeName: 'MonitoringAlarmsProps' })
    .add(spec, deadLetterDepth(queues[i]), { scope: queues[i], where: '' }));
}
