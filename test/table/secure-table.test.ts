import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ComplianceProfile, SecureTable, SecureTableProps, TableBilling } from '../../src';
import { newStack, thrownBy } from '../support/app';
import { expectProperties, logicalIdOf, resourceOf, stackKeyOf, statementsOf } from '../support/template';

const ID = { name: 'orderId', type: dynamodb.AttributeType.STRING };
const PROVISIONED = TableBilling.provisioned({
  readCapacity: { maxCapacity: 50 },
  writeCapacity: { maxCapacity: 20, minCapacity: 2, targetUtilizationPercent: 60 },
});

function table(stack: Stack, props: Partial<SecureTableProps> = {}, id = 'Orders'): SecureTable {
  return new SecureTable(stack, id, { partitionKey: ID, ...props });
}

describe.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('SecureTable defaults (%s)', (profile) => {
  const regulated = profile === ComplianceProfile.REGULATED;
  const stack = newStack({}, profile);
  const orders = table(stack);
  const template = Template.fromStack(stack);

  test('on demand, point-in-time recovery, deletion protection, retained; encrypted with the stack key in REGULATED', () => {
    expectProperties(template, orders.table, {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: regulated
        ? { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: stack.resolve(stackKeyOf(stack).keyArn) }
        : { SSEEnabled: false },
      StreamSpecification: Match.absent(),
      ContributorInsightsSpecification: Match.absent(),
    });
    const resource = resourceOf(template, orders.table);
    expect([resource.DeletionPolicy, resource.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
    expect(orders.key === undefined).toBe(!regulated);
  });

  test('alarms on throttled requests (reads and writes) and system errors, none on capacity', () => {
    expect(orders.alarms.map((a) => a.node.id)).toEqual(['ThrottledRequestsAlarm', 'SystemErrorsAlarm']);
    const throttled = resourceOf(template, orders.alarms[0]).Properties;
    expect(throttled.Metrics.find((m: any) => m.Expression).Expression).toBe('FILL(r, 0) + FILL(w, 0)');
    expect(throttled.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.MetricName)).toEqual(['ReadThrottleEvents', 'WriteThrottleEvents']);
    expect(throttled).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1, TreatMissingData: 'notBreaching' });
    const errors = resourceOf(template, orders.alarms[1]).Properties;
    const operations = errors.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.Dimensions.find((d: any) => d.Name === 'Operation').Value);
    expect(operations).toEqual(expect.arrayContaining(['GetItem', 'PutItem', 'Query', 'UpdateItem', 'TransactWriteItems']));
    // Each operation FILLed: DynamoDB publishes an operation's metric only when it is called, and a plain sum would stay empty.
    expect(errors.Metrics.find((m: any) => m.Expression).Expression).toBe(operations.map((_: string, i: number) => `FILL(e${i}, 0)`).join(' + '));
    expect(errors.Metrics).toHaveLength(11);
  });
});

describe('SecureTable options', () => {
  test('provisioned: the table and each index scale between the bounds, with consumed-capacity alarms against the maximum', () => {
    const stack = newStack();
    const orders = table(stack, { billing: PROVISIONED });
    orders.addGlobalSecondaryIndex({ indexName: 'byCustomer', partitionKey: { name: 'customerId', type: dynamodb.AttributeType.STRING } });
    const template = Template.fromStack(stack);
    expectProperties(template, orders.table, {
      BillingMode: Match.absent(),
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 2 },
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'byCustomer', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 2 } })],
    });
    const targets = Object.values(template.findResources('AWS::ApplicationAutoScaling::ScalableTarget')).map((t: any) => t.Properties);
    expect(targets.map((t) => [t.ScalableDimension, t.MinCapacity, t.MaxCapacity]).sort()).toEqual([
      ['dynamodb:index:ReadCapacityUnits', 1, 50], ['dynamodb:index:WriteCapacityUnits', 2, 20],
      ['dynamodb:table:ReadCapacityUnits', 1, 50], ['dynamodb:table:WriteCapacityUnits', 2, 20],
    ]);
    const policies = Object.values(template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy')).map((p: any) =>
      p.Properties.TargetTrackingScalingPolicyConfiguration.TargetValue);
    expect(policies.sort()).toEqual([60, 60, 70, 70]);
    expect(orders.alarms.map((a) => a.node.path.replace('TestStack/Orders/', ''))).toEqual([
      'Alarms/ThrottledRequestsAlarm', 'Alarms/SystemErrorsAlarm', 'Alarms/ConsumedReadCapacityAlarm', 'Alarms/ConsumedWriteCapacityAlarm',
      'Indexes/byCustomer/Alarms/ThrottledRequestsAlarm', 'Indexes/byCustomer/Alarms/ConsumedReadCapacityAlarm',
      'Indexes/byCustomer/Alarms/ConsumedWriteCapacityAlarm',
    ]);
    // An index scales to the same maximum and can reach it on its own: its capacity alarms watch its own metrics.
    const indexWrite = resourceOf(template, orders.alarms[6]).Properties;
    expect(indexWrite.Metrics.find((m: any) => m.MetricStat).MetricStat.Metric.Dimensions).toEqual([
      { Name: 'GlobalSecondaryIndexName', Value: 'byCustomer' }, { Name: 'TableName', Value: { Ref: logicalIdOf(orders.table) } },
    ]);
    const write = resourceOf(template, orders.alarms[3]).Properties;
    expect(write.Metrics.find((m: any) => m.Expression).Expression).toBe('c / 300 / 20');
    expect(write).toMatchObject({ Threshold: 0.8, EvaluationPeriods: 3 });
    const indexAlarm = resourceOf(template, orders.alarms[4]).Properties;
    expect(indexAlarm.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.Dimensions)).toEqual([
      [{ Name: 'GlobalSecondaryIndexName', Value: 'byCustomer' }, { Name: 'TableName', Value: { Ref: logicalIdOf(orders.table) } }],
      [{ Name: 'GlobalSecondaryIndexName', Value: 'byCustomer' }, { Name: 'TableName', Value: { Ref: logicalIdOf(orders.table) } }],
    ]);
    expect(orders.globalSecondaryIndexes).toEqual(['byCustomer']);
  });

  test('an index gets the table\'s on-demand caps and Contributor Insights (DynamoDB sets both per index)', () => {
    const stack = newStack();
    const orders = table(stack, {
      billing: TableBilling.onDemand({ maxReadRequestUnits: 100, maxWriteRequestUnits: 50 }),
      contributorInsights: true,
    });
    orders.addGlobalSecondaryIndex({ indexName: 'byCustomer', partitionKey: { name: 'customerId', type: dynamodb.AttributeType.STRING } });
    expectProperties(Template.fromStack(stack), orders.table, {
      GlobalSecondaryIndexes: [Match.objectLike({
        IndexName: 'byCustomer',
        OnDemandThroughput: { MaxReadRequestUnits: 100, MaxWriteRequestUnits: 50 },
        ContributorInsightsSpecification: { Enabled: true },
      })],
    });
  });

  test('on-demand caps, TTL, stream, contributor insights, table class and a name', () => {
    const stack = newStack();
    const orders = table(stack, {
      billing: TableBilling.onDemand({ maxReadRequestUnits: 100, maxWriteRequestUnits: 50 }),
      timeToLiveAttribute: 'expiresAt',
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      contributorInsights: true,
      tableClass: dynamodb.TableClass.STANDARD_INFREQUENT_ACCESS,
      tableName: 'orders-table',
    });
    expectProperties(Template.fromStack(stack), orders.table, {
      OnDemandThroughput: { MaxReadRequestUnits: 100, MaxWriteRequestUnits: 50 },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      ContributorInsightsSpecification: { Enabled: true },
      TableClass: 'STANDARD_INFREQUENT_ACCESS',
      TableName: 'orders-table',
    });
  });

  test('deleting the data takes two choices: DESTROY and deletionProtection false', () => {
    const stack = newStack();
    const orders = table(stack, { removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false });
    const resource = resourceOf(Template.fromStack(stack), orders.table);
    expect(resource.DeletionPolicy).toBe('Delete');
    expect(resource.Properties.DeletionProtectionEnabled).toBe(false);
  });

  test('grants: the table and its indexes, and a customer-managed key only through DynamoDB', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const orders = table(stack, { stream: dynamodb.StreamViewType.NEW_IMAGE });
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.AccountRootPrincipal() });
    orders.grantReadData(reader);
    orders.grantStreamRead(reader);
    orders.grantWriteData(writer);
    const template = Template.fromStack(stack);
    const tableArn = stack.resolve(orders.tableArn);
    const viaDynamoDb = { StringEquals: { 'kms:ViaService': 'dynamodb.eu-west-1.amazonaws.com' } };
    expect(statementsOf(template, reader)).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']), Resource: tableArn }),
      expect.objectContaining({ Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: stack.resolve(stackKeyOf(stack).keyArn), Condition: viaDynamoDb }),
      expect.objectContaining({ Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], Resource: stack.resolve(orders.tableStreamArn) }),
    ]));
    const writerStatements = statementsOf(template, writer);
    expect(writerStatements.flatMap((s) => ([] as string[]).concat(s.Action as string[]))).not.toContain('dynamodb:GetItem');
    expect(writerStatements).toContainEqual(expect.objectContaining({
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom',
        'kms:ReEncryptTo'],
      Condition: viaDynamoDb,
    }));
  });

  test('indexes are granted by name, those added after a grant too; ListStreams sits in a policy of the table that holds only it', () => {
    const stack = newStack();
    const orders = table(stack, { stream: dynamodb.StreamViewType.KEYS_ONLY });
    orders.addGlobalSecondaryIndex({ indexName: 'byCustomer', partitionKey: { name: 'customerId', type: dynamodb.AttributeType.STRING } });
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    orders.grantReadData(reader);
    orders.grantStreamRead(reader);
    orders.addGlobalSecondaryIndex({ indexName: 'byStatus', partitionKey: { name: 'status', type: dynamodb.AttributeType.STRING } });
    const template = Template.fromStack(stack);
    const tableArn = stack.resolve(orders.tableArn);
    const index = (name: string) => ({ 'Fn::Join': ['', [tableArn, `/index/${name}`]] });
    const statements = statementsOf(template, reader, ['AWS::IAM::Policy']);
    expect(statements).toContainEqual(expect.objectContaining({ Action: expect.arrayContaining(['dynamodb:Query']), Resource: [index('byCustomer'), index('byStatus')] }));
    expect(JSON.stringify(statements)).not.toContain('/index/*');
    expect(JSON.stringify(statements)).not.toContain('ListStreams');
    const listStreams = resourceOf(template, orders.node.findChild('ListStreamsPolicy')).Properties;
    expect(listStreams.PolicyDocument.Statement).toEqual([{ Action: 'dynamodb:ListStreams', Effect: 'Allow', Resource: '*' }]);
    expect(listStreams.Roles).toEqual([{ Ref: logicalIdOf(reader) }]);
  });

  test('two tables in one stack do not collide', () => {
    const stack = newStack();
    table(stack, {}, 'One');
    table(stack, {}, 'Two');
    Template.fromStack(stack).resourceCountIs('AWS::DynamoDB::Table', 2);
  });
});

describe('cdk-nag checks what SecureTable makes', () => {
  // Some DynamoDB rules look only at AWS::DynamoDB::Table (never AWS::DynamoDB::GlobalTable, which
  // TableV2 makes): the table class SecureTable uses must be one the rules see.
  test('a deliberately insecure table of the same class is flagged (AwsSolutions-DDB3), a SecureTable is not', () => {
    const stack = newStack();
    new dynamodb.Table(stack, 'Plain', { partitionKey: ID });
    table(stack);
    Template.fromStack(stack);
    const violations = new AwsSolutionsChecks(stack.node.root as any).validateScope(stack).violations;
    const ddb3 = violations.filter((v) => v.ruleName === 'AwsSolutions-DDB3').flatMap((v) => v.violatingResources.map((r) => r.constructPath));
    expect(ddb3).toEqual(['TestStack/Plain/Resource']);
  });
});

describe('SecureTable input errors', () => {
  const cases: Array<[string, Partial<SecureTableProps>, RegExp]> = [
    ['no partition key', { partitionKey: undefined }, /partitionKey is .*; it is required/],
    ['a key without a type', { partitionKey: { name: 'id' } as dynamodb.Attribute }, /partitionKey.type is .*; a key attribute needs a type/],
    ['a sort key named like the partition key', { sortKey: { ...ID } }, /sortKey is 'orderId'; it must be another attribute than the partition key/],
    ['SNAPSHOT', { removalPolicy: RemovalPolicy.SNAPSHOT }, /removalPolicy is 'snapshot'; CloudFormation cannot snapshot a DynamoDB table/],
    ['DESTROY with deletion protection', { removalPolicy: RemovalPolicy.DESTROY }, /removalPolicy is 'destroy'; deleting the table's data with the stack takes two explicit choices/],
    ['a bad table name', { tableName: 'a b' }, /tableName is 'a b'; it must be 3 to 255/],
    ['a TTL attribute of 256 bytes', { timeToLiveAttribute: 'x'.repeat(256) }, /timeToLiveAttribute is .*; it must be an attribute name of 1 to 255 bytes/],
    ['min above max', { billing: TableBilling.provisioned({ readCapacity: { maxCapacity: 5, minCapacity: 10 }, writeCapacity: { maxCapacity: 5 } }) },
      /billing.readCapacity.minCapacity \(10\) is greater than billing.readCapacity.maxCapacity \(5\)/],
    ['a target utilization of 95', { billing: TableBilling.provisioned({ readCapacity: { maxCapacity: 5, targetUtilizationPercent: 95 }, writeCapacity: { maxCapacity: 5 } }) },
      /billing.readCapacity.targetUtilizationPercent is 95; it must be an integer from 20 to 90/],
    ['a capacity alarm on an on-demand table', { alarms: { consumedReadCapacity: { threshold: 0.5 } } }, /alarms.consumedReadCapacity is .*; it cannot take effect: the table is billed on demand/],
    ['a string as the key', { key: 'not a key' as any }, /key is 'not a key'; it must be a KMS key/],
    ['a misspelled prop', { pointInTimeRecovry: false } as Partial<SecureTableProps>, /pointInTimeRecovry/],
  ];
  test.each(cases)('%s is refused, naming the prop', (_name, props, message) => {
    const error = thrownBy(() => table(newStack(), props));
    expect(String(error)).toMatch(/SecureTable 'TestStack\/Orders'/);
    expect(String(error)).toMatch(message);
  });

  test('index errors: a duplicate name, INCLUDE without attributes, attributes without INCLUDE', () => {
    const orders = table(newStack());
    const byCustomer = { indexName: 'byCustomer', partitionKey: { name: 'customerId', type: dynamodb.AttributeType.STRING } };
    orders.addGlobalSecondaryIndex(byCustomer);
    expect(() => orders.addGlobalSecondaryIndex(byCustomer)).toThrow(/indexName is 'byCustomer'; the table already has an index of that name/);
    expect(() => orders.addGlobalSecondaryIndex({ ...byCustomer, indexName: 'byB2', projectionType: dynamodb.ProjectionType.INCLUDE }))
      .toThrow(/nonKeyAttributes of index 'byB2' is .*; an INCLUDE projection needs the attributes to include/);
    expect(() => orders.addGlobalSecondaryIndex({ ...byCustomer, indexName: 'byB3', nonKeyAttributes: ['total'] }))
      .toThrow(/nonKeyAttributes of index 'byB3' is .*; they are only for projectionType INCLUDE/);
    expect(() => orders.grantStreamRead(new iam.Role(Stack.of(orders), 'R', { assumedBy: new iam.AccountRootPrincipal() })))
      .toThrow(/grantStreamRead: the table has no stream/);
  });
});
