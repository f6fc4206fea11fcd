import { posix } from 'path';
import { Duration, Size, SizeRoundingBehavior, Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { ContainerHealthCheckOptions, ContainerServiceProps, ServiceEgress, TargetHealthCheckOptions } from './container-service-props';
import { ServiceImage } from './service-image';
import { BulwarkError } from '../core/errors';
import { arnRegion, checkSameRegion } from '../private/api-environment';
import { checkPropsObject } from '../private/api-family';
import { CONTAINER_SERVICE_DEFAULTS as DEFAULTS, CONTAINER_SERVICE_LIMITS as LIMITS, DUAL_STACK_VARIABLE, FARGATE_CPU_MEMORY } from '../private/defaults/ecs';
import { checkLogBucket, LOG_WRITERS } from '../private/log-buckets';
import { checkKnownProps, propKeys } from '../private/props';
import { checkBoolean, checkDuration, checkEnum, checkExclusive, checkInteger, checkResource, checkRetention } from '../private/validation';
import { validateWebFirewallOptions } from '../private/web-firewall';

const PROPS = propKeys<ContainerServiceProps>()('ContainerServiceProps', ['image', 'containerPort', 'cpu', 'memory', 'architecture',
  'user', 'command', 'environment', 'secrets', 'writablePaths', 'containerHealthCheck', 'logRetention', 'key', 'minCapacity',
  'maxCapacity', 'targetCpuUtilization', 'targetRequestsPerTask', 'fargateSpotShare', 'enableExecuteCommand', 'internetFacing',
  'certificate', 'sslPolicy', 'healthCheck', 'accessLogsBucket', 'deletionProtection', 'deregistrationDelay', 'firewall', 'vpc',
  'egress', 'cluster', 'alarms', 'complianceProfile', 'monitoring']);
const CONTAINER_CHECK = propKeys<ContainerHealthCheckOptions>()('ContainerHealthCheckOptions', ['command', 'interval', 'timeout', 'retries', 'startPeriod']);
const TARGET_CHECK = propKeys<TargetHealthCheckOptions>()('TargetHealthCheckOptions', ['path', 'healthyHttpCodes', 'interval', 'timeout',
  'healthyThresholdCount', 'unhealthyThresholdCount', 'gracePeriod']);

/** An image tag (OCI distribution spec): up to 128 of letters, digits, `_`, `.` and `-`, not starting with `.` or `-`. */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
/** `[host[:port]/]path[:tag][@digest]`, as `docker pull` takes it. */
const IMAGE_NAME = /^(?:([a-z0-9.-]+(?::\d+)?)\/)?([a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/;
/** A user that is root: `root`, `0`, or with group (`0:0`, `root:root`). */
const ROOT_USER = /^(root|0)(:.*)?$/;
/** Status codes of an ALB health check: codes from 200 to 499, ranges and lists (`200`, `200-299`, `200,204`). */
const HTTP_CODES = /^[2-4]\d\d(-[2-4]\d\d)?(,[2-4]\d\d(-[2-4]\d\d)?)*$/;

/** A registry image, parsed. */
export interface ParsedImageName {
  /** The registry host (`docker.io` when the name has none). */
  readonly host: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Parses `name` as `docker pull` takes it, or undefined when it is not one. */
export function parseImageName(name: string): ParsedImageName | undefined {
  const match = IMAGE_NAME.exec(name);
  if (!match) {
    return undefined;
  }
  // A first part without a dot or a port is a Docker Hub namespace, not a host (`library/nginx`), except localhost.
  const first = match[1];
  const host = first !== undefined && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
  return { host, tag: match[3], digest: match[4] };
}

/** Checks every prop of a ContainerService, alone and against the others, before anything is made. */
export function validateContainerServiceProps(scope: IConstruct, props: ContainerServiceProps): void {
  checkPropsObject(scope, props, 'ContainerServiceProps');
  checkKnownProps(scope, props, PROPS, 'props');
  checkImage(scope, props.image);

  checkInteger(scope, 'containerPort', props.containerPort, LIMITS.port.min, LIMITS.port.max);
  checkCpuMemory(scope, props.cpu, props.memory);
  if (props.architecture !== undefined && props.architecture !== ecs.CpuArchitecture.ARM64 && props.architecture !== ecs.CpuArchitecture.X86_64) {
    throw BulwarkError.invalid(scope, 'architecture', (props.architecture as { _cpuArchitecture?: string })?._cpuArchitecture ?? props.architecture,
      'it must be ecs.CpuArchitecture.ARM64 or ecs.CpuArchitecture.X86_64 (Fargate runs Linux tasks on those)');
  }
  if (props.user !== undefined && !Token.isUnresolved(props.user)) {
    if (typeof props.user !== 'string' || props.user.trim() === '' || props.user !== props.user.trim()) {
      throw BulwarkError.invalid(scope, 'user', props.user, 'it must be a user name or uid, optionally with a group (`1000`, `1000:1000`, `app`)');
    }
    if (ROOT_USER.test(props.user.trim())) {
      throw BulwarkError.invalid(scope, 'user', props.user, 'containers run as a non-root user: give the uid or name of an unprivileged user '
        + 'of the image (`1000` needs no entry in the image\'s /etc/passwd)');
    }
  }
  checkStringList(scope, 'command', props.command);
  checkEnvironment(scope, props.environment);
  checkSecrets(scope, props.secrets);
  const egress = createdEgress(props);
  if (egress === ServiceEgress.IPV6_ONLY) {
    for (const [prop, names] of [['environment', props.environment], ['secrets', props.secrets]] as const) {
      if (names && Object.keys(names).includes(DUAL_STACK_VARIABLE)) {
        throw BulwarkError.invalid(scope, `${prop} key`, DUAL_STACK_VARIABLE, 'the tasks run in IPv6-only subnets (egress ServiceEgress.IPV6_ONLY), '
          + 'where the library sets it to true so that AWS SDKs call AWS over IPv6; remove it');
      }
    }
  }
  checkWritablePaths(scope, props.writablePaths);
  checkContainerHealthCheck(scope, props.containerHealthCheck);
  checkRetention(scope, 'logRetention', props.logRetention);

  checkInteger(scope, 'minCapacity', props.minCapacity, 1, LIMITS.capacity.max);
  checkInteger(scope, 'maxCapacity', props.maxCapacity, 1, LIMITS.capacity.max);
  const min = props.minCapacity;
  const max = props.maxCapacity;
  if (min !== undefined && max !== undefined && !Token.isUnresolved(min) && !Token.isUnresolved(max) && min > max) {
    throw new BulwarkError(scope, `minCapacity (${min}) is greater than maxCapacity (${max}); autoscaling needs minCapacity <= maxCapacity`);
  }
  if (min !== undefined && max === undefined && !Token.isUnresolved(min) && min > DEFAULTS.maxCapacity) {
    throw new BulwarkError(scope, `minCapacity is ${min} but maxCapacity is left at its default of ${DEFAULTS.maxCapacity}; `
      + `set maxCapacity to ${min} or more`);
  }
  if (max !== undefined && min === undefined && !Token.isUnresolved(max) && max < DEFAULTS.minCapacity) {
    throw new BulwarkError(scope, `maxCapacity is ${max} but minCapacity is left at its default of ${DEFAULTS.minCapacity}; `
      + `set minCapacity to ${max} or less`);
  }
  checkInteger(scope, 'targetCpuUtilization', props.targetCpuUtilization, LIMITS.targetCpuUtilization.min, LIMITS.targetCpuUtilization.max);
  checkInteger(scope, 'targetRequestsPerTask', props.targetRequestsPerTask, LIMITS.targetRequestsPerTask.min, LIMITS.targetRequestsPerTask.max);
  checkInteger(scope, 'fargateSpotShare', props.fargateSpotShare, LIMITS.fargateSpotShare.min, LIMITS.fargateSpotShare.max);
  // ECS developer guide, "AWS Fargate capacity providers": Fargate Spot supports only Linux tasks with the X86_64 architecture.
  if ((props.fargateSpotShare ?? 0) > 0 && props.architecture !== ecs.CpuArchitecture.X86_64) {
    throw new BulwarkError(scope, `fargateSpotShare is ${props.fargateSpotShare} but architecture is ARM64${props.architecture === undefined ? ' (the default)' : ''}; `
      + 'Fargate Spot runs only X86_64 tasks: set architecture: ecs.CpuArchitecture.X86_64 (with an image built for it), or leave fargateSpotShare out');
  }
  checkBoolean(scope, 'enableExecuteCommand', props.enableExecuteCommand);

  checkBoolean(scope, 'internetFacing', props.internetFacing);
  checkBoolean(scope, 'deletionProtection', props.deletionProtection);
  if (props.certificate !== undefined) {
    checkResource(scope, 'certificate', props.certificate, 'certificateArn', 'an ACM certificate (acm.ICertificate)');
    checkSameRegion(scope, 'certificate', props.certificate.certificateArn, arnRegion(props.certificate.certificateArn),
      'a load balancer uses only ACM certificates of its own region; request or import the certificate in this region');
  }
  if (props.sslPolicy !== undefined && props.certificate === undefined) {
    throw BulwarkError.invalid(scope, 'sslPolicy', props.sslPolicy, 'it applies to the HTTPS listener, and without certificate there is none; '
      + 'give a certificate, or leave sslPolicy out');
  }
  checkLogBucket(scope, 'accessLogsBucket', props.accessLogsBucket, LOG_WRITERS.loadBalancer);
  checkTargetHealthCheck(scope, props.healthCheck);
  checkDuration(scope, 'deregistrationDelay', props.deregistrationDelay, LIMITS.deregistrationDelay.min, LIMITS.deregistrationDelay.max);
  validateWebFirewallOptions(scope, 'firewall', props.firewall);

  checkEnum(scope, 'egress', props.egress, ServiceEgress as unknown as Record<string, string>, 'ServiceEgress');
  checkExclusive(scope, { vpc: props.vpc, egress: props.egress });
  checkResource(scope, 'vpc', props.vpc, 'vpcId', 'a VPC (ec2.IVpc)');
  checkResource(scope, 'cluster', props.cluster, 'clusterName', 'an ECS cluster (ecs.ICluster)');
  checkResource(scope, 'key', props.key, 'keyArn', 'a KMS key (kms.IKey)');
  if (props.cluster !== undefined) {
    const clusterVpc = props.cluster.vpc;
    if (clusterVpc === undefined && props.vpc === undefined) {
      throw new BulwarkError(scope, `cluster '${props.cluster.node.path}' was imported without its VPC; give vpc too (the VPC the cluster's `
        + 'tasks run in), or import the cluster with ecs.Cluster.fromClusterAttributes({ ..., vpc })');
    }
    const stack = Stack.of(scope);
    if (clusterVpc !== undefined && props.vpc !== undefined
      && JSON.stringify(stack.resolve(clusterVpc.vpcId)) !== JSON.stringify(stack.resolve(props.vpc.vpcId))) {
      throw new BulwarkError(scope, `cluster '${props.cluster.node.path}' is in another VPC than vpc '${props.vpc.node.path}'; `
        + 'give only the cluster (its VPC is used), or a cluster of that VPC');
    }
  }
  if (props.cluster !== undefined && props.egress !== undefined) {
    throw new BulwarkError(scope, 'egress configures the VPC created here, and with cluster the cluster\'s VPC is used; leave egress out');
  }
  if (egress === ServiceEgress.IPV6_ONLY && props.enableExecuteCommand === true) {
    throw new BulwarkError(scope, 'enableExecuteCommand is true but egress is ServiceEgress.IPV6_ONLY (the default), where ECS Exec is not '
      + 'supported; choose egress NAT_GATEWAY_PER_AZ, SINGLE_NAT_GATEWAY or VPC_ENDPOINTS, or leave enableExecuteCommand out');
  }
  checkImageReach(scope, props.image, egress);
  if (Token.isUnresolved(Stack.of(scope).region)) {
    throw new BulwarkError(scope, 'the stack has no region (it is environment-agnostic); the load balancer\'s access logs need one '
      + '(each region delivers them from its own principal): give the stack env: { region: ... } (and account)');
  }
}

/** Registries whose hosts answer only over IPv4, and where the same images are served over IPv6. */
const IPV4_ONLY_REGISTRIES: ReadonlyArray<[RegExp, string]> = [
  [/^public\.ecr\.aws$/, 'use ECR Public\'s dual-stack host instead: ecr-public.aws.com/<alias>/<repository> (ECR Public user guide, '
    + '"Making requests to Amazon ECR Public registries")'],
  [/^ghcr\.io$/, 'GitHub\'s registry has no IPv6 address; copy the image to ECR (an ECR pull-through cache rule for ghcr.io does it for you)'],
  [/^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/, 'give the repository with ServiceImage.fromEcrRepository(...): the library '
    + 'pulls through ECR\'s dual-stack host and grants the pull'],
];

/** Registry hosts known to answer over IPv6 (Docker Hub since its IPv6 GA; ECR Public's and ECR's dual-stack hosts). */
const IPV6_REGISTRIES: readonly RegExp[] = [/^docker\.io$/, /^registry-1\.docker\.io$/, /^ecr-public\.aws\.com$/,
  /^\d{12}\.dkr-ecr\.[a-z0-9-]+\.on\.aws$/];

/** Whether the registry `host` is known to answer over IPv6 (hosts known to answer only over IPv4 are refused above). */
export function servesIpv6(host: string): boolean {
  return IPV6_REGISTRIES.some((pattern) => pattern.test(host));
}

/** The egress the created VPC will have, or undefined with a brought VPC or cluster. */
function createdEgress(props: ContainerServiceProps): ServiceEgress | undefined {
  return props.vpc === undefined && props.cluster === undefined ? props.egress ?? ServiceEgress.IPV6_ONLY : undefined;
}

/** Refuses an image the tasks could not reach through the created VPC's egress. */
function checkImageReach(scope: IConstruct, image: ServiceImage, egress: ServiceEgress | undefined): void {
  if (egress === ServiceEgress.VPC_ENDPOINTS) {
    if (image.imageName !== undefined) {
      throw BulwarkError.invalid(scope, 'image', image.imageName, 'egress is ServiceEgress.VPC_ENDPOINTS, so tasks reach only ECR (and the other '
        + 'endpoints) of this region: copy the image to an ECR repository (a pull-through cache rule does it) and give '
        + 'ServiceImage.fromEcrRepository(...), or choose an egress with internet access');
    }
    const region = image.repository?.env.region;
    const stackRegion = Stack.of(scope).region;
    if (region !== undefined && !Token.isUnresolved(region) && !Token.isUnresolved(stackRegion) && region !== stackRegion) {
      throw BulwarkError.invalid(scope, 'image', image.repository!.node.path, `the repository is in ${region}, and with `
        + `egress ServiceEgress.VPC_ENDPOINTS tasks reach only the ECR endpoints of ${stackRegion}: replicate the repository to ${stackRegion} `
        + '(ECR replication) or choose an egress with internet access');
    }
  }
  const partition = Token.isUnresolved(Stack.of(scope).region) ? undefined : RegionInfo.get(Stack.of(scope).region).partition;
  if (egress === ServiceEgress.IPV6_ONLY && image.repository !== undefined && partition !== undefined && partition !== 'aws') {
    throw BulwarkError.invalid(scope, 'image', image.repository.node.path, 'egress is ServiceEgress.IPV6_ONLY (the default), and ECR\'s '
      + `dual-stack image hosts (<account>.dkr-ecr.<region>.on.aws) serve the aws partition, not ${partition}; choose egress `
      + 'NAT_GATEWAY_PER_AZ, SINGLE_NAT_GATEWAY or VPC_ENDPOINTS');
  }
  if (egress === ServiceEgress.IPV6_ONLY && image.imageName !== undefined && !Token.isUnresolved(image.imageName)) {
    const parsed = parseImageName(image.imageName);
    const match = parsed && IPV4_ONLY_REGISTRIES.find(([host]) => host.test(parsed.host));
    if (match) {
      throw BulwarkError.invalid(scope, 'image', image.imageName, `egress is ServiceEgress.IPV6_ONLY (the default) and ${parsed!.host} answers `
        + `only over IPv4, so tasks could not pull it: ${match[1]}; or choose an egress with IPv4 (NAT_GATEWAY_PER_AZ, SINGLE_NAT_GATEWAY)`);
    }
  }
}

function checkImage(scope: IConstruct, image: ServiceImage | undefined): void {
  if (image === undefined) {
    throw new BulwarkError(scope, 'image is required: give ServiceImage.fromEcrRepository(repository, { tag }) or ServiceImage.fromRegistry(name)');
  }
  if (!(image instanceof ServiceImage)) {
    throw BulwarkError.invalid(scope, 'image', image, 'it must be a ServiceImage (ServiceImage.fromEcrRepository or ServiceImage.fromRegistry)');
  }
  checkResource(scope, 'image credentials', image.credentials, 'secretArn', 'a Secrets Manager secret (secretsmanager.ISecret)');
  if (image.imageName === undefined) {
    checkResource(scope, 'image repository', image.repository ?? null, 'repositoryName', 'an ECR repository (ecr.IRepository)');
  }
  if (image.repository !== undefined) {
    checkExclusive(scope, { 'image tag': image.tag, 'image digest': image.digest });
    if (image.tag !== undefined && !Token.isUnresolved(image.tag) && (typeof image.tag !== 'string' || !TAG.test(image.tag))) {
      throw BulwarkError.invalid(scope, 'image tag', image.tag, 'it must be 1 to 128 letters, digits, `_`, `.` and `-`, not starting with `.` or `-`');
    }
    if (image.digest !== undefined && !Token.isUnresolved(image.digest) && (typeof image.digest !== 'string' || !DIGEST.test(image.digest))) {
      throw BulwarkError.invalid(scope, 'image digest', image.digest, 'it must be `sha256:` followed by 64 lowercase hex digits');
    }
    return;
  }
  const name = image.imageName;
  if (typeof name !== 'string' || (!Token.isUnresolved(name) && parseImageName(name) === undefined)) {
    throw BulwarkError.invalid(scope, 'image', name, 'it must be an image name as `docker pull` takes it: '
      + '[registry/]repository[:tag][@sha256:digest], in lowercase (`public.ecr.aws/nginx/nginx:1.27`)');
  }
}

function checkCpuMemory(scope: IConstruct, cpu: number | undefined, memory: Size | undefined): void {
  const table = Object.entries(FARGATE_CPU_MEMORY).map(([c, m]) => `${c}: ${m.length > 3 ? `${m[0]} to ${m[m.length - 1]} in steps of ${m[1] - m[0]}` : m.join(', ')}`).join('; ');
  if (cpu !== undefined && !Token.isUnresolved(cpu) && FARGATE_CPU_MEMORY[cpu] === undefined) {
    throw BulwarkError.invalid(scope, 'cpu', cpu, `it must be one of Fargate's CPU values (with the memory each allows, in MiB): ${table}`);
  }
  if (memory === undefined) {
    if (cpu !== undefined && !Token.isUnresolved(cpu) && !FARGATE_CPU_MEMORY[cpu].includes(DEFAULTS.memory.toMebibytes())) {
      throw new BulwarkError(scope, `cpu is ${cpu} and memory is left at its default of ${DEFAULTS.memory.toHumanString()}, `
        + 'which Fargate does not allow with it; '
        + `give memory (MiB allowed per cpu: ${table})`);
    }
    return;
  }
  if (!(memory instanceof Size)) {
    throw BulwarkError.invalid(scope, 'memory', memory, 'it must be a Size (Size.mebibytes(1024), Size.gibibytes(2))');
  }
  if (memory.isUnresolved() || (cpu !== undefined && Token.isUnresolved(cpu))) {
    return;
  }
  const mib = memory.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  const allowed = FARGATE_CPU_MEMORY[cpu ?? DEFAULTS.cpu];
  if (!allowed.includes(mib)) {
    throw BulwarkError.invalid(scope, 'memory', memory, `Fargate does not allow it with cpu ${cpu ?? `${DEFAULTS.cpu} (the default)`}; `
      + `MiB allowed per cpu: ${table}`);
  }
}

function checkStringList(scope: IConstruct, prop: string, value: unknown): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw BulwarkError.invalid(scope, prop, value, 'it must be a list of strings');
  }
}

function checkEnvironment(scope: IConstruct, environment: unknown): void {
  if (environment === undefined || environment === null) {
    return;
  }
  if (typeof environment !== 'object' || Array.isArray(environment) || Token.isUnresolved(environment)) {
    throw BulwarkError.invalid(scope, 'environment', environment, 'it must be a map of variable names to string values');
  }
  for (const [name, value] of Object.entries(environment)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw BulwarkError.invalid(scope, 'environment key', name, 'a variable name is letters, digits and `_`, not starting with a digit');
    }
    if (typeof value !== 'string') {
      throw BulwarkError.invalid(scope, `environment.${name}`, value, 'it must be a string');
    }
  }
}

function checkSecrets(scope: IConstruct, secrets: unknown): void {
  if (secrets === undefined || secrets === null) {
    return;
  }
  if (typeof secrets !== 'object' || Array.isArray(secrets)) {
    throw BulwarkError.invalid(scope, 'secrets', secrets, 'it must be a map of variable names to ecs.Secret');
  }
  for (const [name, secret] of Object.entries(secrets)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw BulwarkError.invalid(scope, 'secrets key', name, 'a variable name is letters, digits and `_`, not starting with a digit');
    }
    // ecs.Secret's factories return plain objects, not instances.
    if (secret === null || typeof secret !== 'object' || typeof (secret as ecs.Secret).arn !== 'string' || typeof (secret as ecs.Secret).grantRead !== 'function') {
      throw BulwarkError.invalid(scope, `secrets.${name}`, secret, 'it must be an ecs.Secret (ecs.Secret.fromSecretsManager or fromSsmParameter)');
    }
  }
}

function checkWritablePaths(scope: IConstruct, paths: unknown): void {
  if (paths === undefined) {
    return;
  }
  checkStringList(scope, 'writablePaths', paths);
  const seen = new Set<string>();
  for (const path of paths as string[]) {
    if (Token.isUnresolved(path)) {
      continue;
    }
    const normal = posix.normalize(path).replace(/\/+$/, '');
    if (!path.startsWith('/') || normal === '' || path.includes('\0') || path.split('/').includes('..')) {
      throw BulwarkError.invalid(scope, 'writablePaths', path, 'each must be an absolute path below / without `..` (`/tmp`, `/app/cache`)');
    }
    if (seen.has(normal)) {
      throw BulwarkError.invalid(scope, 'writablePaths', path, `it is listed twice (as ${normal})`);
    }
    seen.add(normal);
  }
}

function checkContainerHealthCheck(scope: IConstruct, check: ContainerHealthCheckOptions | undefined): void {
  if (check === undefined) {
    return;
  }
  checkStruct(scope, 'containerHealthCheck', check, 'ContainerHealthCheckOptions');
  checkKnownProps(scope, check, CONTAINER_CHECK, 'containerHealthCheck');
  checkStringList(scope, 'containerHealthCheck.command', check.command);
  const command = check.command;
  if (!Array.isArray(command) || command.length < 2 || (!Token.isUnresolved(command[0]) && !['CMD', 'CMD-SHELL'].includes(command[0]))) {
    throw BulwarkError.invalid(scope, 'containerHealthCheck.command', command, 'it must start with CMD (then the executable and its arguments) or '
      + 'CMD-SHELL (then a command line): [\'CMD-SHELL\', \'curl -f http://localhost:8080/health || exit 1\']');
  }
  checkDuration(scope, 'containerHealthCheck.interval', check.interval, LIMITS.containerCheckInterval.min, LIMITS.containerCheckInterval.max);
  checkDuration(scope, 'containerHealthCheck.timeout', check.timeout, LIMITS.containerCheckTimeout.min, LIMITS.containerCheckTimeout.max);
  checkInteger(scope, 'containerHealthCheck.retries', check.retries, LIMITS.containerCheckRetries.min, LIMITS.containerCheckRetries.max);
  checkDuration(scope, 'containerHealthCheck.startPeriod', check.startPeriod, LIMITS.containerCheckStartPeriod.min, LIMITS.containerCheckStartPeriod.max);
  checkTimeoutBelowInterval(scope, 'containerHealthCheck', check.timeout ?? DEFAULTS.containerHealthCheck.timeout,
    check.interval ?? DEFAULTS.containerHealthCheck.interval);
}

function checkTargetHealthCheck(scope: IConstruct, check: TargetHealthCheckOptions | undefined): void {
  if (check === undefined) {
    return;
  }
  checkStruct(scope, 'healthCheck', check, 'TargetHealthCheckOptions');
  checkKnownProps(scope, check, TARGET_CHECK, 'healthCheck');
  if (check.path !== undefined && !Token.isUnresolved(check.path)
    && (typeof check.path !== 'string' || !/^\/[\x21-\x7e]{0,1023}$/.test(check.path))) {
    throw BulwarkError.invalid(scope, 'healthCheck.path', check.path, 'it must start with / and be at most 1,024 printable characters without spaces');
  }
  if (check.healthyHttpCodes !== undefined && !Token.isUnresolved(check.healthyHttpCodes)
    && (typeof check.healthyHttpCodes !== 'string' || !HTTP_CODES.test(check.healthyHttpCodes))) {
    throw BulwarkError.invalid(scope, 'healthCheck.healthyHttpCodes', check.healthyHttpCodes,
      'it must be codes from 200 to 499, as a code, a range or a list (`200`, `200-299`, `200,204`)');
  }
  checkDuration(scope, 'healthCheck.interval', check.interval, LIMITS.healthCheckInterval.min, LIMITS.healthCheckInterval.max);
  checkDuration(scope, 'healthCheck.timeout', check.timeout, LIMITS.healthCheckTimeout.min, LIMITS.healthCheckTimeout.max);
  checkInteger(scope, 'healthCheck.healthyThresholdCount', check.healthyThresholdCount, LIMITS.healthCheckThreshold.min, LIMITS.healthCheckThreshold.max);
  checkInteger(scope, 'healthCheck.unhealthyThresholdCount', check.unhealthyThresholdCount, LIMITS.healthCheckThreshold.min, LIMITS.healthCheckThreshold.max);
  checkDuration(scope, 'healthCheck.gracePeriod', check.gracePeriod, LIMITS.healthCheckGracePeriod.min, LIMITS.healthCheckGracePeriod.max);
  checkTimeoutBelowInterval(scope, 'healthCheck', check.timeout ?? DEFAULTS.targetHealthCheck.timeout, check.interval ?? DEFAULTS.targetHealthCheck.interval);
}

/** Both kinds of health check need the timeout shorter than the interval. */
function checkTimeoutBelowInterval(scope: IConstruct, prop: string, timeout: Duration, interval: Duration): void {
  if (timeout.isUnresolved() || interval.isUnresolved()) {
    return;
  }
  if (timeout.toSeconds() >= interval.toSeconds()) {
    throw new BulwarkError(scope, `${prop}.timeout (${timeout.toHumanString()}) must be shorter than ${prop}.interval (${interval.toHumanString()})`);
  }
}

function checkStruct(scope: IConstruct, prop: string, value: unknown, typeName: string): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw BulwarkError.invalid(scope, prop, value, `it must be a ${typeName} object`);
  }
}

/**
 * A brought access-log bucket must be SSE-S3 (load balancers write access logs to no other: ELB user
 * guide, "Access logs for your Application Load Balancer") and in the stack's region.
 */
