import { Duration, Names, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { QueryDataFormat, QueryTableOptions } from './query-table';
import { QUERY_WORKGROUP_ALARMS, workgroupMetrics, workgroupWidgets } from './query-workgroup-monitoring';
import { QueryWorkgroupProps } from './query-workgroup-props';
import { defaultTableName, glueType, validateTable, validateWorkgroupProps } from './query-workgroup-validation';
import { SecureBucket } from '../bucket/secure-bucket';
import { ComplianceProfile } from '../core/compliance-profile';
import { BulwarkError } from '../core/errors';
import { constructContext } from '../monitoring/construct-context';
import { AlarmSet } from '../private/alarm-set';
import { ATHENA_ACTIONS, ATHENA_DEFAULTS } from '../private/defaults/athena';
import { checkGrantee } from '../private/shapes';
import { shortPath } from '../private/validation';

/** How each data format is read (Athena user guide, "Supported SerDes and data formats"). */
/** How Glue and Athena read one data format. */
interface DataFormat {
  readonly classification: string;
  readonly serde: string;
  readonly input: string;
  readonly output: string;
  readonly parameters?: Record<string, string>;
}

const FORMATS: Record<QueryDataFormat, DataFormat> = {
  [QueryDataFormat.JSON]: {
    classification: 'json',
    serde: 'org.openx.data.jsonserde.JsonSerDe',
    input: 'org.apache.hadoop.mapred.TextInputFormat',
    output: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
  },
  [QueryDataFormat.CSV]: {
    classification: 'csv',
    serde: 'org.apache.hadoop.hive.serde2.OpenCSVSerde',
    input: 'org.apache.hadoop.mapred.TextInputFormat',
    output: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
    parameters: { separatorChar: ',', quoteChar: '"', escapeChar: '\\' },
  },
  [QueryDataFormat.PARQUET]: {
    classification: 'parquet',
    serde: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    input: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
    output: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  },
};

/**
 * An Athena workgroup for querying data in S3 with the cost and the results under control: its
 * configuration enforced (clients cannot send results elsewhere or unencrypted), a per-query
 * bytes-scanned cutoff, the engine version pinned, CloudWatch metrics on, results in a `SecureBucket`
 * (encrypted, expiring), alarms on failed queries and on bytes scanned, and Glue tables over
 * `SecureBucket` prefixes (`addTable()`) so that a query reads them by name. `grantQuery()` gives a
 * principal everything a query needs: the workgroup, the results, the tables and their data.
 *
 * @example
 * const sales = new SecureBucket(this, 'Sales');
 * const reporting = new QueryWorkgroup(this, 'Reporting');
 * reporting.addTable('Orders', { bucket: sales, prefix: 'orders/', columns: [{ name: 'order_id', dataType: 'string' }, { name: 'total', dataType: 'double' }] });
 */
export class QueryWorkgroup extends Construct {
  /** The Athena workgroup. */
  public readonly workgroup: athena.CfnWorkGroup;

  /** The bucket of the query results, created or brought. */
  public readonly resultsBucket: s3.IBucket;

  /**
   * The created results bucket.
   *
   * @default - none with `resultsBucket`
   */
  public readonly resultsSecureBucket?: SecureBucket;

  /**
   * The customer-managed key that encrypts the results.
   *
   * @default - none: SSE-S3 (STANDARD without `key`)
   */
  public readonly key?: kms.IKey;

  /** The compliance profile in force. */
  public readonly complianceProfile: ComplianceProfile;

  /** The name of the Glue database of `addTable()`'s tables (created with the first table). */
  public readonly databaseName: string;

  private readonly alarmSet: AlarmSet;
  private readonly resultsPrefix: string;
  private readonly workgroupName: string;
  private databaseResource?: glue.CfnDatabase;
  private tablesScope?: Construct;
  private readonly tableMap = new Map<string, { readonly table: glue.CfnTable; readonly options: QueryTableOptions }>();
  /** Each grantee so far and its Glue statement, which each new table joins. */
  private readonly grantees: Array<{ readonly grantee: iam.IGrantable; readonly glue: iam.PolicyStatement }> = [];

  constructor(scope: Construct, id: string, props: QueryWorkgroupProps = {}) {
    super(scope, id);
    validateWorkgroupProps(this, props);
    const context = constructContext(this, props);
    this.complianceProfile = context.profile;
    this.alarmSet = context.alarms(Object.values(QUERY_WORKGROUP_ALARMS), props.alarms, 'QueryWorkgroupAlarmsProps');
    this.key = context.key(props.key);
    this.resultsPrefix = props.resultsPrefix ?? ATHENA_DEFAULTS.resultsPrefix;
    this.workgroupName = props.workgroupName ?? Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    this.databaseName = props.databaseName ?? Names.uniqueResourceName(this, { maxLength: 255, separator: '_' }).toLowerCase().replace(/[^a-z0-9_]/g, '_');

    if (props.resultsBucket) {
      this.resultsBucket = props.resultsBucket;
    } else {
      this.resultsSecureBucket = new SecureBucket(this, 'Results', {
        complianceProfile: context.profile,
        monitoring: props.monitoring,
        key: this.key,
        noncurrentVersionExpiration: ATHENA_DEFAULTS.resultsNoncurrentVersionExpiration,
        lifecycleRules: [{ id: 'ExpireResults', prefix: this.resultsPrefix, expiration: props.resultsExpiration ?? ATHENA_DEFAULTS.resultsExpiration }],
      });
      this.resultsBucket = this.resultsSecureBucket.bucket;
    }

    this.workgroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: this.workgroupName,
      description: `cdk-bulwark QueryWorkgroup ${shortPath(this, 900)}`,
      state: 'ENABLED',
      // A workgroup that has run a query is deleted only with its query history and saved queries
      // (Athena API reference, DeleteWorkGroup); the results stay in their retained bucket.
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        requesterPaysEnabled: false,
        bytesScannedCutoffPerQuery: (props.bytesScannedCutoffPerQuery ?? ATHENA_DEFAULTS.bytesScannedCutoffPerQuery).toBytes(),
        engineVersion: { selectedEngineVersion: props.engineVersion ?? ATHENA_DEFAULTS.engineVersion },
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/${this.resultsPrefix}`,
          expectedBucketOwner: this.resultsBucket.env.account,
          encryptionConfiguration: this.key
            ? { encryptionOption: 'SSE_KMS', kmsKey: this.key.keyArn }
            : { encryptionOption: 'SSE_S3' },
        },
      },
    });

    // Alarms and dashboard.
    const metrics = workgroupMetrics(this.workgroupName);
    const where = shortPath(this);
    this.alarmSet.add(QUERY_WORKGROUP_ALARMS.failedQueries, metrics.failedQueries, { where });
    this.alarmSet.add(QUERY_WORKGROUP_ALARMS.processedBytes, metrics.processedBytes, { where });
    context.addSection('QueryWorkgroup', ...workgroupWidgets(this.workgroupName));
  }

  /** The workgroup's name. */
  public get name(): string {
    return this.workgroupName;
  }

  /** The workgroup's ARN. */
  public get workgroupArn(): string {
    return Stack.of(this).formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.workgroupName });
  }

  /** The alarms this construct created. */
  public get alarms(): cloudwatch.IAlarm[] {
    return this.alarmSet.alarms;
  }

  /**
   * The Glue database, once the first table is added.
   *
   * @default - none before the first table
   */
  public get database(): glue.CfnDatabase | undefined {
    return this.databaseResource;
  }

  /** The names of the tables added so far. */
  public get tableNames(): string[] {
    return [...this.tableMap.keys()];
  }

  /**
   * Adds a Glue table over the objects under `prefix` in a `SecureBucket`, in the workgroup's
   * database (created with the first table), so that queries read it by name
   * (`SELECT ... FROM "<database>"."<table>"`). Principals granted `grantQuery()` before or after may
   * read it and its data.
   *
   * @param id the construct id of the table (`Tables/<id>`: never change it)
   * @param options the bucket, prefix, columns and format
   */
  public addTable(id: string, options: QueryTableOptions): glue.CfnTable {
    const tableName = options?.tableName ?? defaultTableName(String(id));
    validateTable(this, id, options, new Set(this.tableMap.keys()), tableName);
    const stack = Stack.of(this);
    const database = this.ensureDatabase();
    this.tablesScope ??= new Construct(this, 'Tables');
    const format = FORMATS[options.format ?? QueryDataFormat.JSON];
    const table = new glue.CfnTable(this.tablesScope, id, {
      catalogId: stack.account,
      databaseName: this.databaseName,
      tableInput: {
        name: tableName,
        description: options.description,
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          classification: format.classification,
          ...(options.format === QueryDataFormat.CSV ? { 'skip.header.line.count': '1' } : {}),
        },
        storageDescriptor: {
          columns: options.columns.map((c) => ({ name: c.name, type: glueType(c.dataType), comment: c.comment })),
          location: `s3://${options.bucket.bucketName}/${options.prefix}`,
          inputFormat: format.input,
          outputFormat: format.output,
          serdeInfo: { serializationLibrary: format.serde, parameters: format.parameters },
        },
      },
    });
    table.addResourceDependency(database);
    this.tableMap.set(tableName, { table, options });
    for (const { grantee, glue: statement } of this.grantees) {
      statement.addResources(this.tableArn(tableName));
      options.bucket.grantRead(grantee, `${options.prefix}*`);
    }
    return table;
  }

  /**
   * Lets `grantee` run queries in this workgroup: the Athena query actions on the workgroup, read and
   * write of the results under `resultsPrefix` (with the results key only through S3), the Glue
   * database and its tables, and read of each table's data (tables added later too).
   *
   * @param grantee the principal (a function, a role)
   */
  public grantQuery(grantee: iam.IGrantable): iam.Grant {
    checkGrantee(this, 'grantQuery()', grantee);
    const stack = Stack.of(this);
    // The catalog, the database and each of its tables by name (tables added later join the statement),
    // through Athena only. First: a principal without a policy here is refused before anything is granted.
    const statement = new iam.PolicyStatement({
      actions: [...ATHENA_ACTIONS.glueRead],
      resources: [
        stack.formatArn({ service: 'glue', resource: 'catalog' }),
        stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName }),
        ...[...this.tableMap.keys()].map((name) => this.tableArn(name)),
      ],
      conditions: { 'ForAnyValue:StringEquals': { 'aws:CalledVia': ['athena.amazonaws.com'] } },
    });
    if (!grantee.grantPrincipal.addToPrincipalPolicy(statement).statementAdded) {
      throw new BulwarkError(this, `grantQuery(): ${grantee.grantPrincipal} has no policy this app can change (an imported role, another `
        + 'account); a query needs the workgroup, the results and the tables granted together: grant a role of this app, or write its policy yourself');
    }
    let grant = iam.Grant.addToPrincipal({ grantee, actions: [...ATHENA_ACTIONS.query], resourceArns: [this.workgroupArn] });
    // Results: Athena writes and reads them with the caller's credentials.
    if (this.resultsSecureBucket) {
      grant = grant.combine(this.resultsSecureBucket.grantRead(grantee, `${this.resultsPrefix}*`))
        .combine(this.resultsSecureBucket.grantPut(grantee, `${this.resultsPrefix}*`));
    } else {
      grant = grant.combine(iam.Grant.addToPrincipal({
        grantee,
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resourceArns: [this.resultsBucket.arnForObjects(`${this.resultsPrefix}*`)],
      }))
        .combine(iam.Grant.addToPrincipal({ grantee, actions: ['s3:ListBucket', 's3:GetBucketLocation'], resourceArns: [this.resultsBucket.bucketArn] }));
      if (this.key) {
        // The encryption context is the bucket's ARN with S3 Bucket Keys, the object's without: a bucket of yours may have either.
        grant = grant.combine(iam.Grant.addToPrincipal({
          grantee,
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resourceArns: [this.key.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` },
            StringLike: { 'kms:EncryptionContext:aws:s3:arn': [this.resultsBucket.bucketArn, this.resultsBucket.arnForObjects(`${this.resultsPrefix}*`)] },
          },
        }));
      }
    }
    for (const { options } of this.tableMap.values()) {
      grant = grant.combine(options.bucket.grantRead(grantee, `${options.prefix}*`));
    }
    this.grantees.push({ grantee, glue: statement });
    return grant;
  }

  /** Failed or cancelled DML queries (the sample count of `TotalExecutionTime` in state FAILED or CANCELED, over 5 minutes unless given). */
  public metricFailedQueries(period?: Duration): cloudwatch.IMetric {
    return workgroupMetrics(this.workgroupName).failedQueries(period ?? Duration.minutes(5));
  }

  /** Bytes scanned by DML queries in every state (`ProcessedBytes`, sum over 5 minutes unless given). */
  public metricProcessedBytes(period?: Duration): cloudwatch.IMetric {
    return workgroupMetrics(this.workgroupName).processedBytes(period ?? Duration.minutes(5));
  }

  private tableArn(tableName: string): string {
    return Stack.of(this).formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/${tableName}` });
  }

  private ensureDatabase(): glue.CfnDatabase {
    this.databaseResource ??= new glue.CfnDatabase(this, 'Database', {
      catalogId: Stack.of(this).account,
      databaseInput: { name: this.databaseName, description: `Tables of the cdk-bulwark QueryWorkgroup ${shortPath(this, 1000)}` },
    });
    return this.databaseResource;
  }
}
