import { Duration, Size } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';

/** Defaults of a ContainerService (each documented on its prop). */
export const CONTAINER_SERVICE_DEFAULTS = {
  /** A quarter vCPU and half a GiB: Fargate's smallest task, about $7.21 a month on ARM64 in us-east-1. */
  cpu: 256,
  memory: Size.mebibytes(512),
  /** An unprivileged port: a non-root user cannot bind ports below 1024. */
  containerPort: 8080,
  /** A numeric uid, so that it need not exist in the image's /etc/passwd. */
  user: '1000',
  /** One task per AZ of the default two: a task or an AZ can fail without an outage. */
  minCapacity: 2,
  maxCapacity: 4,
  targetCpuUtilization: 60,
  /** Requests per task per minute before another task starts. */
  targetRequestsPerTask: 1000,
  /** 30 s to finish requests under way (ELB's default is 300 s, which slows every deployment for little gain with short requests). */
  deregistrationDelay: Duration.seconds(30),
  /** The TLS policy AWS recommends for HTTPS listeners: TLS 1.3 and 1.2. Passed explicitly, so CDK's feature flag does not choose. */
  sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
  /** The load balancer's health check of each task. */
  targetHealthCheck: {
    path: '/',
    healthyHttpCodes: '200-399',
    interval: Duration.seconds(30),
    timeout: Duration.seconds(5),
    healthyThresholdCount: 2,
    unhealthyThresholdCount: 3,
    /** Time for a task to start before failed checks count. */
    gracePeriod: Duration.seconds(60),
  },
  /** ECS's own defaults for a container health check (ECS API reference, HealthCheck). */
  containerHealthCheck: { interval: Duration.seconds(30), timeout: Duration.seconds(5) },
} as const;

/** The variable that makes AWS SDKs use AWS's dual-stack endpoints, set in the containers of IPv6-only subnets. */
export const DUAL_STACK_VARIABLE = 'AWS_USE_DUALSTACK_ENDPOINT';

/** The CPU units Fargate offers and the memory (MiB) each allows (ECS developer guide, "Task CPU and memory"). */
export const FARGATE_CPU_MEMORY: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

/** What ECS and Elastic Load Balancing accept. */
export const CONTAINER_SERVICE_LIMITS = {
  port: { min: 1, max: 65535 },
  /** ECS services: desired count up to the tasks-per-service quota (5,000). */
  capacity: { min: 0, max: 5000 },
  targetCpuUtilization: { min: 10, max: 90 },
  targetRequestsPerTask: { min: 1, max: 1_000_000 },
  fargateSpotShare: { min: 0, max: 100 },
  /** ALB target group health checks (ELB API reference, CreateTargetGroup). */
  healthCheckInterval: { min: Duration.seconds(5), max: Duration.seconds(300) },
  healthCheckTimeout: { min: Duration.seconds(2), max: Duration.seconds(120) },
  healthCheckThreshold: { min: 2, max: 10 },
  /** Container health checks (ECS API reference, HealthCheck). */
  containerCheckInterval: { min: Duration.seconds(5), max: Duration.seconds(300) },
  containerCheckTimeout: { min: Duration.seconds(2), max: Duration.seconds(60) },
  containerCheckRetries: { min: 1, max: 10 },
  containerCheckStartPeriod: { min: Duration.seconds(0), max: Duration.seconds(300) },
  deregistrationDelay: { min: Duration.seconds(0), max: Duration.seconds(3600) },
  healthCheckGracePeriod: { min: Duration.seconds(0), max: Duration.seconds(2_147_483_647) },
} as const;

/** Alarm defaults of a ContainerService. */
export const CONTAINER_SERVICE_ALARM_DEFAULTS = {
  /** Average CPU above 80 % for 5 minutes: autoscaling (60 %) could not keep up, or maxCapacity is reached. */
  cpuUtilization: { threshold: 80, period: Duration.minutes(1), evaluationPeriods: 5 },
  memoryUtilization: { threshold: 80, period: Duration.minutes(1), evaluationPeriods: 5 },
  /** A task missing for 5 minutes: longer than a task takes to start during a deployment or scale-out. */
  runningTasks: { threshold: 0, period: Duration.minutes(1), evaluationPeriods: 5 },
  /** No healthy target for 2 minutes: the load balancer has nowhere to send requests. */
  healthyTargets: { threshold: 1, period: Duration.minutes(1), evaluationPeriods: 2 },
  /** An unhealthy target for 5 minutes. */
  unhealthyTargets: { threshold: 0, period: Duration.minutes(1), evaluationPeriods: 5 },
  /** More than 5 answers a minute with a 5XX from the application, 3 minutes running. */
  targetServerErrors: { threshold: 5, period: Duration.minutes(1), evaluationPeriods: 3 },
  /** Any 5XX the load balancer made itself (no healthy target, a target that timed out or reset) in 3 consecutive minutes. */
  loadBalancerServerErrors: { threshold: 0, period: Duration.minutes(1), evaluationPeriods: 3 },
  targetResponseTimeP90: { maxLatency: Duration.seconds(1), period: Duration.minutes(1), evaluationPeriods: 5 },
} as const;

function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let v = from; v <= to; v += step) {
    values.push(v);
  }
  return values;
}
