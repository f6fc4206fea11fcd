import { CfnResource, Validations } from 'aws-cdk-lib';

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
} satisfies Record<string, KnownFinding>;

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
