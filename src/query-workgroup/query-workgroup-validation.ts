import { Duration, Size, Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { QueryDataFormat, QueryTableOptions } from './query-table';
import type { QueryWorkgroupProps } from './query-workgroup-props';
import { SecureBucket } from '../bucket/secure-bucket';
import { BulwarkError } from '../core/errors';
import { checkSameRegion } from '../private/api-environment';
import { ATHENA_LIMITS } from '../private/defaults/athena';
import { checkKnownProps, propKeys } from '../private/props';
import { checkShape, SHAPES } from '../private/shapes';
import { checkDuration, checkEnum, checkResource } from '../private/validation';

// Internal to the library: every check of QueryWorkgroup's input, run before anything is made.

const PROPS = propKeys<QueryWorkgroupProps>()('QueryWorkgroupProps', ['workgroupName', 'bytesScannedCutoffPerQuery', 'engineVersion',
  'resultsBucket', 'resultsPrefix', 'resultsExpiration', 'key', 'databaseName', 'alarms', 'complianceProfile', 'monitoring']);
const TABLE = propKeys<QueryTableOptions>()('QueryTableOptions', ['bucket', 'prefix', 'columns', 'format', 'tableName', 'description']);

const WORKGROUP_NAME = /^[a-zA-Z0-9._-]+$/;
/** Glue names as Athena reads them: lowercase letters, digits and underscores. */
const GLUE_NAME = /^[a-z0-9_]+$/;
/** Hive primitive types, with their parameters, and the complex types (checked for balanced brackets only). */
const PRIMITIVE = /^(string|int|bigint|smallint|tinyint|double|float|boolean|date|timestamp|binary|decimal\((\d+),(\d+)\)|decimal|varchar\((\d+)\)|char\((\d+)\))$/;
const COMPLEX = /^(array|map|struct)<.+>$/;
/** The OpenCSV SerDe reads only these; timestamps and dates only as UNIX numbers (Athena user guide, "Open CSV SerDe for processing CSV"). */
const CSV_TYPES = new Set(['string', 'boolean', 'int', 'bigint', 'double']);

/** A column type as Glue stores it for Athena: lowercase, no spaces, Hive names (`integer` is Athena DDL's alias of `int`). */
export function glueType(type: string): string {
  return type.toLowerCase().replace(/\s+/g, '').replace(/\binteger\b/g, 'int');
}

/** Validates the props of `QueryWorkgroup`. */
export function validateWorkgroupProps(scope: IConstruct, props: QueryWorkgroupProps): void {
  if (props === null || typeof props !== 'object') {
    throw BulwarkError.invalid(scope, 'props', props, 'they must be a QueryWorkgroupProps object, or left out for the defaults');
  }
  checkKnownProps(scope, props, PROPS);
  const name = props.workgroupName;
  if (name !== undefined && !Token.isUnresolved(name)
    && (typeof name !== 'string' || name.length > ATHENA_LIMITS.maxWorkgroupNameLength || !WORKGROUP_NAME.test(name))) {
    throw BulwarkError.invalid(scope, 'workgroupName', name, `it must be 1 to ${ATHENA_LIMITS.maxWorkgroupNameLength} letters, digits, '.', '_' or '-'`);
  }
  const cutoff = props.bytesScannedCutoffPerQuery;
  if (cutoff !== undefined) {
    if (!(cutoff instanceof Size)) {
      throw BulwarkError.invalid(scope, 'bytesScannedCutoffPerQuery', cutoff, 'it must be a Size (Size.gibibytes(10))');
    }
    if (!cutoff.isUnresolved() && cutoff.toBytes() < ATHENA_LIMITS.minBytesScannedCutoff) {
      throw BulwarkError.invalid(scope, 'bytesScannedCutoffPerQuery', `${cutoff.toBytes()} bytes`,
        `Athena's minimum is ${ATHENA_LIMITS.minBytesScannedCutoff.toLocaleString('en-US')} bytes (10 MB)`);
    }
  }
  if (props.engineVersion !== undefined && !Token.isUnresolved(props.engineVersion)
    && (typeof props.engineVersion !== 'string' || !/^(AUTO|Athena engine version \d+)$/.test(props.engineVersion))) {
    throw BulwarkError.invalid(scope, 'engineVersion', props.engineVersion, 'it must name an Athena engine: \'Athena engine version 3\' (or \'AUTO\')');
  }
  checkResource(scope, 'resultsBucket', props.resultsBucket, 'bucketName', 'an S3 bucket (s3.IBucket)');
  if (props.resultsBucket !== undefined) {
    checkSameRegion(scope, 'resultsBucket', props.resultsBucket.node.path, props.resultsBucket.env.region,
      'Athena writes results only to a bucket of the workgroup\'s region');
    if (props.resultsExpiration !== undefined) {
      throw new BulwarkError(scope, 'resultsExpiration applies to the results bucket created here; with resultsBucket, expire results with its own lifecycle');
    }
  }
  checkPrefix(scope, 'resultsPrefix', props.resultsPrefix);
  checkDuration(scope, 'resultsExpiration', props.resultsExpiration, Duration.days(1), Duration.days(36500));
  if (props.resultsExpiration !== undefined && !props.resultsExpiration.isUnresolved() && !Number.isInteger(props.resultsExpiration.toHours() / 24)) {
    throw BulwarkError.invalid(scope, 'resultsExpiration', props.resultsExpiration, 'S3 lifecycle rules count whole days; give Duration.days(n)');
  }
  checkShape(scope, 'key', props.key, SHAPES.key);
  checkGlueName(scope, 'databaseName', props.databaseName);
}

/** Validates a table's options; `taken` holds the names of the tables so far. */
export function validateTable(scope: IConstruct, id: string, options: QueryTableOptions, taken: ReadonlySet<string>, tableName: string): void {
  const prop = `addTable('${id}')`;
  if (options === null || typeof options !== 'object') {
    throw BulwarkError.invalid(scope, prop, options, 'give its options: { bucket, prefix, columns }');
  }
  checkKnownProps(scope, options, TABLE, `options of ${prop}`);
  const bucket: unknown = options.bucket;
  if (!(bucket instanceof SecureBucket)) {
    throw BulwarkError.invalid(scope, `${prop} bucket`, Construct.isConstruct(bucket) ? bucket.node.path : bucket,
      'it must be a SecureBucket (its grants reach the table\'s readers)');
  }
  checkPrefix(scope, `${prop} prefix`, options.prefix, true);
  checkEnum(scope, `${prop} format`, options.format, QueryDataFormat as unknown as Record<string, string>, 'QueryDataFormat');
  checkGlueName(scope, `${prop} tableName`, tableName);
  if (taken.has(tableName)) {
    throw BulwarkError.invalid(scope, `${prop} tableName`, tableName, 'the database already has a table of this name');
  }
  if (!Array.isArray(options.columns) || options.columns.length === 0) {
    throw BulwarkError.invalid(scope, `${prop} columns`, options.columns, 'it must list at least one column: { name, dataType }');
  }
  const names = new Set<string>();
  options.columns.forEach((column, i) => {
    const at = `${prop} columns[${i}]`;
    if (column === null || typeof column !== 'object') {
      throw BulwarkError.invalid(scope, at, column, 'it must be a column: { name, dataType }');
    }
    checkGlueName(scope, `${at}.name`, column.name);
    if (names.has(column.name)) {
      throw BulwarkError.invalid(scope, `${at}.name`, column.name, 'an earlier column has this name');
    }
    names.add(column.name);
    const type = typeof column.dataType === 'string' ? glueType(column.dataType) : column.dataType;
    const primitive = typeof type === 'string' ? PRIMITIVE.exec(type) : null;
    if (typeof type !== 'string' || !(primitive || (COMPLEX.test(type) && balanced(type)))) {
      throw BulwarkError.invalid(scope, `${at}.dataType`, column.dataType, 'it must be a Hive type: string, int, bigint, double, boolean, date, timestamp, '
        + 'decimal(p,s), varchar(n), ... or array<...>, map<...,...>, struct<...>');
    }
    const [precision, scale, varchar, char] = [2, 3, 4, 5].map((group) => primitive?.[group] === undefined ? undefined : Number(primitive[group]));
    if ((precision !== undefined && (precision < 1 || precision > 38 || scale! > precision))
      || (varchar !== undefined && (varchar < 1 || varchar > 65535)) || (char !== undefined && (char < 1 || char > 255))) {
      throw BulwarkError.invalid(scope, `${at}.dataType`, column.dataType, 'decimal takes a precision of 1 to 38 and a scale up to it, varchar 1 to '
        + '65,535 characters, char 1 to 255');
    }
    if (options.format === QueryDataFormat.CSV && !CSV_TYPES.has(type)) {
      throw BulwarkError.invalid(scope, `${at}.dataType`, column.dataType, `the OpenCSV SerDe reads only ${[...CSV_TYPES].join(', ')} (Athena user `
        + 'guide, "Open CSV SerDe for processing CSV"); read timestamps and dates as string and convert them in the query, or store JSON or Parquet');
    }
  });
}

/** The table name of `id`: lowercase, other characters as `_`. */
export function defaultTableName(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

function balanced(type: string): boolean {
  let depth = 0;
  for (const c of type) {
    depth += c === '<' ? 1 : c === '>' ? -1 : 0;
    if (depth < 0) {
      return false;
    }
  }
  return depth === 0;
}

function checkGlueName(scope: IConstruct, prop: string, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) {
    return;
  }
  if (typeof name !== 'string' || name.length === 0 || name.length > ATHENA_LIMITS.maxGlueNameLength || !GLUE_NAME.test(name)) {
    throw BulwarkError.invalid(scope, prop, name, `it must be 1 to ${ATHENA_LIMITS.maxGlueNameLength} lowercase letters, digits or '_' `
      + '(Athena reads Glue names lowercase)');
  }
}

function checkPrefix(scope: IConstruct, prop: string, prefix: string | undefined, required = false): void {
  if ((prefix === undefined && !required) || Token.isUnresolved(prefix)) {
    return;
  }
  if (typeof prefix !== 'string' || prefix === '' || prefix.startsWith('/') || !prefix.endsWith('/')) {
    throw BulwarkError.invalid(scope, prop, prefix, 'it must be a key prefix that ends with \'/\' and does not start with one (sales/)');
  }
}
