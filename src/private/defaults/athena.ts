import { Duration, Size } from 'aws-cdk-lib';

/** Defaults of every QueryWorkgroup. */
export const ATHENA_DEFAULTS = {
  /**
   * The most one query may scan: 10 GiB, about $0.05 at Athena's $5 per TB. A query that would scan
   * more is cancelled (and billed for what it scanned up to then).
   */
  bytesScannedCutoffPerQuery: Size.gibibytes(10),
  /** The engine, pinned so that an Athena upgrade does not change query behaviour unasked. */
  engineVersion: 'Athena engine version 3',
  /** Query results are kept a month: long enough to download, short enough not to pile up. */
  resultsExpiration: Duration.days(30),
  /** Replaced result objects (the results bucket is versioned) go after a day. */
  resultsNoncurrentVersionExpiration: Duration.days(1),
  /** The key prefix of the results in the results bucket. */
  resultsPrefix: 'results/',
} as const;

/** Athena and Glue limits, for validation. */
export const ATHENA_LIMITS = {
  /** BytesScannedCutoffPerQuery: at least 10,000,000 bytes (Athena API reference, WorkGroupConfiguration). */
  minBytesScannedCutoff: 10_000_000,
  /** Workgroup names: 1 to 128 characters of [a-zA-Z0-9._-]. */
  maxWorkgroupNameLength: 128,
  /** Glue database and table names: at most 255 characters; Athena reads them lowercase. */
  maxGlueNameLength: 255,
} as const;

/** Default alarm settings of a QueryWorkgroup. */
export const ATHENA_ALARM_DEFAULTS = {
  /** Any failed query in 5 minutes. */
  failedQueries: { threshold: 0, period: Duration.minutes(5), evaluationPeriods: 1 },
  /** More than 1 TB scanned in a day: about $5, against a workload that normally scans much less. */
  processedBytes: { threshold: 1e12, period: Duration.days(1), evaluationPeriods: 1 },
} as const;

/** The actions a principal needs to run queries in a workgroup (Athena user guide, "Using IAM policies for workgroup access"). */
export const ATHENA_ACTIONS = {
  query: ['athena:StartQueryExecution', 'athena:StopQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults',
    'athena:GetQueryResultsStream', 'athena:GetWorkGroup'],
  /** Reading a table's definition and partitions (Athena user guide, "Fine-grained access to databases and tables in the AWS Glue Data Catalog"). */
  glueRead: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions'],
} as const;
