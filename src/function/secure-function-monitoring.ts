import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AlarmMeasure, AlarmSpec } from '../private/alarm-set';
import { ALARM_DEFAULTS } from '../private/defaults/alarms';

// Internal to the library (not re-exported from index.ts): alarm specs and dashboard widgets of a function.

/** The alarms of a function: `SecureFunction`'s own, and a QueueWorker's for a handler it alarms itself. */
export const FUNCTION_ALARMS = {
  errors: {
    id: 'ErrorsAlarm',
    option: 'errors',
    measure: AlarmMeasure.COUNT,
    defaults: ALARM_DEFAULTS.functionErrors,
    describe: () => 'The Lambda function returned errors or timed out. Open its log group and search for "ERROR" or "Task timed out"; '
      + 'check the X-Ray traces for the failing calls. Failed queue records are retried and then dead-lettered; failed asynchronous events go to the function\'s dead-letter queue.',
  },
  throttles: {
    id: 'ThrottlesAlarm',
    option: 'throttles',
    measure: AlarmMeasure.COUNT,
    defaults: ALARM_DEFAULTS.functionThrottles,
    describe: () => 'Invocations of the Lambda function were throttled: its reserved concurrency or the account\'s concurrency quota is exhausted. '
      + 'Raise reservedConcurrentExecutions (keep it at least the event source\'s maxConcurrency) or request a higher quota.',
  },
} satisfies Record<string, AlarmSpec>;

/** The metrics of `FUNCTION_ALARMS`, by alarm. */
export function functionMetrics(fn: lambda.IFunction) {
  return {
    errors: (period: Duration) => fn.metricErrors({ period }),
    throttles: (period: Duration) => fn.metricThrottles({ period }),
  };
}

/** Dashboard widgets of a function: invocations and errors, throttles, duration. */
export function functionWidgets(fn: lambda.IFunction): cloudwatch.IWidget[] {
  return [
    new cloudwatch.GraphWidget({ title: 'Invocations / errors', left: [fn.metricInvocations(), fn.metricErrors()], width: 8 }),
    new cloudwatch.GraphWidget({ title: 'Throttles', left: [fn.metricThrottles()], width: 8 }),
    new cloudwatch.GraphWidget({ title: 'Duration p90', left: [fn.metricDuration({ statistic: 'p90' })], width: 8 }),
  ];
}
