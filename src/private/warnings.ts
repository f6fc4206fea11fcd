import { Annotations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/*
 * Every warning the library gives, in one catalog. A warning is for a questionable but legal
 * choice, or for something the library cannot check or fix on a resource it did not create. Users
 * acknowledge a warning by its id (`Annotations.of(scope).acknowledgeWarning(id, reason)`, on the
 * construct named in the warning or above it), so an id never changes.
 *
 * One warning lives outside: `cdk-bulwark:compliance-checks:late`, given by `ComplianceChecks` in
 * src/core, which imports nothing from here.
 */

/** A warning: its id (API: users acknowledge it by this id) and its text. */
export interface Warning<A extends unknown[] = []> {
  readonly id: string;
  readonly message: (...args: A) => string;
}

/** How every warning ends: what acknowledging it means. */
const ACKNOWLEDGE = 'Acknowledge this warning once that is done.';

/**
 * The text of every "resource from elsewhere" warning: what was not created here, what it must
 * allow or have, and what happens otherwise.
 */
export function notCreatedHere(what: string, cannot: string, requirement: string, otherwise: string): string {
  return `The ${what} was not created in this app, so ${cannot}. ${requirement}, or ${otherwise}. ${ACKNOWLEDGE}`;
}

/** The text of every "no web ACL" warning: what is left unfiltered, and who else may filter. */
function firewallOff(prop: string, reach: string, layer: string): string {
  return `${prop}.enabled is false: no AWS WAF web ACL filters requests, so nothing rate-limits a client or blocks `
    + `common exploits and known bad IPs before they reach ${reach}, and the compliance packs report the missing web ACL. `
    + `Associate one of your own with ${prop}.webAclArn, or acknowledge this warning if ${layer} does it.`;
}

/** The catalog. Keys are for the code; ids are for users. */
export const WARNINGS = {
  // Monitoring and topics: nobody listens.
  noSubscribers: {
    id: 'cdk-bulwark:monitoring:no-subscribers',
    message: () => 'Nobody is subscribed to the alarm topic, so alarms reach no one. Call addEmailSubscription() or subscribe to alarmTopic; '
      + 'acknowledge this warning if you subscribe outside this app.',
  },
  noSubscriptions: {
    id: 'cdk-bulwark:topic:no-subscriptions',
    message: () => 'Nothing subscribes to this topic, so SNS accepts every published message and drops it. Call subscribeQueue() or subscribeFunction(); '
      + 'acknowledge this warning if the subscribers are added outside this app.',
  },

  // Policies of resources brought from elsewhere (see ensurePolicy).
  hubKeyPolicy: {
    id: 'cdk-bulwark:event-hub:key-policy',
    message: (keyPath: string) => notCreatedHere(`key ${keyPath}`, 'its key policy cannot be changed here',
      'It must let events.amazonaws.com use kms:DescribeKey, kms:GenerateDataKey, kms:Decrypt and kms:ReEncrypt* '
      + '(condition kms:EncryptionContext:aws:events:event-bus:arn: the bus ARN)', 'the bus and archive cannot encrypt at deploy time'),
  },
  hubDeadLetterQueuePolicy: {
    id: 'cdk-bulwark:event-hub:dead-letter-queue-policy',
    message: (queuePath: string) => notCreatedHere(`dead-letter queue ${queuePath}`, 'its policy cannot be changed here',
      'It must allow events.amazonaws.com sqs:SendMessage (condition ArnLike aws:SourceArn: arn:<partition>:events:<region>:<account>:rule/<bus name>/*, '
      + 'and the bus ARN for a bus created by the hub)', 'undeliverable events are lost'),
  },
  hubTargetPolicy: {
    id: 'cdk-bulwark:event-hub:target-policy',
    message: (kind: string, path: string, action: string, rulePath: string) => notCreatedHere(`${kind} ${path}`, 'its policy cannot be changed here',
      `It must allow events.amazonaws.com ${action} (condition aws:SourceArn: the rule ${rulePath})`, 'deliveries fail'),
  },
  topicPublisherKeyPolicy: {
    id: 'cdk-bulwark:topic:publisher-key-policy',
    message: (keyPath: string, principal: string) => notCreatedHere(`key ${keyPath}`, 'its key policy cannot be changed here',
      `It must let ${principal} use kms:GenerateDataKey and kms:Decrypt through SNS (grantPublish())`, 'its messages are rejected'),
  },
  queueSenderKeyPolicy: {
    id: 'cdk-bulwark:queue-worker:sender-key-policy',
    message: (keyPath: string, principal: string) => notCreatedHere(`key ${keyPath}`, 'its key policy cannot be changed here',
      `It must let ${principal} use kms:GenerateDataKey and kms:Decrypt through SQS (grantSendMessages())`, 'its messages are rejected'),
  },
  topicDeadLetterQueue: {
    id: 'cdk-bulwark:topic:external-dead-letter-queue',
    message: (queuePath: string) => notCreatedHere(`dead-letter queue ${queuePath}`, 'its policies cannot be changed here',
      'Its queue policy must let sns.amazonaws.com call sqs:SendMessage with aws:SourceArn equal to this topic\'s ARN and, if it is encrypted with a '
      + 'customer-managed key, that key\'s policy must let sns.amazonaws.com call kms:GenerateDataKey and kms:Decrypt', 'undeliverable notifications are lost'),
  },
  topicQueue: {
    id: 'cdk-bulwark:topic:external-queue',
    message: (queuePath: string) => notCreatedHere(`queue ${queuePath}`, 'its policies cannot be changed here',
      'Its queue policy must let sns.amazonaws.com call sqs:SendMessage with aws:SourceArn equal to this topic\'s ARN and, if it is encrypted with a '
      + 'customer-managed key, that key\'s policy must let sns.amazonaws.com call kms:GenerateDataKey and kms:Decrypt',
      'every notification fails and goes to the dead-letter queue'),
  },
  topicSubscriberKeyPolicy: {
    id: 'cdk-bulwark:topic:subscriber-key-policy',
    message: (keyPath: string, queuePath: string) => notCreatedHere(`key ${keyPath} of the queue ${queuePath}`, 'its key policy cannot be changed here',
      'It must let sns.amazonaws.com call kms:GenerateDataKey and kms:Decrypt (condition aws:SourceArn equal to this topic\'s ARN)',
      'every notification fails and goes to the dead-letter queue'),
  },

  // Settings of resources brought from elsewhere that cannot be read.
  unknownDeadLetterQueue: {
    id: 'cdk-bulwark:queue-worker:unknown-dead-letter-queue',
    message: (queuePath: string) => notCreatedHere(`queue ${queuePath}`, 'its dead-letter queue cannot be checked or alarmed',
      'Make sure it has one (maxReceiveCount 5 or more)', 'failing messages are retried until they expire'),
  },
  busDeadLetterQueue: {
    id: 'cdk-bulwark:event-hub:bus-dead-letter-queue',
    message: (busPath: string, createdHere: boolean) => createdHere
      ? `The event bus ${busPath} has no dead-letter queue: events it cannot process (KMS errors) are lost. Give it deadLetterQueue `
        + '(the hub\'s deadLetterQueue, for example), then acknowledge this warning.'
      : notCreatedHere(`event bus ${busPath}`, 'its dead-letter queue cannot be checked', 'Make sure it has one',
        'events it cannot process (KMS errors) are lost'),
  },
  fifoDeduplication: {
    id: 'cdk-bulwark:event-hub:fifo-deduplication',
    message: (queuePath: string, sender: string) => notCreatedHere(`FIFO queue ${queuePath}`, 'its settings cannot be checked',
      `${sender} send no deduplication id: it must have content-based deduplication enabled`, 'deliveries fail'),
  },

  // Choices that are legal but weaken what the construct protects.
  lowMaxReceiveCount: {
    id: 'cdk-bulwark:queue-worker:low-max-receive-count',
    message: (given: number, advised: number) => `maxReceiveCount is ${given}: a throttled batch counts as a receive, so healthy messages can reach the `
      + `dead-letter queue under load. AWS advises at least ${advised} for Lambda consumers; acknowledge this warning if intended.`,
  },
  hubDeadLetterQueueKey: {
    id: 'cdk-bulwark:event-hub:dead-letter-queue-key',
    message: (queuePath: string, keyPath: string) => `The dead-letter queue ${queuePath} is encrypted with the hub's key ${keyPath}, which also `
      + 'encrypts the bus, its rules\' target settings and the schedule payloads. When that key is disabled or deleted, the events that fail '
      + 'because of it cannot be written to this queue either, and are lost. Give a queue with SQS-managed encryption (or another key), or '
      + 'acknowledge this warning.',
  },
  busTargetRetry: {
    id: 'cdk-bulwark:event-hub:bus-target-retry',
    message: (routeId: string) => `Route '${routeId}' sets retryAttempts or maxEventAge; they apply to its other targets, not to its event bus `
      + 'targets (EventBridge takes no retry policy for those).',
  },
  restAnonymousRoute: {
    id: 'cdk-bulwark:api:anonymous-route',
    message: (label: string) => `${label} allows anonymous callers (allowAnonymous: true): anyone who can reach the API can call it, limited only by `
      + 'throttling and the firewall.',
  },
  httpAnonymousRoute: {
    id: 'cdk-bulwark:http-api:anonymous-route',
    message: (label: string, apiPath: string) => `${label} of ${apiPath} allows anonymous access (allowAnonymous: true): anyone on the internet can `
      + 'call it. Acknowledge this warning if the route is meant to be public.',
  },
  throttleRejectsAll: {
    id: 'cdk-bulwark:http-api:throttle-rejects-all',
    message: (prop: string) => `${prop} is 0: API Gateway answers every request with 429. Acknowledge this warning if the API is meant to be closed.`,
  },
  websocketThrottleRejectsAll: {
    id: 'cdk-bulwark:websocket-api:throttle-rejects-all',
    message: (prop: string) => `${prop} is 0: API Gateway refuses every connection and message with 429. Acknowledge this warning if the API is `
      + 'meant to be closed.',
  },
  websocketAnonymousConnect: {
    id: 'cdk-bulwark:websocket-api:anonymous-connect',
    message: (apiPath: string) => `The $connect route of ${apiPath} allows anonymous connections (allowAnonymousConnect: true): anyone on the `
      + 'internet can open a connection and send messages to every route. Acknowledge this warning if the API is meant to be public.',
  },
  restThrottleRejectsAll: {
    id: 'cdk-bulwark:api:throttle-rejects-all',
    message: (prop: string) => `${prop} is 0: API Gateway answers every request with 429. Acknowledge this warning if the API is meant to be closed.`,
  },
  apiNoFirewall: {
    id: 'cdk-bulwark:api:no-firewall',
    message: (prop: string) => firewallOff(prop, 'your code', 'another layer (e.g. a CloudFront web ACL)'),
  },
  graphqlNoFirewall: {
    id: 'cdk-bulwark:graphql-api:no-firewall',
    message: (prop: string) => firewallOff(prop, 'your resolvers', 'another layer'),
  },
  graphqlCacheLambdaIdentity: {
    id: 'cdk-bulwark:graphql-api:cache-lambda-identity',
    message: (prop: string) => `The cache keys each answer by the caller's identity, and for callers of the Lambda authorizer (${prop}) that `
      + 'identity is only the resolverContext the authorizer returns: callers it returns the same resolverContext for (none, say) share '
      + 'cached answers. Return the caller\'s own id in resolverContext, and acknowledge this warning once it does.',
  },
  graphqlApiKey: {
    id: 'cdk-bulwark:graphql-api:api-key',
    message: (prop: string) => `${prop} uses an API key: anyone who holds it (it ships inside clients, so anyone who looks) can call every `
      + 'type and field that allows the key (all of them when it is the default mode), and nothing tells callers apart. Prefer a user pool, '
      + 'IAM (Cognito identity pools give guests IAM credentials) or a Lambda authorizer; acknowledge this warning if public, read-only '
      + 'access is meant.',
  },
  serviceNoFirewall: {
    id: 'cdk-bulwark:container-service:no-firewall',
    message: (prop: string) => firewallOff(prop, 'your tasks', 'another layer (e.g. a CloudFront web ACL)'),
  },
  serviceHttpOnly: {
    id: 'cdk-bulwark:container-service:http-only',
    message: () => 'The load balancer listens over plain HTTP (no certificate): requests, cookies and tokens cross the network unencrypted, '
      + 'and the compliance packs report the listener. Give a certificate (HTTPS, with port 80 redirected to it), or acknowledge this '
      + 'warning if TLS ends before the load balancer (e.g. at CloudFront) or nothing sensitive is served.',
  },
  serviceMutableImage: {
    id: 'cdk-bulwark:container-service:mutable-image',
    message: (image: string) => `The image ${image} is named by a tag that moves (latest, or no tag at all): each task that starts, during a `
      + 'deployment, a scale-out or a replacement, may run a different image, and a rollback does not bring the old one back. Give a '
      + 'version tag or a digest; acknowledge this warning if that is meant.',
  },
  serviceSecretInEnvironment: {
    id: 'cdk-bulwark:container-service:secret-in-environment',
    message: (name: string) => `The environment variable ${name} looks like a credential, and plain environment variables are stored in the `
      + 'task definition (readable by anyone who may describe it) and in the template. Pass it in secrets (ecs.Secret.fromSecretsManager or '
      + 'fromSsmParameter); acknowledge this warning if it is not a secret.',
  },
  serviceRegistryUnverified: {
    id: 'cdk-bulwark:container-service:registry-unverified',
    message: (host: string) => 'The tasks run in IPv6-only subnets (egress ServiceEgress.IPV6_ONLY, the default) and pull the image from '
      + `${host}, which the library does not know to answer over IPv6: if it does not, no task starts. Check that the registry has an IPv6 `
      + '(AAAA) address, copy the image to ECR, or choose an egress with IPv4; acknowledge this warning once the registry is known to work.',
  },
  serviceAccessLogsBucket: {
    id: 'cdk-bulwark:container-service:access-logs-bucket',
    message: (bucketPath: string) => notCreatedHere(`access-log bucket ${bucketPath}`, 'its policy cannot be changed here',
      'It must use SSE-S3 (not KMS) and let Elastic Load Balancing log delivery put objects under its prefix (the policy the ELB user guide '
      + 'gives for this region)', 'the load balancer cannot be created with access logs on'),
  },
  serviceClusterSettings: {
    id: 'cdk-bulwark:container-service:cluster-settings',
    message: (clusterPath: string, spot: boolean) => notCreatedHere(`cluster ${clusterPath}`, 'its settings cannot be checked here',
      `It must have Container Insights on (the running-tasks alarm and the dashboard read its metrics)${spot
        ? ' and the FARGATE and FARGATE_SPOT capacity providers associated (fargateSpotShare uses them)' : ''}`,
      spot ? 'the service cannot be created, or that alarm fires for want of data' : 'that alarm fires for want of data'),
  },
  noDomain: {
    id: 'cdk-bulwark:user-directory:no-domain',
    message: () => 'An app client uses an OAuth grant (callbackUrls or clientCredentialsScopes) but the user pool has no domain, so the sign-in pages '
      + 'and the token endpoint do not exist. Set domainPrefix or call userPool.addDomain() with a custom domain; acknowledge this warning '
      + 'if the domain is added outside this app.',
  },
  restColonSegment: {
    id: 'cdk-bulwark:api:colon-path-segment',
    message: (label: string, segment: string) => colonSegment(label, segment),
  },
  httpColonSegment: {
    id: 'cdk-bulwark:http-api:colon-path-segment',
    message: (label: string, segment: string) => colonSegment(label, segment),
  },
  authorizedPreflight: {
    id: 'cdk-bulwark:http-api:authorized-preflight',
    message: (label: string, options: string) => `${label} is authorized and takes OPTIONS requests, and the API has cors: browsers send CORS `
      + 'preflight requests without a token, so they reach the authorizer and fail, and every cross-origin call from a browser fails. '
      + `Add ${options} with allowAnonymous: true (API Gateway then answers preflights with the cors settings), or acknowledge this warning `
      + 'if browsers do not call these paths.',
  },
  functionNoEndpoint: {
    id: 'cdk-bulwark:function:no-endpoint',
    message: (services: string) => 'The function runs in the stack\'s shared network (isolated subnets, no NAT) and its role allows calls '
      + `to services the library adds no interface endpoint for: ${services}. Calls the function makes to them hang until it times out. `
      + 'Add an endpoint to the function\'s vpc yourself (vpc.addInterfaceEndpoint(), about $7.30 a month per AZ), give the function a vpc '
      + 'of your own with a route out, or acknowledge this warning if the code does not call them.',
  },
  functionVpcEndpoints: {
    id: 'cdk-bulwark:function:vpc-endpoints',
    message: (vpcPath: string, services: string) => `The function runs in isolated subnets of the VPC ${vpcPath} and its role allows calls to `
      + `services for which no endpoint in that VPC was found in this app: ${services}. Without an endpoint or a route out, those calls hang `
      + 'until the function times out (X-Ray: its traces are lost). Add the endpoints (vpc.addInterfaceEndpoint(), about $7.30 a month per AZ '
      + 'each; S3 and DynamoDB have free gateway endpoints), then acknowledge this warning; acknowledge it as well if they exist outside this app.',
  },
  reservedConcurrency: {
    id: 'cdk-bulwark:function:reserved-concurrency',
    message: (total: number, functions: string) => `The functions of this stack reserve ${total} concurrent executions in total (${functions}). `
      + 'Lambda keeps 100 of the account\'s regional concurrency quota unreserved, so the deploy fails unless the quota is at least '
      + `${total + 100} plus what other stacks reserve; new accounts start with a reduced quota, which may reject any reservation `
      + '(Service Quotas: AWS Lambda, "Concurrent executions"). Declare the quota as context cdk-bulwark:lambdaConcurrencyQuota (cdk.json) to have '
      + 'it checked at synthesis instead, or reserve less: reservedConcurrentExecutions per function, or context cdk-bulwark:reservedConcurrency '
      + 'for the 10 REGULATED reserves by default (0 reserves none). Acknowledge this warning once the quota is known to be enough.',
  },
  workflowLogGroupName: {
    id: 'cdk-bulwark:workflow:log-group-name',
    message: (name: string) => `The workflow logs to the log group '${name}', whose name does not start with /aws/vendedlogs/. For such a log `
      + 'group CloudWatch Logs adds a statement to its account-wide resource policy for log delivery, and that policy has a size limit: with '
      + 'enough of them, log delivery for new state machines fails (Step Functions developer guide, "Logging in CloudWatch Logs"). Name it '
      + '/aws/vendedlogs/states/..., or acknowledge this warning.',
  },
  bucketRemovalDestroy: {
    id: 'cdk-bulwark:bucket:removal-destroy',
    message: () => 'removalPolicy is DESTROY: deleting the stack (or replacing the bucket) deletes the bucket, the only copy of its objects '
      + 'and their versions. CloudFormation deletes only an empty bucket, so the deletion fails while objects remain, and nothing here '
      + 'empties it for you. Keep RETAIN for data you cannot recreate; acknowledge this warning for scratch data.',
  },
  bucketCorsAnyOrigin: {
    id: 'cdk-bulwark:bucket:cors-any-origin',
    message: () => 'cors.allowedOrigins holds *: scripts on every website may call the bucket from a visitor\'s browser. Presigned URLs '
      + 'still decide what each call may do, but list the origins of your own pages, or acknowledge this warning.',
  },
  bucketGranteeKey: {
    id: 'cdk-bulwark:bucket:grantee-key',
    message: (principal: string, keyPath: string, statement: string) => notCreatedHere(`key ${keyPath}`,
      'its key policy cannot be changed here', `For ${principal} (another account, or a role whose policy cannot be changed here) it must `
      + `allow ${statement}`, 'reads and writes of the bucket\'s objects by that principal fail'),
  },
  bucketLogDeliveryPolicy: {
    id: 'cdk-bulwark:bucket:log-delivery-policy',
    message: (bucketPath: string, statement: string) => notCreatedHere(`server access log bucket ${bucketPath}`,
      'its bucket policy cannot be changed here', `It must allow ${statement}`, 'S3 delivers no access logs to it'),
  },
  databaseSecurityGroup: {
    id: 'cdk-bulwark:database:security-group',
    message: (groupPath: string, peer: string) => notCreatedHere(`security group ${groupPath}`,
      'its rules may not be changeable here (an import with mutable: false ignores them)', `It must admit port 5432 from ${peer}`,
      'the connections time out'),
  },
  setsAccountCloudWatchRole: {
    id: 'cdk-bulwark:api:sets-account-cloudwatch-role',
    message: () => 'This stack sets API Gateway\'s CloudWatch Logs role for its account and region (AWS::ApiGateway::Account, a region-wide setting '
      + 'shared by every REST and WebSocket API there), replacing any role set before, and keeps it when the stack is deleted. If another stack '
      + 'or tool manages that setting, give SecureApi or SecureWebSocketApi cloudWatchRole: ApiCloudWatchRole.EXISTING instead.',
  },
} satisfies Record<string, Warning<any[]>>;

/** A path segment that starts with ':' (Express and OpenAPI-tooling style) is the literal text, not a parameter. */
function colonSegment(label: string, segment: string): string {
  return `${label}: the path segment '${segment}' is matched literally (API Gateway has no ':name' parameters), so a request for `
    + `a concrete value does not reach this route. Write {${segment.slice(1).replace(/[^A-Za-z0-9_.-]/g, '') || 'name'}} for a path parameter, `
    + 'or acknowledge this warning if the colon is meant.';
}

/** The warning for a key from elsewhere that a service (`user`) must be allowed to use: one id per service. */
export function keyPolicyWarning(user: string): Warning<[string, string]> {
  return {
    id: `cdk-bulwark:key-policy:${user}`,
    message: (keyPath: string, statement: string) => notCreatedHere(`key ${keyPath}`, 'its key policy cannot be changed here',
      `It must allow ${statement}`, `${user} cannot encrypt with it at deploy time`),
  };
}

/** Adds `warning` to `scope`, acknowledgeable by its id. */
export function warn<A extends unknown[]>(scope: IConstruct, warning: Warning<A>, ...args: A): void {
  Annotations.of(scope).addWarningV2(warning.id, warning.message(...args));
}

/** Anything with a resource policy: queues, topics, buses, keys (whose `allowNoOp` flag this sets). */
export interface PolicyHolder {
  addToResourcePolicy(statement: iam.PolicyStatement, allowNoOp?: boolean): iam.AddToResourcePolicyResult;
}

/**
 * The one way a brought resource gets what the construct needs: the statement is added to the
 * resource's policy when the resource was created in this app; otherwise `otherwise` runs (it
 * warns what the resource's owner must allow) and the result says nothing was added.
 */
export function ensurePolicy(holder: PolicyHolder, statement: iam.PolicyStatement, otherwise: () => void): iam.AddToResourcePolicyResult {
  const result = holder.addToResourcePolicy(statement, /* allowNoOp */ true);
  if (!result.statementAdded) {
    otherwise();
  }
  return result;
}
