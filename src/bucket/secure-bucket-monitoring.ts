import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AlarmSpec } from '../private/alarm-set';
import { deadLetterQueueAlarm } from '../private/dead-letter-queue';
import { eventRouteAlarms } from '../private/event-route';

// Internal to the library (not re-exported from index.ts): the alarms and dashboard widgets of a SecureBucket.

/** How to deliver S3 events again: S3 sends each once, and the default bus has no archive. */
const REDELIVER = 'Send each dead-letter message body (the event) straight to the target (aws sqs send-message for a queue, aws lambda '
  + 'invoke for a function: aws events put-events refuses aws.s3 events), or copy the object onto itself (aws s3 cp --metadata-directive '
  + 'REPLACE: a new version, and every route of the bucket fires again). S3 sends each event once, and the default bus keeps no archive.';

/** The alarms of a SecureBucket, keyed like `SecureBucketAlarmsProps`. */
export const SECURE_BUCKET_ALARMS = {
  deadLetterQueueMessages: deadLetterQueueAlarm('deadLetterQueueMessages', ({ where }) =>
    `Events of ${where} that EventBridge could not deliver are in its dead-letter queue. `
    + 'Inspect them: SQS console > the queue > Send and receive messages > Poll for messages; the attributes RULE_ARN, TARGET_ARN, '
    + 'ERROR_CODE and ERROR_MESSAGE say what failed. Fix the cause (target permissions, deleted or throttled target, disabled key). '
    + `${REDELIVER} Then delete the messages; they expire after the queue's retention period (14 days for queues the bucket creates).`),
  ...eventRouteAlarms(REDELIVER),
} satisfies Record<string, AlarmSpec>;

/** S3's daily storage metrics (free): the bucket's size and object count, all storage classes. */
export function storageMetrics(bucket: s3.IBucket): { readonly size: cloudwatch.Metric; readonly objects: cloudwatch.Metric } {
  const metric = (metricName: string, storageType: string, label: string) => new cloudwatch.Metric({
    namespace: 'AWS/S3',
    metricName,
    dimensionsMap: { BucketName: bucket.bucketName, StorageType: storageType },
    statistic: cloudwatch.Stats.AVERAGE,
    period: Duration.days(1),
    label,
  });
  return {
    size: metric('BucketSizeBytes', 'StandardStorage', 'Size (Standard storage), bytes'),
    objects: metric('NumberOfObjects', 'AllStorageTypes', 'Objects'),
  };
}
