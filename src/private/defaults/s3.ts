import { Duration } from 'aws-cdk-lib';

/** Defaults of every SecureBucket. */
export const BUCKET_DEFAULTS = {
  /**
   * Replaced and deleted object versions are kept 90 days: time to notice an overwrite or a delete
   * and restore the version, without paying for every version forever.
   */
  noncurrentVersionExpiration: Duration.days(90),
  /** Parts of uploads that never completed are billed like objects until removed: a week. */
  abortIncompleteMultipartUpload: Duration.days(7),
  /** How long browsers may cache a CORS preflight answer. */
  corsMaxAge: Duration.hours(1),
  /** The headers a browser may read from a CORS answer: ETag, which multipart uploads need for each part. */
  corsExposedHeaders: ['ETag'],
} as const;

/** Defaults of the log buckets the library creates (load balancer access logs, S3 server access logs). */
export const LOG_BUCKET_DEFAULTS = {
  /** A year of logs, as for log groups (LOGS_DEFAULTS.retention). */
  expiration: Duration.days(365),
  /** Replaced log objects are kept 30 days. */
  noncurrentVersionExpiration: Duration.days(30),
  /** Incomplete multipart uploads are removed after a week. */
  abortIncompleteMultipartUpload: Duration.days(7),
} as const;

/** Amazon S3 limits, for validation. */
export const S3_LIMITS = {
  /** Bucket names: 3 to 63 characters (S3 user guide, "General purpose bucket naming rules"). */
  minBucketNameLength: 3,
  maxBucketNameLength: 63,
  /** Lifecycle days: whole days, at least 1. */
  minLifecycleDays: 1,
  /** Object keys and key prefixes: at most 1,024 bytes. */
  maxKeyLength: 1024,
} as const;

/** The exact actions of SecureBucket's grants (no `s3:*Object*` wildcards), and what each needs of a customer-managed key. */
export const S3_ACTIONS = {
  readObjects: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging', 's3:GetObjectVersionTagging', 's3:GetObjectAttributes',
    's3:GetObjectVersionAttributes'],
  /** Listing, narrowed to the grant's key prefix with `s3:prefix` when it has one. */
  listBucket: ['s3:ListBucket', 's3:ListBucketVersions'],
  /** Bucket-level, not a listing: SDKs ask it to find the bucket's region. */
  bucketLocation: ['s3:GetBucketLocation'],
  putObjects: ['s3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
  /** In a versioned bucket, a delete marker: the versions stay (no DeleteObjectVersion). */
  deleteObjects: ['s3:DeleteObject'],
  keyRead: ['kms:Decrypt'],
  /** Putting an object generates a data key; a multipart upload also decrypts it for each part (S3 user guide, "Multipart upload and permissions"). */
  keyWrite: ['kms:GenerateDataKey', 'kms:Decrypt'],
} as const;
