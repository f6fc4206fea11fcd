import { Fn, Names, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { addServiceAlarms, CONTAINER_SERVICE_ALARMS, ServiceMetricSources, serviceMetrics, serviceWidgets } from './container-service-monitoring';
import { ContainerServiceProps, ServiceEgress } from './container-service-props';
import { validateContainerServiceProps } from './container-service-validation';
import { acknowledgeOwnEnvironment, containerImage, EXEC_AGENT_PATHS, looksLikeSecret } from './service-container';
import { broughtNetwork, createdNetwork, SERVICE_VPC_CIDR, ServiceNetwork } from './service-network';
import { ComplianceProfile } from '../core/compliance-profile';
import { BulwarkError } from '../core/errors';
import { constructContext } from '../monitoring/construct-context';
import { acknowledge, KNOWN_FINDINGS } from '../private/acknowledgements';
import { AlarmSet } from '../private/alarm-set';
import { CONTAINER_SERVICE_DEFAULTS as DEFAULTS, DUAL_STACK_VARIABLE } from '../private/defaults/ecs';
import { createLogBucket, LOG_WRITERS } from '../private/log-buckets';
import { retainedLogGroup } from '../private/log-groups';
import { separatePolicy, serviceRole } from '../private/managed-policy-role';
import { definedOnly, shortPath } from '../private/validation';
import { warn, WARNINGS } from '../private/warnings';
import { protectWithFirewall } from '../private/web-firewall';

/**
 * A web service on ECS Fargate behind an Application Load Balancer: secure, self-healing and
 * cheap at idle.
 *
 * Defaults: a VPC of its own in two AZs with flow logs, whose tasks reach AWS over IPv6 through a
 * free egress-only internet gateway (no NAT gateway, no endpoints: see `ServiceEgress` for the
 * others); ARM64 tasks without a public address, running as a non-root user on a read-only root
 * filesystem with every Linux capability dropped, logging to a retained log group; two to four
 * tasks, scaled on CPU and requests, deployed with a circuit breaker that rolls back; an
 * internet-facing load balancer (HTTPS with your certificate, HTTP redirected to it) that drops
 * invalid headers, mitigates desync strictly, is protected from deletion, logs access to an SSE-S3
 * bucket and sits behind an AWS WAF web ACL; security groups that admit only the listener ports to
 * the load balancer and only the load balancer to the tasks; Container Insights with enhanced
 * observability; alarms on CPU, memory, missing tasks, healthy and unhealthy targets, 5XX from the
 * tasks and from the load balancer, and p90 response time; a dashboard section.
 *
 * @example
 * declare const repository: ecr.IRepository;
 * declare const certificate: acm.ICertificate;
 * new ContainerService(this, 'Admin', {
 *   image: ServiceImage.fromEcrRepository(repository, { tag: '1.4.2' }),
 *   certificate,
 * });
 */
export class ContainerService extends Construct {
  /** The VPC the service runs in, created or brought. */
  public readonly vpc: ec2.IVpc;

  /** The ECS cluster. */
  public readonly cluster: ecs.ICluster;

  /** The task definition. */
  public readonly taskDefinition: ecs.FargateTaskDefinition;

  /** The container. */
  public readonly container: ecs.ContainerDefinition;

  /** The role of the containers: grant it what the application calls (`table.grantReadData(service.taskRole)`). */
  public readonly taskRole: iam.IRole;

  /** The role ECS uses to start the tasks: pull the image, read the secrets, write the logs. */
  public readonly executionRole: iam.IRole;

  /** The Fargate service. */
  public readonly service: ecs.FargateService;

  /** The scaling of the service's task count (add schedules or other metrics here). */
  public readonly scaling: ecs.ScalableTaskCount;

  /** The load balancer. */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;

  /** The target group of the tasks. */
  public readonly targetGroup: elbv2.ApplicationTargetGroup;

  /** The listener that forwards to the tasks (HTTPS with a certificate, else HTTP). */
  public readonly listener: elbv2.ApplicationListener;

  /** The security group of the load balancer. */
  public readonly loadBalancerSecurityGroup: ec2.ISecurityGroup;

  /** The security group of the tasks. */
  public readonly taskSecurityGroup: ec2.ISecurityGroup;

  /** The bucket of the load balancer's access logs, created or brought. */
  public readonly accessLogsBucket: s3.IBucket;

  /** The container's log group. */
  public readonly logGroup: logs.LogGroup;

  /**
   * The ARN of the web ACL in front of the load balancer.
   *
   * @default - none when `firewall.enabled` is false
   */
  public readonly webAclArn?: string;

  /**
   * The created web ACL.
   *
   * @default - none when `firewall.enabled` is false or `firewall.webAclArn` is given
   */
  public readonly webAcl?: wafv2.CfnWebACL;

  /**
   * The log group of the created web ACL (`aws-waf-logs-...`).
   *
   * @default - none when no web ACL is created
   */
  public readonly firewallLogGroup?: logs.ILogGroup;

  /** The compliance profile in force. */
  public readonly complianceProfile: ComplianceProfile;

  private readonly alarmSet: AlarmSet;
  private readonly metricSources: ServiceMetricSources;
  private readonly https: boolean;

  constructor(scope: Construct, id: string, props: ContainerServiceProps) {
    super(scope, id);
    validateContainerServiceProps(this, props);
    const context = constructContext(this, props);
    if (context.regulated && props.certificate === undefined) {
      throw new BulwarkError(this, 'certificate is required in the REGULATED profile: HIPAA, NIST 800-53 and PCI DSS require encryption in '
        + 'transit, so the load balancer listens only over HTTPS (port 80 redirects to it); give an ACM certificate of this region');
    }
    this.alarmSet = context.alarms(Object.values(CONTAINER_SERVICE_ALARMS), props.alarms, 'ContainerServiceAlarmsProps');
    this.complianceProfile = context.profile;
    const key = context.key(props.key);
    const managedRoles = context.traits.managedPolicies;
    const internetFacing = props.internetFacing ?? true;
    const containerPort = props.containerPort ?? DEFAULTS.containerPort;
    const secrets = props.secrets ?? {};
    const execute = props.enableExecuteCommand === true;

    // Network and cluster.
    // CDK writes every SSM parameter ARN with a literal `:ssm:`; a secret created in the stack has only a Ref.
    const isSsm = (secret: ecs.Secret) => JSON.stringify(Stack.of(this).resolve(secret.arn)).includes(':ssm:');
    const usesSecretsManager = Object.values(secrets).some((secret) => !isSsm(secret)) || props.image.credentials !== undefined;
    const usesSsm = Object.values(secrets).some(isSsm);
    const network: ServiceNetwork = props.cluster !== undefined || props.vpc !== undefined
      ? broughtNetwork(this, props.cluster?.vpc ?? props.vpc!, props.cluster ? 'cluster' : 'vpc', internetFacing)
      : createdNetwork(this, props.egress ?? ServiceEgress.IPV6_ONLY, internetFacing, key,
        { secretsManager: usesSecretsManager, ssm: usesSsm, execute });
    this.vpc = network.vpc;
    const spotShare = props.fargateSpotShare ?? 0;
    this.logGroup = retainedLogGroup(this, 'Logs', { retention: props.logRetention, key });
    let capacityProviders: ecs.CfnClusterCapacityProviderAssociations | undefined;
    if (props.cluster) {
      this.cluster = props.cluster;
      warn(this, WARNINGS.serviceClusterSettings, props.cluster.node.path, spotShare > 0);
    } else {
      this.cluster = new ecs.Cluster(this, 'Cluster', {
        vpc: this.vpc,
        containerInsightsV2: ecs.ContainerInsights.ENHANCED,
        // ECS Exec sessions are logged to the container's log group (and the task role may write only there).
        executeCommandConfiguration: execute ? {
          logging: ecs.ExecuteCommandLogging.OVERRIDE,
          logConfiguration: { cloudWatchLogGroup: this.logGroup, cloudWatchEncryptionEnabled: key !== undefined },
        } : undefined,
      });
      if (spotShare > 0) {
        // Created here rather than by CDK's aspect, so that the service can depend on it: ECS accepts a
        // capacity provider strategy only with providers already associated with the cluster.
        capacityProviders = new ecs.CfnClusterCapacityProviderAssociations(this, 'CapacityProviders', {
          cluster: this.cluster.clusterName,
          capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
          defaultCapacityProviderStrategy: [],
        });
      }
    }

    // Task definition and container.
    const executionRole = serviceRole(this, 'ExecutionRole', new iam.ServicePrincipal('ecs-tasks.amazonaws.com'), managedRoles,
      'Lets ECS pull the image, read the secrets and write the logs of this service\'s tasks');
    const taskRole = serviceRole(this, 'TaskRole', this.tasksPrincipal(), managedRoles, 'The role of this service\'s containers');
    this.taskRole = taskRole;
    this.executionRole = executionRole;
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: props.cpu ?? DEFAULTS.cpu,
      memoryLimitMiB: (props.memory ?? DEFAULTS.memory).toMebibytes(),
      runtimePlatform: { cpuArchitecture: props.architecture ?? ecs.CpuArchitecture.ARM64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
      executionRole,
      taskRole,
    });
    const environment: Record<string, string> = { ...(network.ipv6Only ? { [DUAL_STACK_VARIABLE]: 'true' } : {}), ...props.environment };
    for (const name of Object.keys(props.environment ?? {})) {
      if (looksLikeSecret(name)) {
        warn(this, WARNINGS.serviceSecretInEnvironment, name);
      }
    }
    const linuxParameters = new ecs.LinuxParameters(this, 'LinuxParameters', { initProcessEnabled: execute });
    linuxParameters.dropCapabilities(ecs.Capability.ALL);
    const check = props.containerHealthCheck;
    this.container = this.taskDefinition.addContainer('Container', {
      image: containerImage(this, props.image, network.ipv6Only, executionRole, managedRoles),
      user: props.user ?? DEFAULTS.user,
      command: props.command,
      readonlyRootFilesystem: true,
      privileged: false,
      linuxParameters,
      environment: Object.keys(environment).length > 0 ? environment : undefined,
      secrets: Object.keys(secrets).length > 0 ? secrets : undefined,
      portMappings: [{ containerPort, protocol: ecs.Protocol.TCP, name: 'http' }],
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'container' }),
      healthCheck: check && {
        command: check.command,
        interval: check.interval,
        timeout: check.timeout,
        retries: check.retries,
        startPeriod: check.startPeriod,
      },
    });
    if (network.ipv6Only) {
      acknowledgeOwnEnvironment(this.taskDefinition);
    }
    const writable = [...(props.writablePaths ?? []).map((path, i) => ({ path, volume: `writable-${i}` })),
      // The ECS Exec agent writes its state and logs there; the root filesystem is read-only.
      ...(execute ? EXEC_AGENT_PATHS.map((path, i) => ({ path, volume: `exec-agent-${i}` })) : [])];
    for (const { path, volume } of writable) {
      this.taskDefinition.addVolume({ name: volume });
      this.container.addMountPoints({ containerPath: path, sourceVolume: volume, readOnly: false });
    }

    // Load balancer.
    this.https = props.certificate !== undefined;
    const listenerPorts = this.https ? [443, 80] : [80];
    const loadBalancerGroup = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc: this.vpc,
      description: `Load balancer of ${shortPath(this, 200)}: ${internetFacing ? 'the internet' : 'the VPC'} on ${listenerPorts.join(' and ')}`,
      allowAllOutbound: false,
    });
    const peers = internetFacing
      ? [ec2.Peer.anyIpv4(), ...(network.ipv6Only ? [ec2.Peer.anyIpv6()] : [])]
      : [ec2.Peer.ipv4(network.created ? SERVICE_VPC_CIDR : this.vpc.vpcCidrBlock),
        // A dual-stack load balancer answers IPv6 clients of the VPC too.
        ...(network.ipv6Only ? [ec2.Peer.ipv6(Fn.select(0, (network.created as ec2.Vpc).vpcIpv6CidrBlocks))] : [])];
    for (const peer of peers) {
      for (const port of listenerPorts) {
        loadBalancerGroup.addIngressRule(peer, ec2.Port.tcp(port), `${port === 443 ? 'HTTPS' : 'HTTP'} from ${internetFacing ? 'anywhere' : 'the VPC'}`);
      }
    }
    if (internetFacing) {
      acknowledge(loadBalancerGroup.node.defaultChild as ec2.CfnSecurityGroup, KNOWN_FINDINGS.internetFacingListeners);
    } else if (network.ipv6Only) {
      acknowledge(loadBalancerGroup.node.defaultChild as ec2.CfnSecurityGroup, KNOWN_FINDINGS.vpcIpv6Range);
    }
    this.loadBalancerSecurityGroup = loadBalancerGroup;
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: this.vpc,
      vpcSubnets: network.loadBalancerSubnets,
      internetFacing,
      securityGroup: loadBalancerGroup,
      ipAddressType: network.ipv6Only ? elbv2.IpAddressType.DUAL_STACK : elbv2.IpAddressType.IPV4,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: elbv2.DesyncMitigationMode.STRICTEST,
      deletionProtection: props.deletionProtection ?? true,
      http2Enabled: true,
    });
    this.accessLogsBucket = props.accessLogsBucket ?? createLogBucket(this, 'AccessLogs', LOG_WRITERS.loadBalancer);
    if (!(this.accessLogsBucket instanceof s3.Bucket)) {
      warn(this, WARNINGS.serviceAccessLogsBucket, this.accessLogsBucket.node.path);
    }
    // A prefix of its own: a brought bucket may hold the logs of several load balancers.
    this.loadBalancer.logAccessLogs(this.accessLogsBucket, Names.uniqueResourceName(this, { maxLength: 100, separator: '-' }));

    const health = { ...DEFAULTS.targetHealthCheck, ...definedOnly(props.healthCheck) };
    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc: this.vpc,
      port: containerPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      ipAddressType: network.ipv6Only ? elbv2.TargetGroupIpAddressType.IPV6 : elbv2.TargetGroupIpAddressType.IPV4,
      deregistrationDelay: props.deregistrationDelay ?? DEFAULTS.deregistrationDelay,
      healthCheck: {
        path: health.path,
        healthyHttpCodes: health.healthyHttpCodes,
        interval: health.interval,
        timeout: health.timeout,
        healthyThresholdCount: health.healthyThresholdCount,
        unhealthyThresholdCount: health.unhealthyThresholdCount,
      },
    });
    if (this.https) {
      this.listener = this.loadBalancer.addListener('HttpsListener', {
        port: 443,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        certificates: [props.certificate!],
        sslPolicy: props.sslPolicy ?? DEFAULTS.sslPolicy,
        defaultTargetGroups: [this.targetGroup],
        open: false,
      });
      const redirect = this.loadBalancer.addListener('HttpRedirect', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
        open: false,
      });
      acknowledge(redirect.node.defaultChild as elbv2.CfnListener, KNOWN_FINDINGS.redirectListenerCertificate);
    } else {
      this.listener = this.loadBalancer.addListener('HttpListener', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        defaultTargetGroups: [this.targetGroup],
        open: false,
      });
      warn(this, WARNINGS.serviceHttpOnly);
    }

    // Service.
    const taskGroup = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: this.vpc,
      description: `Tasks of ${shortPath(this, 200)}: only the load balancer, on port ${containerPort}`,
      allowAllOutbound: true,
      allowAllIpv6Outbound: network.ipv6Only,
    });
    this.taskSecurityGroup = taskGroup;
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      vpcSubnets: network.taskSubnets,
      securityGroups: [taskGroup],
      assignPublicIp: false,
      platformVersion: ecs.FargatePlatformVersion.LATEST,
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      healthCheckGracePeriod: health.gracePeriod,
      // With a cluster of yours CDK grants what its session-log settings need; with the one created here, below.
      enableExecuteCommand: execute && props.cluster !== undefined,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
      capacityProviderStrategies: spotShare > 0 ? [
        { capacityProvider: 'FARGATE', base: 1, weight: 100 - spotShare },
        { capacityProvider: 'FARGATE_SPOT', weight: spotShare },
      ] : undefined,
    });
    if (capacityProviders) {
      (this.service.node.defaultChild as ecs.CfnService).addResourceDependency(capacityProviders);
    }
    if (execute && !props.cluster) {
      this.allowExecuteCommand(taskRole, managedRoles);
    }
    // Autoscaling owns the task count: CloudFormation leaves it alone after the first deployment
    // (a count in the template would reset a scaled-out service on every deployment).
    (this.service.node.defaultChild as ecs.CfnService).addPropertyDeletionOverride('DesiredCount');
    this.service.attachToApplicationTargetGroup(this.targetGroup);
    this.scaling = this.service.autoScaleTaskCount({
      minCapacity: props.minCapacity ?? DEFAULTS.minCapacity,
      maxCapacity: props.maxCapacity ?? DEFAULTS.maxCapacity,
    });
    this.scaling.scaleOnCpuUtilization('CpuScaling', {
      targetUtilizationPercent: props.targetCpuUtilization ?? DEFAULTS.targetCpuUtilization,
    });
    this.scaling.scaleOnRequestCount('RequestScaling', {
      requestsPerTarget: props.targetRequestsPerTask ?? DEFAULTS.targetRequestsPerTask,
      targetGroup: this.targetGroup,
    });

    // Firewall.
    const firewall = protectWithFirewall(this, props.firewall, key, this.loadBalancer.loadBalancerArn, WARNINGS.serviceNoFirewall);
    this.webAclArn = firewall?.webAclArn;
    this.webAcl = firewall?.webAcl;
    this.firewallLogGroup = firewall?.logGroup;

    this.metricSources = {
      clusterName: this.cluster.clusterName,
      serviceName: this.service.serviceName,
      loadBalancer: this.loadBalancer,
      targetGroup: this.targetGroup,
    };
    addServiceAlarms(this.alarmSet, this.metricSources, shortPath(this));
    context.addSection('Container service', ...serviceWidgets(this.metricSources));
  }

  /** The URL of the service: `https://` with a certificate (the load balancer's DNS name: point your domain at it), else `http://`. */
  public get url(): string {
    return `${this.https ? 'https' : 'http'}://${this.loadBalancer.loadBalancerDnsName}`;
  }

  /** The alarms created for this service. */
  public get alarms(): cloudwatch.IAlarm[] {
    return this.alarmSet.alarms;
  }

  /** The service's average CPU utilization, in percent (`CPUUtilization`, AWS/ECS). */
  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return serviceMetrics(this.metricSources).cpuUtilization(props);
  }

  /** The service's average memory utilization, in percent (`MemoryUtilization`, AWS/ECS). */
  public metricMemoryUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return serviceMetrics(this.metricSources).memoryUtilization(props);
  }

  /** Requests the load balancer sent to the tasks (`RequestCount`, sum). */
  public metricRequestCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return serviceMetrics(this.metricSources).requests(props);
  }

  /** Responses with a 5XX status from the tasks (`HTTPCode_Target_5XX_Count`, sum). */
  public metricTargetServerErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return serviceMetrics(this.metricSources).targetServerErrors(props);
  }

  /** The tasks' response time, in seconds (`TargetResponseTime`, p90). */
  public metricTargetResponseTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return serviceMetrics(this.metricSources).targetResponseTime(props);
  }

  /**
   * ECS Exec with the cluster created here: the session channels and the session logs, which go to the
   * container's log group. The actions that support no resource are in a policy of their own.
   */
  private allowExecuteCommand(taskRole: iam.Role, managedRoles: boolean): void {
    (this.service.node.defaultChild as ecs.CfnService).enableExecuteCommand = true;
    acknowledge(separatePolicy(this, 'ExecuteCommandPolicy', taskRole, managedRoles, [new iam.PolicyStatement({
      actions: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel',
        'ssmmessages:OpenDataChannel', 'logs:DescribeLogGroups'],
      resources: ['*'],
    })]), KNOWN_FINDINGS.executeCommandChannels);
    taskRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
      resources: [this.logGroup.logGroupArn],
    }));
  }

  /**
   * ECS tasks of this account and region only may assume the task role (confused-deputy protection,
   * as the ECS developer guide's "Amazon ECS task IAM role" trust policy shows).
   */
  private tasksPrincipal(): iam.IPrincipal {
    const stack = Stack.of(this);
    return new iam.ServicePrincipal('ecs-tasks.amazonaws.com', {
      conditions: {
        ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:ecs:${stack.region}:${stack.account}:*` },
        StringEquals: { 'aws:SourceAccount': stack.account },
      },
    });
  }
}
