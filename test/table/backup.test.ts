import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ComplianceProfile, Monitoring, SecureTable, SecureTableProps } from '../../src';
import { newStack, thrownBy } from '../support/app';
import { failurePathKeyOf, logicalIdOf, resourceOf, stackKeyOf } from '../support/template';

// The stack's AWS Backup plan, as SecureTable uses it (src/private/backup-plan.ts).

const ID = { name: 'orderId', type: dynamodb.AttributeType.STRING };

function table(stack: Stack, props: Partial<SecureTableProps> = {}, id = 'Orders'): SecureTable {
  return new SecureTable(stack, id, { partitionKey: ID, ...props });
}

function only(template: Template, type: string): any {
  const found = Object.values(template.findResources(type));
  expect(found).toHaveLength(1);
  return found[0];
}

test('a REGULATED table with a key of yours: AWS Backup may use that key only through DynamoDB, and the stack key keeps one policy', () => {
  const stack = newStack({}, ComplianceProfile.REGULATED);
  const key = new kms.Key(stack, 'Key');
  const orders = table(stack, { key });
  table(stack, {}, 'Customers');
  const template = Template.fromStack(stack);
  const policy = resourceOf(template, orders.node.findChild('BackupKeyPolicy'));
  expect(policy.Properties.Roles).toEqual([{ Ref: logicalIdOf(stack.node.findChild('BulwarkBackup').node.findChild('Role')) }]);
  const via = { 'kms:ViaService': ['dynamodb.eu-west-1.amazonaws.com'] };
  expect(policy.Properties.PolicyDocument.Statement).toEqual([
    { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'], Resource: stack.resolve(key.keyArn), Condition: { StringEquals: via } },
    {
      Effect: 'Allow',
      Action: 'kms:CreateGrant',
      Resource: stack.resolve(key.keyArn),
      Condition: { StringEquals: via, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    },
  ]);
  // The table on the stack key needs nothing more than the plan's own key policy.
  expect(stack.node.findChild('Customers').node.tryFindChild('BackupKeyPolicy')).toBeUndefined();
});

describe('REGULATED tables are backed up daily in the stack\'s vault', () => {
  const stack = newStack({}, ComplianceProfile.REGULATED);
  const orders = table(stack);
  const customers = table(stack, {}, 'Customers');
  const template = Template.fromStack(stack);
  const part = (id: string) => logicalIdOf(stack.node.findChild('BulwarkBackup').node.findChild(id));

  test('one vault per stack: the stack key, retained, named after the stack id\'s UUID', () => {
    const vault = only(template, 'AWS::Backup::BackupVault');
    expect(vault.Properties).toEqual({
      BackupVaultName: { 'Fn::Join': ['-', ['bulwark', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }]] },
      EncryptionKeyArn: stack.resolve(stackKeyOf(stack).keyArn),
    });
    // Retained, but deleted if the deployment that creates it rolls back: a retained vault of this name would fail the retry.
    expect([vault.DeletionPolicy, vault.UpdateReplacePolicy]).toEqual(['RetainExceptOnCreate', 'Retain']);
  });

  test('one plan, named after the stack id\'s UUID (CDK would name every stack\'s \'Plan\'): a daily rule keeping recovery points 35 days', () => {
    const plan = only(template, 'AWS::Backup::BackupPlan').Properties.BackupPlan;
    expect(plan.BackupPlanName).toEqual({ 'Fn::Join': ['-', ['bulwark', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }]] });
    expect(plan.BackupPlanRule).toEqual([{
      RuleName: 'Daily',
      ScheduleExpression: 'cron(0 3 * * ? *)',
      Lifecycle: { DeleteAfterDays: 35 },
      TargetBackupVault: { 'Fn::GetAtt': [part('Vault'), 'BackupVaultName'] },
    }]);
  });

  test('each table has its selection, with names AWS Backup accepts (at most 50 characters), and one role', () => {
    const selections = Object.values(template.findResources('AWS::Backup::BackupSelection')).map((s: any) => s.Properties.BackupSelection);
    expect(selections.map((s) => s.Resources)).toEqual([[stack.resolve(orders.tableArn)], [stack.resolve(customers.tableArn)]]);
    for (const selection of selections) {
      expect(selection.SelectionName).toMatch(/^bulwark-[0-9a-f]{42}$/);
      expect(selection.SelectionName.length).toBeLessThanOrEqual(50);
      expect(selection.IamRoleArn).toEqual({ 'Fn::GetAtt': [part('Role'), 'Arn'] });
    }
    expect(new Set(selections.map((s) => s.SelectionName)).size).toBe(2);
  });

  test('the role is AWS Backup\'s, with its documented policy and the stack key only through DynamoDB, RDS (Aurora snapshots) and AWS Backup', () => {
    const role = template.toJSON().Resources[Object.keys(template.findResources('AWS::IAM::Role')).find((id) => id.startsWith('BulwarkBackupRole'))!];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' } },
    ]);
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain('service-role/AWSBackupServiceRolePolicyForBackup');
    const keyPolicy = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .find((p: any) => JSON.stringify(p.Properties.Roles).includes('BulwarkBackupRole')) as any;
    const viaServices = { 'kms:ViaService': ['dynamodb.eu-west-1.amazonaws.com', 'rds.eu-west-1.amazonaws.com', 'backup.eu-west-1.amazonaws.com'] };
    // kms:GrantIsForAWSResource is only on grant requests: a condition of the other actions would deny them.
    expect(keyPolicy.Properties.PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'],
        Resource: stack.resolve(stackKeyOf(stack).keyArn),
        Condition: { StringEquals: viaServices },
      },
      {
        Effect: 'Allow',
        Action: 'kms:CreateGrant',
        Resource: stack.resolve(stackKeyOf(stack).keyArn),
        Condition: { StringEquals: viaServices, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      },
    ]);
  });

  test('failed, aborted and expired jobs of the vault go to a queue with an alarm, and undelivered ones to another', () => {
    const rule = only(template, 'AWS::Events::Rule').Properties;
    expect(rule.EventPattern).toEqual({
      'source': ['aws.backup'],
      'detail-type': ['Backup Job State Change'],
      'detail': { state: ['FAILED', 'ABORTED', 'EXPIRED'], backupVaultName: [{ 'Fn::GetAtt': [part('Vault'), 'BackupVaultName'] }] },
    });
    expect(rule.Targets[0].Arn['Fn::GetAtt'][0]).toBe(part('Failures'));
    expect(rule.Targets[0].DeadLetterConfig.Arn['Fn::GetAtt'][0]).toBe(part('UndeliveredFailures'));
    const failures = template.toJSON().Resources[part('Failures')];
    const undelivered = template.toJSON().Resources[part('UndeliveredFailures')];
    for (const queue of [failures, undelivered]) {
      // The failure-path key: a disabled stack key fails the backups, and that must still be reported.
      expect(queue.Properties.KmsMasterKeyId).toEqual(stack.resolve(failurePathKeyOf(stack).keyArn));
    }
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties)
      .filter((a: any) => a.Namespace === 'AWS/SQS' && /[Bb]ackup/.test(a.AlarmDescription));
    expect(alarms.map((a: any) => a.Dimensions[0].Value['Fn::GetAtt'][0]).sort())
      .toEqual([rule.Targets[0].Arn['Fn::GetAtt'][0], rule.Targets[0].DeadLetterConfig.Arn['Fn::GetAtt'][0]].sort());
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy')).map((p: any) => p.Properties);
    for (const queueId of [rule.Targets[0].Arn['Fn::GetAtt'][0], rule.Targets[0].DeadLetterConfig.Arn['Fn::GetAtt'][0]]) {
      const policy = policies.find((p: any) => p.Queues[0].Ref === queueId);
      expect(policy.PolicyDocument.Statement).toContainEqual(expect.objectContaining({
        Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage',
      }));
    }
  });
});

describe('backup choices', () => {
  test('STANDARD backs up only with backup: true; without it, nothing of AWS Backup is made', () => {
    const stack = newStack();
    table(stack);
    Template.fromStack(stack).resourceCountIs('AWS::Backup::BackupPlan', 0);
    const opted = newStack();
    table(opted, { backup: true });
    const template = Template.fromStack(opted);
    template.resourceCountIs('AWS::Backup::BackupSelection', 1);
  });

  test('REGULATED can opt out with backup: false (the packs\' finding then stays visible)', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const orders = table(stack, { backup: false });
    Template.fromStack(stack).resourceCountIs('AWS::Backup::BackupPlan', 0);
    expect(logicalIdOf(orders.table)).toBeDefined();
  });

  test('the failure alarms are tunable on the stack\'s Monitoring, and refused where nothing is backed up', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const monitoring = new Monitoring(stack, 'Watch', { alarms: { backupFailures: { threshold: 2 }, undeliveredBackupFailures: { enabled: false } } });
    table(stack, { monitoring });
    const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties)
      .filter((a: any) => /backup/i.test(a.AlarmDescription));
    expect(alarms.map((a: any) => a.Threshold)).toEqual([2]);

    const unused = newStack();
    new Monitoring(unused, 'Watch', { alarms: { backupFailures: { threshold: 2 } } });
    table(unused);
    expect(String(thrownBy(() => Template.fromStack(unused)))).toMatch(/alarms.backupFailures is .*; it cannot take effect: nothing of this stack is backed up/);
  });

  test('the plan\'s resources are created once, whichever table comes first', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    for (const id of ['A', 'B', 'C']) {
      table(stack, {}, id);
    }
    const template = Template.fromStack(stack);
    for (const type of ['AWS::Backup::BackupVault', 'AWS::Backup::BackupPlan', 'AWS::Events::Rule']) {
      template.resourceCountIs(type, 1);
    }
    template.resourceCountIs('AWS::Backup::BackupSelection', 3);
    expect(resourceOf(template, stack.node.findChild('BulwarkBackup').node.findChild('Failures'))).toBeDefined();
  });
});
