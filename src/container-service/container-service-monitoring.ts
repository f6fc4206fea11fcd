import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { AlarmComparison, AlarmMeasure, AlarmSet, AlarmSpec } from '../private/alarm-set';
import { CONTAINER_SERVICE_ALARM_DEFAULTS } from '../private/defaults/ecs';

// Internal to the library (not re-exported from index.ts): the alarm specs, metrics and dashboard widgets of a ContainerService.

/** Where every runbook text of a ContainerService points first. */
const LOOK = 'In the ECS console, the service\'s Events and stopped tasks (with their stop reasons) say what ECS saw; the container\'s '
  + 'log group holds what the application wrote.';

/** The alarms of a ContainerService, keyed like `ContainerServiceAlarmsProps`. */
export const CONTAINER_SERVICE_ALARMS = {
  cpuUtilization: {
    id: 'CpuUtilizationAlarm',
    option: 'cpuUtilization',
    measure: AlarmMeasure.PERCENT,
    defaults: CONTAINER_SERVICE_ALARM_DEFAULTS.cpuUtilization,
    describe: ({ where, alarm }) => `The tasks of ${where} use more than ${alarm.threshold} % of their CPU on average. Autoscaling could not `
      + 'keep up or has reached maxCapacity: requests slow down and health checks may time out. Raise maxCapacity or cpu, or find the '
      + `busy code path (Container Insights shows each task). ${LOOK}`,
  },
  memoryUtilization: {
    id: 'MemoryUtilizationAlarm',
    option: 'memoryUtilization',
    measure: AlarmMeasure.PERCENT,
    defaults: CONTAINER_SERVICE_ALARM_DEFAULTS.memoryUtilization,
    describe: ({ where, alarm }) => `The tasks of ${where} use more than ${alarm.threshold} % of their memory on average. A task that reaches `
      + 'its memory is stopped (exit code 137, OutOfMemoryError in the stop reason). Look for a leak, or raise memory. '
      + `${LOOK}`,
  },
  runningTasks: {
    id: 'RunningTasksAlarm',
    option: 'runningTasks',
    measure: AlarmMeasure.COUNT,
    defaults: CONTAINER_SERVICE_ALARM_DEFAULTS.runningTasks,
    // No data means Container Insights stopped reporting: someone should look.
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    describe: ({ where, alarm }) => `More than ${alarm.threshold} of the tasks ${where} wants are not running. Tasks fail to start (an image `
      + 'that cannot be pulled, a secret that cannot be read, a container that exits) or keep being stopped (failed health checks, '
      + 'memory). A deployment that cannot start its tasks rolls back by itself (circuit breaker). '
      + `${LOOK}`,
  },
  healthyTargets: {
    id: 'HealthyTargetsAlarm',
    option: 'healthyTargets',
    measure: AlarmMeasure.COUNT,
    comparison: AlarmComparison.BELOW,
    defaults: CONTAINER_SERVICE_ALARM_DEFAULTS.healthyTargets,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    describe: ({ where, alarm }) => `Fewer than ${alarm.threshold} healthy tasks are behind the load balancer of ${where}: requests fail with `
      + '503. Check the target group\'s health check reasons (wrong path or port, a slow start, a container that is not listening) and '
      + `whether tasks are running. ${LOOK}`,
  },
  unhealthyTargets: {
    id: 'UnhealthyTargetsAlarm',
    option: 'unhealthyTargets',
    measure: AlarmMeasure.COUNT,
    defaults: CONTAINER_SERVICE_ALARM_DEFAULTS.unhealthyTargets,
    describe: ({ where, alarm }) => `More than ${alarm.threshold} tasks behind the load balancer of ${where} fail its health check. ECS `
      + 'replaces them; if they keep failing, the target group\'s health reasons say why (timeouts, wrong status codes). '
      + `${LOOK}`,
  },
  targetServerErrors: {
    id: 'TargetServerErrorsAlarm',
    option: 'targetServerErrors',
    measure: AlarmMeasure.COUNT,
    defaults: CONTAINER_SERVICE_ALARM_DEFAULTS.targetServerErrors,
    describe: ({ where, alarm }) => `The tasks of ${where} answered more than ${alarm.threshold} requests a period with a 5XX status: the `
      + 'application fails. A rise right after a deployment points at the new image (roll back by deploying the previous one). '
      + `${LOOK}`,
  },
  loadBalancerServerErrors: {
    id: 'LoadBalancerServerErrorsAlarm',
    option: 'loadBalancerServerErrors',
    measure: AlarmMeasure.COUNT,
    defaults: CONTAINER_SERVICE_ALARM_DEFAULTS.loadBalancerServerErrors,
    describe: ({ where }) => `The load balancer of ${where} answered requests with 5XX errors of its own: 502 (a task closed the connection or `
      + 'sent a malformed response), 503 (no healthy task), 504 (a task did not answer within the idle timeout). The access logs in '
      + `the access-log bucket give the error reason per request. ${LOOK}`,
  },
  targetResponseTimeP90: {
    id: 'TargetResponseTimeP90Alarm',
    option: 'targetResponseTimeP90',
    measure: AlarmMeasure.LATENCY,
    defaults: CONTAINER_SERVICE_ALARM_DEFAULTS.targetResponseTimeP90,
    describe: ({ where, alarm }) => `The 90th percentile of the tasks' response time of ${where} is above ${alarm.threshold} ms. Busy tasks `
      + '(see the CPU alarm), a slow dependency or a slow query add up. '
      + `${LOOK}`,
  },
} satisfies Record<string, AlarmSpec>;

/** What the metrics of a ContainerService are read from. */
export interface ServiceMetricSources {
  readonly clusterName: string;
  readonly serviceName: string;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
}

/** The metrics of a ContainerService, with their statistics (CloudWatch's default period unless `props` give one). */
export function serviceMetrics(sources: ServiceMetricSources) {
  const ecsMetric = (namespace: string, metricName: string, statistic: string, props?: cloudwatch.MetricOptions) =>
    new cloudwatch.Metric({
      namespace,
      metricName,
      statistic,
      dimensionsMap: { ClusterName: sources.clusterName, ServiceName: sources.serviceName },
      ...props,
    });
  return {
    cpuUtilization: (props?: cloudwatch.MetricOptions) => ecsMetric('AWS/ECS', 'CPUUtilization', cloudwatch.Stats.AVERAGE, props),
    memoryUtilization: (props?: cloudwatch.MetricOptions) => ecsMetric('AWS/ECS', 'MemoryUtilization', cloudwatch.Stats.AVERAGE, props),
    runningTasks: (props?: cloudwatch.MetricOptions) => ecsMetric('ECS/ContainerInsights', 'RunningTaskCount', cloudwatch.Stats.AVERAGE, props),
    desiredTasks: (props?: cloudwatch.MetricOptions) => ecsMetric('ECS/ContainerInsights', 'DesiredTaskCount', cloudwatch.Stats.AVERAGE, props),
    healthyTargets: (props?: cloudwatch.MetricOptions) =>
      sources.targetGroup.metrics.healthyHostCount({ statistic: cloudwatch.Stats.MINIMUM, ...props }),
    unhealthyTargets: (props?: cloudwatch.MetricOptions) =>
      sources.targetGroup.metrics.unhealthyHostCount({ statistic: cloudwatch.Stats.MAXIMUM, ...props }),
    requests: (props?: cloudwatch.MetricOptions) => sources.targetGroup.metrics.requestCount({ statistic: cloudwatch.Stats.SUM, ...props }),
    targetServerErrors: (props?: cloudwatch.MetricOptions) =>
      sources.targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { statistic: cloudwatch.Stats.SUM, ...props }),
    loadBalancerServerErrors: (props?: cloudwatch.MetricOptions) =>
      sources.loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { statistic: cloudwatch.Stats.SUM, ...props }),
    /** `TargetResponseTime`, in seconds as the load balancer reports it. */
    targetResponseTime: (props?: cloudwatch.MetricOptions) =>
      sources.targetGroup.metrics.targetResponseTime({ statistic: cloudwatch.Stats.percentile(90), ...props }),
  };
}

/** Creates the alarms of a ContainerService in the set (each only if enabled). */
export function addServiceAlarms(alarms: AlarmSet, sources: ServiceMetricSources, where: string): void {
  const metrics = serviceMetrics(sources);
  alarms.add(CONTAINER_SERVICE_ALARMS.cpuUtilization, (period: Duration) => metrics.cpuUtilization({ period }), { where });
  alarms.add(CONTAINER_SERVICE_ALARMS.memoryUtilization, (period: Duration) => metrics.memoryUtilization({ period }), { where });
  alarms.add(CONTAINER_SERVICE_ALARMS.runningTasks, (period: Duration) => new cloudwatch.MathExpression({
    expression: 'desired - running',
    usingMetrics: { desired: metrics.desiredTasks(), running: metrics.runningTasks() },
    label: 'Missing tasks',
    period,
  }), { where });
  alarms.add(CONTAINER_SERVICE_ALARMS.healthyTargets, (period: Duration) => metrics.healthyTargets({ period }), { where });
  alarms.add(CONTAINER_SERVICE_ALARMS.unhealthyTargets, (period: Duration) => metrics.unhealthyTargets({ period }), { where });
  alarms.add(CONTAINER_SERVICE_ALARMS.targetServerErrors, (period: Duration) => metrics.targetServerErrors({ period }), { where });
  alarms.add(CONTAINER_SERVICE_ALARMS.loadBalancerServerErrors, (period: Duration) => metrics.loadBalancerServerErrors({ period }), { where });
  // The load balancer reports seconds; the alarm's threshold is in milliseconds.
  alarms.add(CONTAINER_SERVICE_ALARMS.targetResponseTimeP90, (period: Duration) => new cloudwatch.MathExpression({
    expression: '1000 * responseTime',
    usingMetrics: { responseTime: metrics.targetResponseTime() },
    label: 'p90 response time (ms)',
    period,
  }), { where });
}

/** The service's dashboard widgets. */
export function serviceWidgets(sources: ServiceMetricSources): cloudwatch.IWidget[] {
  const metrics = serviceMetrics(sources);
  return [
    new cloudwatch.GraphWidget({
      title: 'CPU and memory (%)',
      left: [metrics.cpuUtilization({ label: 'CPU' }), metrics.memoryUtilization({ label: 'Memory' })],
      leftYAxis: { min: 0, max: 100 },
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Tasks',
      left: [metrics.desiredTasks({ label: 'Desired' }), metrics.runningTasks({ label: 'Running' }),
        metrics.healthyTargets({ label: 'Healthy targets' }), metrics.unhealthyTargets({ label: 'Unhealthy targets' })],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Requests and 5XX',
      left: [metrics.requests({ label: 'Requests' })],
      right: [metrics.targetServerErrors({ label: 'Task 5XX' }), metrics.loadBalancerServerErrors({ label: 'Load balancer 5XX' })],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Response time (s)',
      left: [50, 90, 99].map((p) => metrics.targetResponseTime({ statistic: cloudwatch.Stats.percentile(p), label: `p${p}` })),
      width: 24,
    }),
  ];
}
