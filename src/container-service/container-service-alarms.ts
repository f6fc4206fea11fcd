import { LatencyAlarmOptions, ThresholdAlarmOptions } from '../core/alarm-options';

/**
 * Alarms of a `ContainerService`. Every alarm notifies the stack's `Monitoring` alarm topic; set
 * `enabled: false` to skip one.
 */
export interface ContainerServiceAlarmsProps {
  /**
   * The service's average CPU utilization, in percent (`CPUUtilization`, AWS/ECS).
   *
   * @default - average > 80 in 5 consecutive 1-minute periods
   */
  readonly cpuUtilization?: ThresholdAlarmOptions;

  /**
   * The service's average memory utilization, in percent (`MemoryUtilization`, AWS/ECS). A task
   * that reaches its memory is stopped.
   *
   * @default - average > 80 in 5 consecutive 1-minute periods
   */
  readonly memoryUtilization?: ThresholdAlarmOptions;

  /**
   * Tasks missing: the desired count minus the running count (Container Insights'
   * `DesiredTaskCount` and `RunningTaskCount`). Tasks that fail to start or keep stopping show here.
   *
   * @default - more than 0 missing in 5 consecutive 1-minute periods
   */
  readonly runningTasks?: ThresholdAlarmOptions;

  /**
   * The fewest healthy targets in the target group during a period (`HealthyHostCount`, minimum,
   * over all AZs): below the threshold the load balancer has no task to send requests to. The
   * alarm compares below.
   *
   * @default - minimum < 1 in 2 consecutive 1-minute periods
   */
  readonly healthyTargets?: ThresholdAlarmOptions;

  /**
   * The most unhealthy targets (`UnHealthyHostCount`, maximum): tasks failing the load balancer's
   * health check.
   *
   * @default - maximum > 0 in 5 consecutive 1-minute periods
   */
  readonly unhealthyTargets?: ThresholdAlarmOptions;

  /**
   * Responses with a 5XX status from the tasks (`HTTPCode_Target_5XX_Count`, sum).
   *
   * @default - sum > 5 in 3 consecutive 1-minute periods
   */
  readonly targetServerErrors?: ThresholdAlarmOptions;

  /**
   * 5XX responses the load balancer made itself (`HTTPCode_ELB_5XX_Count`, sum): no healthy task,
   * or a task that closed the connection or did not answer in time.
   *
   * @default - sum > 0 in 3 consecutive 1-minute periods
   */
  readonly loadBalancerServerErrors?: ThresholdAlarmOptions;

  /**
   * The 90th percentile of the tasks' response time (`TargetResponseTime`, p90).
   *
   * @default - p90 > 1 second in 5 consecutive 1-minute periods
   */
  readonly targetResponseTimeP90?: LatencyAlarmOptions;
}
