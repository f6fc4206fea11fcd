import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ThresholdAlarmOptions } from '../core/alarm-options';
import { Monitoring } from '../monitoring/monitoring';
import { thresholdAlarm } from '../private/alarms';
import { ALARM_DEFAULTS } from '../private/defaults/alarms';

/**
 * Alarms on a Lambda function. Every alarm notifies the stack's `Monitoring` alarm topic.
 */
export interface FunctionAlarmsProps {
  /**
   * Function errors (the `Errors` metric, sum). With partial batch responses, a failed record is
   * not a function error: watch the queue's dead-letter queue for those.
   *
   * @default - sum > 0 over one 5-minute period
   */
  readonly errors?: ThresholdAlarmOptions;

  /**
   * Throttled invocations (the `Throttles` metric, sum): reserved or account concurrency is exhausted.
   *
   * @default - sum > 0 over one 5-minute period
   */
  readonly throttles?: ThresholdAlarmOptions;
}

/** Creates the errors and throttles alarms of `fn` under `scope` and registers them with `monitoring`. */
export function createFunctionAlarms(scope: Construct, fn: lambda.IFunction, monitoring: Monitoring,
  props: FunctionAlarmsProps = {}): cloudwatch.Alarm[] {
  const alarms: cloudwatch.Alarm[] = [];
  const errors = { ...ALARM_DEFAULTS.functionErrors, ...props.errors };
  if (errors.enabled ?? true) {
    alarms.push(thresholdAlarm(scope, 'ErrorsAlarm', 'alarms.errors', fn.metricErrors({ period: errors.period }), errors,
      'The Lambda function returned errors or timed out. Open its log group and search for "ERROR" or "Task timed out"; '
      + 'check the X-Ray traces for the failing calls. Failed queue records are retried and then dead-lettered; failed asynchronous events go to the function\'s dead-letter queue.'));
  }
  const throttles = { ...ALARM_DEFAULTS.functionThrottles, ...props.throttles };
  if (throttles.enabled ?? true) {
    alarms.push(thresholdAlarm(scope, 'ThrottlesAlarm', 'alarms.throttles', fn.metricThrottles({ period: throttles.period }), throttles,
      'Invocations of the Lambda function were throttled: its reserved concurrency or the account\'s concurrency quota is exhausted. '
      + 'Raise reservedConcurrentExecutions (keep it at least the event source\'s maxConcurrency) or request a higher quota.'));
  }
  alarms.forEach((alarm) => monitoring.addAlarm(alarm));
  return alarms;
}
