import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ServiceEgress } from './container-service-props';
import { BulwarkError } from '../core/errors';
import { acknowledge, KNOWN_FINDINGS } from '../private/acknowledgements';
import { addInterfaceEndpoint, endpointSecurityGroup, watchCreatedVpc } from '../private/networks';

/*
 * The network of a ContainerService: created (two AZs, flow logs, the chosen egress) or brought.
 *
 * Deploy-time facts the IPv6-only default relies on, each with its source:
 * - ECS runs Fargate tasks in IPv6-only subnets (platform 1.4.0 and later, Linux), behind a
 *   dual-stack load balancer with an IPv6 target group; ECS Exec is not supported there (ECS
 *   developer guide, "Amazon ECS task networking options for Fargate", Using a VPC in IPv6-only mode).
 * - Those tasks pull from ECR through its dual-stack image URIs, `<account>.dkr-ecr.<region>.on.aws`
 *   (ECR user guide, "Making requests to Amazon ECR registries"; same guide: no extra charge over IPv6).
 * - IPv6 target groups work only with dual-stack load balancers and IP targets (ELB user guide,
 *   "Target groups for your Application Load Balancers"), so the load balancer's subnets are dual-stack.
 * - An egress-only internet gateway lets IPv6 traffic out and none in, and costs nothing (VPC user
 *   guide, "Enable outbound IPv6 traffic using an egress-only internet gateway").
 * - An IPv6-only subnet has `Ipv6Native`, an IPv6 CIDR and no IPv4 CIDR, and resource-name
 *   hostnames (CloudFormation, AWS::EC2::Subnet). No DNS64: without NAT64 it would only turn
 *   failures to reach IPv4-only hosts into timeouts.
 */

/** The created VPC's IPv4 range (the load balancer's subnets and, with NAT or endpoints, the tasks'). */
export const SERVICE_VPC_CIDR = '10.0.0.0/16';

/** Subnet group names of the created VPC (API: they name the subnets' construct ids). */
export const SUBNET_GROUPS = { public: 'Public', tasks: 'Tasks', loadBalancer: 'LoadBalancer' } as const;

/** Where a ContainerService's tasks and load balancer run. */
export interface ServiceNetwork {
  readonly vpc: ec2.IVpc;
  readonly taskSubnets: ec2.SubnetSelection;
  readonly loadBalancerSubnets: ec2.SubnetSelection;
  /** Tasks have only IPv6 addresses (the load balancer is dual-stack, the target group IPv6). */
  readonly ipv6Only: boolean;
  /** The VPC created here. */
  readonly created?: ec2.Vpc;
}

/** What the tasks call, for the endpoints of `ServiceEgress.VPC_ENDPOINTS`. */
export interface ServiceNeeds {
  readonly secretsManager: boolean;
  readonly ssm: boolean;
  readonly execute: boolean;
}

/**
 * The brought VPC: tasks in its private subnets with egress, the load balancer in its public (or
 * private) ones. A VPC without them is refused here, with what it lacks, rather than by CDK later.
 *
 * @param prop the prop the VPC came from (`vpc`, or `cluster` for the cluster's VPC)
 */
export function broughtNetwork(owner: Construct, vpc: ec2.IVpc, prop: string, internetFacing: boolean): ServiceNetwork {
  const taskSubnets = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
  const loadBalancerSubnets = { subnetType: internetFacing ? ec2.SubnetType.PUBLIC : ec2.SubnetType.PRIVATE_WITH_EGRESS };
  for (const [selection, what] of [[taskSubnets, 'the tasks'], [loadBalancerSubnets, `the ${internetFacing ? 'internet-facing' : 'internal'} load balancer`]] as const) {
    if (subnetCount(vpc, selection) === 0) {
      throw new BulwarkError(owner, `${prop === 'vpc' ? 'vpc' : 'the VPC of cluster'} '${vpc.node.path}' has no ${selection.subnetType === ec2.SubnetType.PUBLIC
        ? 'public' : 'private (with egress)'} subnets for ${what}; give a VPC with public subnets and private subnets with egress (NAT or `
        + 'endpoints), or leave vpc and cluster out for a VPC created here');
    }
  }
  if (!internetFacing) {
    try {
      void vpc.vpcCidrBlock;
    } catch {
      // An imported VPC without its CIDR: the internal load balancer admits the VPC's range.
      throw new BulwarkError(owner, `${prop === 'vpc' ? 'vpc' : 'the VPC of cluster'} '${vpc.node.path}' was imported without its CIDR block, `
        + 'which the security group of an internal load balancer admits; import it with vpcCidrBlock (ec2.Vpc.fromVpcAttributes) or look it up');
    }
  }
  return { vpc, taskSubnets, loadBalancerSubnets, ipv6Only: false };
}

function subnetCount(vpc: ec2.IVpc, selection: ec2.SubnetSelection): number {
  try {
    return vpc.selectSubnets(selection).subnets.length;
  } catch {
    // CDK throws when the VPC has no subnet group of that type.
    return 0;
  }
}

/** A VPC in two AZs for one service (construct id `Network`), with flow logs and `egress`. */
export function createdNetwork(owner: Construct, egress: ServiceEgress, internetFacing: boolean, key: kms.IKey | undefined,
  needs: ServiceNeeds): ServiceNetwork {
  const ipv6Only = egress === ServiceEgress.IPV6_ONLY;
  const nat = egress === ServiceEgress.NAT_GATEWAY_PER_AZ || egress === ServiceEgress.SINGLE_NAT_GATEWAY;
  const subnets: ec2.SubnetConfiguration[] = [];
  if (internetFacing || nat) {
    // The load balancer gets its addresses from the subnet's ranges without auto-assignment.
    subnets.push({
      name: SUBNET_GROUPS.public,
      subnetType: ec2.SubnetType.PUBLIC,
      cidrMask: 24,
      mapPublicIpOnLaunch: false,
      ipv6AssignAddressOnCreation: ipv6Only ? false : undefined,
    });
  }
  subnets.push({
    name: SUBNET_GROUPS.tasks,
    subnetType: egress === ServiceEgress.VPC_ENDPOINTS ? ec2.SubnetType.PRIVATE_ISOLATED : ec2.SubnetType.PRIVATE_WITH_EGRESS,
    cidrMask: 24,
  });
  if (!internetFacing) {
    subnets.push({
      name: SUBNET_GROUPS.loadBalancer,
      subnetType: ec2.SubnetType.PRIVATE_ISOLATED,
      cidrMask: 24,
      ipv6AssignAddressOnCreation: ipv6Only ? false : undefined,
    });
  }
  const vpc = new ec2.Vpc(owner, 'Network', {
    ipAddresses: ec2.IpAddresses.cidr(SERVICE_VPC_CIDR),
    ipProtocol: ipv6Only ? ec2.IpProtocol.DUAL_STACK : ec2.IpProtocol.IPV4_ONLY,
    maxAzs: 2,
    natGateways: egress === ServiceEgress.NAT_GATEWAY_PER_AZ ? 2 : egress === ServiceEgress.SINGLE_NAT_GATEWAY ? 1 : 0,
    natGatewaySubnets: nat ? { subnetGroupName: SUBNET_GROUPS.public } : undefined,
    subnetConfiguration: subnets,
    restrictDefaultSecurityGroup: true,
    // Only public subnets need one (IPv6-only subnets go out through the egress-only gateway).
    createInternetGateway: internetFacing || nat,
    // Image layers come from S3: through the free gateway endpoint rather than NAT (no data charge) or not at all (endpoints).
    gatewayEndpoints: ipv6Only ? undefined : { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
  });
  watchCreatedVpc(vpc, key);
  for (const subnet of vpc.publicSubnets) {
    for (const route of ['DefaultRoute', 'DefaultRoute6']) {
      const cfnRoute = subnet.node.tryFindChild(route);
      if (cfnRoute instanceof ec2.CfnRoute) {
        acknowledge(cfnRoute, KNOWN_FINDINGS.publicSubnetRoute);
      }
    }
  }
  const taskSubnets = { subnetGroupName: SUBNET_GROUPS.tasks };
  if (ipv6Only) {
    for (const subnet of vpc.selectSubnets(taskSubnets).subnets) {
      const cfnSubnet = subnet.node.defaultChild as ec2.CfnSubnet;
      cfnSubnet.addPropertyDeletionOverride('CidrBlock');
      cfnSubnet.ipv6Native = true;
      cfnSubnet.privateDnsNameOptionsOnLaunch = { HostnameType: 'resource-name', EnableResourceNameDnsAAAARecord: true, EnableResourceNameDnsARecord: false };
      acknowledge(cfnSubnet, KNOWN_FINDINGS.egressOnlyIpv6Addresses);
    }
  }
  if (egress === ServiceEgress.VPC_ENDPOINTS) {
    endpointSecurityGroup(vpc, SERVICE_VPC_CIDR);
    const at = taskSubnets;
    addInterfaceEndpoint(vpc, 'EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR, at);
    addInterfaceEndpoint(vpc, 'EcrDocker', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER, at);
    addInterfaceEndpoint(vpc, 'Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS, at);
    if (needs.secretsManager) {
      addInterfaceEndpoint(vpc, 'SecretsManager', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER, at);
    }
    if (needs.ssm) {
      addInterfaceEndpoint(vpc, 'Ssm', ec2.InterfaceVpcEndpointAwsService.SSM, at);
    }
    if (needs.execute) {
      addInterfaceEndpoint(vpc, 'SsmMessages', ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES, at);
    }
  }
  return {
    vpc,
    taskSubnets,
    loadBalancerSubnets: { subnetGroupName: internetFacing ? SUBNET_GROUPS.public : SUBNET_GROUPS.loadBalancer },
    ipv6Only,
    created: vpc,
  };
}
