import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SecureBucketAlarmsProps } from './secure-bucket-alarms';
import { MonitoredConstructProps } from '../monitoring/monitored-props';

/**
 * Cross-origin access for browsers, shaped for uploads with presigned URLs: a page on one of
 * `allowedOrigins` may PUT or POST to a presigned URL and read the `ETag` each part returns.
 */
export interface BucketCorsOptions {
  /**
   * The origins of the pages that call the bucket (`https://app.example.com`): scheme and host, and
   * a port when not the default. `*` allows every site and is warned about.
   */
  readonly allowedOrigins: string[];

  /**
   * The methods allowed.
   *
   * @default [s3.HttpMethods.PUT, s3.HttpMethods.POST, s3.HttpMethods.GET, s3.HttpMethods.HEAD]
   */
  readonly allowedMethods?: s3.HttpMethods[];

  /**
   * The request headers a browser may send. `*` allows any (presigned URLs sign the headers that matter).
   *
   * @default ['*']
   */
  readonly allowedHeaders?: string[];

  /**
   * The response headers a browser may read.
   *
   * @default ['ETag'] (multipart uploads read it for each part)
   */
  readonly exposedHeaders?: string[];

  /**
   * How long a browser may cache the preflight answer (whole seconds).
   *
   * @default Duration.hours(1)
   */
  readonly maxAge?: Duration;
}

/**
 * Properties of `SecureBucket`. Every one is optional: `new SecureBucket(this, 'Uploads')` is a
 * complete, compliant bucket.
 */
export interface SecureBucketProps extends MonitoredConstructProps {
  /**
   * A physical name (3 to 63 characters: lowercase letters, digits, dots and hyphens, starting and
   * ending with a letter or digit). Bucket names are global and a retained bucket keeps its name, so a
   * fixed name blocks redeploying the stack elsewhere or after deleting it.
   *
   * @default - a name CloudFormation generates
   */
  readonly bucketName?: string;

  /**
   * A customer-managed key to encrypt objects with (SSE-KMS, with an S3 Bucket Key, which cuts the
   * KMS requests, and their price, by up to 99 %).
   *
   * @default - the stack key in REGULATED; SSE-S3 (Amazon S3 managed keys) in STANDARD: free, and
   * every reader needs nothing beyond S3 permissions, while SSE-KMS costs $1 a month per key plus
   * requests and makes every reader need the key too
   */
  readonly key?: kms.IKey;

  /**
   * Whether to keep every version of every object. Versions make an overwrite or a delete
   * recoverable; replaced versions expire after `noncurrentVersionExpiration`. Once on, versioning
   * can only be suspended, never removed.
   *
   * @default true
   */
  readonly versioned?: boolean;

  /**
   * How long a replaced or deleted version is kept (whole days). Needs `versioned`.
   *
   * @default Duration.days(90)
   */
  readonly noncurrentVersionExpiration?: Duration;

  /**
   * How long the parts of an unfinished multipart upload are kept (whole days); they are billed like
   * objects until then.
   *
   * @default Duration.days(7)
   */
  readonly abortIncompleteMultipartUploadAfter?: Duration;

  /**
   * More lifecycle rules (transitions, expiration of current objects), besides the bucket's own rule
   * for noncurrent versions and unfinished uploads.
   *
   * @default - none
   */
  readonly lifecycleRules?: s3.LifecycleRule[];

  /**
   * A bucket of your own for the server access logs: same region, SSE-S3 (S3 delivers access logs
   * to no other encryption), not itself logged. Its policy must let `logging.s3.amazonaws.com` put
   * objects under the prefix: a bucket created in this app gets that statement.
   *
   * @default - a log bucket created for this bucket: SSE-S3, versioned, retained, logs expiring after a year
   */
  readonly serverAccessLogsBucket?: s3.IBucket;

  /**
   * The key prefix of the access logs in the log bucket.
   *
   * @default - the bucket's unique construct path and `/`
   */
  readonly serverAccessLogsPrefix?: string;

  /**
   * What happens to the bucket when it leaves the stack. `RemovalPolicy.DESTROY` deletes it, but
   * CloudFormation deletes only an empty bucket (every version too): this construct never adds
   * CDK's auto-delete custom resource, so empty it first (a lifecycle rule can) or the deletion
   * fails. DESTROY is warned about: it is the only copy of the data.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Whether S3 sends the bucket's events to Amazon EventBridge (the account's default bus). Natively,
   * without CDK's notifications custom resource. `addEventRoute()` turns it on.
   *
   * @default false, unless an event route is added
   */
  readonly eventBridgeEnabled?: boolean;

  /**
   * Cross-origin access for browsers (uploads with presigned URLs).
   *
   * @default - none: browsers on other sites cannot call the bucket
   */
  readonly cors?: BucketCorsOptions;

  /**
   * Thresholds of the event routes' alarms, or `enabled: false` to skip one.
   *
   * @default - see `SecureBucketAlarmsProps`
   */
  readonly alarms?: SecureBucketAlarmsProps;
}
