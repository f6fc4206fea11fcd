import { RemovalPolicy, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { IConstruct } from 'constructs';
import type { SecureTableProps, TableIndexOptions } from './secure-table-props';
import { ProvisionedBillingOptions, TableBilling, TableBillingMode, TableCapacityOptions } from './table-billing';
import { BulwarkError } from '../core/errors';
import { DYNAMODB_DEFAULTS, DYNAMODB_LIMITS } from '../private/defaults/dynamodb';
import { checkKnownProps, propKeys } from '../private/props';
import { checkShape, SHAPES } from '../private/shapes';
import { checkBoolean, checkEnum, checkInteger, checkRemovalPolicy } from '../private/validation';

// Internal to the library: every check of SecureTable's input, run before anything is made.

const PROPS = propKeys<SecureTableProps>()('SecureTableProps', ['partitionKey', 'sortKey', 'billing', 'key', 'pointInTimeRecovery',
  'backup', 'deletionProtection', 'removalPolicy', 'timeToLiveAttribute', 'stream', 'contributorInsights', 'tableClass', 'tableName', 'alarms',
  'complianceProfile', 'monitoring']);
const INDEX_OPTIONS = propKeys<TableIndexOptions>()('TableIndexOptions', ['indexName', 'partitionKey', 'sortKey', 'projectionType', 'nonKeyAttributes']);
const ATTRIBUTE = propKeys<dynamodb.Attribute>()('dynamodb.Attribute', ['name', 'type'], { name: 'Attribute', module: 'aws-cdk-lib/aws-dynamodb' });
const CAPACITY = propKeys<TableCapacityOptions>()('TableCapacityOptions', ['maxCapacity', 'minCapacity', 'targetUtilizationPercent']);
const PROVISIONED = propKeys<ProvisionedBillingOptions>()('ProvisionedBillingOptions', ['readCapacity', 'writeCapacity']);

/** A provisioned side (reads or writes) with its defaults filled in. */
export interface ResolvedCapacity {
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly targetUtilizationPercent: number;
}

/** What the props resolve to. */
export interface SecureTableSettings {
  readonly billing: TableBilling;
  /** Provisioned tables: each side's bounds. */
  readonly read?: ResolvedCapacity;
  readonly write?: ResolvedCapacity;
}

/** Validates the props of `SecureTable`. */
export function validateTableProps(scope: IConstruct, props: SecureTableProps): SecureTableSettings {
  if (props === null || typeof props !== 'object') {
    throw BulwarkError.invalid(scope, 'props', props, 'SecureTable needs props with at least a partitionKey');
  }
  checkKnownProps(scope, props, PROPS);
  checkShape(scope, 'key', props.key, SHAPES.key);
  checkAttribute(scope, 'partitionKey', props.partitionKey, true);
  checkAttribute(scope, 'sortKey', props.sortKey, false);
  if (props.sortKey && props.partitionKey && props.sortKey.name === props.partitionKey.name) {
    throw BulwarkError.invalid(scope, 'sortKey', props.sortKey.name, 'it must be another attribute than the partition key');
  }
  for (const prop of ['pointInTimeRecovery', 'backup', 'deletionProtection', 'contributorInsights'] as const) {
    checkBoolean(scope, prop, props[prop]);
  }
  checkEnum(scope, 'stream', props.stream, dynamodb.StreamViewType, 'dynamodb.StreamViewType');
  checkEnum(scope, 'tableClass', props.tableClass, dynamodb.TableClass, 'dynamodb.TableClass');
  checkRemoval(scope, props);
  checkAttributeName(scope, 'timeToLiveAttribute', props.timeToLiveAttribute);
  if (props.tableName !== undefined && !Token.isUnresolved(props.tableName)
    && (typeof props.tableName !== 'string' || !DYNAMODB_LIMITS.name.test(props.tableName))) {
    throw BulwarkError.invalid(scope, 'tableName', props.tableName, 'it must be 3 to 255 letters, digits, underscores, hyphens or dots');
  }
  const billing = props.billing ?? TableBilling.onDemand();
  if (!(billing instanceof TableBilling)) {
    throw BulwarkError.invalid(scope, 'billing', billing, 'it must be made with TableBilling.onDemand() or TableBilling.provisioned()');
  }
  if (billing.mode === TableBillingMode.ON_DEMAND) {
    const onDemand = billing._onDemand ?? {};
    checkInteger(scope, 'billing.maxReadRequestUnits', onDemand.maxReadRequestUnits, 1, Number.MAX_SAFE_INTEGER);
    checkInteger(scope, 'billing.maxWriteRequestUnits', onDemand.maxWriteRequestUnits, 1, Number.MAX_SAFE_INTEGER);
    return { billing };
  }
  const provisioned = billing._provisioned;
  if (provisioned === null || typeof provisioned !== 'object') {
    throw BulwarkError.invalid(scope, 'billing', provisioned, 'TableBilling.provisioned() needs readCapacity and writeCapacity');
  }
  checkKnownProps(scope, provisioned, PROVISIONED, 'billing');
  return {
    billing,
    read: resolveCapacity(scope, 'billing.readCapacity', provisioned.readCapacity),
    write: resolveCapacity(scope, 'billing.writeCapacity', provisioned.writeCapacity),
  };
}

/** Validates the options of `addGlobalSecondaryIndex()` against the table's keys and indexes so far. */
export function validateIndexOptions(scope: IConstruct, options: TableIndexOptions, existing: readonly string[]): void {
  if (options === null || typeof options !== 'object') {
    throw BulwarkError.invalid(scope, 'addGlobalSecondaryIndex options', options, 'they must be a TableIndexOptions object with indexName and partitionKey');
  }
  const label = `index '${String(options.indexName)}'`;
  checkKnownProps(scope, options, INDEX_OPTIONS, label);
  if (typeof options.indexName !== 'string' || !DYNAMODB_LIMITS.name.test(options.indexName)) {
    throw BulwarkError.invalid(scope, 'indexName', options.indexName, 'it must be 3 to 255 letters, digits, underscores, hyphens or dots');
  }
  if (existing.includes(options.indexName)) {
    throw BulwarkError.invalid(scope, 'indexName', options.indexName, 'the table already has an index of that name');
  }
  if (existing.length >= DYNAMODB_LIMITS.maxGlobalSecondaryIndexes) {
    throw new BulwarkError(scope, `${label} would be index number ${existing.length + 1}; a table has at most `
      + `${DYNAMODB_LIMITS.maxGlobalSecondaryIndexes} global secondary indexes (the default quota)`);
  }
  checkAttribute(scope, `partitionKey of ${label}`, options.partitionKey, true);
  checkAttribute(scope, `sortKey of ${label}`, options.sortKey, false);
  checkEnum(scope, `projectionType of ${label}`, options.projectionType, dynamodb.ProjectionType, 'dynamodb.ProjectionType');
  const include = options.projectionType === dynamodb.ProjectionType.INCLUDE;
  if (include && (!Array.isArray(options.nonKeyAttributes) || options.nonKeyAttributes.length === 0)) {
    throw BulwarkError.invalid(scope, `nonKeyAttributes of ${label}`, options.nonKeyAttributes ?? null,
      'an INCLUDE projection needs the attributes to include');
  }
  if (!include && options.nonKeyAttributes !== undefined) {
    throw BulwarkError.invalid(scope, `nonKeyAttributes of ${label}`, options.nonKeyAttributes,
      'they are only for projectionType INCLUDE (ALL holds every attribute, KEYS_ONLY none)');
  }
  for (const name of options.nonKeyAttributes ?? []) {
    checkAttributeName(scope, `nonKeyAttributes of ${label}`, name);
  }
}

function checkRemoval(scope: IConstruct, props: SecureTableProps): void {
  const policy = props.removalPolicy;
  checkRemovalPolicy(scope, policy, 'CloudFormation cannot snapshot a DynamoDB table on deletion: keep RETAIN '
    + '(point-in-time recovery and backups protect the data) or, to delete the data with the stack, DESTROY with deletionProtection: false');
  if (policy === RemovalPolicy.DESTROY && props.deletionProtection !== false) {
    throw BulwarkError.invalid(scope, 'removalPolicy', policy, 'deleting the table\'s data with the stack takes two explicit choices: set '
      + 'deletionProtection: false as well (with deletion protection on, CloudFormation cannot delete the table and the stack deletion fails)');
  }
}

function checkAttribute(scope: IConstruct, prop: string, attribute: dynamodb.Attribute | undefined, required: boolean): void {
  if (attribute === undefined || attribute === null) {
    if (required) {
      throw BulwarkError.invalid(scope, prop, attribute ?? null, 'it is required: an attribute such as { name: \'orderId\', type: AttributeType.STRING }');
    }
    return;
  }
  if (typeof attribute !== 'object') {
    throw BulwarkError.invalid(scope, prop, attribute, 'it must be an attribute such as { name: \'orderId\', type: AttributeType.STRING }');
  }
  checkKnownProps(scope, attribute, ATTRIBUTE, prop);
  checkAttributeName(scope, `${prop}.name`, attribute.name);
  if (attribute.name === undefined) {
    throw BulwarkError.invalid(scope, `${prop}.name`, null, 'a key attribute needs a name');
  }
  checkEnum(scope, `${prop}.type`, attribute.type, dynamodb.AttributeType, 'dynamodb.AttributeType');
  if (attribute.type === undefined) {
    throw BulwarkError.invalid(scope, `${prop}.type`, null, 'a key attribute needs a type: STRING, NUMBER or BINARY');
  }
}

function checkAttributeName(scope: IConstruct, prop: string, name: unknown): void {
  if (name === undefined || Token.isUnresolved(name)) {
    return;
  }
  if (typeof name !== 'string' || name.length === 0 || Buffer.byteLength(name, 'utf8') > DYNAMODB_LIMITS.maxAttributeNameBytes) {
    throw BulwarkError.invalid(scope, prop, name, `it must be an attribute name of 1 to ${DYNAMODB_LIMITS.maxAttributeNameBytes} bytes`);
  }
}

function resolveCapacity(scope: IConstruct, prop: string, given: TableCapacityOptions | undefined): ResolvedCapacity {
  if (given === undefined || given === null || typeof given !== 'object') {
    throw BulwarkError.invalid(scope, prop, given ?? null, 'it is required: { maxCapacity, minCapacity?, targetUtilizationPercent? }');
  }
  checkKnownProps(scope, given, CAPACITY, prop);
  const minCapacity = given.minCapacity ?? DYNAMODB_DEFAULTS.minCapacity;
  const targetUtilizationPercent = given.targetUtilizationPercent ?? DYNAMODB_DEFAULTS.targetUtilizationPercent;
  if (given.maxCapacity === undefined) {
    throw BulwarkError.invalid(scope, `${prop}.maxCapacity`, null, 'it is required: the most capacity units auto scaling may provision');
  }
  checkInteger(scope, `${prop}.minCapacity`, minCapacity, 1, DYNAMODB_LIMITS.maxCapacity);
  checkInteger(scope, `${prop}.maxCapacity`, given.maxCapacity, 1, DYNAMODB_LIMITS.maxCapacity);
  checkInteger(scope, `${prop}.targetUtilizationPercent`, targetUtilizationPercent, DYNAMODB_LIMITS.minTargetUtilization, DYNAMODB_LIMITS.maxTargetUtilization);
  if (minCapacity > given.maxCapacity) {
    throw new BulwarkError(scope, `${prop}.minCapacity (${minCapacity}) is greater than ${prop}.maxCapacity (${given.maxCapacity})`);
  }
  return { minCapacity, maxCapacity: given.maxCapacity, targetUtilizationPercent };
}
