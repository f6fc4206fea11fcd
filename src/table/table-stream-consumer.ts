import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';

/** What `SecureTable.addStreamConsumer()` made. */
export interface TableStreamConsumer {
  /** The event source mapping (a child of the function). */
  readonly eventSourceMapping: lambda.IEventSourceMapping;

  /** The queue of the batches the consumer gave up on (created, or the one given). */
  readonly failureQueue: sqs.IQueue;

  /** The consumer's alarms (iterator age, failure queue). */
  readonly alarms: cloudwatch.IAlarm[];
}
