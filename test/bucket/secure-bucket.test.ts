import { CfnParameter, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  BucketEventType, ComplianceProfile, EventHub, HubTarget, QueueWorker, SecureBucket, SecureFunction,
} from '../../src';
import { INLINE_CODE, newStack, thrownBy } from '../support/app';
import { expectProperties, logicalIdOf, resourceOf, stackKeyOf, statementsOf } from '../support/template';

function worker(stack: Stack, id = 'Transform'): QueueWorker {
  return new QueueWorker(stack, id, { handlerProps: { code: INLINE_CODE, handler: 'index.handler' } });
}

describe.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('SecureBucket defaults (%s)', (profile) => {
  const regulated = profile === ComplianceProfile.REGULATED;
  const stack = newStack({}, profile);
  const uploads = new SecureBucket(stack, 'Uploads');
  const template = Template.fromStack(stack);

  test('no public access, ACLs off, versioned, retained; the stack key with a Bucket Key in REGULATED, SSE-S3 otherwise', () => {
    expectProperties(template, uploads.bucket, {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [regulated
          ? { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: stack.resolve(stackKeyOf(stack).keyArn) }, BucketKeyEnabled: true }
          : { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      AccessControl: Match.absent(),
      NotificationConfiguration: Match.absent(),
      CorsConfiguration: Match.absent(),
      ReplicationConfiguration: Match.absent(),
    });
    const resource = resourceOf(template, uploads.bucket);
    expect([resource.DeletionPolicy, resource.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
    expect(uploads.key === undefined).toBe(!regulated);
  });

  test('noncurrent versions expire after 90 days and unfinished uploads after 7', () => {
    expect(resourceOf(template, uploads.bucket).Properties.LifecycleConfiguration.Rules).toEqual([{
      Id: 'NoncurrentVersionsAndIncompleteUploads',
      Status: 'Enabled',
      NoncurrentVersionExpiration: { NoncurrentDays: 90 },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
    }]);
  });

  test('TLS 1.2 and up only: the bucket policy denies other requests', () => {
    const statements = template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: stack.resolve(uploads.bucket.bucketName) } });
    const document = Object.values(statements)[0].Properties.PolicyDocument.Statement;
    expect(document).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
    ]));
  });

  test('server access logs go to a created SSE-S3 log bucket, which S3 may write to from this bucket only, under the prefix', () => {
    const prefix = resourceOf(template, uploads.bucket).Properties.LoggingConfiguration.LogFilePrefix;
    expect(prefix).toMatch(/^TestStack-Uploads-[A-Za-z0-9]+\/$/);
    expectProperties(template, uploads.bucket, {
      LoggingConfiguration: { DestinationBucketName: stack.resolve(uploads.serverAccessLogsBucket.bucketName), LogFilePrefix: prefix },
    });
    expectProperties(template, uploads.serverAccessLogsBucket, {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      AccessControl: Match.absent(),
      LoggingConfiguration: Match.absent(),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: stack.resolve(uploads.serverAccessLogsBucket.bucketName),
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: Match.stringLikeRegexp('^S3ServerAccessLogs'),
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: stack.resolve(uploads.serverAccessLogsBucket.arnForObjects(`${prefix}*`)),
          Condition: { ArnLike: { 'aws:SourceArn': stack.resolve(uploads.bucket.bucketArn) }, StringEquals: { 'aws:SourceAccount': '123456789012' } },
        }]),
      },
    });
  });

  test('no event routes, no alarms; a dashboard section with the storage metrics', () => {
    expect(uploads.alarms).toEqual([]);
    expect(uploads.eventRoutes).toEqual([]);
    expect(uploads.eventsDeadLetterQueue).toBeUndefined();
    const body = JSON.stringify(stack.resolve(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody));
    expect(body).toContain('BucketSizeBytes');
    expect(body).toContain('NumberOfObjects');
  });
});

describe('SecureBucket server access logs', () => {
  test('a given log bucket is used, with its own prefix; no log bucket is created', () => {
    const stack = newStack();
    const logs = new s3.Bucket(stack, 'Logs', { encryption: s3.BucketEncryption.S3_MANAGED });
    const uploads = new SecureBucket(stack, 'Uploads', { serverAccessLogsBucket: logs, serverAccessLogsPrefix: 'uploads/' });
    const template = Template.fromStack(stack);
    expect(uploads.serverAccessLogsBucket).toBe(logs);
    expect(uploads.node.tryFindChild('AccessLogs')).toBeUndefined();
    template.resourceCountIs('AWS::S3::Bucket', 2);
    expectProperties(template, uploads.bucket, { LoggingConfiguration: { DestinationBucketName: stack.resolve(logs.bucketName), LogFilePrefix: 'uploads/' } });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: stack.resolve(logs.bucketName),
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Resource: stack.resolve(logs.arnForObjects('uploads/*')) })]) },
    });
  });

  test('an imported log bucket warns that its policy must allow the delivery', () => {
    const stack = newStack();
    new SecureBucket(stack, 'Uploads', { serverAccessLogsBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'my-logs') });
    const warnings = Annotations.fromStack(stack).findWarning('/TestStack/Uploads', Match.anyValue()).map((w) => String(w.entry.data));
    expect(warnings.filter((w) => w.includes('cdk-bulwark:bucket:log-delivery-policy') && w.includes('logging.s3.amazonaws.com'))).toHaveLength(1);
  });
});

describe('SecureBucket options', () => {
  test('a given key: SSE-KMS with a Bucket Key, in STANDARD too', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    const uploads = new SecureBucket(stack, 'Uploads', { key });
    expect(uploads.key).toBe(key);
    expectProperties(Template.fromStack(stack), uploads.bucket, {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: stack.resolve(key.keyArn) }, BucketKeyEnabled: true }] },
    });
  });

  test('lifecycle, versioning off, removal and CORS as given', () => {
    const stack = newStack();
    const reports = new SecureBucket(stack, 'Reports', {
      bucketName: 'reports.example-1',
      noncurrentVersionExpiration: Duration.days(30),
      abortIncompleteMultipartUploadAfter: Duration.days(1),
      lifecycleRules: [{ id: 'Expire', expiration: Duration.days(400) }],
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
      cors: { allowedOrigins: ['https://app.example.com'] },
    });
    const template = Template.fromStack(stack);
    const properties = resourceOf(template, reports.bucket).Properties;
    expect(properties.BucketName).toBe('reports.example-1');
    expect(properties.LifecycleConfiguration.Rules).toEqual([
      { Id: 'NoncurrentVersionsAndIncompleteUploads', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 30 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
      { Id: 'Expire', Status: 'Enabled', ExpirationInDays: 400 },
    ]);
    expect(properties.CorsConfiguration.CorsRules).toEqual([{
      AllowedOrigins: ['https://app.example.com'], AllowedMethods: ['PUT', 'POST', 'GET', 'HEAD'], AllowedHeaders: ['*'], ExposedHeaders: ['ETag'], MaxAge: 3600,
    }]);
    expect(resourceOf(template, reports.bucket).DeletionPolicy).toBe('RetainExceptOnCreate');

    const stack2 = newStack();
    const scratch = new SecureBucket(stack2, 'Scratch', { versioned: false, removalPolicy: RemovalPolicy.DESTROY, cors: { allowedOrigins: ['*'] } });
    const template2 = Template.fromStack(stack2);
    expect(resourceOf(template2, scratch.bucket).Properties.VersioningConfiguration).toBeUndefined();
    expect(resourceOf(template2, scratch.bucket).Properties.LifecycleConfiguration.Rules).toEqual([
      { Id: 'NoncurrentVersionsAndIncompleteUploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
    ]);
    expect(resourceOf(template2, scratch.bucket).DeletionPolicy).toBe('Delete');
    const warnings = Annotations.fromStack(stack2).findWarning('/TestStack/Scratch', Match.anyValue()).map((w) => String(w.entry.data));
    expect(warnings.some((w) => w.includes('cdk-bulwark:bucket:removal-destroy'))).toBe(true);
    expect(warnings.some((w) => w.includes('cdk-bulwark:bucket:cors-any-origin'))).toBe(true);
  });

  test('eventBridgeEnabled turns on S3\'s EventBridge delivery natively: no notifications custom resource', () => {
    const stack = newStack();
    const uploads = new SecureBucket(stack, 'Uploads', { eventBridgeEnabled: true });
    const template = Template.fromStack(stack);
    expectProperties(template, uploads.bucket, { NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } } });
    template.resourceCountIs('Custom::S3BucketNotifications', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });

  test('two buckets in one stack have their own log buckets, prefixes and policies', () => {
    const stack = newStack();
    const a = new SecureBucket(stack, 'A');
    const b = new SecureBucket(stack, 'B');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 4);
    expect(logicalIdOf(a.serverAccessLogsBucket)).not.toBe(logicalIdOf(b.serverAccessLogsBucket));
    expect(resourceOf(template, a.bucket).Properties.LoggingConfiguration.LogFilePrefix)
      .not.toBe(resourceOf(template, b.bucket).Properties.LoggingConfiguration.LogFilePrefix);
  });
});

describe('SecureBucket event routes', () => {
  test('upload to a queue worker: a default-bus rule for this bucket\'s Object Created events, retries, a dead-letter queue, the queue policy for this rule', () => {
    const stack = newStack();
    const uploads = new SecureBucket(stack, 'Uploads');
    const transform = worker(stack);
    const route = uploads.addEventRoute('ToTransform', { targets: [HubTarget.queue(transform.queue)] });
    const template = Template.fromStack(stack);
    expectProperties(template, uploads.bucket, { NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } } });
    expectProperties(template, route.rule, {
      EventBusName: 'default',
      EventPattern: { 'source': ['aws.s3'], 'detail-type': ['Object Created'], 'detail': { bucket: { name: [stack.resolve(uploads.bucketName)] } } },
      Targets: [Match.objectLike({
        Arn: stack.resolve(transform.queue.queueArn),
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
        DeadLetterConfig: { Arn: stack.resolve(uploads.eventsDeadLetterQueue!.queueArn) },
      })],
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [stack.resolve(transform.queue.queueUrl)],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Condition: { ArnEquals: { 'aws:SourceArn': stack.resolve(route.rule.ruleArn) } },
        })]),
      },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [stack.resolve(uploads.eventsDeadLetterQueue!.queueUrl)],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Condition: { ArnLike: { 'aws:SourceArn': stack.resolve(route.rule.ruleArn) } },
        })]),
      },
    });
    expect(uploads.alarms.map((a) => a.node.id)).toEqual(['FailedInvocationsAlarm', 'InvocationsSentToDlqAlarm', 'InvocationsFailedToBeSentToDlqAlarm', 'DeadLetterQueueAlarm']);
    expect(route.alarms).toHaveLength(3);
    const failed = resourceOf(template, uploads.alarms[0]).Properties;
    expect(failed).toMatchObject({ MetricName: 'FailedInvocations', Namespace: 'AWS/Events', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    expect(failed.Dimensions).toEqual([{ Name: 'RuleName', Value: stack.resolve(route.rule.ruleName) }]);
    expect(failed.AlarmDescription).toContain('then send each dead-letter message body (the event) straight to the target (aws sqs send-message');
    template.resourceCountIs('Custom::S3BucketNotifications', 0);
  });

  test('key filters, event types and a forward to an EventHub whose route matches the same events', () => {
    const stack = newStack();
    const reports = new SecureBucket(stack, 'Reports');
    const hub = new EventHub(stack, 'Hub');
    const both = reports.addEventRoute('Csv', {
      targets: [HubTarget.eventBus(hub.eventBus)],
      keyPrefix: 'in*/',
      keySuffix: '.csv',
      events: [BucketEventType.OBJECT_CREATED, BucketEventType.OBJECT_DELETED],
    });
    const prefix = reports.addEventRoute('Prefix', { targets: [HubTarget.eventBus(hub.eventBus)], keyPrefix: 'incoming/' });
    const suffix = reports.addEventRoute('Suffix', { targets: [HubTarget.eventBus(hub.eventBus)], keySuffix: '.json' });
    const template = Template.fromStack(stack);
    expect(resourceOf(template, both.rule).Properties.EventPattern).toEqual({
      'source': ['aws.s3'],
      'detail-type': ['Object Created', 'Object Deleted'],
      'detail': { bucket: { name: [stack.resolve(reports.bucketName)] }, object: { key: [{ wildcard: 'in\\*/*.csv' }] } },
    });
    expect(resourceOf(template, prefix.rule).Properties.EventPattern.detail.object).toEqual({ key: [{ prefix: 'incoming/' }] });
    expect(resourceOf(template, suffix.rule).Properties.EventPattern.detail.object).toEqual({ key: [{ suffix: '.json' }] });
    expect(both.role).toBeDefined();
    expect(stack.resolve(reports.eventPattern({ keyPrefix: 'incoming/' }))).toEqual({
      source: ['aws.s3'], detailType: ['Object Created'], detail: { bucket: { name: [stack.resolve(reports.bucketName)] }, object: { key: [{ prefix: 'incoming/' }] } },
    });
    expect(reports.eventRoutes).toEqual([both, prefix, suffix]);
    // One dead-letter queue for every route, alarmed once.
    expect(reports.alarms.filter((a) => a.node.id === 'DeadLetterQueueAlarm')).toHaveLength(1);
  });

  test('a retry policy on a route with a bus and a queue warns that it applies only to the queue, as an EventHub route does', () => {
    const stack = newStack();
    const reports = new SecureBucket(stack, 'Reports');
    const hub = new EventHub(stack, 'Hub');
    const route = reports.addEventRoute('Mixed', { targets: [HubTarget.eventBus(hub.eventBus), HubTarget.queue(new sqs.Queue(stack, 'Q'))], retryAttempts: 3 });
    const warnings = Annotations.fromStack(stack).findWarning('/TestStack/Reports', Match.stringLikeRegexp('cdk-bulwark:event-hub:bus-target-retry'));
    expect(warnings.map((w) => w.entry.data)).toEqual([expect.stringContaining('Route \'Mixed\' sets retryAttempts or maxEventAge')]);
    const targets = resourceOf(Template.fromStack(stack), route.rule).Properties.Targets;
    // The bus target takes no retry policy; the queue has it.
    expect(targets.map((t: any) => t.RetryPolicy?.MaximumRetryAttempts)).toEqual([undefined, 3]);
  });

  test('a route\'s own dead-letter queue is used; alarm options apply to every route', () => {
    const stack = newStack();
    const uploads = new SecureBucket(stack, 'Uploads', { alarms: { invocationsSentToDlq: { enabled: false }, failedInvocations: { threshold: 3 } } });
    const dlq = new sqs.Queue(stack, 'MyDlq', { encryption: sqs.QueueEncryption.SQS_MANAGED });
    const route = uploads.addEventRoute('ToWorker', { targets: [HubTarget.queue(worker(stack).queue)], deadLetterQueue: dlq, retryAttempts: 3, maxEventAge: Duration.hours(1) });
    const template = Template.fromStack(stack);
    expect(route.deadLetterQueue).toBe(dlq);
    expect(uploads.eventsDeadLetterQueue).toBeUndefined();
    expect(resourceOf(template, route.rule).Properties.Targets[0].RetryPolicy).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 });
    expect(uploads.alarms.map((a) => a.node.id)).toEqual(['FailedInvocationsAlarm', 'InvocationsFailedToBeSentToDlqAlarm', 'DeadLetterQueueAlarm']);
    expect(resourceOf(template, uploads.alarms[0]).Properties.Threshold).toBe(3);
  });
});

describe('SecureBucket grants', () => {
  test('read: exact actions on the objects and the bucket, in a policy of their own, whose object wildcard alone is acknowledged', () => {
    const stack = newStack();
    const uploads = new SecureBucket(stack, 'Uploads');
    const fn = new SecureFunction(stack, 'Reader', { code: INLINE_CODE, handler: 'index.handler' });
    const grant = uploads.grantRead(fn.lambdaFunction, 'incoming/*');
    expect(grant.success).toBe(true);
    const own = new iam.Policy(stack, 'Own', { roles: [fn.role], statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [uploads.bucket.arnForObjects('incoming/*')] })] });
    const template = Template.fromStack(stack);
    const policy = uploads.node.findChild('Grants').node.children[0];
    expect(JSON.parse(JSON.stringify(resourceOf(template, policy).Properties))).toEqual({
      PolicyName: expect.any(String),
      Roles: [stack.resolve(fn.role.roleName)],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging', 's3:GetObjectVersionTagging', 's3:GetObjectAttributes',
              's3:GetObjectVersionAttributes'],
            Resource: stack.resolve(uploads.bucket.arnForObjects('incoming/*')),
          },
          // Listing only under the prefix.
          {
            Effect: 'Allow',
            Action: ['s3:ListBucket', 's3:ListBucketVersions'],
            Resource: stack.resolve(uploads.bucketArn),
            Condition: { StringLike: { 's3:prefix': ['incoming/*'] } },
          },
          { Effect: 'Allow', Action: 's3:GetBucketLocation', Resource: stack.resolve(uploads.bucketArn) },
        ],
        Version: '2012-10-17',
      },
    });
    // The object wildcard is acknowledged on this policy; the same wildcard in a policy of yours stays visible.
    const violations = new AwsSolutionsChecks(stack.node.root as any).validateScope(stack).violations;
    const iam5 = violations.filter((v) => v.ruleName.startsWith('AwsSolutions-IAM5')).flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`));
    expect(iam5.filter((line) => line.includes(logicalIdOf(uploads.bucket)))).toEqual([
      `AwsSolutions-IAM5[Resource::<${logicalIdOf(uploads.bucket)}.Arn>/incoming/*] @ ${own.node.path}/Resource`,
    ]);
  });

  test('put, write and read-write name exact actions, in one policy per role; a customer-managed key only through S3 and for this bucket', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const uploads = new SecureBucket(stack, 'Uploads');
    const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    uploads.grantPut(writer);
    uploads.grantWrite(writer);
    uploads.grantReadWrite(writer);
    const template = Template.fromStack(stack);
    // One managed policy (REGULATED) for the role, however many grants: IAM attaches at most 10 managed policies to a role.
    expect(uploads.node.findChild('Grants').node.children).toHaveLength(1);
    expect(resourceOf(template, uploads.node.findChild('Grants').node.children[0]).Type).toBe('AWS::IAM::ManagedPolicy');
    const statements = statementsOf(template, writer);
    const actions = statements.filter((s) => JSON.stringify(s.Resource) === JSON.stringify(stack.resolve(uploads.bucket.arnForObjects('*')))).map((s) => s.Action);
    const put = ['s3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];
    expect(actions).toEqual([put, [...put, 's3:DeleteObject'], [
      's3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging', 's3:GetObjectVersionTagging', 's3:GetObjectAttributes', 's3:GetObjectVersionAttributes',
      ...put, 's3:DeleteObject',
    ]]);
    const list = statements.find((s) => JSON.stringify(s.Action).includes('s3:ListBucket'))!;
    expect(list.Condition).toBeUndefined();
    const keyStatements = statements.filter((s) => JSON.stringify(s.Resource) === JSON.stringify(stack.resolve(stackKeyOf(stack).keyArn)));
    // The same key statement for each grant, merged into one.
    expect(keyStatements).toHaveLength(1);
    for (const statement of keyStatements) {
      expect(statement.Action).toEqual(['kms:GenerateDataKey', 'kms:Decrypt']);
      expect(statement.Condition).toEqual({ StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'kms:EncryptionContext:aws:s3:arn': stack.resolve(uploads.bucketArn) } });
    }
  });

  test('a role of another account: the S3 statements in the bucket policy, the key statement in the key policy', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const uploads = new SecureBucket(stack, 'Uploads');
    const partner = iam.Role.fromRoleArn(stack, 'Partner', 'arn:aws:iam::210987654321:role/etl');
    expect(uploads.grantRead(partner, 'shared/*').success).toBe(true);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: stack.resolve(uploads.bucketName),
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { AWS: 'arn:aws:iam::210987654321:role/etl' }, Resource: stack.resolve(uploads.bucket.arnForObjects('shared/*')),
        })]),
      },
    });
    const keyPolicy = resourceOf(template, stackKeyOf(stack)).Properties.KeyPolicy.Statement;
    expect(keyPolicy).toEqual(expect.arrayContaining([expect.objectContaining({
      Principal: { AWS: 'arn:aws:iam::210987654321:role/etl' },
      Action: 'kms:Decrypt',
      // The bucket's ARN here would make a cycle (bucket -> key -> bucket); its generated name is unknown at synthesis.
      Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
    })]));
    // No KMS statement in the bucket policy (S3 rejects one).
    const bucketPolicies = JSON.stringify(template.findResources('AWS::S3::BucketPolicy'));
    expect(bucketPolicies).not.toContain('kms:');
  });

  test('an AWS service is refused: a service reads through the bucket policy with its own conditions', () => {
    const stack = newStack();
    const uploads = new SecureBucket(stack, 'Uploads');
    expect((thrownBy(() => uploads.grantRead(new iam.ServicePrincipal('athena.amazonaws.com'))) as Error).message)
      .toMatch(/grantRead\(\).*AWS service.*addToResourcePolicy/);
  });

  test('CDK\'s notifications custom resource on the bucket is refused at synthesis', () => {
    const stack = newStack();
    const uploads = new SecureBucket(stack, 'Uploads');
    uploads.bucket.enableEventBridgeNotification();
    expect(() => Template.fromStack(stack)).toThrow(/notifications custom resource.*addEventRoute/);
  });

  test('a REGULATED reader in the shared network gets the S3 gateway endpoint (free), not an interface endpoint', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const uploads = new SecureBucket(stack, 'Uploads');
    const fn = new SecureFunction(stack, 'Reader', { code: INLINE_CODE, handler: 'index.handler' });
    uploads.grantRead(fn.lambdaFunction);
    const template = Template.fromStack(stack);
    const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map((e: any) => [e.Properties.VpcEndpointType ?? 'Gateway', JSON.stringify(e.Properties.ServiceName)]);
    expect(endpoints.filter(([, name]) => name.includes('.s3'))).toEqual([['Gateway', expect.stringContaining('.s3')]]);
    expect(endpoints.filter(([, name]) => name.includes('.kms'))).toEqual([]);
  });
});

describe('SecureBucket invalid input', () => {
  const cases: Array<[string, (stack: Stack) => void, RegExp]> = [
    ['bucket name too short', (s) => new SecureBucket(s, 'B', { bucketName: 'ab' }), /bucketName.*'ab'.*3 to 63 characters/],
    ['bucket name with capitals', (s) => new SecureBucket(s, 'B', { bucketName: 'My-Bucket' }), /bucketName.*lowercase letters/],
    ['bucket name like an IP address', (s) => new SecureBucket(s, 'B', { bucketName: '192.168.1.1' }), /IP address/],
    ['bucket name with adjacent dots', (s) => new SecureBucket(s, 'B', { bucketName: 'a..b' }), /two adjacent dots/],
    ['reserved suffix', (s) => new SecureBucket(s, 'B', { bucketName: 'data-s3alias' }), /-s3alias/],
    ['noncurrent expiration of 0 days', (s) => new SecureBucket(s, 'B', { noncurrentVersionExpiration: Duration.days(0) }), /noncurrentVersionExpiration/],
    ['noncurrent expiration in hours', (s) => new SecureBucket(s, 'B', { noncurrentVersionExpiration: Duration.hours(36) }), /whole days/],
    ['abort uploads in minutes', (s) => new SecureBucket(s, 'B', { abortIncompleteMultipartUploadAfter: Duration.minutes(5) }), /abortIncompleteMultipartUploadAfter/],
    ['noncurrent expiration without versions', (s) => new SecureBucket(s, 'B', { versioned: false, noncurrentVersionExpiration: Duration.days(3) }), /versioned is false/],
    ['a lifecycle rule with the bucket\'s own rule id', (s) => new SecureBucket(s, 'B', { lifecycleRules: [{ id: 'NoncurrentVersionsAndIncompleteUploads', expiration: Duration.days(9) }] }), /lifecycleRules\[0\].id.*own rule/],
    ['two lifecycle rules with one id', (s) => new SecureBucket(s, 'B', { lifecycleRules: [{ id: 'A', expiration: Duration.days(9) }, { id: 'A', expiration: Duration.days(8) }] }), /lifecycleRules\[1\].id.*earlier rule/],
    ['a lifecycle rule that is null', (s) => new SecureBucket(s, 'B', { lifecycleRules: [null as any] }), /lifecycleRules\[0\].*s3.LifecycleRule/],
    ['a lifecycle expiration in hours', (s) => new SecureBucket(s, 'B', { lifecycleRules: [{ expiration: Duration.hours(30) }] }), /lifecycleRules\[0\].expiration.*whole days/],
    ['a key of another region', (s) => new SecureBucket(s, 'B', { key: kms.Key.fromKeyArn(s, 'K', 'arn:aws:kms:us-east-1:123456789012:key/abc') }), /key.*us-east-1.*own region/],
    ['a log bucket of another account', (s) => new SecureBucket(s, 'B', { serverAccessLogsBucket: s3.Bucket.fromBucketAttributes(s, 'L', { bucketName: 'logs-bucket', account: '210987654321' }) }), /210987654321.*same account/],
    ['a log prefix starting with a slash', (s) => new SecureBucket(s, 'B', { serverAccessLogsPrefix: '/logs/' }), /serverAccessLogsPrefix.*'\/'/],
    ['snapshot removal', (s) => new SecureBucket(s, 'B', { removalPolicy: RemovalPolicy.SNAPSHOT }), /cannot snapshot an S3 bucket/],
    ['unknown removal', (s) => new SecureBucket(s, 'B', { removalPolicy: 'gone' as any }), /RETAIN, RETAIN_ON_UPDATE_OR_DELETE or DESTROY/],
    ['KMS log bucket', (s) => new SecureBucket(s, 'B', { serverAccessLogsBucket: new s3.Bucket(s, 'L', { encryption: s3.BucketEncryption.KMS_MANAGED }) }), /encrypted with KMS.*SSE-S3/],
    ['log bucket in another region', (s) => new SecureBucket(s, 'B', { serverAccessLogsBucket: s3.Bucket.fromBucketAttributes(s, 'L', { bucketName: 'logs-bucket', region: 'us-east-1' }) }), /us-east-1.*same region/],
    ['log bucket that is not a bucket', (s) => new SecureBucket(s, 'B', { serverAccessLogsBucket: {} as any }), /serverAccessLogsBucket.*S3 bucket/],
    ['empty log prefix', (s) => new SecureBucket(s, 'B', { serverAccessLogsPrefix: '' }), /serverAccessLogsPrefix.*non-empty/],
    ['key that is an ARN', (s) => new SecureBucket(s, 'B', { key: 'arn:aws:kms:eu-west-1:123456789012:key/x' as any }), /key.*KMS key/],
    ['CORS without origins', (s) => new SecureBucket(s, 'B', { cors: { allowedOrigins: [] } }), /cors.allowedOrigins.*at least one origin/],
    ['CORS origin with a path', (s) => new SecureBucket(s, 'B', { cors: { allowedOrigins: ['https://app.example.com/upload'] } }), /no path/],
    ['CORS unknown method', (s) => new SecureBucket(s, 'B', { cors: { allowedOrigins: ['https://a.example'], allowedMethods: ['PATCH' as any] } }), /allowedMethods\[0\]/],
    ['unknown prop', (s) => new SecureBucket(s, 'B', { versoned: true } as any), /versoned.*versioned/],
    ['versioned not a boolean', (s) => new SecureBucket(s, 'B', { versioned: 'yes' as any }), /versioned.*true or false/],
  ];
  test.each(cases)('%s', (_name, build, message) => {
    const error = thrownBy(() => build(newStack())) as Error;
    expect(error.message).toMatch(/SecureBucket|TestStack\/B/);
    expect(error.message).toMatch(message);
  });

  const routeCases: Array<[string, (b: SecureBucket, s: Stack) => void, RegExp]> = [
    ['no targets', (b) => b.addEventRoute('R', { targets: [] }), /targets.*1 to 5 targets/],
    ['six targets', (b, s) => b.addEventRoute('R', { targets: Array.from({ length: 6 }, (_, i) => HubTarget.queue(new sqs.Queue(s, `Q${i}`))) }), /6 targets/],
    ['a queue instead of a target', (b, s) => b.addEventRoute('R', { targets: [new sqs.Queue(s, 'Q') as any] }), /targets\[0\]/],
    ['an unknown event type', (b, s) => b.addEventRoute('R', { targets: [HubTarget.queue(new sqs.Queue(s, 'Q'))], events: ['Object Renamed' as any] }), /events\[0\].*BucketEventType/],
    ['an event type twice', (b, s) => b.addEventRoute('R', { targets: [HubTarget.queue(new sqs.Queue(s, 'Q'))], events: [BucketEventType.OBJECT_CREATED, BucketEventType.OBJECT_CREATED] }), /twice/],
    ['no events', (b, s) => b.addEventRoute('R', { targets: [HubTarget.queue(new sqs.Queue(s, 'Q'))], events: [] }), /non-empty list/],
    ['retries out of range', (b, s) => b.addEventRoute('R', { targets: [HubTarget.queue(new sqs.Queue(s, 'Q'))], retryAttempts: 186 }), /retryAttempts.*0 to 185/],
    ['retry policy on bus targets', (b, s) => b.addEventRoute('R', { targets: [HubTarget.eventBus(new events.EventBus(s, 'Bus'))], retryAttempts: 3 }), /do not apply to event bus targets/],
    ['a FIFO dead-letter queue', (b, s) => b.addEventRoute('R', { targets: [HubTarget.queue(new sqs.Queue(s, 'Q'))], deadLetterQueue: new sqs.Queue(s, 'D', { fifo: true }) }), /FIFO/],
    ['an empty key prefix', (b, s) => b.addEventRoute('R', { targets: [HubTarget.queue(new sqs.Queue(s, 'Q'))], keyPrefix: '' }), /keyPrefix/],
    ['an unknown option', (b, s) => b.addEventRoute('R', { targets: [HubTarget.queue(new sqs.Queue(s, 'Q'))], prefix: 'x' } as any), /prefix/],
    ['a duplicate id', (b, s) => { const q = HubTarget.queue(new sqs.Queue(s, 'Q')); b.addEventRoute('R', { targets: [q] }); b.addEventRoute('R', { targets: [q] }); }, /already has an event route/],
    ['an id with a slash', (b, s) => b.addEventRoute('a/b', { targets: [HubTarget.queue(new sqs.Queue(s, 'Q'))] }), /without '\/'/],
    ['grant to something that is not a grantee', (b) => b.grantRead({} as any), /grantRead\(\)/],
    ['a grant pattern with a leading slash', (b, s) => b.grantRead(new iam.Role(s, 'R', { assumedBy: new iam.AccountRootPrincipal() }), '/x/*'), /objectsKeyPattern.*leading/],
    ['pattern options of the wrong kind', (b) => b.eventPattern({ keyPrefx: 'a' } as any), /keyPrefx.*keyPrefix/],
  ];
  test.each(routeCases)('route: %s', (_name, build, message) => {
    const stack = newStack();
    const bucket = new SecureBucket(stack, 'B');
    const error = thrownBy(() => build(bucket, stack)) as Error;
    expect(error.message).toMatch(/TestStack\/B/);
    expect(error.message).toMatch(message);
  });

  test('tokens pass: a name and a prefix from parameters', () => {
    const stack = newStack();
    const name = new CfnParameter(stack, 'Name').valueAsString;
    const bucket = new SecureBucket(stack, 'B', { bucketName: name, serverAccessLogsPrefix: new CfnParameter(stack, 'Prefix').valueAsString });
    expect(resourceOf(Template.fromStack(stack), bucket.bucket).Properties.BucketName).toEqual({ Ref: 'Name' });
  });
});
