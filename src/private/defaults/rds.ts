import { Duration } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';

/** Defaults of every ServerlessDatabase (Aurora Serverless v2, PostgreSQL). */
export const RDS_DEFAULTS = {
  /**
   * The engine version a release of the library pins (upgrades are the user's choice): 17.x supports
   * scale to zero (auto-pause) and the Data API.
   */
  engineVersion: rds.AuroraPostgresEngineVersion.VER_17_5,
  /** Scale to zero: no ACU is billed while paused (Aurora user guide, "Scaling to Zero ACUs with automatic pause and resume"). */
  minCapacity: 0,
  /** 2 ACUs (about 4 GiB of memory). */
  maxCapacity: 2,
  /** Aurora's own default and minimum: paused after 5 idle minutes. */
  autoPauseAfter: Duration.minutes(5),
  /** Automated backups (point-in-time restore) for a week; Aurora's own default is one day. */
  backupRetention: Duration.days(7),
  /** The master user RDS creates, whose password RDS keeps in Secrets Manager. */
  masterUsername: 'postgres',
  /** PostgreSQL's port. */
  port: 5432,
  /** Enhanced monitoring in REGULATED (HIPAA and NIST 800-53 ask for it): OS metrics every minute. */
  regulatedMonitoringInterval: Duration.seconds(60),
  /** What PostgreSQL exports to CloudWatch Logs: its log (errors, and what the parameter group logs). */
  logExports: ['postgresql'],
  /** Cluster parameters: TLS on every connection. */
  parameters: { 'rds.force_ssl': '1' } as Record<string, string>,
} as const;

/** Aurora Serverless v2 limits, for validation (Aurora user guide, "Setting the capacity range"; CreateDBCluster API). */
export const RDS_LIMITS = {
  /** Capacity: 0 to 256 ACUs in steps of 0.5; the maximum at least 1. */
  maxCapacity: 256,
  minMaxCapacity: 1,
  capacityStep: 0.5,
  /** SecondsUntilAutoPause: 300 to 86,400. */
  minAutoPause: Duration.minutes(5),
  maxAutoPause: Duration.hours(24),
  /** BackupRetentionPeriod: 1 to 35 days. */
  minBackupRetention: Duration.days(1),
  maxBackupRetention: Duration.days(35),
  /** MonitoringInterval: these seconds (0 turns enhanced monitoring off). */
  monitoringIntervals: [0, 1, 5, 10, 15, 30, 60],
  /** Reader instances: Aurora allows 15. */
  maxReaders: 15,
  /** PostgreSQL identifiers (database and user names): 1 to 63 characters, a letter first. */
  identifier: /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/,
  /** IAM database users: lowercase, as PostgreSQL folds unquoted names and `rds-db:connect` compares them exactly. */
  loginUser: /^[a-z][a-z0-9_]{0,62}$/,
  /** Master user names RDS or PostgreSQL refuse (reserved words; `rds...` is checked apart). */
  reservedUsernames: ['user', 'public', 'all', 'none', 'current_user', 'session_user', 'role', 'default'],
  /**
   * The first minor version of each major that can pause at 0 ACUs (Aurora user guide, "Prerequisites and
   * limitations for auto-pause"); later majors all can.
   */
  autoPauseSince: { 13: 15, 14: 12, 15: 7, 16: 3 } as Record<number, number>,
  /** The first minor version of each major with the Data API for Serverless v2 (Aurora user guide, "Region and version availability" of RDS Data API). */
  dataApiSince: { 13: 11, 14: 8, 15: 3, 16: 1, 17: 4 } as Record<number, number>,
} as const;

/** The exact actions of ServerlessDatabase's grants. */
export const RDS_ACTIONS = {
  /** IAM database authentication (RDS user guide, "Creating and using an IAM policy for IAM database access"). */
  connect: ['rds-db:connect'],
  /** The Data API (Aurora user guide, "Authorizing access to RDS Data API"). */
  dataApi: ['rds-data:BatchExecuteStatement', 'rds-data:BeginTransaction', 'rds-data:CommitTransaction', 'rds-data:ExecuteStatement',
    'rds-data:RollbackTransaction'],
  /** The Data API reads the master user's secret with the caller's permissions. */
  secretRead: ['secretsmanager:GetSecretValue'],
  keyRead: ['kms:Decrypt'],
} as const;

/** Memory of an Aurora Serverless v2 instance per ACU (Aurora user guide, "Aurora Serverless v2 capacity"). */
export const RDS_MEMORY_PER_ACU_BYTES = 2 * 1024 ** 3;

/**
 * The `max_connections` Aurora PostgreSQL gives a Serverless v2 instance for its maximum capacity:
 * LEAST(DBInstanceClassMemory/9531392, 5000), evaluated at the maximum capacity, which the Aurora
 * user guide tabulates (1 ACU 189, 4 ACUs 823, 8 ACUs 1,669, 16 ACUs 3,360, 32 and more 5,000;
 * "Maximum connections for Aurora Serverless v2"): a straight line through those points. With a
 * minimum capacity below 1 ACU the guide caps it at 2,000.
 */
export function auroraPostgresMaxConnections(minCapacity: number, maxCapacity: number): number {
  const byMemory = Math.min(5000, Math.round(211.3 * maxCapacity - 22));
  return minCapacity < 1 ? Math.min(2000, byMemory) : byMemory;
}

/** Default alarm settings of a ServerlessDatabase (CloudWatch user guide, "Recommended alarms", Amazon RDS, where it has them). */
export const RDS_ALARM_DEFAULTS = {
  /** AWS's recommendation: average above 90% for 5 minutes. */
  cpuUtilization: { threshold: 90, period: Duration.minutes(1), evaluationPeriods: 5 },
  /** At its maximum capacity for 15 minutes: the database cannot scale further. */
  acuUtilization: { threshold: 90, period: Duration.minutes(5), evaluationPeriods: 3 },
  /** AWS's recommendation: above 90% of max_connections for 5 minutes (the threshold is computed). */
  databaseConnections: { period: Duration.minutes(1), evaluationPeriods: 5 },
  /** AWS's recommendation for Aurora: below about 5% of the memory at maximum capacity for 15 minutes (the threshold is computed). */
  freeableMemory: { period: Duration.minutes(1), evaluationPeriods: 15 },
  /** Below 1 GiB for 5 minutes: AWS documents no local storage size per ACU, so the floor is absolute. */
  freeLocalStorage: { threshold: 1024 ** 3, period: Duration.minutes(1), evaluationPeriods: 5 },
} as const;

/** Shares of the computed thresholds. */
export const RDS_ALARM_SHARES = { connections: 0.9, freeableMemory: 0.05 } as const;
