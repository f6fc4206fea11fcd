import { Duration, Size } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { QueryWorkgroupAlarmsProps } from './query-workgroup-alarms';
import { MonitoredConstructProps } from '../monitoring/monitored-props';

/** Properties of `QueryWorkgroup`. Every one is optional. */
export interface QueryWorkgroupProps extends MonitoredConstructProps {
  /**
   * The workgroup's name (1 to 128 letters, digits, `.`, `_` and `-`).
   *
   * @default - a name unique to the construct's path
   */
  readonly workgroupName?: string;

  /**
   * The most one query may scan; a query that would scan more is cancelled. At least 10 MB (Athena's minimum).
   *
   * @default Size.gibibytes(10) (about $0.05 a query at $5 per TB)
   */
  readonly bytesScannedCutoffPerQuery?: Size;

  /**
   * The Athena engine version, pinned.
   *
   * @default 'Athena engine version 3'
   */
  readonly engineVersion?: string;

  /**
   * A bucket of yours for the query results. Same region; its encryption must match `key` (SSE-S3
   * without a key). Your principals need its grants too: `grantQuery()` gives them on `resultsPrefix`.
   *
   * @default - a `SecureBucket` created for the results, whose objects expire after `resultsExpiration`
   */
  readonly resultsBucket?: s3.IBucket;

  /**
   * The key prefix of the results in the results bucket.
   *
   * @default 'results/'
   */
  readonly resultsPrefix?: string;

  /**
   * How long the created results bucket keeps results (whole days).
   *
   * @default Duration.days(30)
   */
  readonly resultsExpiration?: Duration;

  /**
   * A customer-managed key to encrypt the results with (SSE-KMS).
   *
   * @default - the stack key in REGULATED; SSE-S3 in STANDARD
   */
  readonly key?: kms.IKey;

  /**
   * The name of the Glue database the tables of `addTable()` go into (lowercase letters, digits and `_`).
   *
   * @default - one derived from the construct's path
   */
  readonly databaseName?: string;

  /**
   * Alarm thresholds, or `enabled: false` to skip one.
   *
   * @default - see `QueryWorkgroupAlarmsProps`
   */
  readonly alarms?: QueryWorkgroupAlarmsProps;
}
