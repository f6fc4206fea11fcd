import { Duration, Size } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ContainerServiceAlarmsProps } from './container-service-alarms';
import { ServiceImage } from './service-image';
import { WebFirewallOptions } from '../core/web-firewall-options';
import { MonitoredConstructProps } from '../monitoring/monitored-props';

/**
 * How the tasks of a `ContainerService` reach ECR, CloudWatch Logs, Secrets Manager and whatever
 * else they call, in the VPC the service creates. Monthly prices are us-east-1 list prices for the
 * two AZs of the created VPC, before data charges.
 */
export enum ServiceEgress {
  /**
   * IPv6-only task subnets with an egress-only internet gateway (free): tasks pull from ECR's
   * dual-stack endpoints and call AWS over IPv6; nothing on the internet can open a connection to
   * them. Costs nothing at idle. Gives up: registries and services without IPv6 (ghcr.io, many
   * third-party APIs), ECS Exec (not supported in IPv6-only subnets) and Windows containers.
   */
  IPV6_ONLY = 'IPV6_ONLY',

  /**
   * A NAT gateway in each AZ: IPv4 egress to anywhere, and an AZ outage takes only its own
   * gateway. About $73 a month (two gateways and their public IPv4 addresses) plus $0.045 per GB.
   */
  NAT_GATEWAY_PER_AZ = 'NAT_GATEWAY_PER_AZ',

  /**
   * One NAT gateway for both AZs: IPv4 egress to anywhere for about $36.50 a month plus $0.045
   * per GB. Gives up: if the gateway's AZ fails, tasks in the other AZ lose their egress too.
   */
  SINGLE_NAT_GATEWAY = 'SINGLE_NAT_GATEWAY',

  /**
   * No route out at all: isolated subnets with interface endpoints for ECR (api and dkr) and
   * CloudWatch Logs, plus Secrets Manager, SSM and SSM messages (ECS Exec) when the container uses
   * them, and the free S3 gateway endpoint for image layers. About $14.60 a month per endpoint (three
   * to six: $43.80 to $87.60). Gives up: anything that is not one of those AWS services, and images
   * from anywhere but ECR in the stack's region.
   */
  VPC_ENDPOINTS = 'VPC_ENDPOINTS',
}

/** A health check the container runs itself (`HEALTHCHECK` in ECS's task definition). */
export interface ContainerHealthCheckOptions {
  /**
   * The command, as ECS takes it: `['CMD', 'executable', 'arg']` or `['CMD-SHELL', 'command line']`.
   * The image must contain the executable. Exit code 0 is healthy.
   */
  readonly command: string[];

  /**
   * How often the check runs (5 seconds to 5 minutes).
   *
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;

  /**
   * How long one check may take (2 to 60 seconds).
   *
   * @default Duration.seconds(5)
   */
  readonly timeout?: Duration;

  /**
   * Failed checks in a row before the container is unhealthy (1 to 10).
   *
   * @default 3
   */
  readonly retries?: number;

  /**
   * Time after start during which failed checks do not count (0 to 300 seconds).
   *
   * @default - none
   */
  readonly startPeriod?: Duration;
}

/** The load balancer's health check of each task (its target group's). */
export interface TargetHealthCheckOptions {
  /**
   * The path requested.
   *
   * @default '/'
   */
  readonly path?: string;

  /**
   * The HTTP codes that mean healthy (`200`, `200-299`, `200,204`).
   *
   * @default '200-399'
   */
  readonly healthyHttpCodes?: string;

  /**
   * How often each task is checked (5 seconds to 5 minutes).
   *
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;

  /**
   * How long a check may take (2 to 120 seconds, less than `interval`).
   *
   * @default Duration.seconds(5)
   */
  readonly timeout?: Duration;

  /**
   * Passed checks in a row before a task receives requests (2 to 10).
   *
   * @default 2
   */
  readonly healthyThresholdCount?: number;

  /**
   * Failed checks in a row before a task stops receiving requests and ECS replaces it (2 to 10).
   *
   * @default 3
   */
  readonly unhealthyThresholdCount?: number;

  /**
   * How long ECS ignores failed load balancer checks after a task starts.
   *
   * @default Duration.seconds(60)
   */
  readonly gracePeriod?: Duration;
}

/** Properties of a `ContainerService`. */
export interface ContainerServiceProps extends MonitoredConstructProps {
  /** The image the service runs. */
  readonly image: ServiceImage;

  // Container.

  /**
   * The port the container listens on (1 to 65535). The load balancer sends requests there.
   *
   * @default 8080 (a non-root user cannot bind ports below 1024)
   */
  readonly containerPort?: number;

  /**
   * The task's CPU units: 256 (0.25 vCPU), 512, 1024, 2048, 4096, 8192 or 16384. Each allows only
   * some `memory` sizes (Fargate's table, in the error for a wrong pair).
   *
   * @default 256
   */
  readonly cpu?: number;

  /**
   * The task's memory (a whole number of MiB that Fargate allows with `cpu`).
   *
   * @default Size.mebibytes(512)
   */
  readonly memory?: Size;

  /**
   * The CPU architecture. Graviton (ARM64) costs about 20 % less for the same vCPU and memory; the
   * image must be built for it (or be multi-architecture).
   *
   * @default ecs.CpuArchitecture.ARM64
   */
  readonly architecture?: ecs.CpuArchitecture;

  /**
   * The user the container runs as (`uid`, `uid:gid` or a name the image defines). Root (`root`,
   * `0`, `0:...`) is refused.
   *
   * @default '1000'
   */
  readonly user?: string;

  /**
   * The command, replacing the image's `CMD`.
   *
   * @default - the image's
   */
  readonly command?: string[];

  /**
   * Plain environment variables. A name that looks like a credential (`PASSWORD`, `SECRET`,
   * `TOKEN`, `KEY`, ...) gets the warning `cdk-bulwark:container-service:secret-in-environment`:
   * pass those as `secrets`.
   *
   * @default - none (with `ServiceEgress.IPV6_ONLY`, `AWS_USE_DUALSTACK_ENDPOINT=true`, so AWS SDKs call AWS over IPv6)
   */
  readonly environment?: Record<string, string>;

  /**
   * Secrets from Secrets Manager or SSM Parameter Store, set as environment variables when the
   * container starts (the task execution role may read them; they never appear in the template).
   *
   * @default - none
   */
  readonly secrets?: Record<string, ecs.Secret>;

  /**
   * Paths the container may write to. The root filesystem is read-only; each path gets an empty
   * task-local volume (Fargate's ephemeral storage, encrypted, gone when the task stops). Fargate
   * creates each volume owned by root with mode 0755, so a non-root `user` can write to it only if
   * the image declares the path as a `VOLUME` owned by that user (`RUN mkdir -p /app/cache && chown
   * 1000 /app/cache` then `VOLUME /app/cache` in the Dockerfile; ECS developer guide, "Bind mounts").
   *
   * @default - none: the container writes nothing but its logs
   */
  readonly writablePaths?: string[];

  /**
   * A health check the container runs itself. ECS replaces a task whose container is unhealthy.
   *
   * @default - none: the load balancer's health check (`healthCheck`) decides
   */
  readonly containerHealthCheck?: ContainerHealthCheckOptions;

  /**
   * How long the container's logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * A customer-managed key for the container's log group.
   *
   * @default - the stack key in REGULATED; CloudWatch Logs' own encryption in STANDARD
   */
  readonly key?: kms.IKey;

  // Capacity.

  /**
   * The fewest tasks. Autoscaling never goes below it, and deployments keep at least this many
   * running (minimum healthy percent 100).
   *
   * @default 2 (one per AZ)
   */
  readonly minCapacity?: number;

  /**
   * The most tasks autoscaling starts.
   *
   * @default 4
   */
  readonly maxCapacity?: number;

  /**
   * The average CPU utilization autoscaling keeps (10 to 90 percent).
   *
   * @default 60
   */
  readonly targetCpuUtilization?: number;

  /**
   * The requests per task per minute autoscaling keeps (the target group's `RequestCountPerTarget`).
   *
   * @default 1000
   */
  readonly targetRequestsPerTask?: number;

  /**
   * The share of tasks above the first one that run on Fargate Spot (0 to 100 percent), at up to
   * 70 % less and with two minutes' notice before AWS takes one back. Fargate Spot runs only X86_64
   * tasks: set `architecture: ecs.CpuArchitecture.X86_64` with it.
   *
   * @default 0
   */
  readonly fargateSpotShare?: number;

  /**
   * Whether operators may open a shell in running tasks with ECS Exec (through Systems Manager).
   * The agent gets writable volumes at /var/lib/amazon/ssm and /var/log/amazon/ssm (the root
   * filesystem is read-only). With the cluster created here, sessions are logged to the container's
   * log group; with a `cluster` of yours, CDK grants what that cluster's session-log settings need.
   * Not available with `ServiceEgress.IPV6_ONLY`.
   *
   * @default false
   */
  readonly enableExecuteCommand?: boolean;

  // Load balancer.

  /**
   * Whether the load balancer is reachable from the internet (in public subnets) or only from
   * within the VPC.
   *
   * @default true
   */
  readonly internetFacing?: boolean;

  /**
   * The certificate of the HTTPS listener (an ACM certificate in the stack's region). Port 80
   * then redirects to HTTPS.
   *
   * @default - none: an HTTP listener on port 80, with the warning `cdk-bulwark:container-service:http-only`
   */
  readonly certificate?: acm.ICertificate;

  /**
   * The TLS policy of the HTTPS listener.
   *
   * @default elbv2.SslPolicy.RECOMMENDED_TLS (TLS 1.3 and 1.2)
   */
  readonly sslPolicy?: elbv2.SslPolicy;

  /**
   * The load balancer's health check of each task.
   *
   * @default - GET / every 30 seconds, healthy on 200-399
   */
  readonly healthCheck?: TargetHealthCheckOptions;

  /**
   * The bucket the load balancer writes its access logs to. It must use SSE-S3 (load balancers
   * cannot write to KMS-encrypted buckets) and be in the stack's region.
   *
   * @default - a bucket created here: SSE-S3, TLS only, public access blocked, versioned, retained, logs expire after a year
   */
  readonly accessLogsBucket?: s3.IBucket;

  /**
   * Whether the load balancer is protected from deletion. A stack with it cannot be deleted until
   * it is switched off (set false and deploy first). If the first deployment of the stack fails,
   * CloudFormation cannot roll the load balancer back either: switch the protection off in the
   * console (or `aws elbv2 modify-load-balancer-attributes`) and continue the rollback.
   *
   * @default true
   */
  readonly deletionProtection?: boolean;

  /**
   * How long a task being replaced keeps serving requests already under way (0 to 3600 seconds).
   *
   * @default Duration.seconds(30)
   */
  readonly deregistrationDelay?: Duration;

  /**
   * The AWS WAF web ACL in front of the load balancer.
   *
   * @default - a web ACL with AWS managed rule groups, a rate-based rule and logging
   */
  readonly firewall?: WebFirewallOptions;

  // Network.

  /**
   * The VPC. The tasks run in its private subnets with egress, the load balancer in its public
   * subnets (internet-facing) or private ones (internal). Your VPC gives the tasks their way to ECR
   * and CloudWatch Logs (NAT or endpoints).
   *
   * @default - a VPC created here, in two AZs, with flow logs and `egress`
   */
  readonly vpc?: ec2.IVpc;

  /**
   * How the tasks reach what they need, in the VPC created here (not with `vpc` or `cluster`).
   *
   * @default ServiceEgress.IPV6_ONLY
   */
  readonly egress?: ServiceEgress;

  /**
   * The ECS cluster.
   *
   * @default - a cluster created here, with Container Insights (enhanced observability)
   */
  readonly cluster?: ecs.ICluster;

  /** Alarm thresholds. */
  readonly alarms?: ContainerServiceAlarmsProps;
}
