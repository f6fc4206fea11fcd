import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IConstruct } from 'constructs';
import { createDeadLetterQueue, DeadLetterWriter } from './dead-letter-queue';
import type { SharedNetwork } from './network-endpoints';
import { addInterfaceEndpoint, endpointSecurityGroup, watchCreatedVpc } from './networks';
import { failurePathKey, stackKey } from './stack-key';

/*
 * Per-stack singletons (DESIGN.md §1): created on first use under the stack, one each. Their
 * construct ids are API and never change.
 */
const ASYNC_FAILURE_QUEUE_ID = 'BulwarkAsyncFailureQueue';
const NETWORK_ID = 'BulwarkNetwork';
const NETWORK_CIDR = '10.0.0.0/16';

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
  watchCreatedVpc(vpc, key);
  endpointSecurityGroup(vpc, NETWORK_CIDR);
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

/** An interface endpoint of the shared network (`addInterfaceEndpoint`), once per id. */
function addSharedEndpoint(vpc: ec2.Vpc, id: string, service: ec2.IInterfaceVpcEndpointService): void {
  if (!vpc.node.tryFindChild(id)) {
    addInterfaceEndpoint(vpc, id, service);
  }
}
