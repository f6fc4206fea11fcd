import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { ensurePolicy, keyPolicyWarning, warn } from './warnings';

/** The construct id of the stack key. Construct ids are API: never change it. */
const STACK_KEY_ID = 'BulwarkStackKey';

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
 * The one customer-managed key per stack (each key costs $1/month), with rotation, retained.
 * Created on first use.
 */
export function stackKey(scope: IConstruct): kms.IKey {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(STACK_KEY_ID) as kms.IKey | undefined;
  return existing ?? new kms.Key(stack, STACK_KEY_ID, {
    description: 'cdk-bulwark stack key: encrypts SNS topics and the async-failure queue and, in the REGULATED profile, queues, logs and function environments',
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
