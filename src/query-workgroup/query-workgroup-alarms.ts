import { ThresholdAlarmOptions } from '../core/alarm-options';

/** Alarms of a `QueryWorkgroup`. Every alarm notifies the stack's `Monitoring` alarm topic; set `enabled: false` to skip one. */
export interface QueryWorkgroupAlarmsProps {
  /**
   * Queries that failed or were cancelled (the sample count of `TotalExecutionTime` for DML queries in
   * state FAILED or CANCELED): the bytes-scanned cutoff cancels a query.
   *
   * @default - more than 0 over one 5-minute period
   */
  readonly failedQueries?: ThresholdAlarmOptions;

  /**
   * Bytes the workgroup's queries scanned (`ProcessedBytes`, every state, sum): what Athena bills.
   *
   * @default - more than 1 TB (about $5) in a day
   */
  readonly processedBytes?: ThresholdAlarmOptions;
}
