import { CfnParameter, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { ComplianceProfile, SecureFunction, ServerlessDatabase, ServerlessDatabaseProps } from '../../src';
import { FLAG_SETS, INLINE_CODE, newStack, thrownBy } from '../support/app';
import { expectProperties, logicalIdOf, resourceOf, stackKeyOf, statementsOf } from '../support/template';

const HANDLER = { code: INLINE_CODE, handler: 'index.handler' };

function writerOf(db: ServerlessDatabase): rds.CfnDBInstance {
  return db.cluster.node.findChild('Writer').node.defaultChild as rds.CfnDBInstance;
}

function alarmProps(template: Template, db: ServerlessDatabase, id: string): any {
  return resourceOf(template, db.alarms.find((a) => a.node.id === id)!).Properties;
}

describe.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('ServerlessDatabase defaults (%s)', (profile) => {
  const regulated = profile === ComplianceProfile.REGULATED;
  const stack = newStack({}, profile);
  const db = new ServerlessDatabase(stack, 'Orders');
  const template = Template.fromStack(stack);
  const cluster = resourceOf(template, db.cluster);
  const key = regulated ? stack.resolve(stackKeyOf(stack).keyArn) : undefined;

  test('Aurora PostgreSQL 17.5 scaling to zero after 5 idle minutes, up to 2 ACUs', () => {
    expect(cluster.Properties).toMatchObject({
      Engine: 'aurora-postgresql',
      EngineVersion: '17.5',
      ServerlessV2ScalingConfiguration: { MinCapacity: 0, MaxCapacity: 2, SecondsUntilAutoPause: 300 },
    });
    expect(writerOf(db).dbInstanceClass).toBe('db.serverless');
  });

  test('encrypted (aws/rds in STANDARD, the stack key in REGULATED), IAM authentication, TLS required by the parameter group', () => {
    expect(cluster.Properties).toMatchObject({ StorageEncrypted: true, EnableIAMDatabaseAuthentication: true, Port: 5432 });
    expect(cluster.Properties.KmsKeyId).toEqual(key);
    const parameterGroup = template.findResources('AWS::RDS::DBClusterParameterGroup');
    expect(Object.keys(parameterGroup)).toEqual([cluster.Properties.DBClusterParameterGroupName.Ref]);
    expect(Object.values<any>(parameterGroup)[0].Properties).toMatchObject({ Family: 'aurora-postgresql17', Parameters: { 'rds.force_ssl': '1' } });
  });

  test('the master password is RDS\'s own secret (no secret resource, no rotation function), with the stack key in REGULATED', () => {
    expect(cluster.Properties).toMatchObject({ ManageMasterUserPassword: true, MasterUsername: 'postgres' });
    expect(cluster.Properties.MasterUserPassword).toBeUndefined();
    expect(cluster.Properties.MasterUserSecret).toEqual(regulated ? { KmsKeyId: key } : undefined);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    template.resourceCountIs('AWS::Serverless::Application', 0);
    expect(stack.resolve(db.secret.secretArn)).toEqual({ 'Fn::GetAtt': [logicalIdOf(db.cluster), 'MasterUserSecret.SecretArn'] });
  });

  test('backups kept 7 days, tags copied to snapshots, deletion protection, a final snapshot', () => {
    expect(cluster.Properties).toMatchObject({ BackupRetentionPeriod: 7, CopyTagsToSnapshot: true, DeletionProtection: true });
    expect([cluster.DeletionPolicy, cluster.UpdateReplacePolicy]).toEqual(['Snapshot', 'Snapshot']);
  });

  test('in the stack\'s shared network: its isolated subnets, a security group that admits nothing and sends nothing', () => {
    expect(db.vpc.node.path).toBe('TestStack/BulwarkNetwork');
    const subnetGroup = Object.values<any>(template.findResources('AWS::RDS::DBSubnetGroup'))[0];
    expect(subnetGroup.Properties.SubnetIds).toEqual(stack.resolve(db.vpc.isolatedSubnets.map((s) => s.subnetId)));
    const group = db.connections.securityGroups[0];
    expect(cluster.Properties.VpcSecurityGroupIds).toEqual([stack.resolve(group.securityGroupId)]);
    expect(resourceOf(template, group).Properties.SecurityGroupIngress).toBeUndefined();
    expect(resourceOf(template, group).Properties.SecurityGroupEgress).toEqual([expect.objectContaining({ Description: 'Disallow all traffic' })]);
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    expect(db.connections.defaultPort?.toString()).toBe('5432');
  });

  test('the writer: private, minor upgrades, Performance Insights (the stack key in REGULATED); enhanced monitoring in REGULATED only', () => {
    expect(resourceOf(template, writerOf(db)).Properties).toMatchObject({
      PubliclyAccessible: false,
      AutoMinorVersionUpgrade: true,
      EnablePerformanceInsights: true,
      PerformanceInsightsRetentionPeriod: 7,
    });
    expect(writerOf(db).performanceInsightsKmsKeyId).toEqual(regulated ? stackKeyOf(stack).keyArn : undefined);
    expect(stack.resolve(writerOf(db).monitoringInterval)).toBe(regulated ? 60 : undefined);
    expect(db.monitoringRole === undefined).toBe(!regulated);
  });

  test('the PostgreSQL log goes to a retained log group, created first, named as RDS names it (no log-retention function)', () => {
    expect(cluster.Properties.EnableCloudwatchLogsExports).toEqual(['postgresql']);
    const group = resourceOf(template, db.logGroup);
    // RDS writes to /aws/rds/cluster/<cluster identifier>/<log type> (Aurora user guide, "Publishing Aurora PostgreSQL logs to
    // Amazon CloudWatch Logs"): the group's name is built from the very identifier the cluster is given.
    expect(group.Properties.LogGroupName).toEqual({ 'Fn::Join': ['', ['/aws/rds/cluster/', cluster.Properties.DBClusterIdentifier, '/postgresql']] });
    expect(group.Properties.RetentionInDays).toBe(365);
    expect(group.Properties.KmsKeyId).toEqual(key);
    // Retained, but deleted if the deployment that creates it rolls back: a retained group of this name would fail the retry.
    expect([group.DeletionPolicy, group.UpdateReplacePolicy]).toEqual(['RetainExceptOnCreate', 'Retain']);
    expect(cluster.DependsOn).toContain(logicalIdOf(db.logGroup));
    template.resourceCountIs('Custom::LogRetention', 0);
  });

  test('the cluster identifier: lowercase, within 63 characters, unique to the construct and the stack (the stack id\'s UUID)', () => {
    const [prefix, uuid] = cluster.Properties.DBClusterIdentifier['Fn::Join'][1];
    expect(prefix).toMatch(/^orders-[0-9a-f]{8}$/);
    expect(uuid).toEqual({ 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] });
    // A UUID is 36 lowercase characters and hyphens, never two in a row.
    expect(prefix.length + 1 + 36).toBeLessThanOrEqual(63);
  });

  test('REGULATED puts the cluster (not its instances) in the stack\'s backup plan', () => {
    const selections = Object.values<any>(template.findResources('AWS::Backup::BackupSelection'));
    expect(selections.map((s) => s.Properties.BackupSelection.Resources)).toEqual(regulated
      ? [[{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:eu-west-1:123456789012:cluster:', { Ref: logicalIdOf(db.cluster) }]] }]]
      : []);
  });

  test('alarms: CPU, capacity, connections (90% of max_connections), memory and local storage (below)', () => {
    expect(db.alarms.map((a) => a.node.id)).toEqual(['CpuUtilizationAlarm', 'AcuUtilizationAlarm', 'DatabaseConnectionsAlarm',
      'FreeableMemoryAlarm', 'FreeLocalStorageAlarm']);
    // The writer's metrics, whichever instance it is (Aurora user guide, "Creating CloudWatch alarms to monitor Amazon Aurora").
    const dimensions = [{ Name: 'DBClusterIdentifier', Value: { Ref: logicalIdOf(db.cluster) } }, { Name: 'Role', Value: 'WRITER' }];
    for (const alarm of db.alarms) {
      expect(alarmProps(template, db, alarm.node.id)).toMatchObject({ Dimensions: dimensions, Statistic: 'Average' });
    }
    expect(alarmProps(template, db, 'CpuUtilizationAlarm')).toMatchObject({
      MetricName: 'CPUUtilization',
      Namespace: 'AWS/RDS',
      Threshold: 90,
      Period: 60,
      EvaluationPeriods: 5,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(alarmProps(template, db, 'AcuUtilizationAlarm')).toMatchObject({ MetricName: 'ACUUtilization', Threshold: 90, Period: 300, EvaluationPeriods: 3 });
    // 2 ACUs: max_connections about 401 (the user guide's table: 189 at 1 ACU, 823 at 4), capped at 2,000 below 1 ACU minimum.
    expect(alarmProps(template, db, 'DatabaseConnectionsAlarm')).toMatchObject({ MetricName: 'DatabaseConnections', Threshold: 360 });
    expect(alarmProps(template, db, 'FreeableMemoryAlarm')).toMatchObject({
      MetricName: 'FreeableMemory',
      Threshold: Math.floor(0.05 * 4 * 1024 ** 3),
      EvaluationPeriods: 15,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(alarmProps(template, db, 'FreeLocalStorageAlarm')).toMatchObject({
      MetricName: 'FreeLocalStorage',
      Threshold: 1024 ** 3,
      ComparisonOperator: 'LessThanThreshold',
    });
    expect(alarmProps(template, db, 'DatabaseConnectionsAlarm').AlarmDescription).toContain('max_connections is about 401');
  });
});

describe('ServerlessDatabase capacity', () => {
  test.each([
    [{ maxCapacity: 1, minCapacity: 1 }, 170], // 189 x 0.9
    [{ maxCapacity: 4, minCapacity: 1 }, 740], // 823 x 0.9
    [{ maxCapacity: 16, minCapacity: 1 }, 3023], // 3,359 x 0.9
    [{ maxCapacity: 64, minCapacity: 1 }, 4500], // 5,000 x 0.9
    [{ maxCapacity: 64 }, 1800], // 2,000 x 0.9 below a 1 ACU minimum
  ])('%j: the connections alarm fires above %d', (props, threshold) => {
    const stack = newStack();
    const db = new ServerlessDatabase(stack, 'Orders', props);
    expect(alarmProps(Template.fromStack(stack), db, 'DatabaseConnectionsAlarm').Threshold).toBe(threshold);
  });

  test('a minimum above 0 does not pause; autoPauseAfter sets the idle time', () => {
    const stack = newStack();
    const warm = new ServerlessDatabase(stack, 'Warm', { minCapacity: 0.5, maxCapacity: 8.5 });
    const lazy = new ServerlessDatabase(stack, 'Lazy', { autoPauseAfter: Duration.hours(2) });
    const template = Template.fromStack(stack);
    expect(resourceOf(template, warm.cluster).Properties.ServerlessV2ScalingConfiguration).toEqual({ MinCapacity: 0.5, MaxCapacity: 8.5 });
    expect(resourceOf(template, lazy.cluster).Properties.ServerlessV2ScalingConfiguration)
      .toEqual({ MinCapacity: 0, MaxCapacity: 2, SecondsUntilAutoPause: 7200 });
  });

  test('readers scale with the writer, with the writer\'s settings', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const db = new ServerlessDatabase(stack, 'Orders', { readers: 2 });
    const template = Template.fromStack(stack);
    const instances = Object.values<any>(template.findResources('AWS::RDS::DBInstance'));
    expect(instances.map((i) => i.Properties.PromotionTier)).toEqual([0, 1, 1]);
    for (const instance of instances) {
      expect(instance.Properties).toMatchObject({
        DBInstanceClass: 'db.serverless',
        PubliclyAccessible: false,
        EnablePerformanceInsights: true,
        MonitoringInterval: 60,
      });
    }
    expect(db.cluster.node.tryFindChild('Reader2')).toBeDefined();
  });
});

describe('ServerlessDatabase props', () => {
  test('every prop reaches the template', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    const db = new ServerlessDatabase(stack, 'Orders', {
      engineVersion: rds.AuroraPostgresEngineVersion.VER_16_6,
      defaultDatabaseName: 'orders',
      masterUsername: 'orders_admin',
      enableDataApi: true,
      backupRetention: Duration.days(35),
      key,
      logRetention: logs.RetentionDays.ONE_MONTH,
      monitoringInterval: Duration.seconds(15),
      performanceInsights: false,
    });
    const template = Template.fromStack(stack);
    const keyArn = JSON.parse(JSON.stringify(stack.resolve(key.keyArn)));
    expect(JSON.parse(JSON.stringify(resourceOf(template, db.cluster).Properties))).toMatchObject({
      EngineVersion: '16.6',
      DatabaseName: 'orders',
      MasterUsername: 'orders_admin',
      EnableHttpEndpoint: true,
      BackupRetentionPeriod: 35,
      KmsKeyId: keyArn,
      MasterUserSecret: { KmsKeyId: keyArn },
    });
    expect(resourceOf(template, writerOf(db)).Properties).toMatchObject({ EnablePerformanceInsights: false, MonitoringInterval: 15 });
    expect(resourceOf(template, writerOf(db)).Properties.PerformanceInsightsKMSKeyId).toBeUndefined();
    expectProperties(template, db.logGroup, { RetentionInDays: 30, KmsKeyId: keyArn });
    expect(db.key).toBe(key);
  });

  test('monitoringInterval 0 turns enhanced monitoring off in REGULATED', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const db = new ServerlessDatabase(stack, 'Orders', { monitoringInterval: Duration.seconds(0) });
    expect(writerOf(db).monitoringInterval).toBeUndefined();
    expect(db.monitoringRole).toBeUndefined();
  });

  test('the enhanced monitoring role: only RDS monitoring of this account, writing to RDSOSMetrics only', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const db = new ServerlessDatabase(stack, 'Orders');
    const template = Template.fromStack(stack);
    expect(resourceOf(template, db.monitoringRole!).Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: { Service: 'monitoring.rds.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
    }]);
    const group = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':log-group:RDSOSMetrics']] };
    expect(statementsOf(template, db.monitoringRole!)).toEqual([
      expect.objectContaining({ Action: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy'], Resource: group }),
      expect.objectContaining({
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams', 'logs:GetLogEvents'],
        Resource: { 'Fn::Join': ['', [...group['Fn::Join'][1].slice(0, -1), ':log-group:RDSOSMetrics:log-stream:*']] },
      }),
    ]);
    expect(writerOf(db).monitoringRoleArn).toBe(db.monitoringRole!.roleArn);
    // RDS checks the role's permissions as it creates the instance: the policy is attached first.
    expect(resourceOf(template, writerOf(db)).DependsOn).toContain(logicalIdOf(db.node.findChild('MonitoringPolicy')));
  });

  test('REGULATED with a key of yours: AWS Backup may use it, only through RDS', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const key = new kms.Key(stack, 'Key');
    const db = new ServerlessDatabase(stack, 'Orders', { key });
    const template = Template.fromStack(stack);
    const backupRole = stack.node.findChild('BulwarkBackup').node.findChild('Role') as iam.Role;
    const onKey = statementsOf(template, backupRole).filter((s) => JSON.stringify(s.Resource) === JSON.stringify(stack.resolve(key.keyArn)));
    expect(onKey).toEqual([
      expect.objectContaining({
        Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'],
        Condition: { StringEquals: { 'kms:ViaService': ['rds.eu-west-1.amazonaws.com'] } },
      }),
      expect.objectContaining({
        Action: 'kms:CreateGrant',
        Condition: { StringEquals: { 'kms:ViaService': ['rds.eu-west-1.amazonaws.com'] }, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      }),
    ]);
    expect(db.node.tryFindChild('BackupKeyPolicy')).toBeDefined();
  });

  test('DESTROY with deletion protection off: deleted without a snapshot', () => {
    const stack = newStack();
    const db = new ServerlessDatabase(stack, 'Orders', { removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false });
    const cluster = resourceOf(Template.fromStack(stack), db.cluster);
    expect([cluster.DeletionPolicy, cluster.Properties.DeletionProtection]).toEqual(['Delete', false]);
  });

  test('two databases in one stack: distinct identifiers and log groups', () => {
    const stack = newStack();
    const a = new ServerlessDatabase(stack, 'Orders');
    const b = new ServerlessDatabase(stack, 'Orders2');
    const template = Template.fromStack(stack);
    const ids = [a, b].map((d) => JSON.stringify(resourceOf(template, d.cluster).Properties.DBClusterIdentifier));
    expect(new Set(ids).size).toBe(2);
    expect(new Set([a, b].map((d) => JSON.stringify(resourceOf(template, d.logGroup).Properties.LogGroupName))).size).toBe(2);
    // One shared network for both.
    template.resourceCountIs('AWS::EC2::VPC', 1);
  });

  test('a long or odd construct id still gives a valid identifier', () => {
    const stack = newStack();
    const db = new ServerlessDatabase(stack, '2nd Very-Long Database Name For Orders');
    const [prefix] = resourceOf(Template.fromStack(stack), db.cluster).Properties.DBClusterIdentifier['Fn::Join'][1];
    expect(prefix).toMatch(/^db2ndverylon-[0-9a-f]{8}$/);
  });
});

describe('ServerlessDatabase network', () => {
  test('a VPC of yours: its isolated subnets by default, or the subnets you select', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'App', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        { name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ],
    });
    const isolated = new ServerlessDatabase(stack, 'Isolated', { vpc });
    const app = new ServerlessDatabase(stack, 'App', { vpc, vpcSubnets: { subnetGroupName: 'App' } });
    const template = Template.fromStack(stack);
    const subnetsOf = (db: ServerlessDatabase) =>
      template.toJSON().Resources[resourceOf(template, db.cluster).Properties.DBSubnetGroupName.Ref].Properties.SubnetIds;
    expect(subnetsOf(isolated)).toEqual(stack.resolve(vpc.isolatedSubnets.map((s) => s.subnetId)));
    expect(subnetsOf(app)).toEqual(stack.resolve(vpc.privateSubnets.map((s) => s.subnetId)));
    expect(stack.node.tryFindChild('BulwarkNetwork')).toBeUndefined();
  });

  test('an imported security group: grantConnect warns that its rules may be ignored', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const group = ec2.SecurityGroup.fromSecurityGroupId(stack, 'Imported', 'sg-0123456789abcdef0', { mutable: false });
    const db = new ServerlessDatabase(stack, 'Orders', { vpc, securityGroups: [group] });
    db.grantConnect(new SecureFunction(stack, 'Api', { ...HANDLER, vpc }), 'app');
    const warnings = Annotations.fromStack(stack).findWarning('/TestStack/Orders', Match.stringLikeRegexp('cdk-bulwark:database:security-group'));
    expect(warnings.map((w) => w.entry.data)).toEqual([
      expect.stringMatching(/security group TestStack\/Imported was not created in this app.*It must admit port 5432 from TestStack\/Api/),
    ]);
  });

  test('security groups of yours replace the created one', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const group = new ec2.SecurityGroup(stack, 'Group', { vpc });
    const db = new ServerlessDatabase(stack, 'Orders', { vpc, securityGroups: [group] });
    expect(db.connections.securityGroups).toEqual([group]);
    expect(db.node.tryFindChild('SecurityGroup')).toBeUndefined();
  });

  test.each([
    ['a VPC without isolated subnets', (stack: Stack) => ({ vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 }) }), /vpc has no isolated subnets.*give vpcSubnets/],
    ['public subnets', (stack: Stack) => ({ vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 }), vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }),
      /vpcSubnets is .*Public.*a database belongs in private subnets/],
    ['subnets in one AZ', (stack: Stack) => ({
      vpc: new ec2.Vpc(stack, 'Vpc', {
        maxAzs: 1,
        natGateways: 0,
        subnetConfiguration: [{ name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      }),
    }), /in 1 availability zone\(s\); Aurora needs subnets in at least two/],
  ])('%s: refused', (_name, props, message) => {
    const stack = newStack();
    expect(() => new ServerlessDatabase(stack, 'Orders', props(stack))).toThrow(message);
  });
});

describe('ServerlessDatabase grants', () => {
  test('grantConnect: rds-db:connect as that user of this cluster, and the port opened from the function\'s security group only', () => {
    const stack = newStack();
    const db = new ServerlessDatabase(stack, 'Orders');
    const fn = new SecureFunction(stack, 'Api', { ...HANDLER, vpc: db.vpc });
    db.grantConnect(fn, 'orders_app');
    const template = Template.fromStack(stack);
    expect(statementsOf(template, fn.role!)).toContainEqual(expect.objectContaining({
      Action: 'rds-db:connect',
      Resource: {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds-db:eu-west-1:123456789012:dbuser:',
          { 'Fn::GetAtt': [logicalIdOf(db.cluster), 'DBClusterResourceId'] }, '/orders_app']],
      },
    }));
    const dbGroup = stack.resolve(db.connections.securityGroups[0].securityGroupId);
    const fnGroup = stack.resolve(fn.connections.securityGroups[0].securityGroupId);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: dbGroup, SourceSecurityGroupId: fnGroup, FromPort: 5432, ToPort: 5432, IpProtocol: 'tcp' });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { GroupId: fnGroup, DestinationSecurityGroupId: dbGroup, FromPort: 5432, ToPort: 5432 });
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 1);
  });

  test('grantConnect lets a Node.js function verify the database\'s certificate (Lambda\'s CA bundle), unless it chose its own', () => {
    const stack = newStack();
    const db = new ServerlessDatabase(stack, 'Orders');
    const api = new SecureFunction(stack, 'Api', { ...HANDLER, vpc: db.vpc });
    const own = new SecureFunction(stack, 'Own', { ...HANDLER, vpc: db.vpc, environment: { NODE_EXTRA_CA_CERTS: '/opt/my-ca.pem' } });
    const python = new lambda.Function(stack, 'Py', {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: 'index.handler',
      code: INLINE_CODE,
      vpc: db.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    });
    for (const fn of [api, own]) {
      db.grantConnect(fn, 'app');
    }
    db.grantConnect(python, 'app');
    const template = Template.fromStack(stack);
    const variables = (fn: lambda.Function) => resourceOf(template, fn).Properties.Environment?.Variables ?? {};
    // Lambda developer guide, "Building Lambda functions with Node.js": from Node.js 20 the runtime no longer loads Amazon's CAs by default.
    expect(variables(api.lambdaFunction).NODE_EXTRA_CA_CERTS).toBe('/var/runtime/ca-cert.pem');
    expect(variables(own.lambdaFunction).NODE_EXTRA_CA_CERTS).toBe('/opt/my-ca.pem');
    expect(variables(python).NODE_EXTRA_CA_CERTS).toBeUndefined();
  });

  test('grantConnect needs no endpoint: the token is signed in the function (REGULATED, shared network)', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const db = new ServerlessDatabase(stack, 'Orders');
    const fn = new SecureFunction(stack, 'Api', HANDLER);
    db.grantConnect(fn, 'orders_app');
    const template = Template.fromStack(stack);
    const endpoints = Object.values<any>(template.findResources('AWS::EC2::VPCEndpoint')).map((e) => JSON.stringify(e.Properties.ServiceName));
    expect(endpoints.some((e) => /rds/.test(e))).toBe(false);
    expect(stack.node.metadata.concat(fn.node.metadata).map((m) => String(m.data))).not.toContainEqual(expect.stringContaining('no-endpoint'));
  });

  test('grantConnect to a role (no network): only the permission', () => {
    const stack = newStack();
    const db = new ServerlessDatabase(stack, 'Orders');
    const role = new iam.Role(stack, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() });
    db.grantConnect(role, 'analyst');
    const template = Template.fromStack(stack);
    expect(statementsOf(template, role).map((s) => s.Action)).toEqual(['rds-db:connect']);
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });

  test('grantConnect opens the port for a plain Lambda function in the VPC', () => {
    const stack = newStack();
    const db = new ServerlessDatabase(stack, 'Orders');
    const fn = new lambda.Function(stack, 'Plain', {
      runtime: lambda.Runtime.NODEJS_22_X,
      ...HANDLER,
      vpc: db.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    });
    db.grantConnect(fn, 'app');
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 5432,
      SourceSecurityGroupId: stack.resolve(fn.connections.securityGroups[0].securityGroupId),
    });
  });

  test.each([
    ['a SecureFunction outside a VPC', (stack: Stack) => new SecureFunction(stack, 'Api', HANDLER), /function TestStack\/Api is not in a VPC, so it cannot reach the database/],
    ['a Lambda function outside a VPC', (stack: Stack) => new lambda.Function(stack, 'Plain', { runtime: lambda.Runtime.NODEJS_22_X, ...HANDLER }),
      /function TestStack\/Plain is not in a VPC/],
    ['a SecureFunction in another VPC', (stack: Stack) => new SecureFunction(stack, 'Api', { ...HANDLER, vpc: new ec2.Vpc(stack, 'Other', { maxAzs: 2 }) }),
      /is in VPC TestStack\/Other, the database in TestStack\/BulwarkNetwork/],
  ])('grantConnect refuses %s', (_name, make, message) => {
    const stack = newStack();
    const db = new ServerlessDatabase(stack, 'Orders');
    expect(() => db.grantConnect(make(stack), 'app')).toThrow(message);
  });

  test.each(['', '1user', 'user-name', 'App_User', 'x'.repeat(64), undefined as unknown as string])('grantConnect refuses the user %p', (user) => {
    const stack = newStack();
    const db = new ServerlessDatabase(stack, 'Orders');
    const role = new iam.Role(stack, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() });
    expect(() => db.grantConnect(role, user)).toThrow(/grantConnect\(\) dbUser is .*lowercase letters, digits or '_', starting with a letter: PostgreSQL folds/);
  });

  test.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('grantDataApiAccess (%s): the statements on this cluster, its secret and key', (profile) => {
    const stack = newStack({}, profile);
    const db = new ServerlessDatabase(stack, 'Orders', { enableDataApi: true });
    const fn = new SecureFunction(stack, 'Report', HANDLER);
    db.grantDataApiAccess(fn);
    const template = Template.fromStack(stack);
    const statements = statementsOf(template, fn.role!);
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({
        Action: ['rds-data:BatchExecuteStatement', 'rds-data:BeginTransaction', 'rds-data:CommitTransaction',
          'rds-data:ExecuteStatement', 'rds-data:RollbackTransaction'],
        Resource: stack.resolve(db.clusterArn),
      }),
      // Marked as the Data API's own call (with the function's permission), so no Secrets Manager endpoint is added for it.
      expect.objectContaining({ Sid: 'CalledByRdsDataApi', Action: 'secretsmanager:GetSecretValue', Resource: stack.resolve(db.secret.secretArn) }),
    ]));
    const keyStatements = statements.filter((s) => JSON.stringify(s.Condition ?? {}).includes('secretsmanager.eu-west-1.amazonaws.com'));
    expect(keyStatements).toEqual(profile === ComplianceProfile.REGULATED ? [expect.objectContaining({
      Action: 'kms:Decrypt',
      Resource: stack.resolve(stackKeyOf(stack).keyArn),
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com', 'kms:EncryptionContext:SecretARN': stack.resolve(db.secret.secretArn) } },
    })] : []);
    if (profile === ComplianceProfile.REGULATED) {
      // The function in the shared network reaches the Data API through its endpoint; the Data API reaches Secrets Manager itself.
      const services = Object.values<any>(template.findResources('AWS::EC2::VPCEndpoint')).map((e) => JSON.stringify(e.Properties.ServiceName));
      expect(services).toContainEqual(expect.stringContaining('rds-data'));
      expect(services.filter((name) => name.includes('secretsmanager'))).toEqual([]);
    }
  });

  test('with the recommended feature flags (policies minimized), the Data API\'s statement keeps its mark: no Secrets Manager endpoint', () => {
    const stack = newStack(FLAG_SETS['recommended feature flags'], ComplianceProfile.REGULATED);
    const db = new ServerlessDatabase(stack, 'Orders', { enableDataApi: true });
    const fn = new SecureFunction(stack, 'Report', HANDLER);
    db.grantDataApiAccess(fn);
    // Another grant on a secret of the same kind: the function's own call, which does get its endpoint.
    const own = new SecureFunction(stack, 'Reader', HANDLER);
    db.secret.grantRead(own);
    const template = Template.fromStack(stack);
    expect(statementsOf(template, fn.role!)).toContainEqual(expect.objectContaining({ Sid: 'CalledByRdsDataApi' }));
    const services = Object.values<any>(template.findResources('AWS::EC2::VPCEndpoint')).map((e) => JSON.stringify(e.Properties.ServiceName));
    expect(services.filter((name) => name.includes('secretsmanager'))).toHaveLength(1);
  });

  test('grantDataApiAccess without the Data API is refused', () => {
    const stack = newStack();
    const db = new ServerlessDatabase(stack, 'Orders');
    expect(() => db.grantDataApiAccess(new SecureFunction(stack, 'Report', HANDLER))).toThrow(/grantDataApiAccess\(\) needs the Data API; set enableDataApi: true/);
  });

  test.each(['grantConnect', 'grantDataApiAccess'] as const)('%s refuses what is not a grantee', (method) => {
    const stack = newStack();
    const db = new ServerlessDatabase(stack, 'Orders', { enableDataApi: true });
    expect(() => (db[method] as any)({ roleArn: 'x' }, 'app')).toThrow(new RegExp(`${method}\\(\\)`));
  });
});

describe('ServerlessDatabase invalid props', () => {
  const tokenNumber = (stack: Stack) => new CfnParameter(stack, 'P', { type: 'Number' }).valueAsNumber;
  test.each<[string, (stack: Stack) => ServerlessDatabaseProps, RegExp]>([
    ['unknown prop', () => ({ maxCapacty: 4 } as any), /maxCapacty.*maxCapacity/],
    ['capacity step', () => ({ maxCapacity: 4.2 }), /maxCapacity is 4.2; it must be from 1 to 256 ACUs in steps of 0.5/],
    ['capacity over 256', () => ({ maxCapacity: 257 }), /maxCapacity is 257; it must be from 1 to 256/],
    ['max below 1', () => ({ maxCapacity: 0.5 }), /maxCapacity is 0.5; it must be from 1 to 256/],
    ['negative min', () => ({ minCapacity: -0.5 }), /minCapacity is -0.5; it must be from 0 to 256/],
    ['min above max', () => ({ minCapacity: 8, maxCapacity: 4 }), /minCapacity is 8; it is above maxCapacity \(4\)/],
    ['min above the default max', () => ({ minCapacity: 4 }), /minCapacity is 4; it is above maxCapacity \(2\)/],
    ['NaN capacity', () => ({ maxCapacity: NaN }), /maxCapacity is NaN/],
    ['auto-pause without min 0', () => ({ minCapacity: 1, autoPauseAfter: Duration.minutes(10) }), /autoPauseAfter is 10 minutes; only a database with minCapacity 0 pauses/],
    ['auto-pause too short', () => ({ autoPauseAfter: Duration.minutes(4) }), /autoPauseAfter is 4 minutes; it must be a whole number of seconds from 5 minutes to 1 day/],
    ['auto-pause too long', () => ({ autoPauseAfter: Duration.hours(25) }), /autoPauseAfter is 1 day 1 hour; it must be a whole number of seconds from 5 minutes to 1 day/],
    ['scale to zero on an old version', () => ({ engineVersion: rds.AuroraPostgresEngineVersion.VER_15_4 }),
      /minCapacity is 0; Aurora PostgreSQL 15.4 cannot scale to zero \(it needs 13.15, 14.12, 15.7, 16.3 or later/],
    ['Data API on an old version', () => ({ engineVersion: rds.AuroraPostgresEngineVersion.VER_15_2, minCapacity: 0.5, enableDataApi: true }),
      /enableDataApi is true; Aurora PostgreSQL 15.2 has no Data API/],
    ['readers', () => ({ readers: 16 }), /readers is 16; it must be an integer from 0 to 15/],
    ['database name', () => ({ defaultDatabaseName: 'my-db' }), /defaultDatabaseName is 'my-db'; it must be 1 to 63 letters/],
    ['user name', () => ({ masterUsername: '1admin' }), /masterUsername is '1admin'/],
    ['reserved user name', () => ({ masterUsername: 'rdsadmin' }), /masterUsername is 'rdsadmin'; names starting with 'rds' are reserved/],
    ['reserved word', () => ({ masterUsername: 'User' }), /masterUsername is 'User'; it is a reserved word of PostgreSQL/],
    ['backup retention', () => ({ backupRetention: Duration.days(36) }), /backupRetention is 36 days; it must be a whole number of seconds from 1 day to 35 days/],
    ['backup retention in hours', () => ({ backupRetention: Duration.hours(36) }), /backupRetention is 1 day 12 hours; Aurora keeps backups for whole days/],
    ['monitoring interval', () => ({ monitoringInterval: Duration.seconds(20) }), /monitoringInterval is 20 seconds; it must be 1, 5, 10, 15, 30, 60 seconds, or 0/],
    ['log retention', () => ({ logRetention: logs.RetentionDays.INFINITE }), /logRetention is INFINITE/],
    ['DESTROY with deletion protection', () => ({ removalPolicy: RemovalPolicy.DESTROY }), /removalPolicy is 'destroy'; deleting the cluster .* needs deletionProtection: false/],
    ['removal policy', () => ({ removalPolicy: 'gone' as any }), /removalPolicy is 'gone'; it must be RemovalPolicy.SNAPSHOT, RETAIN/],
    ['engine', () => ({ engineVersion: '17.5' as any }), /engineVersion is '17.5'; it must be an rds.AuroraPostgresEngineVersion/],
    ['vpc', () => ({ vpc: 'vpc-123' as any }), /vpc is 'vpc-123'; it must be a VPC/],
    ['subnets without a vpc', () => ({ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }), /vpcSubnets is .*; it selects subnets of vpc, which is not given/],
    ['no security groups', () => ({ securityGroups: [] }), /securityGroups is \[\]; it must be a non-empty list/],
    ['key alias', (stack) => ({ key: kms.Alias.fromAliasName(stack, 'Alias', 'alias/orders') as any }), /key is 'TestStack\/Alias'; it is an alias/],
    ['key of another region', (stack) => ({ key: kms.Key.fromKeyArn(stack, 'Far', 'arn:aws:kms:us-east-1:123456789012:key/abc') }),
      /key is 'TestStack\/Far'; it is in us-east-1, but this stack deploys to eu-west-1: Aurora encrypts only with a key of its own region/],
    ['boolean', () => ({ enableDataApi: 'yes' as any }), /enableDataApi is 'yes'; it must be true or false/],
    ['alarm', () => ({ alarms: { cpuUtilization: { threshold: 100 } } }), /alarms.cpuUtilization/],
    ['unknown alarm', () => ({ alarms: { cpu: {} } as any }), /'cpu' is not an alarm of ServerlessDatabaseAlarmsProps/],
  ])('%s', (_name, props, message) => {
    const stack = newStack();
    const error = thrownBy(() => new ServerlessDatabase(stack, 'Orders', props(stack)));
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('BulwarkError');
    expect((error as Error).message).toMatch(/^ServerlessDatabase 'TestStack\/Orders': /);
    expect((error as Error).message).toMatch(message);
  });

  test('capacities from parameters pass, with the thresholds that follow them given', () => {
    const stack = newStack();
    const db = new ServerlessDatabase(stack, 'Orders', {
      minCapacity: 0.5,
      maxCapacity: tokenNumber(stack),
      alarms: { databaseConnections: { threshold: 500 }, freeableMemory: { enabled: false } },
    });
    expect(alarmProps(Template.fromStack(stack), db, 'DatabaseConnectionsAlarm').Threshold).toBe(500);
    expect(db.alarms.map((a) => a.node.id)).not.toContain('FreeableMemoryAlarm');
    const other = newStack();
    expect(() => new ServerlessDatabase(other, 'Orders', { maxCapacity: tokenNumber(other) }))
      .toThrow(/alarms.databaseConnections is undefined; minCapacity or maxCapacity is a token, so its default threshold .* cannot be computed/);
  });

  test('a minimum from a parameter takes autoPauseAfter as given; a monitoring interval from a parameter turns monitoring on', () => {
    const stack = newStack();
    const db = new ServerlessDatabase(stack, 'Orders', {
      minCapacity: tokenNumber(stack),
      autoPauseAfter: Duration.minutes(30),
      monitoringInterval: Duration.seconds(new CfnParameter(stack, 'Interval', { type: 'Number' }).valueAsNumber),
      alarms: { databaseConnections: { threshold: 100 }, freeableMemory: { enabled: false } },
    });
    const template = Template.fromStack(stack);
    expect(resourceOf(template, db.cluster).Properties.ServerlessV2ScalingConfiguration).toMatchObject({ SecondsUntilAutoPause: 1800 });
    expect(resourceOf(template, writerOf(db)).Properties.MonitoringInterval).toEqual({ Ref: 'Interval' });
    expect(db.monitoringRole).toBeDefined();
  });

  test('a version without scale to zero works with a minimum of 0.5', () => {
    const stack = newStack();
    const db = new ServerlessDatabase(stack, 'Orders', { engineVersion: rds.AuroraPostgresEngineVersion.VER_15_4, minCapacity: 0.5 });
    expect(resourceOf(Template.fromStack(stack), db.cluster).Properties.EngineVersion).toBe('15.4');
  });

  test('later majors are supported: 18.3 scales to zero with the Data API', () => {
    const stack = newStack();
    expect(() => new ServerlessDatabase(stack, 'Orders', { engineVersion: rds.AuroraPostgresEngineVersion.VER_18_3, enableDataApi: true })).not.toThrow();
  });
});


