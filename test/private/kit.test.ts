import { Stack, Token, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CompliancePolicy, ComplianceProfile, EventHub, QueueWorker, SecureFunction } from '../../src';
import { constructContext } from '../../src/monitoring/construct-context';
import { ConstructContext, PROFILE_TRAITS } from '../../src/private/context';
import { createDeadLetterQueue, DeadLetterWriter } from '../../src/private/dead-letter-queue';
import { LAMBDA_DEFAULTS } from '../../src/private/defaults/lambda';
import { failurePathKey, grantScopedKeyUse, KeyVia, stackKey } from '../../src/private/stack-key';
import { checkEnum, checkRetention } from '../../src/private/validation';
import { ensurePolicy, keyPolicyWarning, warn, WARNINGS } from '../../src/private/warnings';
import { checkRetention as webFirewallCheckRetention } from '../../src/private/web-firewall';
import { INLINE_CODE, newStack, testStack } from '../support/app';
import { expectProperties, failurePathKeyOf, keyStatementFor, logicalIdOf, stackKeyOf } from '../support/template';

/** The rules acknowledged on a queue's L1 resource (and nowhere else on the queue). */
function acknowledgedRules(queue: sqs.Queue): string[] {
  const onResource = (construct: Construct) => construct.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && m.data)
    .flatMap((m) => Object.keys(m.data as Record<string, string>).map((rule) => rule.replace(/^annotation::/i, '')));
  expect(queue.node.findAll().filter((c) => c !== queue.node.defaultChild).flatMap(onResource)).toEqual([]);
  return onResource(queue.node.defaultChild as Construct).sort();
}

describe('createDeadLetterQueue', () => {
  test('without a key: SSE-SQS, 14 days, TLS-only, retained', () => {
    const stack = testStack();
    const queue = createDeadLetterQueue(stack, 'Dlq', { writers: [DeadLetterWriter.QUEUE_REDRIVE] });
    const template = Template.fromStack(stack);
    expectProperties(template, queue, { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600, KmsMasterKeyId: Match.absent() });
    expect(template.toJSON().Resources[logicalIdOf(queue)].DeletionPolicy).toBe('Retain');
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('with a key: encrypted with it, and the key policy admits each service that writes', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key');
    const queue = createDeadLetterQueue(stack, 'Dlq', { writers: [DeadLetterWriter.EVENTBRIDGE, DeadLetterWriter.SNS], key });
    const template = Template.fromStack(stack);
    expectProperties(template, queue, { KmsMasterKeyId: stack.resolve(key.keyArn) });
    keyStatementFor(template, key, 'events.amazonaws.com');
    keyStatementFor(template, key, 'sns.amazonaws.com');
  });

  test('writers that use a role (Lambda, Scheduler, SQS redrive) add nothing to the key policy', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key');
    createDeadLetterQueue(stack, 'Dlq', { writers: [DeadLetterWriter.LAMBDA_ASYNC, DeadLetterWriter.SCHEDULER, DeadLetterWriter.QUEUE_REDRIVE], key });
    const statements: any[] = Template.fromStack(stack).toJSON().Resources[logicalIdOf(key)].Properties.KeyPolicy.Statement;
    expect(statements.filter((s) => s.Principal?.Service)).toEqual([]);
  });

  test('FIFO for a FIFO source', () => {
    const stack = testStack();
    const queue = createDeadLetterQueue(stack, 'Dlq', { writers: [DeadLetterWriter.QUEUE_REDRIVE], fifo: true });
    expect(queue.fifo).toBe(true);
  });

  test.each([
    [[DeadLetterWriter.QUEUE_REDRIVE], ['Serverless-SQSRedrivePolicy']],
    [[DeadLetterWriter.LAMBDA_ASYNC], ['Serverless-SQSRedrivePolicy']],
    [[DeadLetterWriter.SNS], ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy']],
    [[DeadLetterWriter.EVENTBRIDGE, DeadLetterWriter.SCHEDULER], ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy']],
  ])('written by %j: acknowledges exactly %j as false positives', (writers, rules) => {
    const stack = testStack();
    const queue = createDeadLetterQueue(stack, 'Dlq', { writers });
    expect(acknowledgedRules(queue)).toEqual(rules);
  });
});

describe('ensurePolicy: a brought resource gets the statement, or a warning saying what to allow', () => {
  const statement = () => new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('events.amazonaws.com')], actions: ['sqs:SendMessage'], resources: ['*'],
  });

  test('created in this app: the statement is added and nothing is said', () => {
    const stack = testStack();
    const queue = new sqs.Queue(stack, 'Q');
    let warned = false;
    expect(ensurePolicy(queue, statement(), () => { warned = true; }).statementAdded).toBe(true);
    expect(warned).toBe(false);
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'events.amazonaws.com' } })] },
    });
  });

  test('imported: nothing is added and the caller warns', () => {
    const stack = testStack();
    const queue = sqs.Queue.fromQueueArn(stack, 'Q', 'arn:aws:sqs:eu-west-1:123456789012:q');
    const key = kms.Key.fromKeyArn(stack, 'K', 'arn:aws:kms:eu-west-1:123456789012:key/abc');
    let warnings = 0;
    expect(ensurePolicy(queue, statement(), () => warnings++).statementAdded).toBe(false);
    expect(ensurePolicy(key, statement(), () => warnings++).statementAdded).toBe(false);
    expect(warnings).toBe(2);
  });
});

describe('the warnings catalog', () => {
  const all = [...Object.values(WARNINGS).map((w) => w.id), keyPolicyWarning('SNS').id];

  test('the ids users acknowledge never change (a new warning adds an id; none is renamed)', () => {
    expect(Object.values(WARNINGS).map((w) => w.id).sort()).toEqual([
      'cdk-bulwark:api:anonymous-route', 'cdk-bulwark:api:colon-path-segment', 'cdk-bulwark:api:no-firewall',
      'cdk-bulwark:api:sets-account-cloudwatch-role', 'cdk-bulwark:api:throttle-rejects-all',
      'cdk-bulwark:bucket:cors-any-origin', 'cdk-bulwark:bucket:grantee-key', 'cdk-bulwark:bucket:log-delivery-policy', 'cdk-bulwark:bucket:removal-destroy',
      'cdk-bulwark:container-service:access-logs-bucket', 'cdk-bulwark:container-service:cluster-settings', 'cdk-bulwark:container-service:http-only',
      'cdk-bulwark:container-service:mutable-image', 'cdk-bulwark:container-service:no-firewall', 'cdk-bulwark:container-service:registry-unverified',
      'cdk-bulwark:container-service:secret-in-environment', 'cdk-bulwark:database:security-group', 'cdk-bulwark:event-hub:bus-dead-letter-queue', 'cdk-bulwark:event-hub:bus-target-retry',
      'cdk-bulwark:event-hub:dead-letter-queue-key',
      'cdk-bulwark:event-hub:dead-letter-queue-policy', 'cdk-bulwark:event-hub:fifo-deduplication', 'cdk-bulwark:event-hub:key-policy',
      'cdk-bulwark:event-hub:target-policy', 'cdk-bulwark:function:no-endpoint', 'cdk-bulwark:function:reserved-concurrency',
      'cdk-bulwark:function:vpc-endpoints', 'cdk-bulwark:graphql-api:api-key', 'cdk-bulwark:graphql-api:cache-lambda-identity',
      'cdk-bulwark:graphql-api:no-firewall', 'cdk-bulwark:http-api:anonymous-route',
      'cdk-bulwark:http-api:authorized-preflight', 'cdk-bulwark:http-api:colon-path-segment', 'cdk-bulwark:http-api:throttle-rejects-all',
      'cdk-bulwark:monitoring:no-subscribers', 'cdk-bulwark:queue-worker:low-max-receive-count',
      'cdk-bulwark:queue-worker:sender-key-policy', 'cdk-bulwark:queue-worker:unknown-dead-letter-queue',
      'cdk-bulwark:topic:external-dead-letter-queue', 'cdk-bulwark:topic:external-queue', 'cdk-bulwark:topic:no-subscriptions',
      'cdk-bulwark:topic:publisher-key-policy', 'cdk-bulwark:topic:subscriber-key-policy', 'cdk-bulwark:user-directory:no-domain',
      'cdk-bulwark:websocket-api:anonymous-connect', 'cdk-bulwark:websocket-api:throttle-rejects-all', 'cdk-bulwark:workflow:log-group-name',
    ]);
    expect(['CloudWatchAlarms', 'CloudWatchLogs', 'SNS', 'EventBridge'].map((user) => keyPolicyWarning(user).id))
      .toEqual(['cdk-bulwark:key-policy:CloudWatchAlarms', 'cdk-bulwark:key-policy:CloudWatchLogs', 'cdk-bulwark:key-policy:SNS',
        'cdk-bulwark:key-policy:EventBridge']);
  });

  test('every id is a cdk-bulwark id and appears once', () => {
    expect(all.every((id) => /^cdk-bulwark:[a-z-]+:[A-Za-z-]+$/.test(id))).toBe(true);
    expect(new Set(all).size).toBe(all.length);
  });

  test('warn() adds an acknowledgeable warning with the id and the text', () => {
    const stack = testStack();
    new sqs.Queue(stack, 'Q');
    warn(stack, WARNINGS.hubDeadLetterQueuePolicy, 'TestStack/Q');
    Annotations.fromStack(stack).hasWarning('/TestStack', Match.stringLikeRegexp(
      'The dead-letter queue TestStack/Q was not created in this app.*Acknowledge this warning once that is done.*cdk-bulwark:event-hub:dead-letter-queue-policy'));
  });
});

describe('the resolved construct context', () => {
  test.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('%s: traits come from the one table', (profile) => {
    const stack = newStack({}, profile);
    const context = constructContext(new Construct(stack, 'C'), {});
    expect(context.profile).toBe(profile);
    expect(context.traits).toBe(PROFILE_TRAITS[profile]);
  });

  test('REGULATED fixes what STANDARD leaves to the user', () => {
    expect(PROFILE_TRAITS[ComplianceProfile.STANDARD]).toEqual({
      customerManagedKeys: false, vpcFunctions: false, reservedConcurrency: undefined, managedPolicies: false, threatProtection: false,
    });
    expect(PROFILE_TRAITS[ComplianceProfile.REGULATED]).toEqual({
      customerManagedKeys: true,
      vpcFunctions: true,
      reservedConcurrency: LAMBDA_DEFAULTS.regulatedReservedConcurrency,
      managedPolicies: true,
      threatProtection: true,
    });
  });

  test('nothing is created until asked for: no key, no Monitoring', () => {
    const stack = testStack();
    CompliancePolicy.setDefaultProfile(stack, ComplianceProfile.REGULATED);
    const context = constructContext(new Construct(stack, 'C'), {});
    expect(stack.node.tryFindChild('BulwarkStackKey')).toBeUndefined();
    expect(stack.node.tryFindChild('BulwarkMonitoring')).toBeUndefined();
    const key = context.key();
    expect(key).toBe(stack.node.findChild('BulwarkStackKey'));
    expect(context.monitoring).toBe(stack.node.findChild('BulwarkMonitoring'));
  });

  test('a given key wins; STANDARD without one uses AWS-owned keys', () => {
    const stack = testStack();
    const given = new kms.Key(stack, 'Mine');
    const context = new ConstructContext(new Construct(stack, 'C'), {}, () => ({ addAlarm: () => undefined, addSection: () => undefined }));
    expect(context.key(given)).toBe(given);
    expect(context.key()).toBeUndefined();
  });
});

const GRANTS = 'DenyGrantsNotForAwsResources';

describe('the key policies keep their order (a reordered policy is an update to every deployed stack)', () => {
  const ALARMS = 'AllowCloudWatchAlarmsToPublishToEncryptedTopics';
  const cases: Array<[string, (stack: Stack) => void]> = [
    ['SecureFunction', (s) => new SecureFunction(s, 'Fn', { code: INLINE_CODE, handler: 'index.handler' })],
    ['EventHub', (s) => new EventHub(s, 'Hub')],
    ['QueueWorker', (s) => new QueueWorker(s, 'W', { handlerProps: { code: INLINE_CODE, handler: 'index.handler' } })],
  ];

  // Since the alarm topic moved to the failure-path key, the stack key holds no alarm statement; each
  // key's own grant restriction comes right after the account root statement, added when the key is made.
  test.each(cases)('REGULATED %s: the failure-path key\'s alarm topic statement comes right after the root and grant statements', (_name, make) => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    make(stack);
    const resources = Template.fromStack(stack).toJSON().Resources;
    const sids = (key: kms.IKey) => (resources[logicalIdOf(key)].Properties.KeyPolicy.Statement as any[]).map((s) => s.Sid);
    expect(sids(failurePathKeyOf(stack)).slice(1, 3)).toEqual([GRANTS, ALARMS]);
    expect(sids(stackKeyOf(stack))[1]).toBe(GRANTS);
    expect(sids(stackKeyOf(stack))).not.toContain(ALARMS);
  });
});

describe('the library\'s keys allow grants only for AWS resources', () => {
  test.each([['stack key', stackKey], ['failure-path key', failurePathKey]])('%s', (_name, make) => {
    const stack = testStack();
    const key = make(stack);
    const statements: any[] = Template.fromStack(stack).toJSON().Resources[logicalIdOf(key)].Properties.KeyPolicy.Statement;
    // CDK's default policy (kms:* for the account root, delegating to IAM) stays; grants that no AWS
    // service asked for are denied to everyone. kms:GrantIsForAWSResource: KMS developer guide, "AWS KMS
    // condition keys" (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html).
    expect(statements.filter((st) => [st.Action].flat().some((a: string) => a === 'kms:CreateGrant' || a === 'kms:*' || a === 'kms:Create*'))).toEqual([
      expect.objectContaining({ Effect: 'Allow', Action: 'kms:*' }),
      {
        Sid: GRANTS,
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'kms:CreateGrant',
        Resource: '*',
        Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false' } },
      },
    ]);
  });
});

describe('scoped key grants: a role uses a key only through a service, for one resource', () => {
  test.each([
    [KeyVia.SQS, 'sqs.eu-west-1.amazonaws.com', 'kms:EncryptionContext:aws:sqs:arn'],
    [KeyVia.SNS, 'sns.eu-west-1.amazonaws.com', 'kms:EncryptionContext:aws:sns:topicArn'],
  ])('%s', (via, service, contextKey) => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const resourceArn = `arn:aws:${via}:eu-west-1:123456789012:resource`;
    grantScopedKeyUse(role, key, via, resourceArn);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
          Resource: stack.resolve(key.keyArn),
          Condition: { StringEquals: { 'kms:ViaService': service, [contextKey]: resourceArn } },
        }],
      },
    });
  });
});

describe('checkRetention: the one check of every logRetention prop', () => {
  const scope = () => new Construct(testStack(), 'C');
  test.each([
    [42, "Construct 'TestStack/C': logRetention is 42; it must be a logs.RetentionDays value, from ONE_DAY to TEN_YEARS"],
    ['ONE_YEAR', "Construct 'TestStack/C': logRetention is 'ONE_YEAR'; it must be a logs.RetentionDays value, from ONE_DAY to TEN_YEARS"],
    [logs.RetentionDays.INFINITE, "Construct 'TestStack/C': logRetention is INFINITE; every log group the library creates expires"],
  ])('%j is refused', (value, message) => {
    expect(() => checkRetention(scope(), 'logRetention', value)).toThrow(message);
  });

  test.each([undefined, null, logs.RetentionDays.ONE_DAY, logs.RetentionDays.TEN_YEARS, Token.asNumber({ Ref: 'Retention' })])('%s passes', (value) => {
    expect(() => checkRetention(scope(), 'logRetention', value)).not.toThrow();
  });

  test('web-firewall re-exports the same function until its callers import it from validation', () => {
    expect(webFirewallCheckRetention).toBe(checkRetention);
  });
});

describe('checkEnum', () => {
  const scope = () => new Construct(testStack(), 'C');
  test('a string enum lists its values', () => {
    expect(() => checkEnum(scope(), 'level', 'LOUD', lambda.ApplicationLogLevel, 'lambda.ApplicationLogLevel'))
      .toThrow("Construct 'TestStack/C': level is 'LOUD'; it must be a lambda.ApplicationLogLevel value: INFO, DEBUG, WARN, TRACE, ERROR, FATAL");
  });

  test('a numeric enum takes its numbers, not the names of its reverse mapping', () => {
    expect(() => checkEnum(scope(), 'days', 'ONE_DAY', logs.RetentionDays, 'logs.RetentionDays')).toThrow("Construct 'TestStack/C': days is 'ONE_DAY'");
    expect(() => checkEnum(scope(), 'days', logs.RetentionDays.ONE_DAY, logs.RetentionDays, 'logs.RetentionDays')).not.toThrow();
  });
});
