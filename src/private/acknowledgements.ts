import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The only four reasons cdk-bulwark acknowledges a compliance finding (DESIGN.md, Compliance).
 */
export enum AcknowledgementClass {
  /** The rule misreads the resource (a DLQ flagged for having no DLQ). */
  FALSE_POSITIVE = 'false positive',
  /** AWS requires or limits it (X-Ray needs `Resource: *`). */
  AWS_LIMIT = 'AWS requirement or limit',
  /** The rule's remedy breaks another rule or makes the system worse. */
  HARMFUL_REMEDY = 'pack conflict or harmful remedy',
  /** A paid add-on; STANDARD names the prop that turns it on, REGULATED turns it on. */
  PRICED_FEATURE = 'priced feature',
}

/** A finding the library acknowledges, written once and reused by every construct it applies to. */
export interface KnownFinding {
  /** Rule ids, one per pack that reports the same thing (e.g. `AwsSolutions-SQS3`, `Serverless-SQSRedrivePolicy`). */
  readonly rules: readonly string[];
  readonly class: AcknowledgementClass;
  readonly reason: string;
}

const DLQ_REASON = 'This queue is itself a dead-letter queue; a dead-letter queue for it would only move the same messages again.';

/** The catalog of findings the library acknowledges. Each construct picks the ones that apply to its resources. */
export const KNOWN_FINDINGS = {
  /**
   * A dead-letter queue that a queue or function in the same stack points at: AwsSolutions-SQS3
   * recognises it, Serverless-SQSRedrivePolicy does not.
   */
  deadLetterQueue: {
    rules: ['Serverless-SQSRedrivePolicy'],
    class: AcknowledgementClass.FALSE_POSITIVE,
    reason: DLQ_REASON,
  },
  /**
   * A dead-letter queue that a service writes to (an SNS subscription, EventBridge rule targets, an
   * event bus, Scheduler schedules): neither rule recognises it, since both look only at queue
   * redrive policies and Lambda DeadLetterConfig.
   */
  serviceDeadLetterQueue: {
    rules: ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy'],
    class: AcknowledgementClass.FALSE_POSITIVE,
    reason: DLQ_REASON,
  },
  /** SQS event source mappings cannot have an on-failure destination: the queue's redrive policy is the DLQ. */
  sqsEventSourceMappingDestination: {
    rules: ['Serverless-LambdaEventSourceMappingDestination'],
    class: AcknowledgementClass.FALSE_POSITIVE,
    reason: 'Lambda supports on-failure destinations only for stream and Kafka event sources; for SQS the source queue\'s redrive policy sends failed messages to its dead-letter queue.',
  },
  /** The async DeadLetterConfig already keeps failed events; the rule only looks for an EventInvokeConfig destination. */
  asyncFailureDestination: {
    rules: ['Serverless-LambdaAsyncFailureDestination'],
    class: AcknowledgementClass.FALSE_POSITIVE,
    reason: 'Failed asynchronous events are kept: the function\'s DeadLetterConfig sends them to a dead-letter queue, which this rule does not look at '
      + '(an on-failure destination as well would deliver every failure twice).',
  },
  /** X-Ray and VPC network interface actions do not support resource-level permissions. */
  wildcardResourceRequired: {
    rules: ['AwsSolutions-IAM5[Resource::*]'],
    class: AcknowledgementClass.AWS_LIMIT,
    reason: 'Only actions that AWS does not scope to resources are in this policy: X-Ray PutTraceSegments/PutTelemetryRecords and the EC2 network interface actions Lambda needs in a VPC.',
  },
  /** Step Functions' vended-log delivery and X-Ray actions do not support resource-level permissions. */
  stateMachineWildcardResources: {
    rules: ['AwsSolutions-IAM5[Resource::*]'],
    class: AcknowledgementClass.AWS_LIMIT,
    reason: 'Only actions that AWS does not scope to resources are in this policy: the CloudWatch Logs log-delivery actions Step Functions '
      + 'uses to deliver execution logs (CreateLogDelivery, GetLogDelivery, ... on *, as the Step Functions developer guide documents) '
      + 'and X-Ray PutTraceSegments/PutTelemetryRecords/GetSamplingRules/GetSamplingTargets.',
  },
  /**
   * The API Gateway account's CloudWatch role serves every REST API of the account and region,
   * whose execution log groups are named after API ids unknown at synthesis.
   */
  apiGatewayAccountRole: {
    rules: [
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*:log-stream:*]',
    ],
    class: AcknowledgementClass.AWS_LIMIT,
    reason: 'The API Gateway CloudWatch role is one per account and region and serves every REST API there, including ones made later, '
      + 'whose execution log groups API Gateway names after their API ids: the log groups cannot be listed. It is limited to this account and region.',
  },
  /**
   * AwsSolutions-COG8 asks for Cognito's Plus feature plan (threat protection), priced per monthly
   * active user: STANDARD acknowledges it, REGULATED turns it on.
   */
  cognitoPlusFeaturePlan: {
    rules: ['AwsSolutions-COG8'],
    class: AcknowledgementClass.PRICED_FEATURE,
    reason: 'The Plus feature plan with threat protection is billed per monthly active user on top of Essentials; '
      + 'set threatProtection: true on the UserDirectory to turn it on (the REGULATED profile does).',
  },
  /**
   * AwsSolutions-APIG4 wants every route authorized; API Gateway authorizes a WebSocket connection
   * once, on `$connect`, and refuses authorizers on any other route.
   */
  webSocketRouteAuthorization: {
    rules: ['AwsSolutions-APIG4'],
    class: AcknowledgementClass.AWS_LIMIT,
    reason: 'API Gateway allows an authorizer only on the $connect route of a WebSocket API: messages and $disconnect arrive on a connection '
      + 'that the $connect route\'s authorization admitted when it opened.',
  },
  /** A stage cache is paid and, keyed on the path, can serve one caller's response to another. */
  apiStageCache: {
    rules: ['HIPAA.Security-APIGWCacheEnabledAndEncrypted', 'NIST.800.53.R5-APIGWCacheEnabledAndEncrypted', 'PCI.DSS.321-APIGWCacheEnabledAndEncrypted'],
    class: AcknowledgementClass.HARMFUL_REMEDY,
    reason: 'A stage cache (paid by the hour) answers from its cache by path and parameters, not by caller: for authorized, per-user '
      + 'responses it can serve one user\'s data to another. Caching belongs in the handler or a per-route choice, not on every method.',
  },
  /** A client certificate for the backend does nothing for Lambda integrations. */
  apiClientCertificate: {
    rules: ['HIPAA.Security-APIGWSSLEnabled', 'NIST.800.53.R5-APIGWSSLEnabled', 'PCI.DSS.321-APIGWSSLEnabled'],
    class: AcknowledgementClass.HARMFUL_REMEDY,
    reason: 'A stage client certificate lets an HTTP backend verify that calls come from API Gateway. This API\'s integrations are Lambda '
      + 'functions, invoked through the Lambda API with IAM and each function\'s resource policy: the certificate would not be used.',
  },
  /**
   * AwsSolutions-ASC3 wants AppSync's verbose content, which logs request and response headers
   * (tokens in `Authorization`) and the evaluated resolver code with its data.
   */
  graphqlVerboseLogs: {
    rules: ['AwsSolutions-ASC3'],
    class: AcknowledgementClass.HARMFUL_REMEDY,
    reason: 'Request logs are on (errors of every field, X-Ray traces); the rule also wants verbose content, which writes request headers '
      + '(the callers\' tokens in Authorization) and resolver data into the logs, where anyone who may read logs could replay or read them. '
      + 'Set logVerboseContent: true on the SecureGraphqlApi to log it anyway.',
  },
  /** AWS Backup's service role: AWS's own managed policy is the documented one, kept current as AWS Backup adds services. */
  backupServiceRolePolicy: {
    rules: ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]'],
    class: AcknowledgementClass.AWS_LIMIT,
    reason: 'AWSBackupServiceRolePolicyForBackup is the service role policy AWS Backup documents for backup selections; AWS keeps it current '
      + 'with what each service\'s backups need (a hand-written copy would break backups silently: jobs succeed without backing anything up).',
  },
  /** `dynamodb:ListStreams` takes no resource; Lambda's stream event source checks it. In a policy that holds only it. */
  dynamoDbListStreams: {
    rules: ['AwsSolutions-IAM5[Resource::*]'],
    class: AcknowledgementClass.AWS_LIMIT,
    reason: 'dynamodb:ListStreams has no resource-level permissions (it lists stream ARNs, no data), and Lambda\'s DynamoDB stream event source '
      + 'checks that its role may call it. This policy holds only that action; the stream\'s data actions name the stream.',
  },
  /**
   * HIPAA and NIST 800-53 ask for tables in an AWS Backup plan, whose backup storage is billed per GB
   * a month: STANDARD acknowledges it (point-in-time recovery already keeps 35 days), REGULATED backs up.
   */
  dynamoDbBackupPlan: {
    rules: ['HIPAA.Security-DynamoDBInBackupPlan', 'NIST.800.53.R5-DynamoDBInBackupPlan'],
    class: AcknowledgementClass.PRICED_FEATURE,
    reason: 'AWS Backup storage is billed per GB a month on top of point-in-time recovery, which already restores any second of the last '
      + '35 days; set backup: true on the SecureTable for daily backups in the stack\'s backup vault (the REGULATED profile does).',
  },
  /** The load balancer's access-log bucket would need a log bucket of its own, which would need one too. */
  accessLogsBucketLogging: {
    rules: ['AwsSolutions-S1', 'HIPAA.Security-S3BucketLoggingEnabled', 'NIST.800.53.R5-S3BucketLoggingEnabled', 'PCI.DSS.321-S3BucketLoggingEnabled'],
    class: AcknowledgementClass.HARMFUL_REMEDY,
    reason: 'This bucket holds access logs; server access logs of a log bucket go to another log bucket, whose own logs would need a third, '
      + 'without end. Object-level reads and writes can be audited with CloudTrail data events instead.',
  },
  /** A replica of the access logs would be a bucket the same rules flag again. */
  accessLogsBucketReplication: {
    rules: ['HIPAA.Security-S3BucketReplicationEnabled', 'NIST.800.53.R5-S3BucketReplicationEnabled', 'PCI.DSS.321-S3BucketReplicationEnabled'],
    class: AcknowledgementClass.HARMFUL_REMEDY,
    reason: 'This bucket holds access logs, versioned and retained; a replica would be another log bucket that the same rules flag for '
      + 'replication and logging in turn, without end. Replicate the bucket yourself where a second region is required.',
  },
  /** Load balancers deliver access logs only to buckets encrypted with SSE-S3. */
  accessLogsBucketKms: {
    rules: ['HIPAA.Security-S3DefaultEncryptionKMS', 'NIST.800.53.R5-S3DefaultEncryptionKMS', 'PCI.DSS.321-S3DefaultEncryptionKMS'],
    class: AcknowledgementClass.AWS_LIMIT,
    reason: 'Elastic Load Balancing writes access logs only to buckets encrypted with SSE-S3 (Amazon S3 managed keys); it cannot use a KMS key '
      + '(ELB user guide, "Access logs for your Application Load Balancer").',
  },
  /** S3 delivers server access logs only to buckets encrypted with SSE-S3. */
  serverAccessLogsBucketKms: {
    rules: ['HIPAA.Security-S3DefaultEncryptionKMS', 'NIST.800.53.R5-S3DefaultEncryptionKMS', 'PCI.DSS.321-S3DefaultEncryptionKMS'],
    class: AcknowledgementClass.AWS_LIMIT,
    reason: 'Amazon S3 delivers server access logs only to destination buckets whose default encryption is SSE-S3 (Amazon S3 managed keys); '
      + 'default SSE-KMS is not supported there (S3 user guide, "Enabling Amazon S3 server access logging").',
  },
  /** Replication needs a destination bucket elsewhere and doubles what is stored. */
  bucketReplication: {
    rules: ['HIPAA.Security-S3BucketReplicationEnabled', 'NIST.800.53.R5-S3BucketReplicationEnabled', 'PCI.DSS.321-S3BucketReplicationEnabled'],
    class: AcknowledgementClass.PRICED_FEATURE,
    reason: 'Replication stores a second copy in a bucket of another region or account (twice the storage, plus transfer and requests), '
      + 'which a construct cannot create in its own stack and SecureBucket does not configure; versioning and RETAIN keep the data here. '
      + 'Where a copy elsewhere is required, add S3 replication to bucket (its L1 ReplicationConfiguration, with a role of yours).',
  },
  /** REGULATED encrypts every stream with the stack's customer-managed key; the rule prefers the AWS managed key for its cost. */
  kinesisCustomerManagedKey: {
    rules: ['AwsSolutions-KDS3'],
    class: AcknowledgementClass.HARMFUL_REMEDY,
    reason: 'The REGULATED profile encrypts stored data with the stack\'s customer-managed key, whose key policy the account controls '
      + '(who may use it, and disabling or revoking it, which no one can do with aws/kinesis); the rule\'s remedy, the AWS managed key, '
      + 'would give that up to save KMS request charges. STANDARD uses aws/kinesis.',
  },
  /** The backup-plan rule looks for Aurora instances in a selection; AWS Backup selects the cluster. */
  auroraInstanceBackupPlan: {
    rules: ['HIPAA.Security-RDSInBackupPlan', 'NIST.800.53.R5-RDSInBackupPlan'],
    class: AcknowledgementClass.FALSE_POSITIVE,
    reason: 'This is an instance of an Aurora cluster, and the cluster is in the stack\'s AWS Backup plan: AWS Backup backs up an Aurora '
      + 'cluster as a whole, not its instances (AWS Backup developer guide, "Feature availability by resource", Aurora).',
  },
  /** Enhanced monitoring writes one log stream per instance, named after its resource id. */
  enhancedMonitoringStreams: {
    rules: ['AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:RDSOSMetrics:log-stream:*]'],
    class: AcknowledgementClass.AWS_LIMIT,
    reason: 'RDS enhanced monitoring writes each instance\'s metrics to a stream of the RDSOSMetrics log group named after the instance\'s '
      + 'resource id, which exists only after the instance that needs this role (RDS user guide, "Setting up and enabling Enhanced '
      + 'Monitoring"); the role may write to that one log group only, where the AWS managed policy allows every RDS* group.',
  },
  /** An internet-facing load balancer accepts its listener ports from anyone. */
  internetFacingListeners: {
    rules: ['AwsSolutions-EC23'],
    class: AcknowledgementClass.HARMFUL_REMEDY,
    reason: 'This is the security group of an internet-facing load balancer: it admits only the listener ports (HTTPS, and HTTP that '
      + 'redirects to it), and an AWS WAF web ACL filters the requests. Restricting the sources would shut out the service\'s users; '
      + 'set internetFacing: false for a service only the VPC reaches.',
  },
  /** The VPC's IPv6 range is Amazon's to assign at deployment: the rule cannot read the reference to it. */
  vpcIpv6Range: {
    rules: ['AwsSolutions-EC23', 'HIPAA.Security-EC2RestrictedSSH', 'NIST.800.53.R5-EC2RestrictedSSH', 'PCI.DSS.321-EC2RestrictedSSH'],
    class: AcknowledgementClass.FALSE_POSITIVE,
    reason: 'This internal load balancer admits only its listener ports, and only from the VPC\'s own ranges: its IPv4 CIDR and the IPv6 '
      + 'CIDR Amazon assigns to the VPC at deployment. The rules cannot read the reference to that IPv6 range and report it as open to all.',
  },
  /** Public subnets exist for an internet-facing load balancer or NAT gateways, and route to the internet gateway by definition. */
  publicSubnetRoute: {
    rules: ['HIPAA.Security-VPCNoUnrestrictedRouteToIGW', 'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW', 'PCI.DSS.321-VPCNoUnrestrictedRouteToIGW'],
    class: AcknowledgementClass.AWS_LIMIT,
    reason: 'An internet-facing load balancer and a NAT gateway work only in subnets whose default route is the internet gateway (VPC user '
      + 'guide, "Subnets for your VPC": public subnets). Only they are placed here: tasks run in private subnets without public addresses.',
  },
  /** IPv6-only subnets behind an egress-only internet gateway: the addresses are global but unreachable from outside. */
  egressOnlyIpv6Addresses: {
    rules: ['HIPAA.Security-VPCSubnetAutoAssignPublicIpDisabled', 'NIST.800.53.R5-VPCSubnetAutoAssignPublicIpDisabled',
      'PCI.DSS.321-VPCSubnetAutoAssignPublicIpDisabled'],
    class: AcknowledgementClass.FALSE_POSITIVE,
    reason: 'The rule reads any auto-assigned IPv6 address as public. This IPv6-only subnet\'s only route out is an egress-only internet '
      + 'gateway, which lets no connection in (VPC user guide, "Enable outbound IPv6 traffic using an egress-only internet gateway"), '
      + 'and its tasks need an IPv6 address to run at all.',
  },
  /** The HTTP listener that only redirects to HTTPS has no certificate to hold. */
  redirectListenerCertificate: {
    rules: ['HIPAA.Security-ELBv2ACMCertificateRequired', 'NIST.800.53.R5-ELBv2ACMCertificateRequired', 'PCI.DSS.321-ELBv2ACMCertificateRequired'],
    class: AcknowledgementClass.FALSE_POSITIVE,
    reason: 'This port 80 listener answers every request with a permanent redirect to the HTTPS listener, which has the ACM certificate; '
      + 'plain HTTP listeners cannot hold certificates, and no content is served here.',
  },
  /** ecr:GetAuthorizationToken has no resource-level permissions. */
  ecrAuthorizationToken: {
    rules: ['AwsSolutions-IAM5[Resource::*]'],
    class: AcknowledgementClass.AWS_LIMIT,
    reason: 'ecr:GetAuthorizationToken, which every image pull from ECR starts with, supports no resource-level permissions (ECR user guide, '
      + '"Private registry authentication"); the pull actions themselves name the repository.',
  },
  /** ECS Exec's Session Manager channel actions have no resource-level permissions. */
  executeCommandChannels: {
    rules: ['AwsSolutions-IAM5[Resource::*]'],
    class: AcknowledgementClass.AWS_LIMIT,
    reason: 'ECS Exec (enableExecuteCommand) needs ssmmessages:CreateControlChannel, CreateDataChannel, OpenControlChannel and '
      + 'OpenDataChannel, and logs:DescribeLogGroups to find its session log group, on *: none of them supports resource-level '
      + 'permissions (ECS developer guide, "Monitor Amazon ECS containers with ECS Exec", IAM permissions). Writing session logs is '
      + 'allowed on the container\'s log group only; who may open a session is decided by ecs:ExecuteCommand on the cluster.',
  },
  /** The only plain environment variable is the library's own switch to AWS's dual-stack endpoints. */
  dualStackEnvironment: {
    rules: ['AwsSolutions-ECS2'],
    class: AcknowledgementClass.FALSE_POSITIVE,
    reason: 'The container\'s only plain environment variable is AWS_USE_DUALSTACK_ENDPOINT=true, which makes AWS SDKs call AWS over IPv6 from '
      + 'IPv6-only subnets: a setting, not a secret. Variables you add in environment leave this finding visible.',
  },
} satisfies Record<string, KnownFinding>;

/**
 * Object-level grants on an S3 bucket name objects by a key pattern (`<bucket ARN>/*`): objects
 * exist only at run time. `objects` is the resource as cdk-nag writes it (`<BucketLogicalId.Arn>/*`),
 * so the acknowledgement covers exactly that bucket's objects.
 */
export function bucketObjectsFinding(objects: string): KnownFinding {
  return {
    rules: [`AwsSolutions-IAM5[Resource::${objects}]`],
    class: AcknowledgementClass.AWS_LIMIT,
    reason: 'S3 object actions name objects by key, and objects are created at run time: the grant names this bucket\'s objects by a key '
      + 'pattern (S3 user guide, "Policy resources for Amazon S3"), with exact actions and nothing of other buckets.',
  };
}

/**
 * `@connections` grants of a WebSocket API name connections by a pattern (`<stage ARN>/POST/@connections/*`):
 * connection ids exist only at run time. `resources` are the granted ARNs as cdk-nag writes them (`nagResourceName()`).
 */
export function connectionsFinding(resources: readonly string[]): KnownFinding {
  return {
    rules: resources.map((r) => `AwsSolutions-IAM5[Resource::${r}]`),
    class: AcknowledgementClass.AWS_LIMIT,
    reason: 'The @connections management API names a connection by its id, which API Gateway assigns when a client connects: the grant names '
      + 'this API\'s stage and the POST, GET and DELETE methods exactly, and any connection id (API Gateway developer guide, "Use @connections '
      + 'commands in your backend service").',
  };
}

/**
 * A policy resource as cdk-nag writes it in a finding's id: `Ref`s as `<LogicalId>`, `Fn::GetAtt`s as
 * `<LogicalId.Attribute>`, `Fn::Join`s joined (cdk-nag's own flattening of CloudFormation references).
 */
export function nagResourceName(scope: IConstruct, value: string): string {
  const visit = (node: unknown): string => {
    if (typeof node === 'string') {
      return node.replace(/\$\{/g, '<').replace(/}/g, '>');
    }
    const object = node as Record<string, unknown>;
    if (Array.isArray(object['Fn::Join'])) {
      const [delimiter, items] = object['Fn::Join'] as [string, unknown[]];
      return items.map(visit).join(delimiter);
    }
    if (Array.isArray(object['Fn::GetAtt'])) {
      const [resource, attribute] = object['Fn::GetAtt'] as [unknown, unknown];
      return `<${visit(resource)}.${visit(attribute)}>`;
    }
    if (object.Ref !== undefined) {
      return `<${visit(object.Ref)}>`;
    }
    return JSON.stringify(node);
  };
  return visit(Stack.of(scope).resolve(value));
}

/**
 * Acknowledges `finding` on exactly one low-level resource.
 *
 * Never call it on a construct root: an acknowledgement there would also hide the same finding
 * on resources the user adds later.
 */
export function acknowledge(resource: CfnResource, finding: KnownFinding): void {
  for (const rule of finding.rules) {
    Validations.of(resource).acknowledge({ id: rule, reason: `[${finding.class}] ${finding.reason}` });
  }
}
