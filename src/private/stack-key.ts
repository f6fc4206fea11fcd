import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { ensurePolicy, keyPolicyWarning, warn } from './warnings';

/** The construct ids of the stack's keys. Construct ids are API: never change them. */
const STACK_KEY_ID = 'BulwarkStackKey';
const FAILURE_PATH_KEY_ID = 'BulwarkFailurePathKey';

/** A service that writes to a resource encrypted with a key and so needs the key's policy to allow it. */
export enum KeyUser {
  /** CloudWatch alarms publishing to an encrypted SNS topic (alarms cannot use `alias/aws/sns`). */
  CLOUDWATCH_ALARMS = 'CloudWatchAlarms',
  /** CloudWatch Logs writing to log groups encrypted with the key. */
  CLOUDWATCH_LOGS = 'CloudWatchLogs',
  /** SNS delivering to encrypted SQS queues (subscriptions and their dead-letter queues). */
  SNS = 'SNS',
  /** EventBridge delivering to encrypted SQS queues and SNS topics (targets and dead-letter queues of rules and buses). */
  EVENTBRIDGE = 'EventBridge',
  /** CloudWatch Logs' vended-log delivery reading what a service encrypted with the key (Step Functions execution logs). */
  LOG_DELIVERY = 'LogDelivery',
}

const added = new WeakMap<kms.IKey, Set<KeyUser>>();

/**
 * The one customer-managed key per stack for data (each key costs $1/month), with rotation,
 * retained. Created on first use. It never encrypts a path that reports failures: see
 * `failurePathKey`.
 */
export function stackKey(scope: IConstruct): kms.IKey {
  return libraryKey(scope, STACK_KEY_ID,
    'cdk-bulwark stack key: encrypts SNS topics and, in the REGULATED profile, queues, logs, event buses and function environments');
}

/**
 * The stack's key for the paths that report failures (DESIGN.md, "Failure paths survive the failure
 * they report"): the alarm topic of the stack's Monitoring, its subscription dead-letter queue, and
 * the async-failure queue. A disabled or deleted stack key makes every function, queue and topic
 * that uses it fail; those failures are reported through these paths, so they must not depend on
 * the stack key. CloudWatch alarms can only publish to a topic encrypted with a customer-managed key
 * whose policy admits them (not `alias/aws/sns`), so this is a second key ($1/month) rather than
 * AWS-owned encryption; nothing else uses it. Created on first use, with rotation, retained.
 */
export function failurePathKey(scope: IConstruct): kms.IKey {
  return libraryKey(scope, FAILURE_PATH_KEY_ID,
    'cdk-bulwark failure-path key: encrypts only what reports failures (the alarm topic, its subscription dead-letter queue, the async-failure queue)');
}

/**
 * A per-stack key of the library: created on first use under the stack, with rotation, retained.
 *
 * CDK's default key policy lets the account's IAM policies allow anything on the key (`kms:*` for
 * the account root), `kms:CreateGrant` included: any role with a broad KMS policy could hand
 * itself or another account a lasting grant on a key that encrypts every queue, log group and
 * archive of the stack. Every AWS service that encrypts with the key for you (Lambda environment
 * variables, for one) creates its grants with `kms:GrantIsForAWSResource` true, so a deny of any
 * other grant costs the stack nothing (KMS developer guide, "Controlling access to grants" and
 * "AWS KMS condition keys", kms:GrantIsForAWSResource).
 */
function libraryKey(scope: IConstruct, id: string, description: string): kms.IKey {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(id) as kms.IKey | undefined;
  if (existing) {
    return existing;
  }
  const key = new kms.Key(stack, id, {
    description,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyGrantsNotForAwsResources',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    // IfExists: a direct call may carry the key as false or not at all; both are denied.
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false' } },
  }));
  return key;
}

/** An AWS service that encrypts a resource with a key when a role calls it, and the encryption context it uses. */
export enum KeyVia {
  /** SQS queues: the context holds the queue ARN (`aws:sqs:arn`). */
  SQS = 'sqs',
  /** SNS topics: the context holds the topic ARN (`aws:sns:topicArn`). */
  SNS = 'sns',
  /** Step Functions state machines: the context holds the state machine ARN (`aws:states:stateMachineArn`). */
  STATES = 'states',
  /** S3 buckets with an S3 Bucket Key: the context holds the bucket ARN (`aws:s3:arn`; S3 user guide, "Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys"). */
  S3 = 's3',
  /** Kinesis data streams: the context holds the stream ARN (`aws:kinesis:arn`; Kinesis developer guide, "Permissions to use user-generated KMS keys"). */
  KINESIS = 'kinesis',
  /** Secrets Manager secrets: the context holds the secret ARN (`SecretARN`; Secrets Manager user guide, "Secret encryption and decryption"). */
  SECRETS_MANAGER = 'secretsmanager',
}

const ENCRYPTION_CONTEXT: Record<KeyVia, string> = {
  [KeyVia.SQS]: 'kms:EncryptionContext:aws:sqs:arn',
  [KeyVia.SNS]: 'kms:EncryptionContext:aws:sns:topicArn',
  [KeyVia.STATES]: 'kms:EncryptionContext:aws:states:stateMachineArn',
  [KeyVia.S3]: 'kms:EncryptionContext:aws:s3:arn',
  [KeyVia.KINESIS]: 'kms:EncryptionContext:aws:kinesis:arn',
  [KeyVia.SECRETS_MANAGER]: 'kms:EncryptionContext:SecretARN',
};

/** What sending to (and reading from) an SSE-KMS queue or topic needs of its key. */
export const KEY_USE_ACTIONS: readonly string[] = ['kms:GenerateDataKey', 'kms:Decrypt'];

/**
 * The statement that lets a role use `key` for one queue or topic only: through its service
 * (`kms:ViaService`) and for that resource (its encryption context). A stack key encrypts every
 * queue, topic, log group and archive of the stack: a grant on the whole key would let the role
 * decrypt all of them. The one way the library gives a role a key (SQS developer guide, "Key
 * management", and SNS developer guide, "Encryption at rest": the encryption contexts).
 */
export function scopedKeyStatement(scope: IConstruct, key: kms.IKey | string, via: KeyVia, resourceArn: string,
  options: { readonly sid?: string; readonly actions?: readonly string[] } = {}): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: options.sid,
    actions: [...(options.actions ?? KEY_USE_ACTIONS)],
    // A key, or a key's ARN (a state machine's L1 names its key only by ARN).
    resources: [typeof key === 'string' ? key : key.keyArn],
    conditions: {
      StringEquals: {
        'kms:ViaService': `${via}.${Stack.of(scope).region}.amazonaws.com`,
        [ENCRYPTION_CONTEXT[via]]: resourceArn,
      },
    },
  });
}

/** Grants `grantee` the use of `key` for one queue or topic only (see `scopedKeyStatement`). */
export function grantScopedKeyUse(grantee: iam.IGrantable, key: kms.IKey, via: KeyVia, resourceArn: string,
  actions: readonly string[] = KEY_USE_ACTIONS): iam.Grant {
  const statement = scopedKeyStatement(key, key, via, resourceArn, { actions });
  return iam.Grant.addToPrincipal({
    grantee,
    actions: statement.actions,
    resourceArns: statement.resources,
    conditions: statement.conditions,
  });
}

/**
 * Lets `user` use `key` for encryption, once per key. For a key imported from elsewhere the policy
 * cannot be changed: a warning then says what the key's owner must allow.
 */
export function allowKeyUser(scope: IConstruct, key: kms.IKey, user: KeyUser): void {
  const done = added.get(key) ?? new Set<KeyUser>();
  added.set(key, done);
  if (done.has(user)) {
    return;
  }
  done.add(user);
  const statement = keyStatement(user);
  ensurePolicy(key, statement, () => warn(scope, keyPolicyWarning(user), key.node.path, JSON.stringify(statement.toStatementJson())));
}

function keyStatement(user: KeyUser): iam.PolicyStatement {
  switch (user) {
    case KeyUser.CLOUDWATCH_ALARMS:
      // Exactly AWS's documented statement, without conditions: whether CloudWatch's call through
      // SNS carries aws:SourceAccount is not documented, and a condition it fails drops every alarm.
      return new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToEncryptedTopics',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      });
    case KeyUser.CLOUDWATCH_LOGS:
      // Scoped by an encryption-context pattern, not by the log groups' own ARNs: those would make a
      // dependency cycle (log group -> key -> log group).
      return new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsToEncryptLogGroups',
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*` },
        },
      });
    case KeyUser.SNS:
      // AWS's documented statement for SNS delivering to SSE-KMS queues; the queues' own policies
      // decide which topics may send.
      return new iam.PolicyStatement({
        sid: 'AllowSnsToDeliverToEncryptedQueues',
        principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      });
    case KeyUser.EVENTBRIDGE:
      // AWS's documented statement for AWS services sending to SSE-KMS queues and topics (SQS and SNS
      // developer guides, key management); the queues' and topics' own policies decide which rules
      // and buses may send.
      return new iam.PolicyStatement({
        sid: 'AllowEventBridgeToDeliverToEncryptedQueuesAndTopics',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      });
    case KeyUser.LOG_DELIVERY:
      // AWS's documented statement for the vended logs of a state machine encrypted with a
      // customer-managed key (Step Functions developer guide, "Data at rest encryption"), without
      // conditions: like CloudWatch alarms, a condition the delivery service's call fails would
      // drop every execution log.
      return new iam.PolicyStatement({
        sid: 'AllowLogDeliveryToReadEncryptedStateMachineLogs',
        principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
        actions: ['kms:Decrypt'],
        resources: ['*'],
      });
  }
}
