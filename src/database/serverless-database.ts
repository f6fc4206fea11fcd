import { Aws, CfnResource, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { alarmMetric, databaseWidgets, serverlessDatabaseAlarms, writerMetric } from './serverless-database-monitoring';
import { ServerlessDatabaseProps } from './serverless-database-props';
import { databaseSubnets, validateServerlessDatabaseProps } from './serverless-database-validation';
import { ComplianceProfile } from '../core/compliance-profile';
import { BulwarkError } from '../core/errors';
import { SecureFunction } from '../function/secure-function';
import { constructContext, watchBackupFailures } from '../monitoring/construct-context';
import { acknowledge, KNOWN_FINDINGS } from '../private/acknowledgements';
import { addToStackBackup } from '../private/backup-plan';
import { RDS_ACTIONS, RDS_DEFAULTS, RDS_LIMITS } from '../private/defaults/rds';
import { retainedLogGroup } from '../private/log-groups';
import { separatePolicy, serviceRole } from '../private/managed-policy-role';
import { grantCalledByService } from '../private/network-endpoints';
import { checkGrantee } from '../private/shapes';
import { grantScopedKeyUse, KeyVia } from '../private/stack-key';
import { sharedNetwork } from '../private/stack-resources';
import { shortPath } from '../private/validation';
import { warn, WARNINGS } from '../private/warnings';

/**
 * An Aurora Serverless v2 PostgreSQL cluster, secure and observable by default: in isolated subnets
 * (the stack's shared network, or your VPC) behind a security group that admits only what is granted;
 * storage encrypted; TLS required; IAM database authentication; the master password created, kept and
 * rotated by RDS in Secrets Manager (no rotation function); backups kept 7 days, deletion protection
 * and a final snapshot; Performance Insights; the PostgreSQL log exported to a retained log group
 * created first (no log-retention function); scale to zero by default; optional Data API; alarms on
 * CPU, capacity, connections, memory and local storage.
 *
 * @example
 * const db = new ServerlessDatabase(this, 'Orders', { defaultDatabaseName: 'orders', maxCapacity: 4 });
 * const api = new SecureFunction(this, 'OrdersApi', {
 *   code: lambda.Code.fromAsset('handlers/orders'),
 *   handler: 'index.handler',
 *   vpc: db.vpc,
 * });
 * db.grantConnect(api, 'orders_app');
 */
export class ServerlessDatabase extends Construct implements ec2.IConnectable {
  /** The Aurora cluster. */
  public readonly cluster: rds.DatabaseCluster;

  /** The master user's secret, which RDS creates and rotates (`username`, `password`). */
  public readonly secret: secretsmanager.ISecret;

  /** The VPC the database runs in. */
  public readonly vpc: ec2.IVpc;

  /** The database's security groups: allow a client with `connections.allowDefaultPortFrom(client)`, or use `grantConnect()`. */
  public readonly connections: ec2.Connections;

  /** The log group the PostgreSQL log is exported to (`/aws/rds/cluster/<cluster>/postgresql`). */
  public readonly logGroup: logs.ILogGroup;

  /**
   * The customer-managed key of the storage, the secret, Performance Insights and the log group.
   *
   * @default - none: AWS managed keys (STANDARD without `key`)
   */
  public readonly key?: kms.IKey;

  /**
   * The role RDS publishes enhanced monitoring with.
   *
   * @default - none without enhanced monitoring
   */
  public readonly monitoringRole?: iam.IRole;

  /** The compliance profile in force. */
  public readonly complianceProfile: ComplianceProfile;

  /** The alarms this construct created. */
  public readonly alarms: cloudwatch.IAlarm[];

  private readonly dataApi: boolean;
  private monitoringPolicy?: CfnResource;

  constructor(scope: Construct, id: string, props: ServerlessDatabaseProps = {}) {
    super(scope, id);
    validateServerlessDatabaseProps(this, props);
    const context = constructContext(this, props);
    this.complianceProfile = context.profile;
    const minCapacity = props.minCapacity ?? RDS_DEFAULTS.minCapacity;
    const maxCapacity = props.maxCapacity ?? RDS_DEFAULTS.maxCapacity;
    const specs = serverlessDatabaseAlarms(minCapacity, maxCapacity);
    const alarms = context.alarms(Object.values(specs), props.alarms, 'ServerlessDatabaseAlarmsProps');
    this.key = context.key(props.key);
    this.dataApi = props.enableDataApi ?? false;

    // The network: isolated subnets, a security group that admits nothing until a client is allowed.
    this.vpc = props.vpc ?? sharedNetwork(this);
    const vpcSubnets = databaseSubnets(this, this.vpc, props.vpcSubnets);
    const securityGroups = props.securityGroups ?? [new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: this.vpc,
      // Static text: security group descriptions allow only a small character set.
      description: 'cdk-bulwark database: admits only the clients granted',
      allowAllOutbound: false,
    })];

    // The exported log's group is named after the cluster, so the cluster gets an explicit identifier,
    // unique in the stack and across stacks (the stack id's UUID): a retained log group of a deleted
    // stack never blocks the next one.
    const prefix = `${(/^[a-z]/.test(id.toLowerCase()) ? '' : 'db')}${id.toLowerCase().replace(/[^a-z0-9]/g, '')}`.slice(0, 12);
    const clusterIdentifier = Fn.join('-', [`${prefix}-${this.node.addr.slice(0, 8)}`, Fn.select(2, Fn.split('/', Aws.STACK_ID))]);
    const logGroup = retainedLogGroup(this, 'PostgresqlLogGroup', {
      key: this.key,
      retention: props.logRetention,
      logGroupName: Fn.join('', ['/aws/rds/cluster/', clusterIdentifier, '/postgresql']),
    });
    this.logGroup = logGroup;

    const interval = props.monitoringInterval ?? (context.regulated ? RDS_DEFAULTS.regulatedMonitoringInterval : undefined);
    const monitoring = interval !== undefined && (interval.isUnresolved() || interval.toSeconds() > 0);
    if (monitoring) {
      this.monitoringRole = this.enhancedMonitoringRole(context.traits.managedPolicies);
    }
    const performanceInsights = props.performanceInsights ?? true;
    const instance = {
      publiclyAccessible: false,
      autoMinorVersionUpgrade: true,
      enablePerformanceInsights: performanceInsights,
      performanceInsightEncryptionKey: performanceInsights ? this.key : undefined,
    };
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.SNAPSHOT;
    this.cluster = new rds.DatabaseCluster(this, 'Cluster', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: props.engineVersion ?? RDS_DEFAULTS.engineVersion }),
      clusterIdentifier,
      writer: rds.ClusterInstance.serverlessV2('Writer', instance),
      readers: Array.from({ length: props.readers ?? 0 }, (_, i) =>
        rds.ClusterInstance.serverlessV2(`Reader${i + 1}`, { ...instance, scaleWithWriter: true })),
      serverlessV2MinCapacity: minCapacity,
      serverlessV2MaxCapacity: maxCapacity,
      // A minimum given as a token pauses as told (or after Aurora's own 5 minutes when it is 0).
      serverlessV2AutoPauseDuration: minCapacity === 0 ? props.autoPauseAfter ?? RDS_DEFAULTS.autoPauseAfter : props.autoPauseAfter,
      vpc: this.vpc,
      vpcSubnets,
      securityGroups,
      port: RDS_DEFAULTS.port,
      defaultDatabaseName: props.defaultDatabaseName,
      credentials: rds.Credentials.fromUsername(props.masterUsername ?? RDS_DEFAULTS.masterUsername, { encryptionKey: this.key }),
      manageMasterUserPassword: true,
      iamAuthentication: true,
      storageEncrypted: true,
      storageEncryptionKey: this.key,
      parameters: RDS_DEFAULTS.parameters,
      enableDataApi: this.dataApi || undefined,
      backup: { retention: props.backupRetention ?? RDS_DEFAULTS.backupRetention },
      copyTagsToSnapshot: true,
      cloudwatchLogsExports: [...RDS_DEFAULTS.logExports],
      monitoringInterval: monitoring ? interval : undefined,
      monitoringRole: this.monitoringRole,
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy,
    });
    // RDS creates the exported log's group itself (no retention, no key) unless it exists first.
    this.cluster.node.addDependency(logGroup);
    // RDS checks the monitoring role's permissions as it creates an instance: the policy comes first.
    if (this.monitoringPolicy) {
      for (const member of this.instances()) {
        member.node.addDependency(this.monitoringPolicy);
      }
    }
    if (!this.cluster.secret) {
      throw new Error('cdk-bulwark internal error: the cluster has no master user secret');
    }
    this.secret = this.cluster.secret;
    // The port as a number, not CDK's reference to the endpoint's: rules (and readers) see which port is open.
    this.connections = new ec2.Connections({ securityGroups, defaultPort: ec2.Port.tcp(RDS_DEFAULTS.port) });

    // REGULATED backs the cluster up in the stack's AWS Backup plan (HIPAA and NIST ask for it). AWS Backup takes an
    // Aurora cluster as a whole: its instances are not backed up on their own.
    if (context.regulated) {
      const stackPlan = addToStackBackup(this, backup.BackupResource.fromRdsDatabaseCluster(this.cluster), this.key, 'rds');
      if (stackPlan.created) {
        watchBackupFailures(context.monitoring, stackPlan);
      }
      for (const member of this.instances()) {
        acknowledge(member.node.defaultChild as CfnResource, KNOWN_FINDINGS.auroraInstanceBackupPlan);
      }
    }

    // Alarms and dashboard.
    const where = shortPath(this);
    alarms.add(specs.cpuUtilization, alarmMetric(this.cluster, 'CPUUtilization'), { where });
    alarms.add(specs.acuUtilization, alarmMetric(this.cluster, 'ACUUtilization'), { where });
    alarms.add(specs.databaseConnections, alarmMetric(this.cluster, 'DatabaseConnections'), { where });
    alarms.add(specs.freeableMemory, alarmMetric(this.cluster, 'FreeableMemory'), { where });
    alarms.add(specs.freeLocalStorage, alarmMetric(this.cluster, 'FreeLocalStorage'), { where });
    this.alarms = alarms.alarms;
    context.addSection('ServerlessDatabase', ...databaseWidgets(this.cluster));
  }

  /** The cluster's identifier. */
  public get clusterIdentifier(): string {
    return this.cluster.clusterIdentifier;
  }

  /** The cluster's ARN. */
  public get clusterArn(): string {
    return this.cluster.clusterArn;
  }

  /** The writer's endpoint (host and port). */
  public get clusterEndpoint(): rds.Endpoint {
    return this.cluster.clusterEndpoint;
  }

  /** The readers' endpoint (host and port): the writer's when there are no readers. */
  public get clusterReadEndpoint(): rds.Endpoint {
    return this.cluster.clusterReadEndpoint;
  }

  /**
   * Lets `grantee` log in as the database user `dbUser` with an IAM authentication token
   * (`rds-db:connect` on that user of this cluster), and opens the port to it when it has security
   * groups (a function in this database's VPC); a Node.js function gets `NODE_EXTRA_CA_CERTS` (the
   * runtime's bundle of Amazon's certificate authorities, which verifies the database's TLS certificate)
   * unless it sets it. The user must exist and have the `rds_iam` role:
   * `CREATE USER <dbUser>; GRANT rds_iam TO <dbUser>;` A Lambda function outside a VPC is refused: it
   * cannot reach the database.
   *
   * @param grantee who connects
   * @param dbUser the PostgreSQL user (a lowercase letter, then lowercase letters, digits or `_`)
   */
  public grantConnect(grantee: iam.IGrantable, dbUser: string): iam.Grant {
    checkGrantee(this, 'grantConnect()', grantee);
    if (typeof dbUser !== 'string' || !RDS_LIMITS.loginUser.test(dbUser)) {
      throw BulwarkError.invalid(this, 'grantConnect() dbUser', dbUser, 'it must be 1 to 63 lowercase letters, digits or \'_\', starting with '
        + 'a letter: PostgreSQL folds an unquoted CREATE USER name to lowercase, and IAM compares the name exactly');
    }
    this.allowNetworkFrom(grantee);
    const stack = Stack.of(this);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [...RDS_ACTIONS.connect],
      resourceArns: [`arn:${stack.partition}:rds-db:${stack.region}:${stack.account}:dbuser:${this.cluster.clusterResourceIdentifier}/${dbUser}`],
    });
  }

  /**
   * Lets `grantee` run SQL through the Data API as the master user: the `rds-data` statement actions on
   * this cluster, and reading the master user's secret (with a customer-managed key, `kms:Decrypt`
   * only through Secrets Manager for that secret). Needs `enableDataApi`. No network path is needed;
   * a function in the stack's shared network gets the Data API's endpoint (Secrets Manager is called
   * by the Data API, not by the function).
   *
   * @param grantee who runs SQL
   */
  public grantDataApiAccess(grantee: iam.IGrantable): iam.Grant {
    checkGrantee(this, 'grantDataApiAccess()', grantee);
    if (!this.dataApi) {
      throw new BulwarkError(this, 'grantDataApiAccess() needs the Data API; set enableDataApi: true');
    }
    // The Data API reads the secret itself, with the grantee's permission: the grantee's code never calls Secrets Manager.
    let grant = iam.Grant.addToPrincipal({ grantee, actions: [...RDS_ACTIONS.dataApi], resourceArns: [this.clusterArn] })
      .combine(grantCalledByService(grantee, 'RdsDataApi', RDS_ACTIONS.secretRead, [this.secret.secretArn]));
    if (this.key) {
      grant = grant.combine(grantScopedKeyUse(grantee, this.key, KeyVia.SECRETS_MANAGER, this.secret.secretArn, RDS_ACTIONS.keyRead));
    }
    return grant;
  }

  /** The writer's CPU utilization (`CPUUtilization`, percent of its maximum capacity; average over 5 minutes unless changed). */
  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return writerMetric(this.cluster, 'CPUUtilization', props);
  }

  /** The writer's capacity in ACUs (`ServerlessDatabaseCapacity`, average over 5 minutes unless changed): 0 while paused. */
  public metricCapacity(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return writerMetric(this.cluster, 'ServerlessDatabaseCapacity', props);
  }

  /** The writer's capacity as a share of `maxCapacity` (`ACUUtilization`, average over 5 minutes unless changed). */
  public metricAcuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return writerMetric(this.cluster, 'ACUUtilization', props);
  }

  /** The writer's open connections (`DatabaseConnections`, average over 5 minutes unless changed). */
  public metricDatabaseConnections(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return writerMetric(this.cluster, 'DatabaseConnections', props);
  }

  /** The writer's and readers' L2 instances (CDK's construct ids `Writer`, `Reader1`...). */
  private instances(): Construct[] {
    return this.cluster.node.children.filter((c) => /^(Writer|Reader\d+)$/.test(c.node.id)) as Construct[];
  }

  /**
   * Opens the database's port to `grantee` when it has security groups. A Lambda function outside a
   * VPC, or in another VPC than the database, is refused: it could never reach the database.
   */
  private allowNetworkFrom(grantee: iam.IGrantable): void {
    if (grantee instanceof SecureFunction) {
      if (!grantee.vpc) {
        throw new BulwarkError(this, `grantConnect(): function ${grantee.node.path} is not in a VPC, so it cannot reach the database; give `
          + 'it vpc: database.vpc (REGULATED functions are in the stack\'s shared network, where the database is by default)');
      }
      this.checkSameVpc(grantee.node.path, grantee.vpc);
      this.allowPortFrom(grantee, grantee.node.path);
      trustRdsCertificates(grantee.lambdaFunction);
      return;
    }
    if (grantee instanceof lambda.Function) {
      if (!grantee.isBoundToVpc) {
        throw new BulwarkError(this, `grantConnect(): function ${grantee.node.path} is not in a VPC, so it cannot reach the database; give it `
          + 'vpc: database.vpc');
      }
      this.allowPortFrom(grantee, grantee.node.path);
      trustRdsCertificates(grantee);
      return;
    }
    const connections = (grantee as Partial<ec2.IConnectable>).connections;
    if (connections instanceof ec2.Connections && connections.securityGroups.length > 0) {
      this.allowPortFrom({ connections }, (grantee as unknown as Construct).node?.path ?? 'the grantee');
    }
  }

  /** Opens the port to `peer`, and warns about each security group of yours that was imported (its rules may be ignored). */
  private allowPortFrom(peer: ec2.IConnectable, path: string): void {
    this.connections.allowDefaultPortFrom(peer);
    for (const group of this.connections.securityGroups) {
      if (!(group instanceof ec2.SecurityGroup)) {
        warn(this, WARNINGS.databaseSecurityGroup, group.node.path, path);
      }
    }
  }

  private checkSameVpc(path: string, vpc: ec2.IVpc): void {
    const stack = Stack.of(this);
    if (JSON.stringify(stack.resolve(vpc.vpcId)) !== JSON.stringify(stack.resolve(this.vpc.vpcId))) {
      throw new BulwarkError(this, `grantConnect(): function ${path} is in VPC ${vpc.node.path}, the database in ${this.vpc.node.path}; `
        + 'give the function vpc: database.vpc');
    }
  }

  /**
   * The role RDS publishes enhanced monitoring with: only RDS's monitoring service of this account may
   * assume it, and it may write only to the `RDSOSMetrics` log group (what the AWS managed policy
   * AmazonRDSEnhancedMonitoringRole allows on every `RDS*` group).
   */
  private enhancedMonitoringRole(managed: boolean): iam.Role {
    const stack = Stack.of(this);
    const principal = new iam.ServicePrincipal('monitoring.rds.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    });
    const role = serviceRole(this, 'MonitoringRole', principal, managed, 'RDS publishes enhanced monitoring metrics with this role');
    // Pseudo parameters, not the stack's environment: the acknowledgement names this exact resource in every stack.
    const group = `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:RDSOSMetrics`;
    const policy = separatePolicy(this, 'MonitoringPolicy', role, managed, [
      new iam.PolicyStatement({ actions: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy'], resources: [group] }),
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams', 'logs:GetLogEvents'],
        resources: [`${group}:log-stream:*`],
      }),
    ]);
    acknowledge(policy, KNOWN_FINDINGS.enhancedMonitoringStreams);
    this.monitoringPolicy = policy;
    return role;
  }
}

/** The CA bundle of Lambda's Node.js runtimes that holds Amazon's certificate authorities, RDS's among them. */
const LAMBDA_CA_BUNDLE = '/var/runtime/ca-cert.pem';

/**
 * Lambda's Node.js runtimes from Node.js 20 no longer load Amazon's certificate authorities by default
 * (Lambda developer guide, "Building Lambda functions with Node.js"): a client that verifies the
 * database's TLS certificate fails unless NODE_EXTRA_CA_CERTS names the runtime's bundle. Set it on a
 * Node.js function that connects, unless the function sets it itself.
 */
function trustRdsCertificates(fn: lambda.Function): void {
  if (fn.runtime.family !== lambda.RuntimeFamily.NODEJS) {
    return;
  }
  // The function's variables so far (CDK keeps them in a private state whose get() returns a Map).
  const state = (fn as unknown as { environment?: { get?: () => unknown } }).environment;
  const variables = typeof state?.get === 'function' ? state.get() : state;
  if (variables instanceof Map ? variables.has('NODE_EXTRA_CA_CERTS') : typeof variables === 'object' && variables !== null && 'NODE_EXTRA_CA_CERTS' in variables) {
    return;
  }
  fn.addEnvironment('NODE_EXTRA_CA_CERTS', LAMBDA_CA_BUNDLE);
}
