import { CfnResource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IConstruct } from 'constructs';
import { createDeadLetterQueue, DeadLetterWriter } from './dead-letter-queue';
import { retainedLogGroup } from './log-groups';
import { serviceRole } from './managed-policy-role';
import type { SharedNetwork } from './network-endpoints';
import { failurePathKey, stackKey } from './stack-key';

/*
 * Per-stack singletons (DESIGN.md §1): created on first use under the stack, one each. Their
 * construct ids are API and never change.
 */
const ASYNC_FAILURE_QUEUE_ID = 'BulwarkAsyncFailureQueue';
const NETWORK_ID = 'BulwarkNetwork';
const NETWORK_CIDR = '10.0.0.0/16';
/** The construct id CDK gives its stack-wide provider of `Custom::VpcRestrictDefaultSG` (aws-ec2, vpc.ts). */
const RESTRICT_DEFAULT_SG_PROVIDER_ID = 'Custom::VpcRestrictDefaultSGCustomResourceProvider';

/** A singleton and whether this call created it (so the caller can attach alarms once). */
export interface Singleton<T> {
  readonly resource: T;
  readonly created: boolean;
}

/**
 * The stack's dead-letter queue for failed asynchronous Lambda invocations. Lambda cannot use FIFO
 * queues here, so it is a standard queue. Always encrypted with a customer-managed key, in both
 * profiles: one queue serves STANDARD and REGULATED functions alike, and a REGULATED function's
 * failed events must not land in a queue without one. That key is the failure-path key, not the
 * stack key: a disabled stack key fails every function whose environment, topic or queue it
 * encrypts, and those failed events must still be kept (DESIGN.md, "Failure paths survive the
 * failure they report").
 */
export function asyncFailureQueue(scope: IConstruct): Singleton<sqs.Queue> {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(ASYNC_FAILURE_QUEUE_ID) as sqs.Queue | undefined;
  if (existing) {
    return { resource: existing, created: false };
  }
  const queue = createDeadLetterQueue(stack, ASYNC_FAILURE_QUEUE_ID, { writers: [DeadLetterWriter.LAMBDA_ASYNC], key: failurePathKey(stack) });
  return { resource: queue, created: true };
}

/**
 * The stack's shared network for VPC-attached functions in the REGULATED profile: two AZs of
 * isolated subnets (no NAT, no internet route), flow logs to an encrypted, retained log group,
 * free gateway endpoints for S3 and DynamoDB, an SQS interface endpoint, and the interface endpoints
 * its functions' grants need, added at synthesis (`network-endpoints.ts`). CDK's custom resource
 * that closes the default security group is the one Lambda-backed custom resource the library
 * accepts; its function logs to a retained log group with a retention, like every other function.
 */
export function sharedNetwork(scope: IConstruct): ec2.IVpc {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(NETWORK_ID) as ec2.IVpc | undefined;
  if (existing) {
    return existing;
  }
  const key = stackKey(stack);
  const vpc = new ec2.Vpc(stack, NETWORK_ID, {
    ipAddresses: ec2.IpAddresses.cidr(NETWORK_CIDR),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    restrictDefaultSecurityGroup: true,
    gatewayEndpoints: {
      S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
      DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
    },
  });
  retainDefaultSecurityGroupLogs(vpc, key);
  const flowLogGroup = retainedLogGroup(vpc, 'FlowLogGroup', { key });
  // Only flow logs of this account may assume the role (confused-deputy protection).
  const flowLogsPrincipal = new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com', {
    conditions: {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:ec2:${stack.region}:${stack.account}:vpc-flow-log/*` },
    },
  });
  const flowLogRole = serviceRole(vpc, 'FlowLogRole', flowLogsPrincipal, true, 'Delivers VPC flow logs to CloudWatch Logs');
  const flowLog = vpc.addFlowLog('FlowLog', {
    destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup, flowLogRole),
    trafficType: ec2.FlowLogTrafficType.ALL,
    maxAggregationInterval: ec2.FlowLogMaxAggregationInterval.ONE_MINUTE,
  });
  // The first deliveries fail if the role's policy is not attached yet.
  flowLog.node.addDependency(flowLogRole);
  // Endpoints accept HTTPS from inside the VPC only. The literal CIDR (not the VPC's CidrBlock
  // attribute) lets the compliance packs read the rule.
  const endpointGroup = new ec2.SecurityGroup(vpc, 'EndpointSecurityGroup', {
    vpc,
    description: 'Interface endpoints: HTTPS from within the VPC',
    allowAllOutbound: false,
  });
  endpointGroup.addIngressRule(ec2.Peer.ipv4(NETWORK_CIDR), ec2.Port.tcp(443), 'HTTPS from within the VPC');
  addSharedEndpoint(vpc, 'Sqs', ec2.InterfaceVpcEndpointAwsService.SQS);
  return vpc;
}

/**
 * The stack's shared network as the endpoint check sees it (`network-endpoints.ts`), when `vpc` is
 * it: the interface endpoints its functions' grants need are added to it at synthesis, once each.
 */
export function sharedNetworkOf(vpc: ec2.IVpc): SharedNetwork | undefined {
  if (vpc.node.id !== NETWORK_ID || vpc.node.scope !== Stack.of(vpc) || !(vpc instanceof ec2.Vpc)) {
    return undefined;
  }
  return { vpc, addEndpoint: (id, service) => addSharedEndpoint(vpc, id, service) };
}

/**
 * An interface endpoint of the shared network: private DNS (the SDKs' usual hostnames resolve to it),
 * reachable only over HTTPS from within the VPC, in each AZ of the isolated subnets. Each costs
 * about $0.01 an hour per AZ (about $7.30 a month per AZ, $14.60 for the network's two), plus data.
 */
function addSharedEndpoint(vpc: ec2.Vpc, id: string, service: ec2.IInterfaceVpcEndpointService): void {
  if (vpc.node.tryFindChild(id)) {
    return;
  }
  vpc.addInterfaceEndpoint(id, {
    service,
    privateDnsEnabled: true,
    open: false,
    securityGroups: [vpc.node.findChild('EndpointSecurityGroup') as ec2.ISecurityGroup],
  });
}

/**
 * CDK's provider function of the custom resource that closes the VPC's default security group is a
 * plain `AWS::Lambda::Function` without a `LoggingConfig`: Lambda would create `/aws/lambda/<name>`
 * on its first run, with no retention and no key. It gets a retained, encrypted log group with the
 * library's retention instead. Its role has AWS's basic execution policy (logs:CreateLogStream and
 * logs:PutLogEvents on any group), so it may write there; CloudWatch Logs encrypts with the key.
 * The provider is one per stack: the log group belongs to the network that made it first.
 */
function retainDefaultSecurityGroupLogs(vpc: ec2.Vpc, key: ReturnType<typeof stackKey>): void {
  const provider = Stack.of(vpc).node.tryFindChild(RESTRICT_DEFAULT_SG_PROVIDER_ID);
  const handler = provider?.node.tryFindChild('Handler');
  if (!(handler instanceof CfnResource) || handler.cfnResourceType !== 'AWS::Lambda::Function') {
    // CDK changed how it closes the default group; the library's tests (no function without an
    // explicit log group) say so.
    return;
  }
  const logGroup = retainedLogGroup(vpc, 'DefaultSecurityGroupRestrictionLogGroup', { key });
  handler.addPropertyOverride('LoggingConfig', { LogGroup: logGroup.logGroupName });
  handler.addResourceDependency(logGroup.node.defaultChild as CfnResource);
}
