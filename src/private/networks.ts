import { CfnResource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { retainedLogGroup } from './log-groups';
import { serviceRole } from './managed-policy-role';

/** The construct id CDK gives its stack-wide provider of `Custom::VpcRestrictDefaultSG` (aws-ec2, vpc.ts). */
const RESTRICT_DEFAULT_SG_PROVIDER_ID = 'Custom::VpcRestrictDefaultSGCustomResourceProvider';
/** Provider functions already given a log group (one provider serves every VPC of its stack). */
const LOGGED_PROVIDERS = new WeakSet<CfnResource>();

/**
 * What every VPC the library creates gets (the REGULATED shared network, a ContainerService's
 * network): flow logs of all traffic to a retained log group (encrypted with `key` when given),
 * delivered through a role only this account's flow logs may assume, and a retained log group for
 * CDK's function that closes the default security group. Construct ids under the VPC (API):
 * `FlowLogGroup`, `FlowLogRole`, `FlowLog`, `DefaultSecurityGroupRestrictionLogGroup`.
 */
export function watchCreatedVpc(vpc: ec2.Vpc, key: kms.IKey | undefined): void {
  const stack = Stack.of(vpc);
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
}

/**
 * CDK's provider function of the custom resource that closes the VPC's default security group is a
 * plain `AWS::Lambda::Function` without a `LoggingConfig`: Lambda would create `/aws/lambda/<name>`
 * on its first run, with no retention and no key. It gets a retained log group with the library's
 * retention instead (encrypted with `key` when given). Its role has AWS's basic execution policy
 * (logs:CreateLogStream and logs:PutLogEvents on any group), so it may write there. The provider is
 * one per stack: the log group belongs to the VPC that made it first.
 */
function retainDefaultSecurityGroupLogs(vpc: ec2.Vpc, key: kms.IKey | undefined): void {
  const provider = Stack.of(vpc).node.tryFindChild(RESTRICT_DEFAULT_SG_PROVIDER_ID);
  const handler = provider?.node.tryFindChild('Handler');
  if (!(handler instanceof CfnResource) || handler.cfnResourceType !== 'AWS::Lambda::Function' || LOGGED_PROVIDERS.has(handler)) {
    // Another VPC gave it its log group, or CDK changed how it closes the default group (the
    // library's tests, no function without an explicit log group, say so).
    return;
  }
  const logGroup = retainedLogGroup(vpc, 'DefaultSecurityGroupRestrictionLogGroup', { key });
  handler.addPropertyOverride('LoggingConfig', { LogGroup: logGroup.logGroupName });
  handler.addResourceDependency(logGroup.node.defaultChild as CfnResource);
  LOGGED_PROVIDERS.add(handler);
}

/** The construct id of a created VPC's security group for its interface endpoints (API). */
const ENDPOINT_SECURITY_GROUP_ID = 'EndpointSecurityGroup';

/**
 * The security group of a created VPC's interface endpoints: HTTPS from within the VPC only. The
 * literal CIDR (not the VPC's CidrBlock attribute) lets the compliance packs read the rule.
 */
export function endpointSecurityGroup(vpc: ec2.Vpc, cidr: string): ec2.SecurityGroup {
  const group = new ec2.SecurityGroup(vpc, ENDPOINT_SECURITY_GROUP_ID, {
    vpc,
    description: 'Interface endpoints: HTTPS from within the VPC',
    allowAllOutbound: false,
  });
  group.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), 'HTTPS from within the VPC');
  return group;
}

/**
 * An interface endpoint of a created VPC (after `endpointSecurityGroup`): private DNS (the SDKs'
 * and the ECS agent's usual hostnames resolve to it), reachable only over HTTPS from within the VPC,
 * in each AZ of the VPC's private subnets. Each costs about $0.01 an hour per AZ (about $7.30 a
 * month per AZ, $14.60 for two), plus data.
 */
export function addInterfaceEndpoint(vpc: ec2.Vpc, id: string, service: ec2.IInterfaceVpcEndpointService,
  subnets?: ec2.SubnetSelection): ec2.InterfaceVpcEndpoint {
  return vpc.addInterfaceEndpoint(id, {
    service,
    privateDnsEnabled: true,
    open: false,
    subnets,
    securityGroups: [vpc.node.findChild(ENDPOINT_SECURITY_GROUP_ID) as ec2.ISecurityGroup],
  });
}
