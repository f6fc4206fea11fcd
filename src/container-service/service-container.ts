import { AspectPriority, Aspects, Aws, IAspect, Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { parseImageName, servesIpv6 } from './container-service-validation';
import { ServiceImage } from './service-image';
import { acknowledge, KNOWN_FINDINGS } from '../private/acknowledgements';
import { DUAL_STACK_VARIABLE } from '../private/defaults/ecs';
import { separatePolicy } from '../private/managed-policy-role';
import { warn, WARNINGS } from '../private/warnings';

// Internal to the library: the image, environment and writable paths of a ContainerService's container.

/** Names of plain environment variables that look like credentials. */
const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|(^|_)KEY($|_))/i;

/** Whether a plain environment variable's name looks like a credential (`DB_PASSWORD`, `API_KEY`, `SESSION_SECRET`). */
export function looksLikeSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * The container image, pulled through ECR's dual-stack host from IPv6-only subnets; its warnings. An
 * ECR repository's pull actions are granted on it; the token, which names no resource, in a policy
 * of its own (so that the acknowledgement of its `*` covers nothing else).
 */
export function containerImage(owner: Construct, image: ServiceImage, ipv6Only: boolean, executionRole: iam.Role,
  managedRoles: boolean): ecs.ContainerImage {
  if (image.repository) {
    const repository = image.repository;
    const tagOrDigest = image.digest ?? image.tag ?? 'latest';
    const reference = image.digest !== undefined ? `@${image.digest}` : `:${tagOrDigest}`;
    if (image.digest === undefined && (image.tag === undefined || image.tag === 'latest')) {
      warn(owner, WARNINGS.serviceMutableImage, `${repository.node.path}${reference}`);
    }
    repository.grant(executionRole, 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage');
    acknowledge(separatePolicy(owner, 'PullTokenPolicy', executionRole, managedRoles,
      [new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] })]), KNOWN_FINDINGS.ecrAuthorizationToken);
    if (!ipv6Only) {
      return ecs.ContainerImage.fromRegistry(repository.repositoryUriForTagOrDigest(tagOrDigest));
    }
    // The validation refused partitions other than aws (ECR has no dual-stack hosts there).
    const stack = Stack.of(owner);
    const account = Token.isUnresolved(repository.env.account) ? Aws.ACCOUNT_ID : repository.env.account;
    const region = Token.isUnresolved(repository.env.region) ? stack.region : repository.env.region;
    return ecs.ContainerImage.fromRegistry(`${account}.dkr-ecr.${region}.on.aws/${repository.repositoryName}${reference}`);
  }
  const name = image.imageName!;
  const parsed = parseImageName(name);
  if (parsed && parsed.digest === undefined && (parsed.tag === undefined || parsed.tag === 'latest')) {
    warn(owner, WARNINGS.serviceMutableImage, name);
  }
  if (ipv6Only && parsed && !servesIpv6(parsed.host)) {
    warn(owner, WARNINGS.serviceRegistryUnverified, parsed.host);
  }
  return ecs.ContainerImage.fromRegistry(name, image.credentials ? { credentials: image.credentials } : undefined);
}

/** Where the ECS Exec agent writes inside the container (its state and its logs). */
export const EXEC_AGENT_PATHS = ['/var/lib/amazon/ssm', '/var/log/amazon/ssm'];


/**
 * Acknowledges AwsSolutions-ECS2 on the task definition at synthesis, and only if the library's
 * own variable is still its only plain environment variable: one a container gets later (from
 * `environment`, `addEnvironment()` or a sidecar) leaves the finding visible.
 */
export function acknowledgeOwnEnvironment(taskDefinition: ecs.TaskDefinition): void {
  const cfn = taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
  const aspect: IAspect = {
    visit(node: IConstruct) {
      if (node !== cfn) {
        return;
      }
      const containers = Stack.of(cfn).resolve(cfn.containerDefinitions) as Array<{ environment?: Array<{ name: string }> }> | undefined;
      const names = (containers ?? []).flatMap((c) => (c.environment ?? []).map((e) => e.name));
      if (names.length > 0 && names.every((name) => name === DUAL_STACK_VARIABLE)) {
        acknowledge(cfn, KNOWN_FINDINGS.dualStackEnvironment);
      }
    },
  };
  Aspects.of(cfn).add(aspect, { priority: AspectPriority.MUTATING });
}
