import { AspectPriority, Aspects, IAspect, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
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
 * before synthesis. So the services are read at synthesis, from the actions of every policy of the
 * role in its stack (attached by the policy's Roles or the role's ManagedPolicyArns; but the
 * function's base policy, and the actions Lambda itself takes on the function's event sources and
 * destinations), by an Aspect of the function's stack: for the shared network the missing interface
 * endpoints are added, once per stack; for a VPC of yours with isolated subnets a warning names the
 * ones not found. Managed policies the stack does not hold (AWS managed ones) cannot be read: the
 * warnings name them.
 */

/** An interface endpoint for a service, and its construct id under the shared network (ids are API). */
interface Endpoint {
  readonly id: string;
  readonly service: ec2.InterfaceVpcEndpointAwsService;
}

/**
 * Which interface endpoint serves which of a service's actions: every action, or only those named
 * (a granted action with a wildcard selects each rule whose actions it matches).
 */
interface EndpointRule {
  readonly endpoint: Endpoint;
  /** The action names (without the prefix) this endpoint serves; every action when absent. */
  readonly actions?: readonly string[];
}

function endpoint(id: string, service: ec2.InterfaceVpcEndpointAwsService): EndpointRule[] {
  return [{ endpoint: { id, service } }];
}

/** The interface endpoints of each service (by its IAM prefix) that the shared network adds when a function is granted it. */
export const INTERFACE_ENDPOINTS: Readonly<Record<string, readonly EndpointRule[]>> = {
  'sqs': endpoint('Sqs', ec2.InterfaceVpcEndpointAwsService.SQS),
  'sns': endpoint('Sns', ec2.InterfaceVpcEndpointAwsService.SNS),
  'events': endpoint('EventBridge', ec2.InterfaceVpcEndpointAwsService.EVENTBRIDGE),
  'states': [
    ...endpoint('StepFunctions', ec2.InterfaceVpcEndpointAwsService.STEP_FUNCTIONS),
    // Synchronous Express executions have an endpoint of their own.
    { endpoint: { id: 'StepFunctionsSync', service: ec2.InterfaceVpcEndpointAwsService.STEP_FUNCTIONS_SYNC }, actions: ['StartSyncExecution'] },
  ],
  'secretsmanager': endpoint('SecretsManager', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER),
  'ssm': endpoint('Ssm', ec2.InterfaceVpcEndpointAwsService.SSM),
  'kms': endpoint('Kms', ec2.InterfaceVpcEndpointAwsService.KMS),
  'xray': endpoint('XRay', ec2.InterfaceVpcEndpointAwsService.XRAY),
  'logs': endpoint('Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS),
  'cloudwatch': endpoint('CloudWatch', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING),
  'sts': endpoint('Sts', ec2.InterfaceVpcEndpointAwsService.STS),
  'lambda': endpoint('Lambda', ec2.InterfaceVpcEndpointAwsService.LAMBDA),
  'kinesis': endpoint('KinesisStreams', ec2.InterfaceVpcEndpointAwsService.KINESIS_STREAMS),
  'firehose': endpoint('KinesisFirehose', ec2.InterfaceVpcEndpointAwsService.KINESIS_FIREHOSE),
  'cognito-idp': endpoint('CognitoIdp', ec2.InterfaceVpcEndpointAwsService.COGNITO_IDP),
  'rds-data': endpoint('RdsData', ec2.InterfaceVpcEndpointAwsService.RDS_DATA),
  'athena': endpoint('Athena', ec2.InterfaceVpcEndpointAwsService.ATHENA),
  'glue': endpoint('Glue', ec2.InterfaceVpcEndpointAwsService.GLUE),
  // Model invocation only: agents, knowledge bases and the control plane share the prefix but not the endpoint.
  'bedrock': [{
    endpoint: { id: 'BedrockRuntime', service: ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME },
    actions: ['InvokeModel', 'InvokeModelWithResponseStream', 'Converse', 'ConverseStream', 'ApplyGuardrail', 'CountTokens'],
  }],
  'ec2': endpoint('Ec2', ec2.InterfaceVpcEndpointAwsService.EC2),
};

/** Services reached through the shared network's gateway endpoints (free). */
export const GATEWAY_ENDPOINTS: Readonly<Record<string, ec2.GatewayVpcEndpointAwsService>> = {
  s3: ec2.GatewayVpcEndpointAwsService.S3,
  dynamodb: ec2.GatewayVpcEndpointAwsService.DYNAMODB,
};

/** Services (or actions of them) the library adds no endpoint for although one exists, and why. */
const NOT_ADDED: Readonly<Record<string, string>> = {
  'execute-api': 'an execute-api endpoint with private DNS would send every API Gateway hostname in the VPC to private APIs only, '
    + 'so calls to regional and edge-optimized APIs would fail',
  // AppSync developer guide, "Using AWS AppSync Private APIs": with private DNS, resources in the VPC can no longer call public APIs.
  'appsync': 'an appsync-api endpoint with private DNS would send every AppSync hostname in the VPC to private APIs only, so calls '
    + 'to public GraphQL APIs (a SecureGraphqlApi) would fail; a function in isolated subnets reaches a public API only through a NAT',
  'bedrock': 'the library adds only the bedrock-runtime endpoint (model invocation); agents, knowledge bases and the control plane '
    + 'are served by the bedrock-agent-runtime, bedrock-agent and bedrock endpoints',
};

/*
 * What Lambda does with the function's role, not the function's code: polling its event sources
 * (on the event sources' ARNs) and sending to its destinations (on the destinations' ARNs). Those
 * calls do not go through the function's VPC (Lambda developer guide, "Giving Lambda functions
 * access to resources in an Amazon VPC": event source mappings and destinations are run by Lambda).
 */
const POLLER_ACTIONS = new Set([
  'sqs:receivemessage', 'sqs:changemessagevisibility', 'sqs:getqueueurl', 'sqs:deletemessage', 'sqs:getqueueattributes',
  'kinesis:describestreamsummary', 'kinesis:getrecords', 'kinesis:getsharditerator', 'kinesis:listshards', 'kinesis:subscribetoshard',
  'kinesis:describestream', 'kinesis:liststreams', 'kinesis:describestreamconsumer',
  'dynamodb:describestream', 'dynamodb:getrecords', 'dynamodb:getsharditerator', 'dynamodb:liststreams',
]);
const DESTINATION_ACTIONS = new Set([
  'sqs:sendmessage', 'sqs:getqueueattributes', 'sqs:getqueueurl', 'sns:publish', 'lambda:invokefunction', 'events:putevents',
]);

/*
 * Actions that are permissions without a call: IAM database authentication signs its token in the
 * function itself, and the database checks rds-db:connect as the token is presented (RDS user guide,
 * "Connecting to your DB instance using IAM authentication").
 */
const LOCAL_ACTIONS = new Set(['rds-db:connect']);

/*
 * Statements a service uses with the caller's credentials on its own path (the RDS Data API reads the
 * database's secret "transparently", with the caller's permission: Aurora user guide, "Authorizing
 * access to the Amazon RDS Data API"): the function's code never calls that service. Their Sid marks
 * them (`grantCalledByService`), since no documented condition key (aws:CalledVia) covers those calls.
 */
const CALLED_BY_SERVICE_SID = 'CalledBy';

/**
 * Grants `actions` on `resources` to `grantee` for a service that calls them with the grantee's
 * credentials on the service's own network path (`service` names it in the statement's Sid, e.g.
 * `RdsDataApi`): no interface endpoint is added, or asked for, for those actions.
 */
export function grantCalledByService(grantee: iam.IGrantable, service: string, actions: readonly string[], resourceArns: string[]): iam.Grant {
  const principal = grantee.grantPrincipal;
  // The grantee, except that the statement it is given carries the Sid.
  const marked = Object.create(principal) as iam.IPrincipal;
  Object.defineProperty(marked, 'addToPrincipalPolicy', {
    value: (statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult => {
      statement.sid = `${CALLED_BY_SERVICE_SID}${service}`;
      return principal.addToPrincipalPolicy(statement);
    },
  });
  return iam.Grant.addToPrincipal({ grantee: { grantPrincipal: marked }, actions: [...actions], resourceArns });
}

/** A function attached to a VPC whose reach is checked at synthesis. */
export interface VpcFunction {
  /** Where warnings go (the SecureFunction). */
  readonly scope: IConstruct;
  /** The function (its event sources and destinations are Lambda's calls, not the code's). */
  readonly lambdaFunction: IConstruct;
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
    // Mutating: read-only aspects (yours, cdk-nag's) run after the endpoints are added.
    Aspects.of(stack).add(new EndpointsAspect(stack, functions), { priority: AspectPriority.MUTATING });
  }
  functions.push(fn);
}

class EndpointsAspect implements IAspect {
  constructor(private readonly stack: Stack, private readonly functions: readonly VpcFunction[]) {}

  public visit(node: IConstruct): void {
    // Once per synthesis, at the stack: every grant is in place by then. The stack's policies, its
    // event sources and destinations, and the app's endpoints are read once for all its functions.
    if (node !== this.stack) {
      return;
    }
    const stackPolicies = new StackPolicies(this.stack);
    const endpoints = new EndpointIndex(this.stack.node.root);
    for (const fn of this.functions) {
      const calls = calledServices(fn, stackPolicies);
      if (fn.sharedNetwork) {
        provideEndpoints(fn, fn.sharedNetwork, calls, endpoints);
      } else if (isolated(fn)) {
        warnMissingEndpoints(fn, calls, endpoints);
      }
    }
  }
}

/** A policy (CfnPolicy or CfnManagedPolicy) of the stack and its resolved document. */
interface AttachedPolicy {
  readonly policy: IConstruct;
  readonly document: unknown;
}

/**
 * A policy document as JSON, without resolving the PolicyDocument itself: resolving freezes its
 * statements, and an aspect or a grant that comes later could no longer add to them.
 */
function documentJson(stack: Stack, document: unknown): unknown {
  return stack.resolve(document instanceof iam.PolicyDocument ? document.toJSON() : document);
}

/** What the stack holds that says what its functions' roles allow, and what Lambda does for them. */
class StackPolicies {
  /** Policies attached by their Roles property, by each role (its resolved name, as JSON). */
  private readonly byRole = new Map<string, AttachedPolicy[]>();
  /** Managed policies by their resolved Ref (as JSON), for roles that list them in ManagedPolicyArns. */
  private readonly managedByRef = new Map<string, AttachedPolicy>();
  /** Per function (its resolved Ref, as JSON): the ARNs (as JSON) of its event sources and of its destinations. */
  private readonly eventSources = new Map<string, Set<string>>();
  private readonly destinations = new Map<string, Set<string>>();
  /** The key (resolved, as JSON) of each encrypted queue, topic or stream, by its ARN (as JSON). */
  private readonly keyOf = new Map<string, string>();

  constructor(private readonly stack: Stack) {
    const record = (map: Map<string, Set<string>>, fn: unknown, arn: unknown) => {
      if (arn !== undefined) {
        const key = JSON.stringify(stack.resolve(fn));
        map.set(key, (map.get(key) ?? new Set()).add(JSON.stringify(stack.resolve(arn))));
      }
    };
    const consumerStreams = new Map<string, string>();
    for (const c of stack.node.findAll()) {
      if (Stack.of(c) !== stack) {
        continue;
      }
      if (c instanceof iam.CfnPolicy || c instanceof iam.CfnManagedPolicy) {
        const attached = { policy: c, document: documentJson(stack, c.policyDocument) };
        for (const role of (stack.resolve(c.roles) as unknown[] | undefined) ?? []) {
          const key = JSON.stringify(role);
          this.byRole.set(key, [...this.byRole.get(key) ?? [], attached]);
        }
        if (c instanceof iam.CfnManagedPolicy) {
          this.managedByRef.set(JSON.stringify(stack.resolve(c.ref)), attached);
        }
      } else if (c instanceof lambda.CfnEventSourceMapping) {
        record(this.eventSources, c.functionName, c.eventSourceArn);
        record(this.destinations, c.functionName, destinationOf(stack, c.destinationConfig, 'onFailure'));
      } else if (c instanceof lambda.CfnEventInvokeConfig) {
        record(this.destinations, c.functionName, destinationOf(stack, c.destinationConfig, 'onFailure'));
        record(this.destinations, c.functionName, destinationOf(stack, c.destinationConfig, 'onSuccess'));
      } else if (c instanceof kinesis.CfnStreamConsumer) {
        // Lambda reads an enhanced fan-out consumer's stream too (ListShards, DescribeStream on the stream's ARN).
        consumerStreams.set(JSON.stringify(stack.resolve(c.attrConsumerArn)), JSON.stringify(stack.resolve(c.streamArn)));
      } else if (c instanceof sqs.CfnQueue || c instanceof sns.CfnTopic || c instanceof kinesis.CfnStream) {
        const arn = c instanceof sns.CfnTopic ? c.ref : c.attrArn;
        const key = c instanceof kinesis.CfnStream ? (stack.resolve(c.streamEncryption) as { keyId?: unknown } | undefined)?.keyId : c.kmsMasterKeyId;
        if (key !== undefined) {
          this.keyOf.set(JSON.stringify(stack.resolve(arn)), JSON.stringify(stack.resolve(key)));
        }
      }
    }
    for (const sources of this.eventSources.values()) {
      for (const arn of [...sources]) {
        const stream = consumerStreams.get(arn);
        if (stream !== undefined) {
          sources.add(stream);
        }
      }
    }
  }

  /** The documents of the policies of `role` (but `excluded`), and the managed policies that cannot be read here. */
  public documentsOf(role: iam.IRole, excluded: ReadonlySet<IConstruct>): { documents: unknown[]; unreadable: string[] } {
    const stack = this.stack;
    const attached = [...this.byRole.get(JSON.stringify(stack.resolve(role.roleName))) ?? []];
    const unreadable: string[] = [];
    const cfnRole = role.node.defaultChild;
    const documents: unknown[] = [];
    if (cfnRole instanceof iam.CfnRole) {
      for (const inline of (stack.resolve(cfnRole.policies) as Array<{ PolicyDocument?: unknown }> | undefined) ?? []) {
        documents.push(documentJson(stack, inline.PolicyDocument));
      }
      for (const arn of (stack.resolve(cfnRole.managedPolicyArns) as unknown[] | undefined) ?? []) {
        const managed = this.managedByRef.get(JSON.stringify(arn));
        if (managed) {
          attached.push(managed);
        } else {
          // An AWS managed policy, or one of another stack or account: its statements are not in this stack.
          unreadable.push(readableArn(arn));
        }
      }
    }
    documents.push(...[...new Set(attached)].filter((p) => !excluded.has(p.policy)).map((p) => p.document));
    return { documents, unreadable };
  }

  /** ARNs (as JSON) Lambda polls or sends to for `fn`, and the keys (ARNs as JSON) of those resources. */
  public lambdaSide(fn: IConstruct): { eventSources: ReadonlySet<string>; destinations: ReadonlySet<string>; keys: ReadonlySet<string> } {
    const id = JSON.stringify(this.stack.resolve((fn as lambda.CfnFunction).ref));
    const eventSources = this.eventSources.get(id) ?? new Set<string>();
    const destinations = this.destinations.get(id) ?? new Set<string>();
    const keys = new Set([...eventSources, ...destinations].flatMap((arn) => this.keyOf.get(arn) ?? []));
    return { eventSources, destinations, keys };
  }
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

/** What a function's code may call: the IAM prefixes with the actions that say so, and the policies that cannot be read. */
interface Calls {
  readonly byPrefix: Map<string, Set<string>>;
  readonly unreadable: readonly string[];
}

/** Whether every resource of `statement` is one of `arns` (resolved, as JSON). */
function onlyOn(statement: Record<string, unknown>, arns: ReadonlySet<string>): boolean {
  const resources = [statement.Resource ?? []].flat();
  return arns.size > 0 && resources.length > 0 && resources.every((r) => arns.has(JSON.stringify(r)));
}

function calledServices(fn: VpcFunction, policies: StackPolicies): Calls {
  const excluded = new Set(fn.lambdaPolicies.map((p) => p.node.defaultChild ?? p));
  const { documents, unreadable } = policies.documentsOf(fn.role, excluded);
  const { eventSources, destinations, keys } = policies.lambdaSide(fn.lambdaFunction);
  const byPrefix = new Map<string, Set<string>>();
  const add = (prefix: string, action: string) => byPrefix.set(prefix, (byPrefix.get(prefix) ?? new Set()).add(action));
  fn.always.forEach((prefix) => add(prefix, `${prefix}:*`));
  for (const document of documents) {
    for (const statement of ((document as { Statement?: unknown[] })?.Statement ?? []) as Array<Record<string, unknown>>) {
      if (statement.Effect !== 'Allow' || statement.Action === undefined) {
        continue;
      }
      if (typeof statement.Sid === 'string' && statement.Sid.startsWith(CALLED_BY_SERVICE_SID)) {
        continue;
      }
      const polled = onlyOn(statement, eventSources);
      const sentTo = onlyOn(statement, destinations);
      // The key of an encrypted event source or destination is used by Lambda as it polls or sends.
      const theirKey = onlyOn(statement, keys);
      for (const action of [statement.Action].flat()) {
        if (typeof action !== 'string' || !action.includes(':')) {
          continue;
        }
        const lower = action.toLowerCase();
        if ((polled && POLLER_ACTIONS.has(lower)) || (sentTo && DESTINATION_ACTIONS.has(lower)) || (theirKey && lower.startsWith('kms:'))
          || LOCAL_ACTIONS.has(lower)) {
          continue;
        }
        const prefix = lower.split(':')[0];
        // A key used through a service (kms:ViaService) is called by that service, not by the code.
        const conditions = (statement.Condition ?? {}) as Record<string, Record<string, unknown>>;
        // Nor a call that another service makes with the caller's credentials (aws:CalledVia: Athena reading Glue).
        if (['ForAnyValue:StringEquals', 'StringEquals'].some((op) => conditions[op]?.['aws:CalledVia'] !== undefined)) {
          continue;
        }
        if (prefix === 'kms' && ['StringEquals', 'StringLike', 'ForAnyValue:StringEquals'].some((op) => conditions[op]?.['kms:ViaService'] !== undefined)) {
          continue;
        }
        add(prefix, action);
      }
    }
  }
  return { byPrefix, unreadable };
}

/** Whether the granted action (`prefix:Name`, with `*` and `?` wildcards) covers the action `name`. */
function grants(granted: string, name: string): boolean {
  const pattern = granted.split(':')[1] ?? '';
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return regex.test(name);
}

/** The endpoints `actions` of `prefix` need, and the actions no endpoint the library adds serves. */
function endpointsFor(prefix: string, actions: ReadonlySet<string>): { endpoints: Endpoint[]; uncovered: string[] } {
  const rules = INTERFACE_ENDPOINTS[prefix] ?? [];
  const endpoints = rules.filter((rule) => !rule.actions || [...actions].some((a) => rule.actions!.some((name) => grants(a, name))))
    .map((rule) => rule.endpoint);
  const servesAll = rules.some((rule) => !rule.actions);
  const uncovered = servesAll ? [] : [...actions].filter((a) => /[*?]/.test(a) || !rules.some((rule) => rule.actions!.some((name) => grants(a, name))));
  return { endpoints, uncovered };
}

function provideEndpoints(fn: VpcFunction, network: SharedNetwork, calls: Calls, existing: EndpointIndex): void {
  const unreachable = calls.unreadable.map(describeUnreadable);
  for (const [prefix, actions] of calls.byPrefix) {
    if (GATEWAY_ENDPOINTS[prefix]) {
      continue;
    }
    const { endpoints, uncovered } = endpointsFor(prefix, actions);
    if (uncovered.length > 0) {
      unreachable.push(describe(prefix, new Set(uncovered)));
    }
    for (const e of endpoints) {
      if (!existing.has(network.vpc, e.service.name)) {
        network.addEndpoint(e.id, e.service);
        existing.add(network.vpc, e.service.name);
      }
    }
  }
  if (unreachable.length > 0) {
    warn(fn.scope, WARNINGS.functionNoEndpoint, unreachable.sort().join('; '));
  }
}

function warnMissingEndpoints(fn: VpcFunction, calls: Calls, existing: EndpointIndex): void {
  const missing = calls.unreadable.map(describeUnreadable);
  for (const [prefix, actions] of calls.byPrefix) {
    const gateway = GATEWAY_ENDPOINTS[prefix];
    const { endpoints, uncovered } = endpointsFor(prefix, actions);
    const found = gateway ? existing.has(fn.vpc, gateway.name)
      : uncovered.length === 0 && endpoints.length > 0 && endpoints.every((e) => existing.has(fn.vpc, e.service.name));
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

function describeUnreadable(policy: string): string {
  return `managed policy ${policy}: the library cannot read what it allows`;
}

/** A managed policy's ARN as a user reads it (`arn:${AWS::Partition}:iam::aws:policy/Name`), or what it is. */
function readableArn(arn: unknown): string {
  if (typeof arn === 'string') {
    return arn;
  }
  const join = (arn as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join'];
  if (join && join[1].every((p) => typeof p === 'string' || typeof (p as { Ref?: unknown }).Ref === 'string')) {
    return join[1].map((p) => (typeof p === 'string' ? p : `\${${(p as { Ref: string }).Ref}}`)).join(join[0]);
  }
  return 'a managed policy of another stack';
}

/** The destination ARN of a resolved `DestinationConfig` (`onFailure` or `onSuccess`). */
function destinationOf(stack: Stack, config: unknown, which: 'onFailure' | 'onSuccess'): unknown {
  const resolved = stack.resolve(config) as Record<string, { destination?: unknown; Destination?: unknown } | undefined> | undefined;
  const upper = which === 'onFailure' ? 'OnFailure' : 'OnSuccess';
  const entry = resolved?.[which] ?? resolved?.[upper];
  return entry?.destination ?? entry?.Destination;
}

/** Whether the function's subnets are isolated (no route out that the VPC says it has). */
function isolated(fn: VpcFunction): boolean {
  const isolatedIds = new Set(fn.vpc.isolatedSubnets.map((s) => s.subnetId));
  return fn.subnets.subnetIds.length > 0 && fn.subnets.subnetIds.every((id) => isolatedIds.has(id));
}
