import { ThresholdAlarmOptions } from '../core/alarm-options';

/**
 * Alarms of a `ServerlessDatabase`, on its writer's metrics (`DBClusterIdentifier` and `Role` WRITER:
 * whichever instance is the writer), averaged per minute or 5 minutes. A paused database reports only
 * 0 for CPU and capacity, and no data never breaches. Every alarm notifies the stack's `Monitoring`
 * alarm topic; set `enabled: false` to skip one.
 */
export interface ServerlessDatabaseAlarmsProps {
  /**
   * CPU utilization (`CPUUtilization`, average, percent of the CPU at maximum capacity).
   *
   * @default - > 90 for five 1-minute periods
   */
  readonly cpuUtilization?: ThresholdAlarmOptions;

  /**
   * Capacity used, as a share of `maxCapacity` (`ACUUtilization`, average, percent): near 100 the
   * database cannot scale further.
   *
   * @default - > 90 for three 5-minute periods
   */
  readonly acuUtilization?: ThresholdAlarmOptions;

  /**
   * Open connections (`DatabaseConnections`, average).
   *
   * @default - > 90% of the `max_connections` Aurora gives `maxCapacity` (189 at 1 ACU, 823 at 4, 5,000
   * from 32; at most 2,000 with `minCapacity` below 1), for five 1-minute periods
   */
  readonly databaseConnections?: ThresholdAlarmOptions;

  /**
   * Memory left (`FreeableMemory`, average, bytes; Serverless v2 counts the memory of `maxCapacity`,
   * so it nears 0 only at maximum capacity): the alarm fires when it is *below* `threshold`.
   *
   * @default - < 5% of the memory at `maxCapacity` (2 GiB per ACU), for fifteen 1-minute periods
   */
  readonly freeableMemory?: ThresholdAlarmOptions;

  /**
   * Local storage left for temporary files and logs (`FreeLocalStorage`, average, bytes): the alarm
   * fires when it is *below* `threshold`.
   *
   * @default - < 1 GiB (1073741824 bytes) for five 1-minute periods
   */
  readonly freeLocalStorage?: ThresholdAlarmOptions;
}
