import { Duration } from 'aws-cdk-lib';

/** Secure defaults of every DynamoDB table the library creates (SecureTable). */
export const DYNAMODB_DEFAULTS = {
  /** Provisioned tables scale to keep consumed capacity near this share of what is provisioned (AWS's console default). */
  targetUtilizationPercent: 70,
  /** Provisioned tables never scale below this many capacity units. */
  minCapacity: 1,
} as const;

/** DynamoDB limits, for validation (DynamoDB developer guide, "Service, account, and table quotas"). */
export const DYNAMODB_LIMITS = {
  /** Application Auto Scaling's target utilization for DynamoDB: 20 to 90 percent. */
  minTargetUtilization: 20,
  maxTargetUtilization: 90,
  /** The default per-table quota of read or write capacity units (raisable). */
  maxCapacity: 40000,
  /** Table and index names: 3 to 255 of letters, digits, '_', '-' and '.'. */
  name: /^[A-Za-z0-9_.-]{3,255}$/,
  /** Attribute names: 1 to 255 bytes (key attributes); the TTL attribute too. */
  maxAttributeNameBytes: 255,
  /** Global secondary indexes per table (default quota). */
  maxGlobalSecondaryIndexes: 20,
  /** Non-key attributes projected into the indexes of a table, all indexes together. */
  maxProjectedAttributes: 100,
} as const;

/** Default alarm settings of a SecureTable. */
export const DYNAMODB_ALARM_DEFAULTS = {
  /** Any throttled read or write request in 5 minutes. */
  throttledRequests: { threshold: 0, period: Duration.minutes(5), evaluationPeriods: 1 },
  /** Any request that failed with a DynamoDB server error (HTTP 500) in 5 minutes. */
  systemErrors: { threshold: 0, period: Duration.minutes(5), evaluationPeriods: 1 },
  /** Provisioned tables: consumption above 80% of the scaling maximum for 15 minutes (auto scaling cannot add more). */
  consumedReadCapacity: { threshold: 0.8, period: Duration.minutes(5), evaluationPeriods: 3 },
  consumedWriteCapacity: { threshold: 0.8, period: Duration.minutes(5), evaluationPeriods: 3 },
} as const;

/** The data-plane actions of a table's grants (as CDK's Table grants them, written here so that keys can be granted scoped). */
export const DYNAMODB_ACTIONS = {
  read: ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'],
  write: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:DescribeTable', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  stream: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
  /** Lambda's stream event source checks it; it takes no resource (Service Authorization Reference, DynamoDB). */
  listStreams: ['dynamodb:ListStreams'],
  /** What a table's key must allow a reader or writer, through DynamoDB (DynamoDB developer guide, "Authorizing use of your customer managed key"). */
  keyRead: ['kms:Decrypt', 'kms:DescribeKey'],
  keyWrite: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext',
    'kms:ReEncryptFrom', 'kms:ReEncryptTo'],
} as const;
