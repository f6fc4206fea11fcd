import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AlarmComparison, AlarmMeasure, AlarmSpec } from '../private/alarm-set';
import { auroraPostgresMaxConnections, RDS_ALARM_DEFAULTS, RDS_ALARM_SHARES, RDS_MEMORY_PER_ACU_BYTES } from '../private/defaults/rds';

// Internal to the library (not re-exported from index.ts): the alarms and dashboard widgets of a ServerlessDatabase.

const LOOK = 'Look at Performance Insights (top SQL and waits) and the exported PostgreSQL log for what changed.';

/**
 * The alarms of a ServerlessDatabase, keyed like `ServerlessDatabaseAlarmsProps`. The connections
 * and memory thresholds follow the capacity range, so the specs are made per database.
 */
export function serverlessDatabaseAlarms(minCapacity: number, maxCapacity: number) {
  // Capacities given as tokens: the validation asked for the thresholds that follow them, so 1 ACU's defaults are never used.
  const tokens = Token.isUnresolved(minCapacity) || Token.isUnresolved(maxCapacity);
  const maxConnections = auroraPostgresMaxConnections(tokens ? 1 : minCapacity, tokens ? 1 : maxCapacity);
  const memory = (tokens ? 1 : maxCapacity) * RDS_MEMORY_PER_ACU_BYTES;
  return {
    cpuUtilization: {
      id: 'CpuUtilizationAlarm',
      option: 'cpuUtilization',
      measure: AlarmMeasure.PERCENT,
      defaults: RDS_ALARM_DEFAULTS.cpuUtilization,
      describe: ({ where, alarm }) => `The writer of ${where} used more than ${alarm.threshold}% of the CPU of its maximum capacity: queries `
        + `slow down and queue. ${LOOK} If the load is real, raise maxCapacity (or add readers for reads).`,
    },
    acuUtilization: {
      id: 'AcuUtilizationAlarm',
      option: 'acuUtilization',
      measure: AlarmMeasure.PERCENT,
      defaults: RDS_ALARM_DEFAULTS.acuUtilization,
      describe: ({ where, alarm }) => `The writer of ${where} ran above ${alarm.threshold}% of maxCapacity (ACUUtilization): it cannot scale `
        + `further, and queries slow down or fail for memory. ${LOOK} Raise maxCapacity if the load is real; the alarm costs nothing while `
        + 'the database is paused (it reports 0).',
    },
    databaseConnections: {
      id: 'DatabaseConnectionsAlarm',
      option: 'databaseConnections',
      measure: AlarmMeasure.COUNT,
      defaults: { ...RDS_ALARM_DEFAULTS.databaseConnections, threshold: Math.floor(maxConnections * RDS_ALARM_SHARES.connections) },
      describe: ({ where, alarm }) => `The writer of ${where} had more than ${alarm.threshold} open connections`
        + `${tokens ? '' : ` (max_connections is about ${maxConnections} for maxCapacity ${maxCapacity})`}: new connections will be refused. `
        + 'Look for clients that open a connection per '
        + 'request and never close it (a Lambda function should open one per execution environment, outside the handler), or use the Data API. '
        + 'max_connections follows maxCapacity after a reboot.',
    },
    freeableMemory: {
      id: 'FreeableMemoryAlarm',
      option: 'freeableMemory',
      measure: AlarmMeasure.COUNT,
      comparison: AlarmComparison.BELOW,
      defaults: { ...RDS_ALARM_DEFAULTS.freeableMemory, threshold: Math.floor(memory * RDS_ALARM_SHARES.freeableMemory) },
      describe: ({ where, alarm }) => `The writer of ${where} had less than ${alarm.threshold} bytes of memory left at its maximum capacity `
        + `(FreeableMemory counts the memory of maxCapacity${tokens ? '' : ` ${maxCapacity}`}): it is at its limit and may swap or end connections. ${LOOK} `
        + 'Raise maxCapacity, or lower work_mem and the connection count.',
    },
    freeLocalStorage: {
      id: 'FreeLocalStorageAlarm',
      option: 'freeLocalStorage',
      measure: AlarmMeasure.COUNT,
      comparison: AlarmComparison.BELOW,
      defaults: RDS_ALARM_DEFAULTS.freeLocalStorage,
      describe: ({ where, alarm }) => `The writer of ${where} had less than ${alarm.threshold} bytes of local storage left: temporary files `
        + '(sorts and hashes larger than work_mem) and logs fill it, and queries that need more fail. Look for large sorts in Performance '
        + 'Insights and for log_temp_files in the exported log; raise maxCapacity for more local storage.',
    },
  } satisfies Record<string, AlarmSpec>;
}

/** The alarms of a ServerlessDatabase (its spec table). */
export type ServerlessDatabaseAlarmSpecs = ReturnType<typeof serverlessDatabaseAlarms>;

/**
 * The writer's metric `name` (dimensions `DBClusterIdentifier` and `Role` WRITER, whichever instance
 * is the writer: Aurora user guide, "Creating CloudWatch alarms to monitor Amazon Aurora").
 */
export function writerMetric(cluster: rds.IDatabaseCluster, name: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/RDS',
    metricName: name,
    dimensionsMap: { DBClusterIdentifier: cluster.clusterIdentifier, Role: 'WRITER' },
    statistic: cloudwatch.Stats.AVERAGE,
    ...props,
  });
}

/** The writer's metric `name` over an alarm's period (the average, as AWS's recommended alarms read it). */
export function alarmMetric(cluster: rds.IDatabaseCluster, name: string): (period: Duration) => cloudwatch.IMetric {
  return (period) => writerMetric(cluster, name, { period });
}

/** Dashboard widgets of the writer: capacity, CPU and ACU utilization, connections, memory and local storage. */
export function databaseWidgets(cluster: rds.IDatabaseCluster): cloudwatch.IWidget[] {
  const metric = (name: string) => writerMetric(cluster, name);
  return [
    new cloudwatch.GraphWidget({
      title: 'Writer capacity (ACUs, left) / CPU and ACU utilization (%, right)',
      width: 8,
      left: [metric('ServerlessDatabaseCapacity')],
      right: [metric('CPUUtilization'), metric('ACUUtilization')],
    }),
    new cloudwatch.GraphWidget({ title: 'Writer connections', width: 8, left: [metric('DatabaseConnections')] }),
    new cloudwatch.GraphWidget({
      title: 'Writer freeable memory / free local storage (bytes)',
      width: 8,
      left: [metric('FreeableMemory'), metric('FreeLocalStorage')],
    }),
  ];
}
