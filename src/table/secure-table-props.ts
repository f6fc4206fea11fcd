import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SecureTableAlarmsProps } from './secure-table-alarms';
import { TableBilling } from './table-billing';
import { MonitoredConstructProps } from '../monitoring/monitored-props';

// The public props of SecureTable and its indexes.

/** Properties of `SecureTable`. */
export interface SecureTableProps extends MonitoredConstructProps {
  /** The partition key attribute. */
  readonly partitionKey: dynamodb.Attribute;

  /**
   * The sort key attribute.
   *
   * @default - none: items are identified by the partition key alone
   */
  readonly sortKey?: dynamodb.Attribute;

  /**
   * How the table is billed.
   *
   * @default TableBilling.onDemand()
   */
  readonly billing?: TableBilling;

  /**
   * The customer-managed key that encrypts the table, its indexes, its stream and its backups.
   *
   * @default - an AWS-owned key in STANDARD (free, no key policy to manage); the stack key in REGULATED
   */
  readonly key?: kms.IKey;

  /**
   * Point-in-time recovery: restore the table to any second of the last 35 days. Billed per GB of
   * table data a month; turning it off leaves AwsSolutions-DDB3 visible, as your choice.
   *
   * @default true
   */
  readonly pointInTimeRecovery?: boolean;

  /**
   * Daily backups in the stack's AWS Backup vault, kept 35 days (one plan per stack: a vault
   * encrypted with the stack key and retained, and a queue with an alarm for failed backup jobs).
   * Backup storage is billed per GB a month, on top of point-in-time recovery.
   *
   * @default - false in STANDARD (HIPAA and NIST DynamoDBInBackupPlan acknowledged as a priced feature); true in REGULATED
   */
  readonly backup?: boolean;

  /**
   * Whether the table can be deleted (by CloudFormation or anyone else) without first turning this off.
   *
   * @default true
   */
  readonly deletionProtection?: boolean;

  /**
   * What happens to the table when it leaves the stack. `DESTROY` deletes its data: it needs
   * `deletionProtection: false` too, so that deleting data takes two explicit choices.
   * (`SNAPSHOT` is not a DynamoDB option; point-in-time recovery and backups are.)
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * The attribute that holds each item's expiry time (epoch seconds): DynamoDB deletes expired
   * items at no cost, typically within a few days.
   *
   * @default - items do not expire
   */
  readonly timeToLiveAttribute?: string;

  /**
   * What the table's stream records hold, when it has one (for change data capture to a function).
   *
   * @default - no stream
   */
  readonly stream?: dynamodb.StreamViewType;

  /**
   * CloudWatch Contributor Insights on the table and each of its indexes: the most accessed and most
   * throttled keys. Billed per event ($0.02 per 100,000 at the time of writing).
   *
   * @default false
   */
  readonly contributorInsights?: boolean;

  /**
   * The storage class: `STANDARD_INFREQUENT_ACCESS` lowers the storage price (about 60%) and raises request prices.
   *
   * @default dynamodb.TableClass.STANDARD
   */
  readonly tableClass?: dynamodb.TableClass;

  /**
   * A physical name. A named table cannot be replaced by an update that needs a new table, and a
   * retained one blocks a redeploy under the same name.
   *
   * @default - a name CloudFormation generates
   */
  readonly tableName?: string;

  /**
   * Alarm thresholds, or `enabled: false` to skip an alarm.
   *
   * @default - throttled-requests and system-errors alarms, and for provisioned tables the consumed-capacity alarms, with their documented defaults
   */
  readonly alarms?: SecureTableAlarmsProps;
}

/** Options of `SecureTable.addGlobalSecondaryIndex()`. */
export interface TableIndexOptions {
  /** The index name: 3 to 255 letters, digits, `_`, `-` or `.`, unique in the table. */
  readonly indexName: string;

  /** The index's partition key attribute. */
  readonly partitionKey: dynamodb.Attribute;

  /**
   * The index's sort key attribute.
   *
   * @default - none
   */
  readonly sortKey?: dynamodb.Attribute;

  /**
   * Which attributes the index holds besides the keys.
   *
   * @default dynamodb.ProjectionType.ALL
   */
  readonly projectionType?: dynamodb.ProjectionType;

  /**
   * The attributes an `INCLUDE` projection holds (only with `ProjectionType.INCLUDE`).
   *
   * @default - none
   */
  readonly nonKeyAttributes?: string[];
}
