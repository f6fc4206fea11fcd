import { Aws, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { acknowledge, KNOWN_FINDINGS } from './acknowledgements';
import { createDeadLetterQueue, DeadLetterWriter } from './dead-letter-queue';
import { EVENTS_DEFAULTS } from './defaults/events';
import { allowEventBridgeDeadLetters, ruleTarget } from './delivery-targets';
import { failurePathKey, stackKey } from './stack-key';
import { HubTarget } from '../core/hub-target';

/*
 * The stack's AWS Backup plan (DESIGN.md §1, per-stack singletons): created on first use, one per
 * stack, for the resources REGULATED backs up (HIPAA and NIST 800-53 ask for stateful resources in
 * an AWS Backup plan: DynamoDBInBackupPlan, RDSInBackupPlan, ...). Its construct ids are API.
 */
const ID = 'BulwarkBackup';

/** What a daily backup keeps: 35 days, as long as point-in-time recovery reaches back. */
const RETENTION = Duration.days(35);

/** The stack's backup plan and what serves it. */
export interface StackBackup {
  readonly vault: backup.BackupVault;
  readonly plan: backup.BackupPlan;
  /** The role AWS Backup assumes for the plan's selections. */
  readonly role: iam.Role;
  /** Backup jobs of the vault that failed, were aborted or expired (AWS Backup's EventBridge events). */
  readonly failures: sqs.Queue;
  /** Those events when EventBridge could not put them in `failures`. */
  readonly undeliveredFailures: sqs.Queue;
  /** Whether this call created it (the caller attaches the failures alarm once). */
  readonly created: boolean;
}

/**
 * The stack's backup plan: a vault encrypted with the stack key, retained, named after the stack
 * id's UUID (a retained vault of a fixed name would block the next deployment after a delete); a
 * daily rule keeping recovery points 35 days; one role for its selections; and an EventBridge rule
 * that keeps the vault's failed, aborted and expired backup jobs in a queue, for an alarm (AWS
 * Backup developer guide, "Monitoring AWS Backup events using Amazon EventBridge").
 */
export function stackBackup(scope: IConstruct): StackBackup {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(ID) as Construct | undefined;
  if (existing) {
    return { ...(existing as unknown as { readonly parts: Omit<StackBackup, 'created'> }).parts, created: false };
  }
  const holder = new BackupHolder(stack, ID);
  return { ...holder.parts, created: true };
}

/**
 * Adds `resource` to the stack's backup plan, under a selection named after `owner` (selection
 * names are at most 50 characters: CDK's default, the construct id, could be longer).
 */
export function addToStackBackup(owner: Construct, resource: backup.BackupResource, key?: kms.IKey, service?: string): StackBackup {
  const stackPlan = stackBackup(owner);
  if (key !== undefined && service !== undefined && key !== stackKey(owner)) {
    // A key of the resource's own: AWS Backup uses it through the resource's service, or the job
    // succeeds without backing anything up (see BackupHolder).
    new iam.ManagedPolicy(owner, 'BackupKeyPolicy', {
      roles: [stackPlan.role],
      statements: backupKeyStatements(key, [`${service}.${Stack.of(owner).region}.amazonaws.com`]),
    });
  }
  stackPlan.plan.addSelection(`Selection${owner.node.addr}`, {
    resources: [resource],
    role: stackPlan.role,
    // 'bulwark-' and the owner's 42-character address: 50, the most AWS Backup takes.
    backupSelectionName: `bulwark-${owner.node.addr}`,
    allowRestores: false,
  });
  return stackPlan;
}

class BackupHolder extends Construct {
  public readonly parts: Omit<StackBackup, 'created'>;

  constructor(scope: Stack, id: string) {
    super(scope, id);
    const key = stackKey(scope);
    const stackUuid = Fn.select(2, Fn.split('/', Aws.STACK_ID));
    const vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: Fn.join('-', ['bulwark', stackUuid]),
      encryptionKey: key,
      // Retained, but deleted when the deployment that created it rolls back: a retained vault of this
      // name would make the retry fail.
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    const plan = new backup.BackupPlan(this, 'Plan', {
      // CDK names a plan after its construct id: every stack's would be 'Plan'.
      backupPlanName: Fn.join('-', ['bulwark', stackUuid]),
      backupVault: vault,
      backupPlanRules: [new backup.BackupPlanRule({
        ruleName: 'Daily',
        scheduleExpression: events.Schedule.cron({ hour: '3', minute: '0' }),
        deleteAfter: RETENTION,
      })],
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      description: 'AWS Backup takes the stack\'s backups with this role',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSBackupServiceRolePolicyForBackup')],
    });
    acknowledge(role.node.defaultChild as iam.CfnRole, KNOWN_FINDINGS.backupServiceRolePolicy);
    // AWS Backup developer guide, "Encryption for backups in AWS Backup": the role must be able to use the
    // keys of what it backs up, or the job succeeds without backing anything up. Only through the services it calls
    // (DynamoDB for tables, RDS for Aurora clusters, whose snapshots stay encrypted with the cluster's key).
    new iam.ManagedPolicy(this, 'KeyPolicy', {
      roles: [role],
      statements: backupKeyStatements(key, [`dynamodb.${scope.region}.amazonaws.com`, `rds.${scope.region}.amazonaws.com`,
        `backup.${scope.region}.amazonaws.com`]),
    });

    // Failed backups reach someone: the vault's failed, aborted and expired backup jobs are kept in a
    // queue (with an alarm, added by the construct that created the plan: watchBackupFailures).
    // Encrypted with the failure-path key: a disabled stack key fails the backups, and that must
    // still be reported.
    const failureKey = failurePathKey(scope);
    const failures = createDeadLetterQueue(this, 'Failures', { writers: [DeadLetterWriter.EVENTBRIDGE], key: failureKey });
    const undelivered = createDeadLetterQueue(this, 'UndeliveredFailures', { writers: [DeadLetterWriter.EVENTBRIDGE], key: failureKey });
    const rule = new events.Rule(this, 'FailureRule', {
      description: 'Keeps the failed, aborted and expired backup jobs of the stack\'s backup vault',
      eventPattern: {
        source: ['aws.backup'],
        detailType: ['Backup Job State Change'],
        detail: { state: ['FAILED', 'ABORTED', 'EXPIRED'], backupVaultName: [vault.backupVaultName] },
      },
    });
    allowEventBridgeDeadLetters(this, undelivered, 'BackupFailureRule', [rule.ruleArn], () => undefined);
    rule.addTarget(ruleTarget(this, HubTarget.queue(failures), {
      retryAttempts: EVENTS_DEFAULTS.retryAttempts,
      maxEventAge: EVENTS_DEFAULTS.maxEventAge,
    }, undelivered, undefined, rule.ruleArn));
    this.parts = { vault, plan, role, failures, undeliveredFailures: undelivered };
  }
}

/**
 * What AWS Backup's role needs of `key`, only through `services`. Two statements: kms:GrantIsForAWSResource
 * exists only on grant requests, so as a condition of the other actions it would deny them.
 */
function backupKeyStatements(key: kms.IKey, services: string[]): iam.PolicyStatement[] {
  const viaServices = { 'kms:ViaService': services };
  return [
    new iam.PolicyStatement({
      actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'],
      resources: [key.keyArn],
      conditions: { StringEquals: viaServices },
    }),
    new iam.PolicyStatement({
      actions: ['kms:CreateGrant'],
      resources: [key.keyArn],
      conditions: { StringEquals: viaServices, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }),
  ];
}
