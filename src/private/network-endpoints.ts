import { Aspects, IAspect, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { warn, WARNINGS } from './warnings';

/*
 * A function in isolated subnets (the REGULATED shared network: no NAT, no internet route) reaches
 * only the AWS services the VPC has an endpoint for; any other call hangs until the function times
 * out (Lambda developer guide, "Giving Lambda functions access to resources in an Amazon VPC" and
 * "Enable internet access for VPC-connected Lambda functions"). What Lambda itself does for the
 * function (writing its logs, sending failed events to its dead-letter queue, polling its event
 * sources, decrypting its environment) is not the function's traffic and needs no endpoint; what the
 * function's code calls does, and so does the X-Ray daemon Lambda runs beside the code of a traced
 * function (X-Ray developer guide, "Using AWS X-Ray with interface VPC endpoints").
 *
 * The grants a construct or the user makes land in the policies of the function's role, at any time
 * before synthesis. So the services are read at synthesis, from the actions of every policy
 * attached to the role (but the function's base policy, which Lambda uses), by an Aspect of the
 * function's stack: for the shared network the missing interface endpoints are added, once per
 * stack; for a VPC of yours with isolated subnets a warning names the ones not found.
 */

/** An interface endpoint for a service, and its construct id under the shared network (ids are API). */
interface Endpoint {
  readonly id: string;
  readonly service: ec2.InterfaceVpcEndpointAwsService;
}

/** The interface endpoint of each service (by its IAM prefix) that the shared network adds when a function is granted it. */
export const INTERFACE_ENDPOINTS: Readonly<Record<string, Endpoint>> = {
  'sqs': { id: 'Sqs', service: ec2.InterfaceVpcEndpointAwsService.SQS },
  'sns': { id: 'Sns', service: ec2.InterfaceVpcEndpointAwsService.SNS },
  'events': { id: 'EventBridge', service: ec2.InterfaceVpcEndpointAwsService.EVENTBRIDGE },
  'states': { id: 'StepFunctions', service: ec2.InterfaceVpcEndpointAwsService.STEP_FUNCTIONS },
  'secretsmanager': { id: 'SecretsManager', service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER },
  'ssm': { id: 'Ssm', service: ec2.InterfaceVpcEndpointAwsService.SSM },
  'kms': { id: 'Kms', service: ec2.InterfaceVpcEndpointAwsService.KMS },
  'xray': { id: 'XRay', service: ec2.InterfaceVpcEndpointAwsService.XRAY },
  'logs': { id: 'Logs', service: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS },
  'cloudwatch': { id: 'CloudWatch', service: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING },
  'sts': { id: 'Sts', service: ec2.InterfaceVpcEndpointAwsService.STS },
  'lambda': { id: 'Lambda', service: ec2.InterfaceVpcEndpointAwsService.LAMBDA },
  'kinesis': { id: 'KinesisStreams', service: ec2.InterfaceVpcEndpointAwsService.KINESIS_STREAMS },
  'firehose': { id: 'KinesisFirehose', service: ec2.InterfaceVpcEndpointAwsService.KINESIS_FIREHOSE },
  'cognito-idp': { id: 'CognitoIdp', service: ec2.InterfaceVpcEndpointAwsService.COGNITO_IDP },
  'rds-data': { id: 'RdsData', service: ec2.InterfaceVpcEndpointAwsService.RDS_DATA },
  'athena': { id: 'Athena', service: ec2.InterfaceVpcEndpointAwsService.ATHENA },
  'glue': { id: 'Glue', service: ec2.InterfaceVpcEndpointAwsService.GLUE },
  'bedrock': { id: 'BedrockRuntime', service: ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME },
  'ec2': { id: 'Ec2', service: ec2.InterfaceVpcEndpointAwsService.EC2 },
};

/** Step Functions' synchronous Express executions have an endpoint of their own. */
const SYNC_STATES: Endpoint = { id: 'StepFunctionsSync', service: ec2.InterfaceVpcEndpointAwsService.STEP_FUNCTIONS_SYNC };

/** Services reached through the shared network's gateway endpoints (free). */
export const GATEWAY_ENDPOINTS: Readonly<Record<string, ec2.GatewayVpcEndpointAwsService>> = {
  s3: ec2.GatewayVpcEndpointAwsService.S3,
  dynamodb: ec2.GatewayVpcEndpointAwsService.DYNAMODB,
};

/** Services the library adds no endpoint for although one exists, and why. */
const NOT_ADDED: Readonly<Record<string, string>> = {
  'execute-api': 'an execute-api endpoint with private DNS would send every API Gateway hostname in the VPC to private APIs only, '
    + 'so calls to regional and edge-optimized APIs would fail',
};

/** A function attached to a VPC whose reach is checked at synthesis. */
export interface VpcFunction {
  /** Where warnings go (the SecureFunction). */
  readonly scope: IConstruct;
  readonly role: iam.IRole;
  readonly vpc: ec2.IVpc;
  /** The subnets the function runs in. */
  readonly subnets: ec2.SelectedSubnets;
  /** The stack's shared network, to which the missing endpoints are added. */
  readonly sharedNetwork?: SharedNetwork;
  /** Policies of the role that Lambda uses itself (logs, dead letters, network interfaces), not the function's code. */
  readonly lambdaPolicies: readonly IConstruct[];
  /** Prefixes the function always calls (`xray` for a traced function). */
  readonly always: readonly string[];
}

/** How the shared network adds an interface endpoint (`stack-resources.ts`). */
export interface SharedNetwork {
  readonly vpc: ec2.IVpc;
  addEndpoint(id: string, service: ec2.IInterfaceVpcEndpointService): void;
}

const FUNCTIONS = new WeakMap<Stack, VpcFunction[]>();

/** Checks, at synthesis, that `fn` can reach every service its role is granted. */
export function watchVpcFunction(fn: VpcFunction): void {
  const stack = Stack.of(fn.scope);
  let functions = FUNCTIONS.get(stack);
  if (!functions) {
    functions = [];
    FUNCTIONS.set(stack, functions);
    Aspects.of(stack).add(new EndpointsAspect(stack, functions));
  }
  functions.push(fn);
}

class EndpointsAspect implements IAspect {
  constructor(private readonly stack: Stack, private readonly functions: readonly VpcFunction[]) {}

  public visit(node: IConstruct): void {
    // Once per synthesis, at the stack: every grant is in place by then. The stack's policies and the
    // app's endpoints are read once for all its functions.
    if (node !== this.stack) {
      return;
    }
    const policies = policyDocumentsByRole(this.stack);
    const endpoints = new EndpointIndex(this.stack.node.root);
    for (const fn of this.functions) {
      const called = calledServices(fn, policies);
      if (fn.sharedNetwork) {
        provideEndpoints(fn, fn.sharedNetwork, called, endpoints);
      } else if (isolated(fn)) {
        warnMissingEndpoints(fn, called, endpoints);
      }
    }
  }
}

/** A policy (CfnPolicy or CfnManagedPolicy) of the stack and its resolved document. */
interface AttachedPolicy {
  readonly policy: IConstruct;
  readonly document: unknown;
}

/** The stack's policies by each role they are attached to (the role's resolved name, as JSON). */
function policyDocumentsByRole(stack: Stack): Map<string, AttachedPolicy[]> {
  const byRole = new Map<string, AttachedPolicy[]>();
  for (const c of stack.node.findAll()) {
    if (!(c instanceof iam.CfnPolicy || c instanceof iam.CfnManagedPolicy) || Stack.of(c) !== stack) {
      continue;
    }
    const roles = (stack.resolve(c.roles) as unknown[] | undefined) ?? [];
    if (roles.length === 0) {
      continue;
    }
    const attached = { policy: c, document: stack.resolve(c.policyDocument) };
    for (const role of roles) {
      const key = JSON.stringify(role);
      byRole.set(key, [...byRole.get(key) ?? [], attached]);
    }
  }
  return byRole;
}

/** The app's VPC endpoints (created with a VPC, or by you with addInterfaceEndpoint/addGatewayEndpoint), by VPC and service. */
class EndpointIndex {
  private static key(vpcId: string, serviceName: unknown): string {
    return `${vpcId} ${JSON.stringify(serviceName)}`;
  }

  private readonly keys = new Set<string>();

  constructor(root: IConstruct) {
    for (const c of root.node.findAll()) {
      if (c instanceof ec2.CfnVPCEndpoint) {
        this.keys.add(EndpointIndex.key(c.vpcId, Stack.of(c).resolve(c.serviceName)));
      }
    }
  }

  public has(vpc: ec2.IVpc, serviceName: string): boolean {
    return this.keys.has(EndpointIndex.key(vpc.vpcId, Stack.of(vpc).resolve(serviceName)));
  }

  public add(vpc: ec2.IVpc, serviceName: string): void {
    this.keys.add(EndpointIndex.key(vpc.vpcId, Stack.of(vpc).resolve(serviceName)));
  }
}

/** The IAM prefixes of the services the function's code may call, with the actions that say so. */
function calledServices(fn: VpcFunction, policies: Map<string, AttachedPolicy[]>): Map<string, Set<string>> {
  const stack = Stack.of(fn.role);
  const excluded = new Set(fn.lambdaPolicies.map((p) => p.node.defaultChild ?? p));
  const documents = (policies.get(JSON.stringify(stack.resolve(fn.role.roleName))) ?? [])
    .filter((p) => !excluded.has(p.policy))
    .map((p) => p.document);
  const cfnRole = fn.role.node.defaultChild;
  if (cfnRole instanceof iam.CfnRole) {
    for (const inline of (stack.resolve(cfnRole.policies) as Array<{ PolicyDocument?: unknown }> | undefined) ?? []) {
      documents.push(inline.PolicyDocument);
    }
  }
  const called = new Map<string, Set<string>>();
  const add = (prefix: string, action: string) => called.set(prefix, (called.get(prefix) ?? new Set()).add(action));
  fn.always.forEach((prefix) => add(prefix, `${prefix}:*`));
  for (const document of documents) {
    for (const statement of ((document as { Statement?: unknown[] })?.Statement ?? []) as Array<Record<string, unknown>>) {
      if (statement.Effect !== 'Allow' || statement.Action === undefined) {
        continue;
      }
      for (const action of [statement.Action].flat()) {
        if (typeof action !== 'string' || !action.includes(':')) {
          continue;
        }
        const prefix = action.split(':')[0].toLowerCase();
        // A key used through a service (kms:ViaService) is called by that service, not by the code.
        if (prefix === 'kms' && JSON.stringify(statement.Condition ?? {}).includes('"kms:ViaService"')) {
          continue;
        }
        add(prefix, action);
      }
    }
  }
  return called;
}

/** The endpoints of `prefix` (with the actions that need them). */
function endpointsFor(prefix: string, actions: ReadonlySet<string>): Endpoint[] {
  const endpoint = INTERFACE_ENDPOINTS[prefix];
  if (!endpoint) {
    return [];
  }
  const sync = prefix === 'states' && [...actions].some((a) => /^states:(StartSyncExecution|\*)$/i.test(a));
  return sync ? [endpoint, SYNC_STATES] : [endpoint];
}

function provideEndpoints(fn: VpcFunction, network: SharedNetwork, called: Map<string, Set<string>>, existing: EndpointIndex): void {
  const unreachable: string[] = [];
  for (const [prefix, actions] of called) {
    if (GATEWAY_ENDPOINTS[prefix]) {
      continue;
    }
    const endpoints = endpointsFor(prefix, actions);
    if (endpoints.length === 0) {
      unreachable.push(describe(prefix, actions));
      continue;
    }
    for (const endpoint of endpoints) {
      if (!existing.has(network.vpc, endpoint.service.name)) {
        network.addEndpoint(endpoint.id, endpoint.service);
        existing.add(network.vpc, endpoint.service.name);
      }
    }
  }
  if (unreachable.length > 0) {
    warn(fn.scope, WARNINGS.functionNoEndpoint, unreachable.sort().join('; '));
  }
}

function warnMissingEndpoints(fn: VpcFunction, called: Map<string, Set<string>>, existing: EndpointIndex): void {
  const missing: string[] = [];
  for (const [prefix, actions] of called) {
    const gateway = GATEWAY_ENDPOINTS[prefix];
    const endpoints = endpointsFor(prefix, actions);
    const found = gateway ? existing.has(fn.vpc, gateway.name) : endpoints.length > 0 && endpoints.every((e) => existing.has(fn.vpc, e.service.name));
    if (!found) {
      missing.push(describe(prefix, actions));
    }
  }
  if (missing.length > 0) {
    warn(fn.scope, WARNINGS.functionVpcEndpoints, fn.vpc.node.path, missing.sort().join('; '));
  }
}

/** `sns (sns:Publish)`, with the reason when the library adds no endpoint for it. */
function describe(prefix: string, actions: ReadonlySet<string>): string {
  const listed = [...actions].sort();
  const shown = listed.length > 3 ? `${listed.slice(0, 3).join(', ')}, ...` : listed.join(', ');
  const reason = NOT_ADDED[prefix] ?? (INTERFACE_ENDPOINTS[prefix] || GATEWAY_ENDPOINTS[prefix] ? undefined : 'the library knows no endpoint for it');
  return `${prefix} (${shown})${reason ? `: ${reason}` : ''}`;
}

/** Whether the function's subnets are isolated (no route out that the VPC says it has). */
function isolated(fn: VpcFunction): boolean {
  const isolatedIds = new Set(fn.vpc.isolatedSubnets.map((s) => s.subnetId));
  return fn.subnets.subnetIds.length > 0 && fn.subnets.subnetIds.every((id) => isolatedIds.has(id));
}
