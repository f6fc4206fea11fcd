import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { ServerlessDatabaseAlarmsProps } from './serverless-database-alarms';
import { MonitoredConstructProps } from '../monitoring/monitored-props';

/**
 * Properties of `ServerlessDatabase`. All are optional.
 */
export interface ServerlessDatabaseProps extends MonitoredConstructProps {
  /**
   * The VPC to run the database in. Functions that connect to it must be in this VPC (give it as
   * their `vpc`).
   *
   * @default - the stack's shared network: two AZs of isolated subnets, flow logs, no NAT (the same
   * network REGULATED functions run in)
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Where in `vpc` the database runs (at least two AZs).
   *
   * @default - the VPC's isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups of yours for the database.
   *
   * @default - one created with no inbound rule and no outbound rule; `grantConnect()` and
   * `connections` open the port to what connects
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * The Aurora PostgreSQL version. Scale to zero needs 13.15, 14.12, 15.7, 16.3 or later; the Data API
   * 13.11, 14.8, 15.3, 16.1, 17.4 or later.
   *
   * @default rds.AuroraPostgresEngineVersion.VER_17_5
   */
  readonly engineVersion?: rds.AuroraPostgresEngineVersion;

  /**
   * The smallest capacity in ACUs (0 to 256, in steps of 0.5). At 0 the database pauses after
   * `autoPauseAfter` without connections and bills no ACUs, and the first connection after that waits
   * for it to resume (about 15 seconds, longer after a day paused).
   *
   * @default 0 (scale to zero)
   */
  readonly minCapacity?: number;

  /**
   * The largest capacity in ACUs (1 to 256, in steps of 0.5; each ACU is about 2 GiB of memory). It
   * bounds the cost of a busy hour and the connections PostgreSQL accepts.
   *
   * @default 2
   */
  readonly maxCapacity?: number;

  /**
   * How long the database stays idle before it pauses, with `minCapacity` 0 (5 minutes to 24 hours).
   *
   * @default Duration.minutes(5)
   */
  readonly autoPauseAfter?: Duration;

  /**
   * Reader instances besides the writer (0 to 15). They scale with the writer and take over if it
   * fails (in about a minute instead of the several minutes a new writer takes). Each bills like the writer.
   *
   * @default 0
   */
  readonly readers?: number;

  /**
   * The name of a database to create in the cluster (a letter, then letters, digits or `_`, at most 63).
   *
   * @default - none: connect to the `postgres` database and create your own
   */
  readonly defaultDatabaseName?: string;

  /**
   * The master user's name. RDS creates its password and keeps it in Secrets Manager
   * (`manageMasterUserPassword`), rotating it every 7 days without a rotation function.
   *
   * @default 'postgres'
   */
  readonly masterUsername?: string;

  /**
   * Turn on the RDS Data API (SQL over HTTPS with IAM and the master user's secret, no connection or
   * VPC needed); `grantDataApiAccess()` lets a function use it.
   *
   * @default false
   */
  readonly enableDataApi?: boolean;

  /**
   * How long automated backups (point-in-time restore) are kept (1 to 35 days, whole days).
   *
   * @default Duration.days(7)
   */
  readonly backupRetention?: Duration;

  /**
   * A customer-managed key for the storage, the master user's secret, Performance Insights and the
   * log group.
   *
   * @default - the stack key in REGULATED; AWS managed keys (`aws/rds`, `aws/secretsmanager`) in
   * STANDARD, free of a key's monthly price
   */
  readonly key?: kms.IKey;

  /**
   * How long the exported PostgreSQL log is kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Enhanced monitoring: operating-system metrics at this interval (1, 5, 10, 15, 30 or 60 seconds;
   * 0 turns it off), written by RDS to the `RDSOSMetrics` log group (CloudWatch Logs ingestion is billed).
   *
   * @default - Duration.seconds(60) in REGULATED; off in STANDARD
   */
  readonly monitoringInterval?: Duration;

  /**
   * Performance Insights on each instance (the free tier keeps 7 days).
   *
   * @default true
   */
  readonly performanceInsights?: boolean;

  /**
   * Deletion protection: RDS refuses to delete the cluster (and so a stack deletion that would) until it is turned off.
   *
   * @default true
   */
  readonly deletionProtection?: boolean;

  /**
   * What happens to the cluster when it leaves the stack. `DESTROY` deletes the data without a final
   * snapshot: it needs `deletionProtection: false` too, so that deleting data takes two explicit choices.
   *
   * @default RemovalPolicy.SNAPSHOT (a final snapshot, kept until you delete it)
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Alarm thresholds, or `enabled: false` to skip one.
   *
   * @default - see `ServerlessDatabaseAlarmsProps`
   */
  readonly alarms?: ServerlessDatabaseAlarmsProps;
}
