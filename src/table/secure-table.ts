import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { SECURE_TABLE_ALARMS, systemErrors, tableMetrics, tableWidgets } from './secure-table-monitoring';
import { SecureTableProps, TableIndexOptions } from './secure-table-props';
import { ResolvedCapacity, validateIndexOptions, validateTableProps } from './secure-table-validation';
import { OnDemandBillingOptions, TableBillingMode } from './table-billing';
import { TableStreamConsumer } from './table-stream-consumer';
import { ComplianceProfile } from '../core/compliance-profile';
import { BulwarkError } from '../core/errors';
import { StreamConsumerOptions } from '../core/stream-consumer-options';
import { constructContext, watchBackupFailures } from '../monitoring/construct-context';
import { acknowledge, KNOWN_FINDINGS } from '../private/acknowledgements';
import { AlarmSet } from '../private/alarm-set';
import { addToStackBackup } from '../private/backup-plan';
import { ConstructContext } from '../private/context';
import { DYNAMODB_ACTIONS } from '../private/defaults/dynamodb';
import { meansEveryone } from '../private/service-grants';
import { checkStreamConsumer, consumeStream, STREAM_CONSUMER_ALARMS } from '../private/stream-consumer';
import { shortPath } from '../private/validation';

/**
 * A DynamoDB table that keeps its data: point-in-time recovery, deletion protection and `RETAIN`
 * by default, encrypted (with the stack key in REGULATED), billed on demand (or provisioned with
 * auto scaling on the table and every index), with alarms on throttled requests and system errors
 * (and, provisioned, on capacity near the scaling maximum) and a dashboard section. Grants give
 * the table's data actions and, for a customer-managed key, the key only through DynamoDB.
 *
 * @example
 * const orders = new SecureTable(this, 'Orders', {
 *   partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING },
 *   timeToLiveAttribute: 'expiresAt',
 * });
 */
export class SecureTable extends Construct {
  /** The DynamoDB table (`AWS::DynamoDB::Table`, which every cdk-nag DynamoDB rule checks). */
  public readonly table: dynamodb.Table;

  /**
   * The customer-managed key that encrypts the table.
   *
   * @default - none: an AWS-owned key (STANDARD without `key`)
   */
  public readonly key?: kms.IKey;

  /** The compliance profile in force. */
  public readonly complianceProfile: ComplianceProfile;

  private readonly alarmSet: AlarmSet;
  private readonly context: ConstructContext;
  private consumersScope?: Construct;
  private readonly provisioned?: { readonly read: ResolvedCapacity; readonly write: ResolvedCapacity };
  private readonly onDemand?: OnDemandBillingOptions;
  private readonly contributorInsights: boolean;
  private readonly indexNames: string[] = [];
  private readonly indexesScope: Construct;
  /** The data grants so far, which each new index joins. */
  private readonly dataGrants: DataGrant[] = [];
  private listStreams?: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: SecureTableProps) {
    super(scope, id);
    const settings = validateTableProps(this, props);
    const context = constructContext(this, props);
    this.context = context;
    this.complianceProfile = context.profile;
    this.alarmSet = context.alarms(Object.values(SECURE_TABLE_ALARMS), props.alarms, 'SecureTableAlarmsProps');
    const provisioned = settings.read && settings.write ? { read: settings.read, write: settings.write } : undefined;
    this.provisioned = provisioned;
    if (!provisioned) {
      const reason = 'the table is billed on demand, which has no provisioned capacity to approach (the throttled-requests alarm covers it)';
      this.alarmSet.refuse(SECURE_TABLE_ALARMS.consumedReadCapacity, reason);
      this.alarmSet.refuse(SECURE_TABLE_ALARMS.consumedWriteCapacity, reason);
    }
    this.key = context.key(props.key);
    const onDemand = settings.billing.mode === TableBillingMode.ON_DEMAND ? settings.billing._onDemand ?? {} : undefined;
    this.onDemand = onDemand;
    this.contributorInsights = props.contributorInsights ?? false;

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: props.partitionKey,
      sortKey: props.sortKey,
      tableName: props.tableName,
      billingMode: provisioned ? dynamodb.BillingMode.PROVISIONED : dynamodb.BillingMode.PAY_PER_REQUEST,
      readCapacity: provisioned?.read.minCapacity,
      writeCapacity: provisioned?.write.minCapacity,
      maxReadRequestUnits: onDemand?.maxReadRequestUnits,
      maxWriteRequestUnits: onDemand?.maxWriteRequestUnits,
      encryption: this.key ? dynamodb.TableEncryption.CUSTOMER_MANAGED : dynamodb.TableEncryption.DEFAULT,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: props.pointInTimeRecovery ?? true },
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      timeToLiveAttribute: props.timeToLiveAttribute,
      stream: props.stream,
      contributorInsightsSpecification: props.contributorInsights ? { enabled: true } : undefined,
      tableClass: props.tableClass,
    });
    if (provisioned) {
      scale(this.table.autoScaleReadCapacity(provisioned.read), provisioned.read);
      scale(this.table.autoScaleWriteCapacity(provisioned.write), provisioned.write);
    }
    this.indexesScope = new Construct(this, 'Indexes');

    // Backups: the stack's plan; without it, STANDARD acknowledges the packs' finding as a priced feature
    // (REGULATED turns it on, so there a user's backup: false leaves the finding visible).
    if (props.backup ?? context.regulated) {
      watchBackupFailures(context.monitoring, addToStackBackup(this, backup.BackupResource.fromDynamoDbTable(this.table), this.key, 'dynamodb'));
    } else if (!context.regulated) {
      acknowledge(this.table.node.defaultChild as dynamodb.CfnTable, KNOWN_FINDINGS.dynamoDbBackupPlan);
    }

    // Alarms and dashboard.
    this.addAlarms();
    context.addSection('Table', ...tableWidgets(this.table));
  }

  /** The table's name. */
  public get tableName(): string {
    return this.table.tableName;
  }

  /** The table's ARN. */
  public get tableArn(): string {
    return this.table.tableArn;
  }

  /**
   * The ARN of the table's stream.
   *
   * @default - none without `stream`
   */
  public get tableStreamArn(): string | undefined {
    return this.table.tableStreamArn;
  }

  /** The alarms this construct created. */
  public get alarms(): cloudwatch.IAlarm[] {
    return this.alarmSet.alarms;
  }

  /** The names of the global secondary indexes added so far. */
  public get globalSecondaryIndexes(): string[] {
    return [...this.indexNames];
  }

  /**
   * Adds a global secondary index. It gets the table's on-demand caps and Contributor Insights; on a
   * provisioned table it scales with the table's bounds. It has its own throttled-requests alarm
   * (and, provisioned, consumed-capacity alarms): DynamoDB reports an index's metrics apart from the table's.
   * CloudFormation adds one index per table update: on an existing table, add them one deployment at a time.
   *
   * @param options the index's name, keys and projection
   */
  public addGlobalSecondaryIndex(options: TableIndexOptions): void {
    validateIndexOptions(this, options, this.indexNames);
    // An index has its own on-demand caps and Contributor Insights: the table's are given to it too.
    this.table.addGlobalSecondaryIndex({
      indexName: options.indexName,
      partitionKey: options.partitionKey,
      sortKey: options.sortKey,
      projectionType: options.projectionType,
      nonKeyAttributes: options.nonKeyAttributes,
      readCapacity: this.provisioned?.read.minCapacity,
      writeCapacity: this.provisioned?.write.minCapacity,
      maxReadRequestUnits: this.onDemand?.maxReadRequestUnits,
      maxWriteRequestUnits: this.onDemand?.maxWriteRequestUnits,
      contributorInsightsSpecification: this.contributorInsights ? { enabled: true } : undefined,
    });
    this.indexNames.push(options.indexName);
    for (const dataGrant of this.dataGrants) {
      this.grantIndex(dataGrant, options.indexName);
    }
    if (this.provisioned) {
      const { read, write } = this.provisioned;
      scale(this.table.autoScaleGlobalSecondaryIndexReadCapacity(options.indexName, read), read);
      scale(this.table.autoScaleGlobalSecondaryIndexWriteCapacity(options.indexName, write), write);
    }
    this.addAlarms(options.indexName);
  }

  /** Lets `grantee` read items (`GetItem`, `BatchGetItem`, `Query`, `Scan`, `ConditionCheckItem`, `DescribeTable`) of the table and its indexes. */
  public grantReadData(grantee: iam.IGrantable): iam.Grant {
    return this.grantData(grantee, DYNAMODB_ACTIONS.read, DYNAMODB_ACTIONS.keyRead);
  }

  /** Lets `grantee` write items (`PutItem`, `UpdateItem`, `DeleteItem`, `BatchWriteItem`, `DescribeTable`). */
  public grantWriteData(grantee: iam.IGrantable): iam.Grant {
    return this.grantData(grantee, DYNAMODB_ACTIONS.write, DYNAMODB_ACTIONS.keyWrite);
  }

  /** Lets `grantee` read and write items. */
  public grantReadWriteData(grantee: iam.IGrantable): iam.Grant {
    return this.grantData(grantee, [...new Set([...DYNAMODB_ACTIONS.read, ...DYNAMODB_ACTIONS.write])], DYNAMODB_ACTIONS.keyWrite);
  }

  /**
   * Lets `grantee` read the table's stream (`DescribeStream`, `GetRecords`, `GetShardIterator` on the
   * stream, and `ListStreams`, which Lambda's stream event source checks and which takes no resource:
   * for a role, in a policy of this table that holds only it). Needs `stream`.
   */
  public grantStreamRead(grantee: iam.IGrantable): iam.Grant {
    const streamArn = this.table.tableStreamArn;
    if (!streamArn) {
      throw new BulwarkError(this, 'grantStreamRead: the table has no stream; set stream (a dynamodb.StreamViewType) to give it one');
    }
    // A role of another stack gets the action in its own policy: the table's policy naming it would make each stack need the other.
    const principal = grantee.grantPrincipal;
    const role = principal instanceof iam.Role && Stack.of(principal) === Stack.of(this) ? principal : undefined;
    if (role) {
      this.listStreamsPolicy().attachToRole(role);
    } else {
      iam.Grant.addToPrincipal({ grantee, actions: [...DYNAMODB_ACTIONS.listStreams], resourceArns: ['*'] });
    }
    return this.withKey(iam.Grant.addToPrincipal({ grantee, actions: [...DYNAMODB_ACTIONS.stream], resourceArns: [streamArn] }),
      grantee, DYNAMODB_ACTIONS.keyRead);
  }

  /**
   * Lets `handler` consume the table's stream (needs `stream`): an event source mapping that retries a
   * failed batch a bounded number of times (3 unless told), splits it to isolate a bad record, takes
   * the records the function reports as failed (`batchItemFailures`), and sends what it gives up on to
   * a failure queue (an SQS on-failure destination: created, or `options.failureQueue`), with alarms on
   * how far behind the consumer is and on the failure queue. The function gets `grantStreamRead()`.
   *
   * @param id construct id of the consumer (`Consumers/<id>` under the table; API: never change it)
   * @param handler the function (a `SecureFunction`'s `lambdaFunction`, or any function)
   * @param options batching, retries and alarms
   */
  public addStreamConsumer(id: string, handler: lambda.IFunction, options: StreamConsumerOptions = {}): TableStreamConsumer {
    if (!this.table.tableStreamArn) {
      throw new BulwarkError(this, `addStreamConsumer('${id}'): the table has no stream; set stream (a dynamodb.StreamViewType) to give it one`);
    }
    checkStreamConsumer(this, handler, options);
    if (Stack.of(handler) !== Stack.of(this)) {
      throw BulwarkError.invalid(this, `addStreamConsumer('${id}') handler`, handler.node.path, `it is in stack ${Stack.of(handler).node.path} and `
        + `the table in ${Stack.of(this).node.path}: the mapping (in the function's stack) needs the stream, and the consumer's alarms and `
        + 'failure queue (in the table\'s) need the function, so each stack would need the other; consume the stream in the table\'s stack');
    }
    const alarms = this.context.alarms(Object.values(STREAM_CONSUMER_ALARMS), options?.alarms, 'StreamConsumerAlarmsProps', 'options.alarms');
    this.consumersScope ??= new Construct(this, 'Consumers');
    const scope = new Construct(this.consumersScope, id);
    this.grantStreamRead(handler);
    const parts = consumeStream(scope, this.context, alarms, handler, this.table.tableStreamArn, options ?? {});
    return { ...parts, alarms: alarms.alarms };
  }

  /**
   * Adds a statement to the table's resource-based policy (DynamoDB's, on the table and its
   * indexes; not the stream), for access from another account. An Allow must name its principals;
   * one that names everyone (`*`) is refused. A principal in another account also needs the table's
   * key, when it has a customer-managed one: allow it in the key's policy.
   *
   * @param statement the statement (principals, actions; without resources, `*`: the table and its indexes)
   */
  public addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult {
    if (!(statement instanceof iam.PolicyStatement)) {
      throw BulwarkError.invalid(this, 'addToResourcePolicy() statement', statement, 'it must be an iam.PolicyStatement');
    }
    const json = Stack.of(this).resolve(statement.toStatementJson()) as { Principal?: unknown; NotPrincipal?: unknown; Effect?: string };
    const allows = json.Effect !== 'Deny';
    if (allows && (json.NotPrincipal !== undefined || json.Principal === undefined)) {
      throw new BulwarkError(this, 'addToResourcePolicy(): the statement must name its principals (a role or an account); '
        + `${json.NotPrincipal !== undefined ? 'NotPrincipal allows everyone else' : 'it has none'}`);
    }
    const principals = typeof json.Principal === 'string' ? { AWS: json.Principal } : json.Principal as Record<string, unknown>;
    // A Deny for everyone (outside the organisation, say) only narrows access.
    if (allows && meansEveryone(principals)) {
      throw new BulwarkError(this, `addToResourcePolicy(): the statement allows everyone (${JSON.stringify(json.Principal)}); name the `
        + 'principals that need the table: a role or an account (new iam.AccountPrincipal(\'111122223333\'))');
    }
    // The table's own ARN in its own policy is a reference to itself, which CloudFormation refuses: in a table's policy `*` is the table.
    const own = [this.table.tableArn, `${this.table.tableArn}/index/*`].map((arn) => JSON.stringify(Stack.of(this).resolve(arn)));
    if (statement.resources.some((resource) => own.some((arn) => JSON.stringify(Stack.of(this).resolve(resource)).includes(arn.slice(1, -1))))) {
      throw new BulwarkError(this, 'addToResourcePolicy(): the statement names the table\'s own ARN, which makes the table depend on itself; '
        + 'leave resources out (or give \'*\'): in the table\'s policy they mean the table and its indexes');
    }
    const scoped = statement.resources.length > 0 ? statement : statement.copy({ resources: ['*'] });
    return this.table.addToResourcePolicy(scoped);
  }

  /** Throttled read and write requests of the table, or of one index (sum over `period`, 5 minutes unless given). */
  public metricThrottledRequests(period?: Duration, indexName?: string): cloudwatch.IMetric {
    return tableMetrics(this.table).throttledRequests(indexName)(period ?? DEFAULT_PERIOD);
  }

  /** Requests that failed with DynamoDB server errors, over the data operations (sum over `period`, 5 minutes unless given). */
  public metricSystemErrors(period?: Duration): cloudwatch.IMetric {
    return systemErrors(this.table, period ?? DEFAULT_PERIOD);
  }

  /** Consumed read capacity units (sum over 5 minutes unless given). */
  public metricConsumedReadCapacityUnits(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.table.metricConsumedReadCapacityUnits(props);
  }

  /** Consumed write capacity units (sum over 5 minutes unless given). */
  public metricConsumedWriteCapacityUnits(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.table.metricConsumedWriteCapacityUnits(props);
  }

  /** The latency of successful requests of one operation in milliseconds (`SuccessfulRequestLatency`, average over 5 minutes unless given). */
  public metricSuccessfulRequestLatency(operation: dynamodb.Operation, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.table.metricSuccessfulRequestLatency({ ...props, dimensionsMap: { TableName: this.table.tableName, Operation: operation } });
  }

  /**
   * The data actions on the table and on each of its indexes by name (no `index/*`): indexes added
   * later join the index statement of every grant made before.
   */
  private grantData(grantee: iam.IGrantable, actions: readonly string[], keyActions: readonly string[]): iam.Grant {
    const grant = iam.Grant.addToPrincipal({ grantee, actions: [...actions], resourceArns: [this.table.tableArn] });
    const dataGrant: DataGrant = { grantee, actions };
    this.dataGrants.push(dataGrant);
    for (const name of this.indexNames) {
      this.grantIndex(dataGrant, name);
    }
    return this.withKey(grant, grantee, keyActions);
  }

  /** Adds the index `name` to the index statement of `dataGrant` (made on its first index). */
  private grantIndex(dataGrant: DataGrant, name: string): void {
    if (dataGrant.indexStatement) {
      dataGrant.indexStatement.addResources(this.indexArn(name));
      return;
    }
    dataGrant.indexStatement = new iam.PolicyStatement({ actions: [...dataGrant.actions], resources: [this.indexArn(name)] });
    dataGrant.grantee.grantPrincipal.addToPrincipalPolicy(dataGrant.indexStatement);
  }

  /**
   * The alarms of the table, or of one index (in `Indexes/<name>`): throttles, the table's system
   * errors, and, provisioned, consumed capacity against the scaling maximum, which an index can
   * reach on its own (DynamoDB reports an index's metrics apart from the table's).
   */
  private addAlarms(indexName?: string): void {
    const metrics = tableMetrics(this.table);
    const where = shortPath(this);
    const scope = indexName === undefined ? undefined : new Construct(this.indexesScope, indexName);
    this.alarmSet.add(SECURE_TABLE_ALARMS.throttledRequests, metrics.throttledRequests(indexName), { scope, where, extra: indexName });
    if (indexName === undefined) {
      this.alarmSet.add(SECURE_TABLE_ALARMS.systemErrors, metrics.systemErrors, { where });
    }
    if (!this.provisioned) {
      return;
    }
    const sides = [
      [SECURE_TABLE_ALARMS.consumedReadCapacity, 'ConsumedReadCapacityUnits', 'read', this.provisioned.read],
      [SECURE_TABLE_ALARMS.consumedWriteCapacity, 'ConsumedWriteCapacityUnits', 'write', this.provisioned.write],
    ] as const;
    for (const [spec, metricName, side, bounds] of sides) {
      this.alarmSet.add(spec, metrics.consumedCapacity(metricName, bounds.maxCapacity, indexName),
        { scope, where, extra: { side, maxCapacity: bounds.maxCapacity, indexName } });
    }
  }

  private indexArn(indexName: string): string {
    return `${this.table.tableArn}/index/${indexName}`;
  }

  /** The managed policy that holds `dynamodb:ListStreams` for this table's stream readers (created on first use). */
  private listStreamsPolicy(): iam.ManagedPolicy {
    if (!this.listStreams) {
      this.listStreams = new iam.ManagedPolicy(this, 'ListStreamsPolicy', {
        description: `dynamodb:ListStreams for the stream readers of ${shortPath(this)} (it takes no resource)`,
        statements: [new iam.PolicyStatement({ actions: [...DYNAMODB_ACTIONS.listStreams], resources: ['*'] })],
      });
      acknowledge(this.listStreams.node.defaultChild as iam.CfnManagedPolicy, KNOWN_FINDINGS.dynamoDbListStreams);
    }
    return this.listStreams;
  }

  /**
   * `grant` and, for a customer-managed key, the key actions DynamoDB needs of the caller, only
   * through DynamoDB (`kms:ViaService`; DynamoDB developer guide, "Authorizing use of your customer
   * managed key"). Not narrowed to the table's encryption context: `kms:DescribeKey` carries none,
   * and what stream reads carry is unverified without a deployment. The data statement scopes the table.
   */
  private withKey(grant: iam.Grant, grantee: iam.IGrantable, keyActions: readonly string[]): iam.Grant {
    if (!this.key) {
      return grant;
    }
    return grant.combine(iam.Grant.addToPrincipal({
      grantee,
      actions: [...keyActions],
      resourceArns: [this.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
    }));
  }
}

/** A data grant, remembered so that indexes added later join it. */
interface DataGrant {
  readonly grantee: iam.IGrantable;
  readonly actions: readonly string[];
  indexStatement?: iam.PolicyStatement;
}

/** Target tracking of one side of a provisioned table or index. */
function scale(capacity: dynamodb.IScalableTableAttribute, bounds: ResolvedCapacity): void {
  capacity.scaleOnUtilization({ targetUtilizationPercent: bounds.targetUtilizationPercent });
}

/** CloudWatch's default period, for metrics built from a math expression. */
const DEFAULT_PERIOD = Duration.minutes(5);
