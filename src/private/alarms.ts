import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { checkInteger } from './validation';
import { ThresholdAlarmOptions } from '../core/alarm-options';

/** A "metric > threshold" alarm with validated options. */
export function thresholdAlarm(scope: Construct, id: string, prop: string, metric: cloudwatch.IMetric,
  options: ThresholdAlarmOptions & { threshold: number; evaluationPeriods: number }, description: string): cloudwatch.Alarm {
  checkInteger(scope, `${prop}.evaluationPeriods`, options.evaluationPeriods, 1, 100);
  checkInteger(scope, `${prop}.datapointsToAlarm`, options.datapointsToAlarm, 1, options.evaluationPeriods);
  return new cloudwatch.Alarm(scope, id, {
    metric,
    alarmDescription: description,
    threshold: options.threshold,
    evaluationPeriods: options.evaluationPeriods,
    datapointsToAlarm: options.datapointsToAlarm,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}
