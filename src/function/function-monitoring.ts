import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { FunctionAlarmsProps } from './function-alarms';
import { IMonitoring } from '../monitoring/monitoring';
import { thresholdAlarm } from '../private/alarms';
import { ALARM_DEFAULTS } from '../private/defaults/alarms';

// Internal to the library (not re-exported from index.ts): alarms and dashboard widgets of a function.

/** Creates the errors and throttles alarms of `fn` under `scope` and registers them with `monitoring`. */
export function createFunctionAlarms(scope: Construct, fn: lambda.IFunction, monitoring: IMonitoring,
  props: FunctionAlarmsProps = {}): cloudwatch.Alarm[] {
  const alarms: cloudwatch.Alarm[] = [];
  const errors = { ...ALARM_DEFAULTS.functionErrors, ...props.errors };
  if (errors.enabled ?? true) {
    alarms.push(thresholdAlarm(scope, 'ErrorsAlarm', 'alarms.errors', (period) => fn.metricErrors({ period }), errors,
      'The Lambda function returned errors or timed out. Open its log group and search for "ERROR" or "Task timed out"; '
      + 'check the X-Ray traces for the failing calls. Failed queue records are retried and then dead-lettered; failed asynchronous events go to the function\'s dead-letter queue.'));
  }
  const throttles = { ...ALARM_DEFAULTS.functionThrottles, ...props.throttles };
  if (throttles.enabled ?? true) {
    alarms.push(thresholdAlarm(scope, 'ThrottlesAlarm', 'alarms.throttles', (period) => fn.metricThrottles({ period }), throttles,
      'Invocations of the Lambda function were throttled: its reserved concurrency or the account\'s concurrency quota is exhausted. '
      + 'Raise reservedConcurrentExecutions (keep it at least the event source\'s maxConcurrency) or request a higher quota.'));
  }
  alarms.forEach((alarm) => monitoring.addAlarm(alarm));
  return alarms;
}

/** Dashboard widgets of a function: invocations and errors, throttles, duration. */
export function functionWidgets(fn: lambda.IFunction): cloudwatch.IWidget[] {
  return [
    new cloudwatch.GraphWidget({ title: 'Invocations / errors', left: [fn.metricInvocations(), fn.metricErrors()], width: 8 }),
    new cloudwatch.GraphWidget({ title: 'Throttles', left: [fn.metricThrottles()], width: 8 }),
    new cloudwatch.GraphWidget({ title: 'Duration p90', left: [fn.metricDuration({ statistic: 'p90' })], width: 8 }),
  ];
}
