import { Duration, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ComplianceProfile, QueryDataFormat, QueryWorkgroup, QueryWorkgroupProps, SecureBucket } from '../../src';
import { newStack, thrownBy } from '../support/app';
import { resourceOf, stackKeyOf, statementsOf } from '../support/template';

function role(stack: Stack, id = 'Analyst'): iam.Role {
  return new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
}

describe.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('QueryWorkgroup defaults (%s)', (profile) => {
  const regulated = profile === ComplianceProfile.REGULATED;
  const stack = newStack({}, profile);
  const reporting = new QueryWorkgroup(stack, 'Reporting');
  const template = Template.fromStack(stack);

  test('configuration enforced, a 10 GiB cutoff per query, engine 3 pinned, metrics on; results encrypted in the results bucket', () => {
    expect(resourceOf(template, reporting.workgroup).Properties).toEqual({
      Name: reporting.name,
      Description: 'cdk-bulwark QueryWorkgroup TestStack/Reporting',
      State: 'ENABLED',
      // Athena deletes a workgroup that has run queries only with its history (API reference, DeleteWorkGroup).
      RecursiveDeleteOption: true,
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        RequesterPaysEnabled: false,
        BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        ResultConfiguration: {
          OutputLocation: { 'Fn::Join': ['', ['s3://', stack.resolve(reporting.resultsBucket.bucketName), '/results/']] },
          ExpectedBucketOwner: '123456789012',
          EncryptionConfiguration: regulated
            ? { EncryptionOption: 'SSE_KMS', KmsKey: stack.resolve(stackKeyOf(stack).keyArn) }
            : { EncryptionOption: 'SSE_S3' },
        },
      },
    });
    expect(reporting.name).toMatch(/^TestStack-Reporting-[A-Za-z0-9]+$/);
  });

  test('the results bucket is a SecureBucket whose results expire after 30 days', () => {
    expect(reporting.resultsSecureBucket).toBeInstanceOf(SecureBucket);
    const rules = resourceOf(template, reporting.resultsSecureBucket!.bucket).Properties.LifecycleConfiguration.Rules;
    expect(rules).toEqual(expect.arrayContaining([
      { Id: 'ExpireResults', Status: 'Enabled', Prefix: 'results/', ExpirationInDays: 30 },
      expect.objectContaining({ Id: 'NoncurrentVersionsAndIncompleteUploads', NoncurrentVersionExpiration: { NoncurrentDays: 1 } }),
    ]));
  });

  test('alarms on failed queries and on a day\'s bytes scanned (every state), no Glue database before a table', () => {
    expect(reporting.alarms.map((a) => a.node.id)).toEqual(['FailedQueriesAlarm', 'ProcessedBytesAlarm']);
    const failed = resourceOf(template, reporting.alarms[0]).Properties;
    expect(failed.Threshold).toBe(0);
    expect(failed.Metrics.find((m: any) => m.Expression).Expression).toBe('FILL(f, 0) + FILL(c, 0)');
    // Failed and cancelled (the bytes-scanned cutoff cancels: Athena user guide, "Configure per-query and per-workgroup data usage controls").
    const stats = failed.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat);
    expect(stats.map((m: any) => [m.Metric.Namespace, m.Metric.MetricName, m.Stat, m.Period])).toEqual([
      ['AWS/Athena', 'TotalExecutionTime', 'SampleCount', 300], ['AWS/Athena', 'TotalExecutionTime', 'SampleCount', 300],
    ]);
    expect(stats.map((m: any) => m.Metric.Dimensions)).toEqual([['FAILED'], ['CANCELED']].map(([state]) => expect.arrayContaining([
      { Name: 'QueryState', Value: state }, { Name: 'QueryType', Value: 'DML' }, { Name: 'WorkGroup', Value: reporting.name },
    ])));
    const bytes = resourceOf(template, reporting.alarms[1]).Properties;
    expect(bytes.Threshold).toBe(1e12);
    expect(bytes.Metrics.find((m: any) => m.Expression).Expression).toBe('FILL(s, 0) + FILL(f, 0) + FILL(c, 0)');
    expect(bytes.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Period)).toEqual([86400, 86400, 86400]);
    expect(reporting.database).toBeUndefined();
    template.resourceCountIs('AWS::Glue::Database', 0);
  });
});

describe('QueryWorkgroup tables and grants', () => {
  test('a table over a SecureBucket prefix in the workgroup\'s database, per format', () => {
    const stack = newStack();
    const sales = new SecureBucket(stack, 'Sales');
    const reporting = new QueryWorkgroup(stack, 'Reporting', { databaseName: 'sales' });
    const orders = reporting.addTable('Orders', { bucket: sales, prefix: 'orders/', columns: [{ name: 'order_id', dataType: 'string' }, { name: 'total', dataType: 'DECIMAL(10,2)' }] });
    const csv = reporting.addTable('Refunds', { bucket: sales, prefix: 'refunds/', format: QueryDataFormat.CSV, columns: [{ name: 'id', dataType: 'string' }] });
    const parquet = reporting.addTable('Clicks', {
      bucket: sales,
      prefix: 'clicks/',
      format: QueryDataFormat.PARQUET,
      tableName: 'page_clicks',
      columns: [{ name: 'page', dataType: 'string', comment: 'path' }, { name: 'tags', dataType: 'array<string>' }],
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Glue::Database', { CatalogId: '123456789012', DatabaseInput: Match.objectLike({ Name: 'sales' }) });
    const input = resourceOf(template, orders).Properties.TableInput;
    expect(input).toMatchObject({ Name: 'orders', TableType: 'EXTERNAL_TABLE', Parameters: { classification: 'json' } });
    expect(JSON.parse(JSON.stringify(input.StorageDescriptor))).toMatchObject({
      Columns: [{ Name: 'order_id', Type: 'string' }, { Name: 'total', Type: 'decimal(10,2)' }],
      Location: JSON.parse(JSON.stringify({ 'Fn::Join': ['', ['s3://', stack.resolve(sales.bucketName), '/orders/']] })),
      SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
    });
    expect(resourceOf(template, csv).Properties.TableInput.Parameters).toEqual({ 'classification': 'csv', 'skip.header.line.count': '1' });
    expect(resourceOf(template, parquet).Properties.TableInput.Name).toBe('page_clicks');
    expect(resourceOf(template, parquet).Properties.TableInput.StorageDescriptor.SerdeInfo.SerializationLibrary)
      .toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
    expect(resourceOf(template, orders).DependsOn).toEqual([Object.keys(template.findResources('AWS::Glue::Database'))[0]]);
    expect(reporting.tableNames).toEqual(['orders', 'refunds', 'page_clicks']);
  });

  test('grantQuery: the workgroup, the results, the database and each table by name, and the data; tables added later join', () => {
    const stack = newStack();
    const sales = new SecureBucket(stack, 'Sales');
    const reporting = new QueryWorkgroup(stack, 'Reporting', { databaseName: 'sales', workgroupName: 'reporting' });
    reporting.addTable('Orders', { bucket: sales, prefix: 'orders/', columns: [{ name: 'order_id', dataType: 'string' }] });
    const analyst = role(stack);
    expect(reporting.grantQuery(analyst).success).toBe(true);
    reporting.addTable('Refunds', { bucket: sales, prefix: 'refunds/', columns: [{ name: 'id', dataType: 'string' }] });
    const statements = statementsOf(Template.fromStack(stack), analyst);
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({
        Action: ['athena:StartQueryExecution', 'athena:StopQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults',
          'athena:GetQueryResultsStream', 'athena:GetWorkGroup'],
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':athena:eu-west-1:123456789012:workgroup/reporting']] },
      }),
      expect.objectContaining({
        Action: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions'],
        Resource: ['catalog', 'database/sales', 'table/sales/orders', 'table/sales/refunds'].map((r) =>
          ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:glue:eu-west-1:123456789012:${r}`]] })),
        // Only Athena reads the catalog for the caller (Athena user guide, "Use aws:CalledVia condition keys for Athena").
        Condition: { 'ForAnyValue:StringEquals': { 'aws:CalledVia': ['athena.amazonaws.com'] } },
      }),
      expect.objectContaining({ Action: expect.arrayContaining(['s3:GetObject']), Resource: stack.resolve(sales.bucket.arnForObjects('orders/*')) }),
      expect.objectContaining({ Action: expect.arrayContaining(['s3:GetObject']), Resource: stack.resolve(sales.bucket.arnForObjects('refunds/*')) }),
      expect.objectContaining({ Action: expect.arrayContaining(['s3:PutObject']), Resource: stack.resolve(reporting.resultsBucket.arnForObjects('results/*')) }),
    ]));
  });

  test('a brought results bucket and key: results go there, encrypted with the key; grants name the prefix and the key through S3', () => {
    const stack = newStack();
    const results = new s3.Bucket(stack, 'Results');
    const key = new kms.Key(stack, 'Key');
    const reporting = new QueryWorkgroup(stack, 'Reporting', { resultsBucket: results, resultsPrefix: 'athena/', key, bytesScannedCutoffPerQuery: Size.mebibytes(100) });
    const analyst = role(stack);
    reporting.grantQuery(analyst);
    const template = Template.fromStack(stack);
    expect(reporting.resultsSecureBucket).toBeUndefined();
    const configuration = resourceOf(template, reporting.workgroup).Properties.WorkGroupConfiguration;
    expect(configuration.ResultConfiguration.OutputLocation).toEqual({ 'Fn::Join': ['', ['s3://', stack.resolve(results.bucketName), '/athena/']] });
    expect(configuration.ResultConfiguration.EncryptionConfiguration).toEqual({ EncryptionOption: 'SSE_KMS', KmsKey: stack.resolve(key.keyArn) });
    expect(configuration.BytesScannedCutoffPerQuery).toBe(100 * 1024 ** 2);
    expect(statementsOf(template, analyst)).toEqual(expect.arrayContaining([
      expect.objectContaining({ Resource: stack.resolve(results.arnForObjects('athena/*')) }),
      expect.objectContaining({
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: stack.resolve(key.keyArn),
        // With or without S3 Bucket Keys on a bucket of yours: the bucket's ARN, or the objects'.
        Condition: {
          StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [stack.resolve(results.bucketArn), stack.resolve(results.arnForObjects('athena/*'))] },
        },
      }),
    ]));
  });

  test('column types are stored as Glue expects them; a results bucket of another account is its expected owner', () => {
    const stack = newStack();
    const sales = new SecureBucket(stack, 'Sales');
    const results = s3.Bucket.fromBucketAttributes(stack, 'Results', { bucketName: 'shared-results', account: '210987654321' });
    const reporting = new QueryWorkgroup(stack, 'Reporting', { resultsBucket: results });
    const table = reporting.addTable('T', { bucket: sales, prefix: 't/', columns: [{ name: 'n', dataType: 'INTEGER' }, { name: 'd', dataType: 'decimal(10, 2)' }] });
    const template = Template.fromStack(stack);
    expect(resourceOf(template, table).Properties.TableInput.StorageDescriptor.Columns).toEqual([{ Name: 'n', Type: 'int' }, { Name: 'd', Type: 'decimal(10,2)' }]);
    expect(resourceOf(template, reporting.workgroup).Properties.WorkGroupConfiguration.ResultConfiguration.ExpectedBucketOwner).toBe('210987654321');
  });

  test('two workgroups in one stack have their own names, results buckets and databases', () => {
    const stack = newStack();
    const sales = new SecureBucket(stack, 'Sales');
    const a = new QueryWorkgroup(stack, 'A');
    const b = new QueryWorkgroup(stack, 'B');
    a.addTable('T', { bucket: sales, prefix: 'a/', columns: [{ name: 'x', dataType: 'string' }] });
    b.addTable('T', { bucket: sales, prefix: 'b/', columns: [{ name: 'x', dataType: 'string' }] });
    const template = Template.fromStack(stack);
    expect(a.name).not.toBe(b.name);
    expect(a.databaseName).not.toBe(b.databaseName);
    expect(stack.resolve(a.resultsBucket.bucketName)).not.toEqual(stack.resolve(b.resultsBucket.bucketName));
    template.resourceCountIs('AWS::Glue::Database', 2);
    template.resourceCountIs('AWS::Athena::WorkGroup', 2);
  });
});

describe('QueryWorkgroup invalid input', () => {
  const cases: Array<[string, Partial<QueryWorkgroupProps> | ((s: Stack) => Partial<QueryWorkgroupProps>), RegExp]> = [
    ['a cutoff under 10 MB', { bytesScannedCutoffPerQuery: Size.mebibytes(5) }, /bytesScannedCutoffPerQuery.*5242880 bytes.*10,000,000/],
    ['a cutoff that is a number', { bytesScannedCutoffPerQuery: 1e9 as any }, /bytesScannedCutoffPerQuery.*Size/],
    ['a workgroup name with spaces', { workgroupName: 'my reports' }, /workgroupName/],
    ['an unknown engine', { engineVersion: 'v3' }, /engineVersion.*Athena engine version 3/],
    ['a Spark engine', { engineVersion: 'PySpark engine version 3' }, /engineVersion/],
    ['a database name with capitals', { databaseName: 'Sales' }, /databaseName.*lowercase/],
    ['a results prefix without a trailing slash', { resultsPrefix: 'results' }, /resultsPrefix.*ends with/],
    ['results expiring in hours', { resultsExpiration: Duration.hours(12) }, /resultsExpiration/],
    ['an expiration with a brought bucket', (s) => ({ resultsBucket: new s3.Bucket(s, 'R'), resultsExpiration: Duration.days(3) }), /resultsExpiration applies to the results bucket created here/],
    ['a results bucket of another region', (s) => ({ resultsBucket: s3.Bucket.fromBucketAttributes(s, 'R', { bucketName: 'results-bucket', region: 'us-east-1' }) }), /us-east-1/],
    ['a results bucket that is not a bucket', { resultsBucket: {} as any }, /resultsBucket.*S3 bucket/],
    ['an unknown prop', { bytesScanned: 5 } as any, /bytesScanned/],
  ];
  test.each(cases)('%s', (_name, props, message) => {
    const stack = newStack();
    const error = thrownBy(() => new QueryWorkgroup(stack, 'Reporting', typeof props === 'function' ? props(stack) : props)) as Error;
    expect(error.message).toMatch(/QueryWorkgroup 'TestStack\/Reporting'/);
    expect(error.message).toMatch(message);
  });

  const tableCases: Array<[string, (s: Stack, b: SecureBucket) => any, RegExp]> = [
    ['a plain bucket', (s) => ({ bucket: new s3.Bucket(s, 'P'), prefix: 'x/', columns: [{ name: 'a', dataType: 'string' }] }), /bucket.*SecureBucket/],
    ['no columns', (_s, b) => ({ bucket: b, prefix: 'x/', columns: [] }), /columns.*at least one/],
    ['an unknown type', (_s, b) => ({ bucket: b, prefix: 'x/', columns: [{ name: 'a', dataType: 'text' }] }), /columns\[0\].dataType.*Hive type/],
    ['unbalanced brackets', (_s, b) => ({ bucket: b, prefix: 'x/', columns: [{ name: 'a', dataType: 'array<string' }] }), /columns\[0\].dataType/],
    ['a column name with a hyphen', (_s, b) => ({ bucket: b, prefix: 'x/', columns: [{ name: 'order-id', dataType: 'string' }] }), /columns\[0\].name/],
    ['a column twice', (_s, b) => ({ bucket: b, prefix: 'x/', columns: [{ name: 'a', dataType: 'string' }, { name: 'a', dataType: 'int' }] }), /columns\[1\].name.*earlier column/],
    ['a prefix with a leading slash', (_s, b) => ({ bucket: b, prefix: '/x/', columns: [{ name: 'a', dataType: 'string' }] }), /prefix/],
    ['a CSV timestamp', (_s, b) => ({ bucket: b, prefix: 'x/', format: 'CSV', columns: [{ name: 'a', dataType: 'timestamp' }] }), /columns\[0\].dataType.*OpenCSV SerDe reads only/],
    ['a decimal too precise', (_s, b) => ({ bucket: b, prefix: 'x/', columns: [{ name: 'a', dataType: 'decimal(40,2)' }] }), /columns\[0\].dataType.*precision of 1 to 38/],
    ['a scale above the precision', (_s, b) => ({ bucket: b, prefix: 'x/', columns: [{ name: 'a', dataType: 'decimal(5,6)' }] }), /precision/],
    ['an unknown format', (_s, b) => ({ bucket: b, prefix: 'x/', format: 'AVRO', columns: [{ name: 'a', dataType: 'string' }] }), /format.*QueryDataFormat/],
  ];
  test.each(tableCases)('table: %s', (_name, options, message) => {
    const stack = newStack();
    const bucket = new SecureBucket(stack, 'Data');
    const reporting = new QueryWorkgroup(stack, 'Reporting');
    const error = thrownBy(() => reporting.addTable('T', options(stack, bucket))) as Error;
    expect(error.message).toMatch(/QueryWorkgroup 'TestStack\/Reporting'/);
    expect(error.message).toMatch(message);
  });

  test('table: the same name twice', () => {
    const stack = newStack();
    const bucket = new SecureBucket(stack, 'Data');
    const reporting = new QueryWorkgroup(stack, 'Reporting');
    reporting.addTable('T', { bucket, prefix: 'x/', columns: [{ name: 'a', dataType: 'string' }] });
    expect((thrownBy(() => reporting.addTable('U', { bucket, prefix: 'y/', columns: [{ name: 'a', dataType: 'string' }], tableName: 't' })) as Error).message)
      .toMatch(/tableName.*'t'.*already has a table/);
  });

  test('grantQuery to a principal without a policy here (another account) is refused, not half-granted', () => {
    const stack = newStack();
    const reporting = new QueryWorkgroup(stack, 'Reporting');
    expect((thrownBy(() => reporting.grantQuery(new iam.AccountPrincipal('210987654321'))) as Error).message)
      .toMatch(/grantQuery\(\).*no policy this app can change/);
  });
});
