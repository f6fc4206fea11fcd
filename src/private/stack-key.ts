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

/** A per-stack key of the library: created on first use under the stack, with rotation, retained. */
function libraryKey(scope: IConstruct, id: string, description: string): kms.IKey {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(id) as kms.IKey | undefined;
  return existing ?? new kms.Key(stack, id, {
    description,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
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
  }
}
