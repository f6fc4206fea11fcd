// Benchmark, not a test (DESIGN.md §4, Speed). Run with `npx projen bench`.
//
// 1. Construct + synth time of N constructs of each kind in one stack vs the same kind of
//    resources written with plain aws-cdk-lib L2 constructs, interleaved in one process. Sections:
//    `worker` (QueueWorker), `topic` (SecureTopic with one queue subscription), `hub` (EventHub
//    with one route to a queue), `api` (SecureApi with one Cognito-authorized route to a function),
//    `httpApi` (SecureHttpApi, the same route).
// 2. Time to `require` the compiled library vs the aws-cdk-lib modules it uses, each in fresh
//    node processes.
//
// Usage: bench.ts [N] [ROUNDS] [--only=worker,topic,hub,api,httpApi]
//   N for every section: BENCH_N (default 20); per section: BENCH_N_WORKER, BENCH_N_TOPIC, BENCH_N_HUB, BENCH_N_API,
//   BENCH_N_HTTPAPI, BENCH_N_WORKFLOW, BENCH_N_TABLE, BENCH_N_GRAPHQL, BENCH_N_CONTAINER, BENCH_N_WEBSOCKET, ...
//   BENCH_ROUNDS (5), BENCH_WARMUP (2) rounds; BENCH_ONLY=topic,hub (or --only) picks sections.
//
// The timed rounds run in a child `node` process that loads this file transpiled, without
// ts-node: ts-node keeps the whole type-checked program on the heap (every GC marks it) and its
// source-map-support rewrites the creation stack trace CDK captures for every L1 resource, which
// inflates both sides several times over. BENCH_IN_PROCESS=1 times them in this ts-node process.

// Built-in CloudFormation Validate runs on every synth unless turned off; keep it (and any
// validation plugin) out so that only construct + synth is measured. Set before aws-cdk-lib loads.
process.env.CDK_VALIDATION = 'false';

import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { App, ArnFormat, Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as apigwv2Authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as apigwv2Integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as eventsources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
// The compiled jsii output: what users run.
import {
  ApiMethod, ApiRouteDefinition, ComplianceProfile, ContainerService, EventHub, GraphqlAuthorization, GraphqlSchema, HttpApiAuthorization,
  HttpApiRouteDefinition,
  HubTarget, QueryWorkgroup, QueueWorker, SecureApi, SecureBucket, SecureFunction, SecureGraphqlApi, SecureHttpApi, SecureTable, SecureTopic,
  SecureWebSocketApi, ServerlessDatabase, ServiceImage, StreamProcessor, TableResolver, WebSocketAuthorization, Workflow,
} from '../lib';

const ROOT = path.resolve(__dirname, '..');
const LIB = path.join(ROOT, 'lib');
const RESULTS = path.join(__dirname, 'results', 'latest.json');
const ENV = { account: '123456789012', region: 'eu-west-1' };
const CODE = 'exports.handler = async () => ({ batchItemFailures: [] });';
const REQUIRE_SAMPLES = 5;
/** Marks the worker's result line on its stdout. */
const RESULT_PREFIX = 'BENCH_RESULT ';

type Side = 'bulwark' | 'plain';
type SectionName = 'worker' | 'topic' | 'hub' | 'api' | 'httpApi' | 'workflow' | 'table' | 'graphql' | 'container' | 'bucket' | 'database'
  | 'stream' | 'query' | 'websocket';
const SECTION_NAMES: readonly SectionName[] = ['worker', 'topic', 'hub', 'api', 'httpApi', 'workflow', 'table', 'graphql', 'container', 'bucket',
  'database', 'stream', 'query', 'websocket'];

interface Run {
  readonly constructMs: number;
  readonly synthMs: number;
  readonly resources: number;
  readonly types: Record<string, number>;
}

/** What the timed rounds of one section return (from the worker process as JSON). */
interface ConstructResults {
  readonly one: Record<Side, Run>;
  readonly runs: Record<Side, Run[]>;
}

type AllResults = Partial<Record<SectionName, ConstructResults>>;

const FLAGS = process.argv.slice(2).filter((a) => a.startsWith('--'));
const POSITIONAL = process.argv.slice(2).filter((a) => !a.startsWith('--'));

function intArg(envName: string, fallback: number, argValue?: string, min = 1): number {
  const raw = argValue ?? process.env[envName];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${envName} must be an integer of at least ${min}, got '${raw}'`);
  }
  return value;
}

/** The sections to run: `--only=a,b` or BENCH_ONLY=a,b; all of them by default. */
function onlyArg(): SectionName[] {
  const flag = FLAGS.find((f) => f.startsWith('--only='));
  const unknownFlag = FLAGS.find((f) => !f.startsWith('--only='));
  if (unknownFlag) {
    throw new Error(`unknown option '${unknownFlag}'; usage: bench.ts [N] [ROUNDS] [--only=${SECTION_NAMES.join(',')}]`);
  }
  const raw = flag ? flag.slice('--only='.length) : process.env.BENCH_ONLY;
  if (raw === undefined || raw.trim() === '') {
    return [...SECTION_NAMES];
  }
  const names = raw.split(',').map((x) => x.trim()).filter((x) => x !== '');
  for (const name of names) {
    if (!SECTION_NAMES.includes(name as SectionName)) {
      throw new Error(`BENCH_ONLY: unknown section '${name}'; choose from ${SECTION_NAMES.join(', ')}`);
    }
  }
  // Table order, whatever order they were given in.
  return SECTION_NAMES.filter((name) => names.includes(name));
}

const DEFAULT_N = intArg('BENCH_N', 20, POSITIONAL[0]);
const ROUNDS = intArg('BENCH_ROUNDS', 5, POSITIONAL[1]);
const WARMUP = intArg('BENCH_WARMUP', 2, undefined, 0);
const ONLY = onlyArg();
const IN_PROCESS = process.env.BENCH_IN_PROCESS === '1';
const IS_WORKER = process.env.BENCH_WORKER === '1';

/** N of a section: BENCH_N_<SECTION>, else BENCH_N or the first argument. */
function sectionN(name: SectionName): number {
  return intArg(`BENCH_N_${name.toUpperCase()}`, DEFAULT_N);
}

// A full GC before each timed run keeps one run's garbage out of the next one's time.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** An app with no validation plugins, no built-in CloudFormation Validate and no feature flags. */
function benchApp(outdir: string): App {
  return new App({ outdir, builtinCloudFormationValidation: false });
}

// --- QueueWorker: the two sides ----------------------------------------------------------------

function addBulwarkWorkers(stack: Stack, n: number): void {
  for (let i = 0; i < n; i++) {
    new QueueWorker(stack, `Worker${i}`, {
      complianceProfile: ComplianceProfile.STANDARD,
      handlerProps: { code: lambda.Code.fromInline(CODE), handler: 'index.handler' },
    });
  }
}

/** What a careful user writes by hand for the same kind of resources (the library's defaults, STANDARD). */
function addPlainWorkers(stack: Stack, n: number): void {
  const key = new kms.Key(stack, 'AlarmKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
  const topic = new sns.Topic(stack, 'AlarmTopic', { masterKey: key, enforceSSL: true });
  const action = new cloudwatchActions.SnsAction(topic);
  const dashboard = new cloudwatch.Dashboard(stack, 'Dashboard');
  for (let i = 0; i < n; i++) {
    const scope = new Construct(stack, `Worker${i}`);
    const deadLetterQueue = new sqs.Queue(scope, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const queue = new sqs.Queue(scope, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(180),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: 5 },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const logGroup = new logs.LogGroup(scope, 'LogGroup', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const fn = new lambda.Function(scope, 'Function', {
      code: lambda.Code.fromInline(CODE),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(30),
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      tracing: lambda.Tracing.ACTIVE,
    });
    fn.addEventSource(new eventsources.SqsEventSource(queue, { batchSize: 10, reportBatchItemFailures: true }));

    const alarm = (id: string, metric: cloudwatch.IMetric, threshold: number, evaluationPeriods: number): void => {
      const a = new cloudwatch.Alarm(scope, id, {
        metric,
        threshold,
        evaluationPeriods,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(action);
      a.addOkAction(action);
    };
    const max = cloudwatch.Stats.MAXIMUM;
    alarm('DeadLetterQueueAlarm', deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: max }), 0, 1);
    alarm('OldestMessageAgeAlarm', queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: max }), 900, 5);
    alarm('ErrorsAlarm', fn.metricErrors({ period: Duration.minutes(5) }), 0, 1);
    alarm('ThrottlesAlarm', fn.metricThrottles({ period: Duration.minutes(5) }), 0, 1);

    // The same widgets as a QueueWorker's dashboard section.
    dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `## Worker ${i}`, width: 24, height: 1 }));
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Queue depth', width: 8, left: [queue.metricApproximateNumberOfMessagesVisible({ statistic: max }), queue.metricApproximateNumberOfMessagesNotVisible({ statistic: max })] }),
      new cloudwatch.GraphWidget({ title: 'Oldest message age (s)', width: 8, left: [queue.metricApproximateAgeOfOldestMessage({ statistic: max })] }),
      new cloudwatch.GraphWidget({ title: 'Dead-letter queue', width: 8, left: [deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: max })] }),
      new cloudwatch.GraphWidget({ title: 'Invocations / errors', width: 8, left: [fn.metricInvocations(), fn.metricErrors()] }),
      new cloudwatch.GraphWidget({ title: 'Throttles', width: 8, left: [fn.metricThrottles()] }),
      new cloudwatch.GraphWidget({ title: 'Duration p90', width: 8, left: [fn.metricDuration({ statistic: 'p90' })] }),
    );
  }
}
// --- Shared by the plain sides of SecureTopic, EventHub and SecureApi ---------------------------

/**
 * What a careful user makes once per stack for alarms: a customer-managed key (shared, like the
 * library's stack key), an alarm topic encrypted with it, TLS-only, and a dashboard.
 */
function plainAlarmPlumbing(stack: Stack): { key: kms.Key; action: cloudwatch.IAlarmAction; dashboard: cloudwatch.Dashboard } {
  const made = PLUMBING.get(stack);
  if (made) {
    return made;
  }
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
  const topic = new sns.Topic(stack, 'AlarmTopic', { masterKey: key, enforceSSL: true });
  const plumbing = { key, action: new cloudwatchActions.SnsAction(topic), dashboard: new cloudwatch.Dashboard(stack, 'Dashboard') };
  PLUMBING.set(stack, plumbing);
  return plumbing;
}

/** Once per stack, like the library's Monitoring (the GraphQL section also builds the table section's plain side). */
const PLUMBING = new WeakMap<Stack, ReturnType<typeof plainAlarmPlumbing>>();

/**
 * A "metric > threshold" alarm with ALARM and OK actions, missing data not breaching (the library's defaults);
 * "> 0 in one period" unless told.
 */
function plainAlarm(scope: Construct, id: string, action: cloudwatch.IAlarmAction, metric: cloudwatch.IMetric,
  threshold = 0, evaluationPeriods = 1): void {
  const a = new cloudwatch.Alarm(scope, id, {
    metric,
    threshold,
    evaluationPeriods,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  a.addAlarmAction(action);
  a.addOkAction(action);
}

/** A dead-letter queue as the library makes it in STANDARD: SQS-managed SSE, TLS-only, 14 days, retained. */
function plainDeadLetterQueue(scope: Construct): sqs.Queue {
  return new sqs.Queue(scope, 'DeadLetterQueue', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

// --- SecureTopic: the two sides ------------------------------------------------------------------

/** N SecureTopics, each with one queue subscription to a plain queue (the subscriber is counted on both sides). */
function addBulwarkTopics(stack: Stack, n: number): void {
  for (let i = 0; i < n; i++) {
    const subscriber = new sqs.Queue(stack, `Subscriber${i}`);
    const topic = new SecureTopic(stack, `Topic${i}`, { complianceProfile: ComplianceProfile.STANDARD });
    topic.subscribeQueue('Queue', subscriber);
  }
}

/** The same by hand: topic on a shared key, SqsSubscription with a dead-letter queue, the same alarms and dashboard lines. */
function addPlainTopics(stack: Stack, n: number): void {
  const { key, action, dashboard } = plainAlarmPlumbing(stack);
  const sum = { statistic: cloudwatch.Stats.SUM };
  for (let i = 0; i < n; i++) {
    const subscriber = new sqs.Queue(stack, `Subscriber${i}`);
    const scope = new Construct(stack, `Topic${i}`);
    const topic = new sns.Topic(scope, 'Topic', { masterKey: key, enforceSSL: true });
    const deadLetterQueue = plainDeadLetterQueue(scope);
    topic.addSubscription(new subscriptions.SqsSubscription(subscriber, { deadLetterQueue }));

    plainAlarm(scope, 'NotificationsFailedAlarm', action, topic.metricNumberOfNotificationsFailed({ ...sum, period: Duration.minutes(5) }));
    plainAlarm(scope, 'NotificationsFailedToRedriveToDlqAlarm', action,
      topic.metric('NumberOfNotificationsFailedToRedriveToDlq', { ...sum, period: Duration.minutes(1) }));
    plainAlarm(scope, 'DeadLetterQueueAlarm', action,
      deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }));

    // The same widgets as a SecureTopic's dashboard section.
    dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `## Topic ${i}`, width: 24, height: 1 }));
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Published / delivered',
        width: 8,
        left: [topic.metricNumberOfMessagesPublished(sum), topic.metricNumberOfNotificationsDelivered(sum)],
      }),
      new cloudwatch.GraphWidget({
        title: 'Failed deliveries / dead-letter queues',
        width: 8,
        left: [
          topic.metricNumberOfNotificationsFailed(sum),
          topic.metric('NumberOfNotificationsRedrivenToDlq', sum),
          topic.metric('NumberOfNotificationsFailedToRedriveToDlq', sum),
        ],
        right: [deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM })],
      }),
      new cloudwatch.GraphWidget({
        title: 'Filtered out',
        width: 8,
        left: [
          topic.metricNumberOfNotificationsFilteredOut(sum),
          topic.metricNumberOfNotificationsFilteredOutInvalidAttributes(sum),
          topic.metricNumberOfNotificationsFilteredOutNoMessageAttributes(sum),
        ],
      }),
    );
  }
}

// --- Workflow: the two sides ----------------------------------------------------------------------

/** One Pass state, as Amazon States Language. */
const PASS_DEFINITION = JSON.stringify({ StartAt: 'Pass', States: { Pass: { Type: 'Pass', End: true } } });

/** N Workflows from a JSON definition. */
function addBulwarkWorkflows(stack: Stack, n: number): void {
  for (let i = 0; i < n; i++) {
    new Workflow(stack, `Workflow${i}`, { complianceProfile: ComplianceProfile.STANDARD, definitionBody: sfn.DefinitionBody.fromString(PASS_DEFINITION) });
  }
}

/** The same by hand: a StateMachine with the same logging, tracing, timeout, alarms and dashboard lines. */
function addPlainWorkflows(stack: Stack, n: number): void {
  const { action, dashboard } = plainAlarmPlumbing(stack);
  const sum = { statistic: cloudwatch.Stats.SUM };
  for (let i = 0; i < n; i++) {
    const scope = new Construct(stack, `Workflow${i}`);
    const logGroup = new logs.LogGroup(scope, 'LogGroup', {
      logGroupName: `/aws/vendedlogs/states/${stack.stackName}-workflow-${i}`,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const machine = new sfn.StateMachine(scope, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromString(JSON.stringify({ ...JSON.parse(PASS_DEFINITION), TimeoutSeconds: 86400 })),
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    const period = Duration.minutes(5);
    plainAlarm(scope, 'ExecutionsFailedAlarm', action, machine.metricFailed({ ...sum, period }));
    plainAlarm(scope, 'ExecutionsTimedOutAlarm', action, machine.metricTimedOut({ ...sum, period }));
    plainAlarm(scope, 'ExecutionsAbortedAlarm', action, machine.metricAborted({ ...sum, period }));
    plainAlarm(scope, 'ExecutionThrottledAlarm', action, machine.metricThrottled({ ...sum, period }));
    dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `## Workflow ${i}`, width: 24, height: 1 }));
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Executions', width: 8, left: [machine.metricStarted(sum), machine.metricSucceeded(sum)] }),
      new cloudwatch.GraphWidget({
        title: 'Failed / timed out / aborted / throttled',
        width: 8,
        left: [machine.metricFailed(sum), machine.metricTimedOut(sum), machine.metricAborted(sum), machine.metricThrottled(sum)],
      }),
      new cloudwatch.GraphWidget({
        title: 'Execution time (p50, p90)',
        width: 8,
        left: [machine.metricTime({ statistic: 'p50' }), machine.metricTime({ statistic: 'p90' })],
      }),
    );
  }
}

// --- SecureTable: the two sides ------------------------------------------------------------------

const TABLE_KEY = { name: 'orderId', type: dynamodb.AttributeType.STRING };
const TABLE_OPERATIONS = [
  dynamodb.Operation.GET_ITEM, dynamodb.Operation.BATCH_GET_ITEM, dynamodb.Operation.QUERY, dynamodb.Operation.SCAN, dynamodb.Operation.PUT_ITEM,
  dynamodb.Operation.UPDATE_ITEM, dynamodb.Operation.DELETE_ITEM, dynamodb.Operation.BATCH_WRITE_ITEM, dynamodb.Operation.TRANSACT_GET_ITEMS,
  dynamodb.Operation.TRANSACT_WRITE_ITEMS,
];

/** N SecureTables (STANDARD: on demand, PITR, deletion protection, retained, alarms). */
function addBulwarkTables(stack: Stack, n: number): void {
  for (let i = 0; i < n; i++) {
    new SecureTable(stack, `Table${i}`, { complianceProfile: ComplianceProfile.STANDARD, partitionKey: TABLE_KEY });
  }
}

/** N SecureBuckets, each sending its Object Created events to a queue. */
function addBulwarkBuckets(stack: Stack, n: number): void {
  const queue = new sqs.Queue(stack, 'Uploads', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true });
  for (let i = 0; i < n; i++) {
    const bucket = new SecureBucket(stack, `Bucket${i}`, { complianceProfile: ComplianceProfile.STANDARD });
    bucket.addEventRoute('ToQueue', { targets: [HubTarget.queue(queue)] });
  }
}

/**
 * The same by hand: a hardened bucket and its log bucket, S3 -> EventBridge (CDK's eventBridgeEnabled,
 * which adds its notifications custom resource), a default-bus rule to the queue with a retry policy
 * and a dead-letter queue, and the route's and queue's alarms.
 */
function addPlainBuckets(stack: Stack, n: number): void {
  const { action, dashboard } = plainAlarmPlumbing(stack);
  const queue = new sqs.Queue(stack, 'Uploads', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true });
  const hardened = {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    removalPolicy: RemovalPolicy.RETAIN,
  };
  for (let i = 0; i < n; i++) {
    const scope = new Construct(stack, `Bucket${i}`);
    // Without the serverAccessLogsUseBucketPolicy flag CDK grants log delivery with an ACL, which needs ObjectWriter ownership.
    const logBucket = new s3.Bucket(scope, 'AccessLogs', {
      ...hardened,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    const bucket = new s3.Bucket(scope, 'Bucket', {
      ...hardened,
      serverAccessLogsBucket: logBucket,
      eventBridgeEnabled: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90), abortIncompleteMultipartUploadAfter: Duration.days(7) }],
    });
    const dlq = new sqs.Queue(scope, 'DeadLetterQueue', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    const rule = new events.Rule(scope, 'Rule', {
      eventPattern: { source: ['aws.s3'], detailType: ['Object Created'], detail: { bucket: { name: [bucket.bucketName] } } },
      targets: [new targets.SqsQueue(queue, { deadLetterQueue: dlq, retryAttempts: 185, maxEventAge: Duration.hours(24) })],
    });
    const period = Duration.minutes(5);
    for (const metricName of ['FailedInvocations', 'InvocationsSentToDlq', 'InvocationsFailedToBeSentToDlq']) {
      plainAlarm(scope, `${metricName}Alarm`, action, new cloudwatch.Metric({
        namespace: 'AWS/Events',
        metricName,
        dimensionsMap: { RuleName: rule.ruleName },
        statistic: cloudwatch.Stats.SUM,
        period,
      }));
    }
    plainAlarm(scope, 'DeadLetterQueueAlarm', action, dlq.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(1) }));
    dashboard.addWidgets(new cloudwatch.GraphWidget({ title: `Bucket ${i}`, width: 8, left: [dlq.metricApproximateNumberOfMessagesVisible()] }));
  }
}

/** The same by hand: a Table with the same recovery settings, throttle and system-error alarms, and dashboard lines. */
function addPlainTables(stack: Stack, n: number): void {
  const { action, dashboard } = plainAlarmPlumbing(stack);
  const sum = { statistic: cloudwatch.Stats.SUM };
  for (let i = 0; i < n; i++) {
    const scope = new Construct(stack, `Table${i}`);
    const table = new dynamodb.Table(scope, 'Table', {
      partitionKey: TABLE_KEY,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const period = Duration.minutes(5);
    plainAlarm(scope, 'ThrottledRequestsAlarm', action, new cloudwatch.MathExpression({
      expression: 'FILL(r, 0) + FILL(w, 0)',
      usingMetrics: { r: table.metric('ReadThrottleEvents', { ...sum, period }), w: table.metric('WriteThrottleEvents', { ...sum, period }) },
      period,
    }));
    // An alarm takes at most 10 metrics: the same ten data operations as SecureTable's (CDK's default is every operation).
    plainAlarm(scope, 'SystemErrorsAlarm', action, table.metricSystemErrorsForOperations({ ...sum, period, operations: TABLE_OPERATIONS }));
    dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `## Table ${i}`, width: 24, height: 1 }));
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Consumed capacity', width: 8, left: [table.metricConsumedReadCapacityUnits(sum), table.metricConsumedWriteCapacityUnits(sum)] }),
      new cloudwatch.GraphWidget({ title: 'Throttles', width: 8, left: [table.metric('ReadThrottleEvents', sum), table.metric('WriteThrottleEvents', sum)] }),
      new cloudwatch.GraphWidget({ title: 'Latency', width: 8, left: [table.metricSuccessfulRequestLatency({ dimensionsMap: { TableName: table.tableName, Operation: 'GetItem' } })] }),
    );
  }
}

// --- SecureGraphqlApi: the two sides --------------------------------------------------------------

const GRAPHQL_SCHEMA = 'type Order { orderId: ID! status: String } type Query { order(orderId: ID!): Order }';
const GRAPHQL_RESOLVER_CODE = [
  "import { util } from '@aws-appsync/utils';",
  "import * as ddb from '@aws-appsync/utils/dynamodb';",
  'export function request(ctx) { return ddb.get({ key: { "orderId": ctx.args.orderId } }); }',
  'export function response(ctx) { if (ctx.error) { util.error(ctx.error.message, ctx.error.type); } return ctx.result; }',
].join('\n');

/** N SecureGraphqlApis (STANDARD, one imported pool), each with a getItem resolver on its own plain-built table's SecureTable. */
function addBulwarkGraphqlApis(stack: Stack, n: number): void {
  const userPool = cognito.UserPool.fromUserPoolId(stack, 'Users', USER_POOL_ID);
  for (let i = 0; i < n; i++) {
    const api = new SecureGraphqlApi(stack, `Graph${i}`, {
      complianceProfile: ComplianceProfile.STANDARD,
      schema: GraphqlSchema.fromString(GRAPHQL_SCHEMA),
      authorization: GraphqlAuthorization.userPool(userPool),
    });
    const table = new SecureTable(stack, `GraphTable${i}`, { complianceProfile: ComplianceProfile.STANDARD, partitionKey: TABLE_KEY });
    api.addTableResolver('Query', 'order', table, TableResolver.getItem());
  }
}

/**
 * The same by hand: a GraphqlApi with user pool authorization, X-Ray, limits, field logs to a log
 * group of its name with a retention (CDK's logConfig would add a LogRetention function) through a
 * scoped role, a web ACL with logging, a DynamoDB data source and a JS resolver, the same alarms and
 * dashboard lines, and the same table (SecureTable's plain side).
 */
function addPlainGraphqlApis(stack: Stack, n: number): void {
  const { action, dashboard } = plainAlarmPlumbing(stack);
  const userPool = cognito.UserPool.fromUserPoolId(stack, 'Users', USER_POOL_ID);
  addPlainTables(stack, n);
  for (let i = 0; i < n; i++) {
    const scope = new Construct(stack, `Graph${i}`);
    const api = new appsync.GraphqlApi(scope, 'Api', {
      name: `graph-${i}`,
      definition: appsync.Definition.fromSchema({ bind: (bound) => ({ apiId: (bound as appsync.GraphqlApi).apiId, definition: GRAPHQL_SCHEMA }) }),
      authorizationConfig: { defaultAuthorization: { authorizationType: appsync.AuthorizationType.USER_POOL, userPoolConfig: { userPool } } },
      xrayEnabled: true,
      queryDepthLimit: 10,
      resolverCountLimit: 1000,
    });
    const logGroup = new logs.LogGroup(scope, 'Logs', {
      logGroupName: `/aws/appsync/apis/${api.apiId}`, retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN,
    });
    const logRole = new iam.Role(scope, 'LogRole', { assumedBy: new iam.ServicePrincipal('appsync.amazonaws.com') });
    logRole.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    (api.node.defaultChild as appsync.CfnGraphQLApi).logConfig = { cloudWatchLogsRoleArn: logRole.roleArn, fieldLogLevel: 'ERROR', excludeVerboseContent: true };
    plainWebAcl(scope, `graph-${i}`, api.arn);
    const table = (stack.node.findChild(`Table${i}`) as Construct).node.findChild('Table') as dynamodb.Table;
    const source = new appsync.DynamoDbDataSource(scope, 'Orders', { api, table, readOnlyAccess: true });
    source.createResolver('Order', { typeName: 'Query', fieldName: 'order', runtime: appsync.FunctionRuntime.JS_1_0_0, code: appsync.Code.fromInline(GRAPHQL_RESOLVER_CODE) });
    const metric = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({ namespace: 'AWS/AppSync', metricName, dimensionsMap: { GraphQLAPIId: api.apiId }, statistic, period: Duration.minutes(1) });
    plainAlarm(scope, 'ServerErrorsAlarm', action, metric('5XXError', cloudwatch.Stats.SUM));
    plainAlarm(scope, 'ClientErrorsAlarm', action, metric('4XXError', cloudwatch.Stats.SUM));
    plainAlarm(scope, 'LatencyP90Alarm', action, metric('Latency', cloudwatch.Stats.percentile(90)));
    dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `## GraphQL API ${i}`, width: 24, height: 1 }));
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Errors', width: 12, left: [metric('5XXError', cloudwatch.Stats.SUM), metric('4XXError', cloudwatch.Stats.SUM)] }),
      new cloudwatch.GraphWidget({ title: 'Latency', width: 12, left: [50, 90, 99].map((p) => metric('Latency', cloudwatch.Stats.percentile(p))) }),
    );
  }
}

// --- EventHub: the two sides ---------------------------------------------------------------------

const HUB_PATTERN: events.EventPattern = { source: ['bench.orders'] };

/** N EventHubs, each with one route to a plain queue (the target is counted on both sides). */
function addBulwarkHubs(stack: Stack, n: number): void {
  for (let i = 0; i < n; i++) {
    const target = new sqs.Queue(stack, `Target${i}`);
    const hub = new EventHub(stack, `Hub${i}`, { complianceProfile: ComplianceProfile.STANDARD });
    hub.addRoute('Route', { eventPattern: HUB_PATTERN, targets: [HubTarget.queue(target)] });
  }
}

/**
 * The same by hand: a bus with a dead-letter queue, an archive of every event (30 days), a rule
 * with an SqsQueue target (dead-letter queue, 185 retries over 24 hours), the same alarms and
 * dashboard lines.
 */
function addPlainHubs(stack: Stack, n: number): void {
  const { action, dashboard } = plainAlarmPlumbing(stack);
  const fiveMinutes = { period: Duration.minutes(5) };
  for (let i = 0; i < n; i++) {
    const target = new sqs.Queue(stack, `Target${i}`);
    const scope = new Construct(stack, `Hub${i}`);
    const deadLetterQueue = plainDeadLetterQueue(scope);
    const bus = new events.EventBus(scope, 'Bus', { deadLetterQueue });
    // The bus's own undeliverable events (CDK's EventBus does not add this statement).
    deadLetterQueue.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [deadLetterQueue.queueArn],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }));
    new events.Archive(scope, 'Archive', { sourceEventBus: bus, eventPattern: {}, retention: Duration.days(30) });
    const rule = new events.Rule(scope, 'Rule', { eventBus: bus, eventPattern: HUB_PATTERN });
    rule.addTarget(new targets.SqsQueue(target, { deadLetterQueue, retryAttempts: 185, maxEventAge: Duration.hours(24) }));

    const metric = (metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric => new cloudwatch.Metric({
      namespace: 'AWS/Events',
      metricName,
      dimensionsMap: { EventBusName: bus.eventBusName, RuleName: rule.ruleName },
      statistic: cloudwatch.Stats.SUM,
      ...props,
    });
    plainAlarm(scope, 'FailedInvocationsAlarm', action, metric('FailedInvocations', fiveMinutes));
    plainAlarm(scope, 'InvocationsSentToDlqAlarm', action, metric('InvocationsSentToDlq', fiveMinutes));
    plainAlarm(scope, 'InvocationsFailedToBeSentToDlqAlarm', action, metric('InvocationsFailedToBeSentToDlq', fiveMinutes));
    plainAlarm(scope, 'DeadLetterQueueAlarm', action,
      deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }));

    // The same widgets as an EventHub's dashboard section.
    dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `## EventHub ${i}`, width: 24, height: 1 }));
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Route invocations (left) / failed (right)', width: 8, left: [metric('Invocations')], right: [metric('FailedInvocations')] }),
      new cloudwatch.GraphWidget({ title: 'Sent to DLQ (left) / failed to send (right)', width: 8, left: [metric('InvocationsSentToDlq')], right: [metric('InvocationsFailedToBeSentToDlq')] }),
      new cloudwatch.GraphWidget({ title: 'Dead-letter queue depth', width: 8, left: [deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM })] }),
    );
  }
}

// --- SecureApi: the two sides --------------------------------------------------------------------

/** The pool both sides authorize with: imported, one per stack (no user pool resources). */
const USER_POOL_ID = 'eu-west-1_BenchPool';
const API_PATH = '/orders/{orderId}';

/** The route's handler: a plain function, the same on both sides (counted on both). */
function apiHandler(stack: Stack, i: number): lambda.Function {
  return new lambda.Function(stack, `Handler${i}`, {
    code: lambda.Code.fromInline(CODE),
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_24_X,
  });
}

/** N SecureApis, each with `userPool` (one imported pool, shared) and one route `GET /orders/{orderId}` to a plain function. */
function addBulwarkApis(stack: Stack, n: number): void {
  const userPool = cognito.UserPool.fromUserPoolId(stack, 'Users', USER_POOL_ID);
  for (let i = 0; i < n; i++) {
    const handler = apiHandler(stack, i);
    new SecureApi(stack, `Api${i}`, {
      complianceProfile: ComplianceProfile.STANDARD,
      userPool,
      routes: [ApiRouteDefinition.of(ApiMethod.GET, API_PATH, handler)],
    });
  }
}

/** A JSON access log line with what a careful user logs (the library's fields): caller, outcome, latency, why it failed. */
const PLAIN_ACCESS_LOG = apigateway.AccessLogFormat.custom(JSON.stringify(Object.fromEntries([
  ['requestId', 'requestId'], ['extendedRequestId', 'extendedRequestId'], ['apiId', 'apiId'], ['stage', 'stage'],
  ['requestTime', 'requestTime'], ['ip', 'identity.sourceIp'], ['userAgent', 'identity.userAgent'], ['caller', 'identity.caller'],
  ['principalId', 'authorizer.principalId'], ['cognitoSubject', 'authorizer.claims.sub'], ['httpMethod', 'httpMethod'],
  ['resourcePath', 'resourcePath'], ['protocol', 'protocol'], ['status', 'status'], ['responseLength', 'responseLength'],
  ['responseLatency', 'responseLatency'], ['integrationLatency', 'integrationLatency'], ['integrationStatus', 'integration.status'],
  ['errorType', 'error.responseType'], ['errorMessage', 'error.message'], ['authorizerError', 'authorizer.error'],
  ['wafResponseCode', 'wafResponseCode'], ['xrayTraceId', 'xrayTraceId'],
].map(([field, variable]) => [field, `$context.${variable}`]))));

/**
 * API Gateway's account-level CloudWatch Logs role, once per stack: a role with a managed policy
 * (the actions of AmazonAPIGatewayPushToCloudWatchLogs, in this account and region) and the
 * `AWS::ApiGateway::Account` setting, all retained.
 */
function plainApiGatewayAccount(stack: Stack): apigateway.CfnAccount {
  const role = new iam.Role(stack, 'ApiGatewayAccountRole', { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });
  const policy = new iam.ManagedPolicy(role, 'Policy', {
    roles: [role],
    statements: [new iam.PolicyStatement({
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams',
        'logs:PutLogEvents', 'logs:GetLogEvents', 'logs:FilterLogEvents'],
      resources: [
        `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
        `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*:log-stream:*`,
      ],
    })],
  });
  role.applyRemovalPolicy(RemovalPolicy.RETAIN);
  policy.applyRemovalPolicy(RemovalPolicy.RETAIN);
  const account = new apigateway.CfnAccount(stack, 'ApiGatewayAccount', { cloudWatchRoleArn: role.roleArn });
  account.applyRemovalPolicy(RemovalPolicy.RETAIN);
  account.node.addDependency(policy);
  return account;
}

/** A REGIONAL web ACL with the library's four rules, logging to an `aws-waf-logs-` group (headers redacted), on `resourceArn`. */
function plainWebAcl(scope: Construct, name: string, resourceArn: string): void {
  const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty =>
    ({ cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
  const managed = (priority: number, ruleName: string, groupName: string, ruleActionOverrides?: wafv2.CfnWebACL.RuleActionOverrideProperty[]) => ({
    name: ruleName,
    priority,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: groupName, ruleActionOverrides } },
    visibilityConfig: visibility(ruleName),
  });
  const webAcl = new wafv2.CfnWebACL(scope, 'WebAcl', {
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: visibility(name),
    rules: [
      {
        name: 'RateLimitPerIp',
        priority: 0,
        action: { block: {} },
        statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: 1000, evaluationWindowSec: 300 } },
        visibilityConfig: visibility('RateLimitPerIp'),
      },
      managed(1, 'AmazonIpReputationList', 'AWSManagedRulesAmazonIpReputationList'),
      managed(2, 'CoreRuleSet', 'AWSManagedRulesCommonRuleSet', [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }]),
      managed(3, 'KnownBadInputs', 'AWSManagedRulesKnownBadInputsRuleSet'),
    ],
  });
  const logGroup = new logs.LogGroup(scope, 'WafLogs', {
    logGroupName: `aws-waf-logs-${name}`,
    retention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const logging = new wafv2.CfnLoggingConfiguration(scope, 'WafLogging', {
    resourceArn: webAcl.attrArn,
    logDestinationConfigs: [Stack.of(scope).formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: logGroup.logGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    })],
    redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'cookie' } }],
  });
  const association = new wafv2.CfnWebACLAssociation(scope, 'WebAclAssociation', { resourceArn, webAclArn: webAcl.attrArn });
  association.node.addDependency(logging);
}

/**
 * The same by hand: a regional REST API whose stage is traced, throttled and logged (JSON access
 * log, ERROR execution log to a group with a retention), a request validator, a Cognito authorizer,
 * the method with a Lambda proxy integration, a web ACL with logging, the same alarms (a metric
 * filter counts 429s in the access log) and dashboard lines; the account's CloudWatch role once.
 */
function addPlainApis(stack: Stack, n: number): void {
  const { action, dashboard } = plainAlarmPlumbing(stack);
  const account = plainApiGatewayAccount(stack);
  const userPool = cognito.UserPool.fromUserPoolId(stack, 'Users', USER_POOL_ID);
  for (let i = 0; i < n; i++) {
    const handler = apiHandler(stack, i);
    const scope = new Construct(stack, `Api${i}`);
    const name = `${stack.stackName}-Api${i}`;
    const accessLogs = new logs.LogGroup(scope, 'AccessLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    const api = new apigateway.RestApi(scope, 'Api', {
      restApiName: name,
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      cloudWatchRole: false,
      deployOptions: {
        stageName: 'prod',
        tracingEnabled: true,
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        throttlingRateLimit: 1000,
        throttlingBurstLimit: 2000,
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: PLAIN_ACCESS_LOG,
      },
    });
    const stage = api.deploymentStage;
    const executionLogs = new logs.LogGroup(scope, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${api.restApiId}/prod`,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    stage.node.addDependency(executionLogs, account);
    const requestValidator = api.addRequestValidator('RequestValidator', { validateRequestBody: true, validateRequestParameters: true });
    const authorizer = new apigateway.CognitoUserPoolsAuthorizer(scope, 'Authorizer', { cognitoUserPools: [userPool], resultsCacheTtl: Duration.minutes(5) });
    api.root.resourceForPath(API_PATH).addMethod('GET', new apigateway.LambdaIntegration(handler, { allowTestInvoke: false }), {
      authorizer,
      authorizationType: apigateway.AuthorizationType.COGNITO,
      requestValidator,
      requestParameters: { 'method.request.path.orderId': true },
    });
    plainWebAcl(scope, name, stage.stageArn);

    const throttled = new cloudwatch.Metric({
      namespace: 'Bench/ApiGateway',
      metricName: 'ThrottledRequests',
      dimensionsMap: { ApiId: api.restApiId },
      statistic: cloudwatch.Stats.SUM,
    });
    new logs.MetricFilter(scope, 'ThrottledRequestsFilter', {
      logGroup: accessLogs,
      filterPattern: logs.FilterPattern.stringValue('$.status', '=', '429'),
      metricNamespace: throttled.namespace,
      metricName: throttled.metricName,
      metricValue: '1',
      dimensions: { ApiId: '$.apiId' },
      unit: cloudwatch.Unit.COUNT,
    });
    const minute = { period: Duration.minutes(1) };
    const average = { ...minute, statistic: cloudwatch.Stats.AVERAGE };
    plainAlarm(scope, 'ServerErrorRateAlarm', action, stage.metricServerError(average), 0.05, 3);
    plainAlarm(scope, 'ClientErrorRateAlarm', action, stage.metricClientError(average), 0.05, 5);
    plainAlarm(scope, 'LatencyP90Alarm', action, stage.metricLatency({ ...minute, statistic: cloudwatch.Stats.p(90) }), 2500, 5);
    plainAlarm(scope, 'ThrottledRequestsAlarm', action, throttled.with({ period: Duration.minutes(5) }));

    // The same widgets as a SecureApi's dashboard section.
    dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `## API ${i}`, width: 24, height: 1 }));
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Requests / throttled',
        width: 8,
        left: [stage.metricCount({ statistic: cloudwatch.Stats.SUM, label: 'Requests' })],
        right: [throttled.with({ label: 'Throttled (429)' })],
      }),
      new cloudwatch.GraphWidget({
        title: 'Error rates',
        width: 8,
        left: [
          stage.metricServerError({ statistic: cloudwatch.Stats.AVERAGE, label: '5XX rate' }),
          stage.metricClientError({ statistic: cloudwatch.Stats.AVERAGE, label: '4XX rate' }),
        ],
        leftYAxis: { min: 0, max: 1 },
      }),
      new cloudwatch.GraphWidget({
        title: 'Latency',
        width: 8,
        left: [50, 90, 99].map((p) => stage.metricLatency({ statistic: cloudwatch.Stats.p(p), label: `p${p}` })),
      }),
    );
  }
}

// --- SecureHttpApi: the two sides ----------------------------------------------------------------

/** The app client whose tokens the HTTP APIs accept: imported, with the pool, once per stack. */
const USER_POOL_CLIENT_ID = 'benchclient0123456789abcd';

/** The shared pool and client of the HTTP API sections (imported: no resources). */
function benchPoolAndClient(stack: Stack): { userPool: cognito.IUserPool; client: cognito.IUserPoolClient } {
  return {
    userPool: cognito.UserPool.fromUserPoolId(stack, 'Users', USER_POOL_ID),
    client: cognito.UserPoolClient.fromUserPoolClientId(stack, 'UsersClient', USER_POOL_CLIENT_ID),
  };
}

/** N SecureHttpApis, each authorizing with the shared pool and client and one route `GET /orders/{orderId}` to a plain function. */
function addBulwarkHttpApis(stack: Stack, n: number): void {
  const { userPool, client } = benchPoolAndClient(stack);
  const authorization = HttpApiAuthorization.cognito(userPool, [client]);
  for (let i = 0; i < n; i++) {
    const handler = apiHandler(stack, i);
    new SecureHttpApi(stack, `HttpApi${i}`, {
      complianceProfile: ComplianceProfile.STANDARD,
      authorization,
      routes: [HttpApiRouteDefinition.of(ApiMethod.GET, API_PATH, handler)],
    });
  }
}

// --- SecureWebSocketApi: the two sides ------------------------------------------------------------

/** N SecureWebSocketApis (STANDARD, IAM-authorized $connect), each with a `subscribe` route to a plain function. */
function addBulwarkWebSocketApis(stack: Stack, n: number): void {
  for (let i = 0; i < n; i++) {
    new SecureWebSocketApi(stack, `Live${i}`, {
      complianceProfile: ComplianceProfile.STANDARD,
      authorization: WebSocketAuthorization.iam(),
      routes: { subscribe: apiHandler(stack, i) },
    });
  }
}

/** The JSON access log line of a WebSocket stage with the library's fields (context variables only). */
const PLAIN_WEBSOCKET_ACCESS_LOG = apigateway.AccessLogFormat.custom(JSON.stringify(Object.fromEntries([
  'requestId', 'extendedRequestId', 'requestTime', 'requestTimeEpoch', 'connectionId', 'eventType', 'routeKey', 'messageId', 'status',
  'identity.sourceIp', 'identity.userAgent', 'identity.userArn', 'authorizer.principalId', 'authorizer.error', 'authorize.status',
  'integration.status', 'integration.latency', 'integration.error', 'error.message', 'error.responseType',
].map((variable) => [variable, `$context.${variable}`]))));

/** The connection recorder's code: the same size as the library's. */
const PLAIN_RECORDER_CODE = `${CODE}\n${'/* recorder */'.repeat(60)}`;

/**
 * The same by hand: a WebSocket API, its stage (auto-deploy, throttling, JSON access logs, ERROR
 * execution logs to a pre-created group) after the account setting (made once), a connections table
 * (on demand, PITR, deletion protection, TTL, an index by principal, its two alarms), a recorder
 * function with its log group and errors alarm on `$connect`/`$disconnect` (IAM on `$connect`), the
 * route, the four API alarms and the dashboard lines.
 */
function addPlainWebSocketApis(stack: Stack, n: number): void {
  const { action, dashboard } = plainAlarmPlumbing(stack);
  const account = plainApiGatewayAccount(stack);
  const sum = { statistic: cloudwatch.Stats.SUM };
  for (let i = 0; i < n; i++) {
    const scope = new Construct(stack, `Live${i}`);
    const api = new apigwv2.WebSocketApi(scope, 'Api', { apiName: `${stack.stackName}-Live${i}`, routeSelectionExpression: '$request.body.action' });
    const accessLogs = new logs.LogGroup(scope, 'AccessLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    const stage = new apigwv2.WebSocketStage(scope, 'Stage', {
      webSocketApi: api,
      stageName: 'prod',
      autoDeploy: true,
      throttle: { rateLimit: 1000, burstLimit: 2000 },
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogs), format: PLAIN_WEBSOCKET_ACCESS_LOG },
    });
    const cfnStage = stage.node.defaultChild as apigwv2.CfnStage;
    cfnStage.addPropertyOverride('DefaultRouteSettings.LoggingLevel', 'ERROR');
    cfnStage.addPropertyOverride('DefaultRouteSettings.DataTraceEnabled', false);
    const executionLogs = new logs.LogGroup(scope, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${api.apiId}/prod`, retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN,
    });
    stage.node.addDependency(executionLogs, account);

    const table = new dynamodb.Table(scope, 'Connections', {
      partitionKey: { name: 'connectionId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: 'expiresAt',
    });
    table.addGlobalSecondaryIndex({ indexName: 'byPrincipal', partitionKey: { name: 'principalId', type: dynamodb.AttributeType.STRING } });
    const period = Duration.minutes(5);
    plainAlarm(scope, 'ThrottledRequestsAlarm', action, table.metric('WriteThrottleEvents', { ...sum, period }));
    plainAlarm(scope, 'SystemErrorsAlarm', action, table.metricSystemErrorsForOperations({ ...sum, period, operations: TABLE_OPERATIONS }));
    const recorderLogs = new logs.LogGroup(scope, 'RecorderLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    const recorder = new lambda.Function(scope, 'Recorder', {
      code: lambda.Code.fromInline(PLAIN_RECORDER_CODE),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      timeout: Duration.seconds(10),
      logGroup: recorderLogs,
      environment: { CONNECTIONS_TABLE: table.tableName },
    });
    table.grantWriteData(recorder);
    plainAlarm(scope, 'RecorderErrorsAlarm', action, recorder.metricErrors({ ...sum, period }));

    const route = (id: string, routeKey: string, handler: lambda.IFunction, authorizer?: apigwv2.IWebSocketRouteAuthorizer) =>
      new apigwv2.WebSocketRoute(scope, id, {
        webSocketApi: api, routeKey, integration: new apigwv2Integrations.WebSocketLambdaIntegration('Integration', handler), authorizer,
      });
    route('ConnectRoute', '$connect', recorder, new apigwv2Authorizers.WebSocketIamAuthorizer());
    route('DisconnectRoute', '$disconnect', recorder);
    route('Subscribe', 'subscribe', apiHandler(stack, i));

    plainAlarm(scope, 'IntegrationErrorsAlarm', action, stage.metric('IntegrationError', { ...sum, period }), 5);
    plainAlarm(scope, 'ExecutionErrorsAlarm', action, stage.metric('ExecutionError', { ...sum, period }));
    plainAlarm(scope, 'ClientErrorsAlarm', action, stage.metric('ClientError', { ...sum, period }), 100);
    const p90 = stage.metric('IntegrationLatency', { period: Duration.minutes(1), statistic: cloudwatch.Stats.p(90) });
    plainAlarm(scope, 'LatencyP90Alarm', action, p90, 2500, 5);
    dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `## WebSocket API ${i}`, width: 24, height: 1 }));
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Connections / messages', width: 8, left: [stage.metric('ConnectCount', sum)], right: [stage.metric('MessageCount', sum)] }),
      new cloudwatch.GraphWidget({ title: 'Errors', width: 8, left: ['IntegrationError', 'ExecutionError', 'ClientError'].map((m) => stage.metric(m, sum)) }),
      new cloudwatch.GraphWidget({ title: 'Integration latency (ms)', width: 8, left: ['p50', 'p90', 'p99'].map((statistic) => stage.metric('IntegrationLatency', { statistic })) }),
    );
  }
}

/** The JSON access log line of an HTTP API stage with the library's fields (context variables only). */
const PLAIN_HTTP_ACCESS_LOG = apigateway.AccessLogFormat.custom(JSON.stringify(Object.fromEntries([
  ['requestId', 'requestId'], ['extendedRequestId', 'extendedRequestId'], ['ip', 'identity.sourceIp'], ['userAgent', 'identity.userAgent'],
  ['requestTime', 'requestTime'], ['requestTimeEpoch', 'requestTimeEpoch'], ['httpMethod', 'httpMethod'], ['path', 'path'],
  ['routeKey', 'routeKey'], ['status', 'status'], ['protocol', 'protocol'], ['responseLength', 'responseLength'],
  ['responseLatency', 'responseLatency'], ['domainName', 'domainName'], ['authorizerError', 'authorizer.error'],
  ['integrationStatus', 'integration.status'], ['integrationLatency', 'integration.latency'], ['integrationError', 'integration.error'],
  ['integrationErrorMessage', 'integrationErrorMessage'], ['principalId', 'authorizer.principalId'], ['jwtSubject', 'authorizer.claims.sub'],
  ['userArn', 'identity.userArn'], ['errorMessage', 'error.message'], ['errorResponseType', 'error.responseType'],
].map(([field, variable]) => [field, `$context.${variable}`]))));

/**
 * The same by hand: an HTTP API without its default stage, a `$default` stage (auto-deploy,
 * throttling 1,000/2,000, JSON access log to a retained group with one-year retention), the route
 * with `HttpLambdaIntegration` and an `HttpUserPoolAuthorizer`, the 5xx rate, 4xx rate and p90
 * latency alarms and the dashboard lines. HTTP APIs take no WAF and need no account role.
 */
function addPlainHttpApis(stack: Stack, n: number): void {
  const { action, dashboard } = plainAlarmPlumbing(stack);
  const { userPool, client } = benchPoolAndClient(stack);
  for (let i = 0; i < n; i++) {
    const handler = apiHandler(stack, i);
    const scope = new Construct(stack, `HttpApi${i}`);
    const api = new apigwv2.HttpApi(scope, 'Api', { apiName: `${stack.stackName}-HttpApi${i}`, createDefaultStage: false });
    const accessLogs = new logs.LogGroup(scope, 'AccessLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    const stage = new apigwv2.HttpStage(scope, 'Stage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 1000, burstLimit: 2000 },
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogs), format: PLAIN_HTTP_ACCESS_LOG },
    });
    const authorizer = new apigwv2Authorizers.HttpUserPoolAuthorizer('CognitoAuthorizer', userPool, {
      userPoolClients: [client],
      identitySource: ['$request.header.Authorization'],
    });
    new apigwv2.HttpRoute(scope, 'GetOrder', {
      httpApi: api,
      routeKey: apigwv2.HttpRouteKey.with(API_PATH, apigwv2.HttpMethod.GET),
      integration: new apigwv2Integrations.HttpLambdaIntegration('Integration', handler),
      authorizer,
    });

    const minute = { period: Duration.minutes(1) };
    const average = { ...minute, statistic: cloudwatch.Stats.AVERAGE };
    plainAlarm(scope, 'ServerErrorRateAlarm', action, stage.metricServerError(average), 0.05, 3);
    plainAlarm(scope, 'ClientErrorRateAlarm', action, stage.metricClientError(average), 0.05, 5);
    plainAlarm(scope, 'LatencyP90Alarm', action, stage.metricLatency({ ...minute, statistic: cloudwatch.Stats.p(90) }), 2500, 5);

    // The same widgets as a SecureHttpApi's dashboard section.
    const sum = { statistic: cloudwatch.Stats.SUM };
    dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `## HTTP API ${i}`, width: 24, height: 1 }));
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Requests / errors',
        width: 8,
        left: [stage.metricCount({ ...sum, label: 'Requests' })],
        right: [stage.metricClientError({ ...sum, label: '4xx' }), stage.metricServerError({ ...sum, label: '5xx' })],
      }),
      new cloudwatch.GraphWidget({
        title: 'Error rates',
        width: 8,
        left: [
          stage.metricClientError({ statistic: cloudwatch.Stats.AVERAGE, label: '4xx rate' }),
          stage.metricServerError({ statistic: cloudwatch.Stats.AVERAGE, label: '5xx rate' }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Latency (ms)',
        width: 8,
        left: [
          ...[50, 90, 99].map((p) => stage.metricLatency({ statistic: cloudwatch.Stats.p(p), label: `Latency p${p}` })),
          stage.metricIntegrationLatency({ statistic: cloudwatch.Stats.p(90), label: 'Integration latency p90' }),
        ],
      }),
    );
  }
}

// --- Container services ----------------------------------------------------------------------------

const CERTIFICATE_ARN = `arn:aws:acm:${ENV.region}:${ENV.account}:certificate/11111111-2222-3333-4444-555555555555`;

/** The shared image repository and certificate of the container sections (imported: no resources). */
function containerInputs(stack: Stack): { repository: ecr.IRepository; certificate: acm.ICertificate } {
  return {
    repository: stack.node.tryFindChild('Images') as ecr.IRepository ?? ecr.Repository.fromRepositoryName(stack, 'Images', 'admin'),
    certificate: stack.node.tryFindChild('Certificate') as acm.ICertificate ?? acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN),
  };
}

function addBulwarkContainers(stack: Stack, n: number): void {
  const { repository, certificate } = containerInputs(stack);
  for (let i = 0; i < n; i++) {
    new ContainerService(stack, `Service${i}`, {
      complianceProfile: ComplianceProfile.STANDARD,
      image: ServiceImage.fromEcrRepository(repository, { tag: '1.4.2' }),
      certificate,
    });
  }
}

/**
 * What CDK offers for the same job: ApplicationLoadBalancedFargateService with the same image and
 * certificate and its own defaults (a new VPC with a NAT gateway per AZ, one X86_64 task, no firewall,
 * no access logs, no alarms). Less is built, so the ratio overstates the library's overhead.
 */
function addPlainContainers(stack: Stack, n: number): void {
  const { repository, certificate } = containerInputs(stack);
  for (let i = 0; i < n; i++) {
    new ecsPatterns.ApplicationLoadBalancedFargateService(stack, `Service${i}`, {
      taskImageOptions: { image: ecs.ContainerImage.fromEcrRepository(repository, '1.4.2'), containerPort: 8080 },
      certificate,
      redirectHTTP: true,
    });
  }
}

// --- Sections --------------------------------------------------------------------------------------

interface Section {
  readonly name: SectionName;
  /** One construct, for "per ..." rows. */
  readonly unit: string;
  /** What N of them are, for the table. */
  readonly heading: (n: number) => string;
  /** Each stack must hold exactly N of this type, one per construct: both sides built what they should. */
  readonly countedType: string;
  readonly add: Record<Side, (stack: Stack, n: number) => void>;
}

const SECTIONS: Record<SectionName, Section> = {
  worker: {
    name: 'worker',
    unit: 'worker',
    heading: (n) => `N=${n} QueueWorkers in one stack (STANDARD, inline code) vs plain L2 in another app`,
    countedType: 'AWS::Lambda::EventSourceMapping',
    add: { bulwark: addBulwarkWorkers, plain: addPlainWorkers },
  },
  topic: {
    name: 'topic',
    unit: 'topic',
    heading: (n) => `N=${n} SecureTopics (STANDARD), each with subscribeQueue() of a plain sqs.Queue (counted) and its dead-letter queue, vs plain L2`,
    countedType: 'AWS::SNS::Subscription',
    add: { bulwark: addBulwarkTopics, plain: addPlainTopics },
  },
  hub: {
    name: 'hub',
    unit: 'hub',
    heading: (n) => `N=${n} EventHubs (STANDARD), each with one route to a plain sqs.Queue (HubTarget.queue, counted), vs plain L2`,
    countedType: 'AWS::Events::Rule',
    add: { bulwark: addBulwarkHubs, plain: addPlainHubs },
  },
  api: {
    name: 'api',
    unit: 'API',
    heading: (n) => `N=${n} SecureApis (STANDARD), each with userPool (one imported pool) and GET ${API_PATH} to a plain lambda.Function `
      + '(counted), vs plain L2',
    countedType: 'AWS::WAFv2::WebACLAssociation',
    add: { bulwark: addBulwarkApis, plain: addPlainApis },
  },
  httpApi: {
    name: 'httpApi',
    unit: 'HTTP API',
    heading: (n) => `N=${n} SecureHttpApis (STANDARD), each with Cognito authorization (one imported pool and client) and GET ${API_PATH} `
      + 'to a plain lambda.Function (counted), vs plain L2',
    countedType: 'AWS::ApiGatewayV2::Route',
    add: { bulwark: addBulwarkHttpApis, plain: addPlainHttpApis },
  },
  workflow: {
    name: 'workflow',
    unit: 'workflow',
    heading: (n) => `N=${n} Workflows (STANDARD, a JSON definition) vs plain StateMachines with the same logging, tracing, timeout and alarms`,
    countedType: 'AWS::StepFunctions::StateMachine',
    add: { bulwark: addBulwarkWorkflows, plain: addPlainWorkflows },
  },
  table: {
    name: 'table',
    unit: 'table',
    heading: (n) => `N=${n} SecureTables (STANDARD, on demand) vs plain dynamodb.Tables with the same recovery settings, alarms and dashboard lines`,
    countedType: 'AWS::DynamoDB::Table',
    add: { bulwark: addBulwarkTables, plain: addPlainTables },
  },
  graphql: {
    name: 'graphql',
    unit: 'GraphQL API',
    heading: (n) => `N=${n} SecureGraphqlApis (STANDARD, user pool authorization, one getItem resolver on a SecureTable each) vs plain `
      + 'GraphqlApis with the same logs, limits, web ACL, resolver, table, alarms and dashboard lines',
    countedType: 'AWS::AppSync::Resolver',
    add: { bulwark: addBulwarkGraphqlApis, plain: addPlainGraphqlApis },
  },
  bucket: {
    name: 'bucket',
    unit: 'bucket',
    heading: (n) => `N=${n} SecureBuckets (STANDARD, each with an event route to one queue) vs plain s3.Buckets with the same hardening, log `
      + 'buckets, eventBridgeEnabled (CDK\'s notifications custom resource), a rule with retries and a dead-letter queue, alarms and dashboard lines',
    countedType: 'AWS::Events::Rule',
    add: { bulwark: addBulwarkBuckets, plain: addPlainBuckets },
  },
  stream: {
    name: 'stream',
    unit: 'stream',
    heading: (n) => `N=${n} StreamProcessors (STANDARD, one shard, a created consumer) vs plain kinesis.Streams with a function, a `
      + 'KinesisEventSource with the same retries and failure queue, alarms and dashboard lines',
    countedType: 'AWS::Kinesis::Stream',
    add: { bulwark: addBulwarkStreams, plain: addPlainStreams },
  },
  query: {
    name: 'query',
    unit: 'workgroup',
    heading: (n) => `N=${n} QueryWorkgroups (STANDARD, each with a table over one SecureBucket) vs plain athena.CfnWorkGroups with a `
      + 'results bucket, a Glue database and table, alarms and dashboard lines',
    countedType: 'AWS::Athena::WorkGroup',
    add: { bulwark: addBulwarkQueries, plain: addPlainQueries },
  },
  websocket: {
    name: 'websocket',
    unit: 'WebSocket API',
    heading: (n) => `N=${n} SecureWebSocketApis (STANDARD, IAM on $connect), each with a subscribe route to a plain lambda.Function, vs plain `
      + 'L2: the same API, stage, log groups, connections table, recorder function, alarms and dashboard lines',
    countedType: 'AWS::ApiGatewayV2::Api',
    add: { bulwark: addBulwarkWebSocketApis, plain: addPlainWebSocketApis },
  },
  database: {
    name: 'database',
    unit: 'database',
    heading: (n) => `N=${n} ServerlessDatabases (STANDARD, in the stack's shared network, each with a function granted IAM authentication) `
      + 'vs plain rds.DatabaseClusters with the same settings, log groups, security group rule, alarms and dashboard lines',
    countedType: 'AWS::RDS::DBCluster',
    add: { bulwark: addBulwarkDatabases, plain: addPlainDatabases },
  },
  container: {
    name: 'container',
    unit: 'service',
    heading: (n) => `N=${n} ContainerServices (STANDARD, an ECR image and a certificate, each with its own VPC) vs CDK's `
      + 'ApplicationLoadBalancedFargateService with the same image and certificate and its defaults (its own VPC, no firewall, alarms or access logs)',
    countedType: 'AWS::ECS::Service',
    add: { bulwark: addBulwarkContainers, plain: addPlainContainers },
  },
};

// --- Timing ------------------------------------------------------------------------------------------

/** Builds and synthesizes one app, timing construction and synthesis separately. */
function run(section: Section, side: Side, n: number): Run {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bulwark-bench-${section.name}-${side}-`));
  try {
    gc();
    const t0 = now();
    const app = benchApp(outdir);
    const stack = new Stack(app, side === 'bulwark' ? 'Bulwark' : 'Plain', { env: ENV });
    section.add[side](stack, n);
    const t1 = now();
    const assembly = app.synth();
    const t2 = now();

    const template = assembly.getStackArtifact(stack.artifactId).template as { Resources?: Record<string, { Type: string }> };
    const types: Record<string, number> = {};
    for (const resource of Object.values(template.Resources ?? {})) {
      types[resource.Type] = (types[resource.Type] ?? 0) + 1;
    }
    const counted = types[section.countedType] ?? 0;
    if (counted !== n) {
      throw new Error(`${section.name} ${side}: expected ${n} ${section.countedType}, found ${counted}`);
    }
    const resources = Object.values(types).reduce((a, b) => a + b, 0);
    return { constructMs: t1 - t0, synthMs: t2 - t1, resources, types };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Warm-up rounds, then interleaved rounds: each round runs every selected section, both sides,
 * and the side that goes first alternates from round to round.
 */
function constructRounds(): AllResults {
  const sections = ONLY.map((name) => SECTIONS[name]);
  const results: AllResults = {};
  // Resources per construct: shared resources are found from one-construct stacks (untimed).
  const one = new Map<SectionName, Record<Side, Run>>();
  for (const section of sections) {
    one.set(section.name, { bulwark: run(section, 'bulwark', 1), plain: run(section, 'plain', 1) });
  }
  for (let i = 0; i < WARMUP; i++) {
    for (const section of sections) {
      run(section, 'bulwark', sectionN(section.name));
      run(section, 'plain', sectionN(section.name));
    }
  }
  const runs = new Map<SectionName, Record<Side, Run[]>>(sections.map((s) => [s.name, { bulwark: [], plain: [] }]));
  for (let round = 0; round < ROUNDS; round++) {
    const order: Side[] = round % 2 === 0 ? ['bulwark', 'plain'] : ['plain', 'bulwark'];
    for (const section of sections) {
      for (const side of order) {
        runs.get(section.name)![side].push(run(section, side, sectionN(section.name)));
      }
    }
  }
  for (const section of sections) {
    results[section.name] = { one: one.get(section.name)!, runs: runs.get(section.name)! };
  }
  return results;
}

/** Runs `constructRounds()` in a plain `node` process: this file, transpiled, compiled as if it were bench.ts. */
function constructRoundsInWorker(): AllResults {
  // Loaded here only: the worker must not pay for TypeScript.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const js = ts.transpileModule(fs.readFileSync(__filename, 'utf8'), {
    fileName: __filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  const loader = [
    'const Module = require("module");',
    'const file = process.env.BENCH_FILE;',
    'const m = new Module(file, null);',
    'm.filename = file;',
    'm.paths = Module._nodeModulePaths(require("path").dirname(file));',
    'm._compile(require("fs").readFileSync(0, "utf8"), file);',
  ].join(' ');
  const child = spawnSync(process.execPath, ['-e', loader], {
    cwd: ROOT,
    input: js,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      BENCH_WORKER: '1',
      BENCH_FILE: __filename,
      BENCH_ONLY: ONLY.join(','),
      ...Object.fromEntries(SECTION_NAMES.map((name) => [`BENCH_N_${name.toUpperCase()}`, String(sectionN(name))])),
      BENCH_ROUNDS: String(ROUNDS),
      BENCH_WARMUP: String(WARMUP),
    },
  });
  if (child.status !== 0) {
    throw new Error(`bench worker failed with status ${child.status}`);
  }
  const line = child.stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (!line) {
    throw new Error(`bench worker printed no result: ${child.stdout.slice(0, 500)}`);
  }
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as AllResults;
}

// --- require() time ----------------------------------------------------------------------------

interface LibDependencies {
  /** Bare module specifiers the compiled library requires when it loads (aws-cdk-lib and its submodules, constructs). */
  readonly eager: string[];
  /** Required only inside functions (`require('cdk-nag')` in ComplianceChecks): not loaded by `require('lib')`. */
  readonly lazy: string[];
}

/**
 * The bare module specifiers the compiled library requires, in the files `lib/index.js` reaches
 * through relative requires (a compiled file nothing exports yet loads nothing); tsc emits
 * `require("x")` for imports, lazy loads keep the source's quotes.
 */
function libDependencies(): LibDependencies {
  const eager = new Set<string>();
  const lazy = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) {
      return;
    }
    seen.add(file);
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(/require\("(\.[^"]*)"\)/g)) {
      const target = path.resolve(path.dirname(file), match[1]);
      visit([`${target}.js`, target, path.join(target, 'index.js')].find((f) => fs.existsSync(f) && fs.statSync(f).isFile())
        ?? fail(`${path.relative(ROOT, file)} requires '${match[1]}', which is not in lib/`));
    }
    for (const match of text.matchAll(/require\("([^".][^"]*)"\)/g)) {
      eager.add(match[1]);
    }
    for (const match of text.matchAll(/require\('([^'.][^']*)'\)/g)) {
      lazy.add(match[1]);
    }
  };
  visit(path.join(LIB, 'index.js'));
  // aws-cdk-lib first, so that a submodule is never timed loading its parent alone.
  const order = (a: string, b: string): number => (a === 'aws-cdk-lib' ? -1 : b === 'aws-cdk-lib' ? 1 : a.localeCompare(b));
  return { eager: [...eager].sort(order), lazy: [...lazy].filter((m) => !eager.has(m)).sort(order) };
}

/** Classes the library uses from each module: aws-cdk-lib loads lazily, so requiring alone skips most of the work. */
/** N StreamProcessors: a provisioned stream each and its created consumer. */
function addBulwarkStreams(stack: Stack, n: number): void {
  for (let i = 0; i < n; i++) {
    new StreamProcessor(stack, `Stream${i}`, {
      complianceProfile: ComplianceProfile.STANDARD,
      shardCount: 1,
      handlerProps: { code: lambda.Code.fromInline(CODE), handler: 'index.handler' },
    });
  }
}

/**
 * The same by hand: a provisioned stream (aws/kinesis, retained), a function with a log group, its
 * event source mapping with bounded retries, bisect, partial batch responses and a failure queue, and
 * the iterator-age, failure-queue, write-throttle and handler alarms.
 */
function addPlainStreams(stack: Stack, n: number): void {
  const { action, dashboard } = plainAlarmPlumbing(stack);
  for (let i = 0; i < n; i++) {
    const scope = new Construct(stack, `Stream${i}`);
    const stream = new kinesis.Stream(scope, 'Stream', { shardCount: 1, encryption: kinesis.StreamEncryption.MANAGED, removalPolicy: RemovalPolicy.RETAIN });
    const fn = new lambda.Function(scope, 'Handler', {
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      code: lambda.Code.fromInline(CODE),
      handler: 'index.handler',
      tracing: lambda.Tracing.ACTIVE,
      logGroup: new logs.LogGroup(scope, 'Logs', { retention: logs.RetentionDays.ONE_YEAR }),
    });
    const failures = new sqs.Queue(scope, 'Failures', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    fn.addEventSource(new eventsources.KinesisEventSource(stream, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 100,
      retryAttempts: 3,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      onFailure: new eventsources.SqsDlq(failures),
    }));
    const period = Duration.minutes(5);
    plainAlarm(scope, 'IteratorAgeAlarm', action, fn.metric('IteratorAge', { statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(1) }), 300000, 5);
    plainAlarm(scope, 'FailuresAlarm', action, failures.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(1) }));
    plainAlarm(scope, 'WriteThrottlesAlarm', action, stream.metricWriteProvisionedThroughputExceeded({ statistic: cloudwatch.Stats.SUM, period }));
    plainAlarm(scope, 'ErrorsAlarm', action, fn.metricErrors({ period }));
    plainAlarm(scope, 'ThrottlesAlarm', action, fn.metricThrottles({ period }));
    dashboard.addWidgets(new cloudwatch.GraphWidget({ title: `Stream ${i}`, width: 8, left: [stream.metricIncomingRecords()] }));
  }
}

/** N QueryWorkgroups, each with its results bucket and a table over a shared SecureBucket. */
function addBulwarkQueries(stack: Stack, n: number): void {
  const data = new SecureBucket(stack, 'Data', { complianceProfile: ComplianceProfile.STANDARD });
  for (let i = 0; i < n; i++) {
    const workgroup = new QueryWorkgroup(stack, `Query${i}`, { complianceProfile: ComplianceProfile.STANDARD });
    workgroup.addTable('Orders', { bucket: data, prefix: `orders${i}/`, columns: [{ name: 'order_id', dataType: 'string' }, { name: 'total', dataType: 'double' }] });
  }
}

/**
 * The same by hand: a hardened data bucket, and per workgroup an enforced workgroup with a cutoff and
 * engine 3 writing to a hardened, expiring results bucket, a Glue database and table, and the two alarms.
 */
function addPlainQueries(stack: Stack, n: number): void {
  const { action, dashboard } = plainAlarmPlumbing(stack);
  const hardened = {
    encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, versioned: true,
  };
  const data = new s3.Bucket(stack, 'Data', { ...hardened, removalPolicy: RemovalPolicy.RETAIN });
  for (let i = 0; i < n; i++) {
    const scope = new Construct(stack, `Query${i}`);
    const results = new s3.Bucket(scope, 'Results', { ...hardened, lifecycleRules: [{ expiration: Duration.days(30) }] });
    const workgroup = new athena.CfnWorkGroup(scope, 'WorkGroup', {
      name: `bench-${i}-${stack.node.addr.slice(0, 8)}`,
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: { outputLocation: `s3://${results.bucketName}/results/`, encryptionConfiguration: { encryptionOption: 'SSE_S3' } },
      },
    });
    const database = new glue.CfnDatabase(scope, 'Database', { catalogId: stack.account, databaseInput: { name: `bench_${i}` } });
    const table = new glue.CfnTable(scope, 'Orders', {
      catalogId: stack.account,
      databaseName: `bench_${i}`,
      tableInput: {
        name: 'orders',
        tableType: 'EXTERNAL_TABLE',
        storageDescriptor: {
          location: `s3://${data.bucketName}/orders${i}/`,
          columns: [{ name: 'order_id', type: 'string' }, { name: 'total', type: 'double' }],
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: { serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
        },
      },
    });
    table.addDependency(database);
    const metric = (metricName: string, statistic: string) => new cloudwatch.Metric({
      namespace: 'AWS/Athena', metricName, dimensionsMap: { WorkGroup: workgroup.ref }, statistic, period: Duration.minutes(5),
    });
    plainAlarm(scope, 'FailedQueriesAlarm', action, metric('TotalExecutionTime', cloudwatch.Stats.SAMPLE_COUNT));
    plainAlarm(scope, 'ProcessedBytesAlarm', action, metric('ProcessedBytes', cloudwatch.Stats.SUM), 10 ** 12);
    dashboard.addWidgets(new cloudwatch.GraphWidget({ title: `Workgroup ${i}`, width: 8, left: [metric('ProcessedBytes', cloudwatch.Stats.SUM)] }));
  }
}

/** N ServerlessDatabases in one VPC (the stack's shared network), each with a function granted IAM authentication. */
function addBulwarkDatabases(stack: Stack, n: number): void {
  for (let i = 0; i < n; i++) {
    const db = new ServerlessDatabase(stack, `Db${i}`, { complianceProfile: ComplianceProfile.STANDARD });
    const fn = new SecureFunction(stack, `Api${i}`, { complianceProfile: ComplianceProfile.STANDARD, code: lambda.Code.fromInline(CODE), handler: 'index.handler', vpc: db.vpc });
    db.grantConnect(fn, 'app');
  }
}

/**
 * The same by hand: one isolated VPC with flow logs, and per database an Aurora Serverless v2 cluster
 * (scale to zero, managed password, IAM auth, TLS parameter, exported log in a pre-created log group),
 * a function in the VPC allowed to connect, the five alarms and dashboard lines.
 */
function addPlainDatabases(stack: Stack, n: number): void {
  const { action, dashboard } = plainAlarmPlumbing(stack);
  const vpc = new ec2.Vpc(stack, 'Network', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(stack, 'FlowLogs', { retention: logs.RetentionDays.ONE_YEAR })) });
  for (let i = 0; i < n; i++) {
    const scope = new Construct(stack, `Db${i}`);
    const identifier = `db${i}-${stack.node.addr.slice(0, 8)}`;
    const logGroup = new logs.LogGroup(scope, 'Log', { logGroupName: `/aws/rds/cluster/${identifier}/postgresql`, retention: logs.RetentionDays.ONE_YEAR });
    const cluster = new rds.DatabaseCluster(scope, 'Cluster', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_17_5 }),
      clusterIdentifier: identifier,
      writer: rds.ClusterInstance.serverlessV2('Writer', { enablePerformanceInsights: true, publiclyAccessible: false }),
      serverlessV2MinCapacity: 0,
      serverlessV2MaxCapacity: 2,
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      credentials: rds.Credentials.fromUsername('postgres'),
      manageMasterUserPassword: true,
      iamAuthentication: true,
      storageEncrypted: true,
      parameters: { 'rds.force_ssl': '1' },
      backup: { retention: Duration.days(7) },
      cloudwatchLogsExports: ['postgresql'],
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
    });
    cluster.node.addDependency(logGroup);
    const fn = new lambda.Function(scope, 'Api', {
      runtime: lambda.Runtime.NODEJS_24_X,
      code: lambda.Code.fromInline(CODE),
      handler: 'index.handler',
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    });
    cluster.connections.allowDefaultPortFrom(fn);
    cluster.grantConnect(fn, 'app');
    for (const metricName of ['CPUUtilization', 'ACUUtilization', 'DatabaseConnections', 'FreeableMemory', 'FreeLocalStorage']) {
      plainAlarm(scope, `${metricName}Alarm`, action, cluster.metric(metricName, { statistic: cloudwatch.Stats.AVERAGE }), 90, 5);
    }
    dashboard.addWidgets(new cloudwatch.GraphWidget({ title: `Database ${i}`, width: 8, left: [cluster.metricServerlessDatabaseCapacity()] }));
  }
}

const USED_CLASSES: Record<string, string[]> = {
  'aws-cdk-lib': ['Stack', 'Duration', 'Annotations', 'Validations', 'Token', 'RemovalPolicy', 'Aws', 'Names', 'CfnResource', 'Fn', 'ArnFormat', 'Stage'],
  'aws-cdk-lib/aws-sqs': ['Queue', 'QueuePolicy'],
  'aws-cdk-lib/aws-lambda': ['Function', 'Runtime'],
  'aws-cdk-lib/aws-lambda-event-sources': ['SqsEventSource'],
  'aws-cdk-lib/aws-cloudwatch': ['Alarm', 'Dashboard', 'GraphWidget', 'Metric'],
  'aws-cdk-lib/aws-cloudwatch-actions': ['SnsAction'],
  'aws-cdk-lib/aws-sns': ['Topic', 'Subscription', 'SubscriptionFilter'],
  'aws-cdk-lib/aws-sns-subscriptions': ['EmailSubscription', 'LambdaSubscription'],
  'aws-cdk-lib/aws-kms': ['Key'],
  'aws-cdk-lib/aws-kinesis': ['CfnStream', 'Stream', 'StreamConsumer'],
  'aws-cdk-lib/aws-athena': ['CfnWorkGroup'],
  'aws-cdk-lib/aws-glue': ['CfnDatabase', 'CfnTable'],
  'aws-cdk-lib/aws-iam': ['Role', 'ManagedPolicy', 'PolicyStatement', 'ServicePrincipal', 'Grant'],
  'aws-cdk-lib/aws-logs': ['LogGroup', 'RetentionDays'],
  'aws-cdk-lib/aws-stepfunctions': ['StateMachine', 'DefinitionBody'],
  'aws-cdk-lib/aws-stepfunctions-tasks': ['LambdaInvoke'],
  'aws-cdk-lib/aws-ec2': ['Vpc', 'SecurityGroup'],
  'aws-cdk-lib/aws-ecs': ['Cluster', 'FargateService', 'FargateTaskDefinition', 'ContainerImage', 'LinuxParameters', 'LogDrivers'],
  'aws-cdk-lib/aws-elasticloadbalancingv2': ['ApplicationLoadBalancer', 'ApplicationTargetGroup', 'ListenerAction'],
  'aws-cdk-lib/aws-s3': ['Bucket'],
  'aws-cdk-lib/aws-rds': ['DatabaseCluster', 'ClusterInstance', 'Credentials', 'DatabaseClusterEngine', 'AuroraPostgresEngineVersion'],
  'aws-cdk-lib/aws-backup': ['BackupPlan', 'BackupVault', 'BackupResource'],
  'aws-cdk-lib/aws-dynamodb': ['TableV2', 'Table', 'AttributeType'],
  'aws-cdk-lib/aws-appsync': ['GraphqlApi', 'Definition', 'MappingTemplate'],
  'aws-cdk-lib/aws-events': ['EventBus', 'Archive', 'Rule', 'CfnRule'],
  'aws-cdk-lib/aws-events-targets': ['LambdaFunction', 'SfnStateMachine', 'EventBus', 'bindBaseTargetConfig'],
  'aws-cdk-lib/aws-scheduler': ['Schedule', 'ScheduleGroup', 'TimeWindow'],
  'aws-cdk-lib/aws-apigateway': ['RestApi', 'Stage', 'LogGroupLogDestination', 'AccessLogFormat', 'CognitoUserPoolsAuthorizer',
    'LambdaIntegration', 'RequestValidator', 'CfnAccount'],
  'aws-cdk-lib/aws-wafv2': ['CfnWebACL', 'CfnLoggingConfiguration', 'CfnWebACLAssociation'],
  'aws-cdk-lib/aws-cognito': ['UserPool', 'UserPoolClient', 'UserPoolDomain', 'UserPoolGroup', 'CfnUserPool', 'OAuthScope'],
  'aws-cdk-lib/aws-apigatewayv2': ['HttpApi', 'HttpStage', 'HttpRoute', 'HttpRouteKey', 'LogGroupLogDestination', 'WebSocketApi', 'WebSocketStage',
    'WebSocketRoute'],
  'aws-cdk-lib/aws-apigatewayv2-authorizers': ['HttpUserPoolAuthorizer', 'HttpJwtAuthorizer', 'HttpIamAuthorizer', 'HttpLambdaAuthorizer',
    'WebSocketIamAuthorizer', 'WebSocketLambdaAuthorizer'],
  'aws-cdk-lib/aws-apigatewayv2-integrations': ['HttpLambdaIntegration', 'WebSocketLambdaIntegration'],
  'cdk-nag': ['AwsSolutionsChecks', 'ServerlessChecks'],
  'constructs': ['Construct'],
};

interface RequireVariant {
  readonly name: string;
  readonly script: string;
}

function fail(message: string): never {
  throw new Error(message);
}

function timedScript(body: string): string {
  return `const t0 = process.hrtime.bigint(); ${body}; process.stdout.write(String(Number(process.hrtime.bigint() - t0) / 1e6));`;
}

function requireVariants(modules: string[]): RequireVariant[] {
  const resolved = (m: string): string => JSON.stringify(require.resolve(m, { paths: [ROOT] }));
  const requireAll = (list: string[]): string => list.map((m) => `require(${resolved(m)})`).join('; ');
  const touchAll = (list: string[]): string => list.map((m) =>
    `{ const m = require(${resolved(m)}); ${(USED_CLASSES[m] ?? []).map((c) => `void m[${JSON.stringify(c)}]`).join('; ')} }`).join(' ');
  return [
    { name: 'lib', script: timedScript(`require(${JSON.stringify(LIB)})`) },
    { name: 'modules', script: timedScript(requireAll(modules)) },
    { name: 'modulesTouched', script: timedScript(touchAll(modules)) },
    { name: 'cdkNag', script: timedScript(requireAll(['cdk-nag'])) },
  ];
}

function timeRequire(variant: RequireVariant): number {
  const child = spawnSync(process.execPath, ['-e', variant.script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  if (child.status !== 0) {
    throw new Error(`require timing '${variant.name}' failed: ${child.stderr}`);
  }
  return Number(child.stdout);
}

// --- Main ----------------------------------------------------------------------------------------

function load(avg: number[]): string {
  return avg.map((x) => x.toFixed(1)).join('/');
}

function fmt(value: number, digits = 1): string {
  return value.toFixed(digits);
}

function gitInfo(): { commit?: string; srcDirty?: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const srcDirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return { commit, srcDirty };
  } catch {
    return {};
  }
}

/** Medians and ratios of one section. */
function summarize(results: ConstructResults, n: number) {
  const summary = (side: Side) => {
    const r = results.runs[side];
    const resources = r[0].resources;
    const perConstruct = n > 1 ? (resources - results.one[side].resources) / (n - 1) : resources;
    const constructMs = median(r.map((x) => x.constructMs));
    const synthMs = median(r.map((x) => x.synthMs));
    const totalMs = median(r.map((x) => x.constructMs + x.synthMs));
    return {
      constructMs,
      synthMs,
      totalMs,
      resources,
      resourcesPerConstruct: perConstruct,
      sharedResources: resources - perConstruct * n,
      msPerResource: totalMs / resources,
      msPerConstruct: totalMs / n,
      samples: r.map((x) => ({ constructMs: x.constructMs, synthMs: x.synthMs })),
      resourceTypes: r[0].types,
    };
  };
  const b = summary('bulwark');
  const p = summary('plain');
  const ratios = {
    construct: b.constructMs / p.constructMs,
    synth: b.synthMs / p.synthMs,
    total: b.totalMs / p.totalMs,
    perConstruct: b.msPerConstruct / p.msPerConstruct,
    perResource: b.msPerResource / p.msPerResource,
    constructPerResource: (b.constructMs / b.resources) / (p.constructMs / p.resources),
    synthPerResource: (b.synthMs / b.resources) / (p.synthMs / p.resources),
  };
  return { n, bulwark: b, plain: p, ratios };
}

function main(): void {
  const cdkVersion = (JSON.parse(fs.readFileSync(require.resolve('aws-cdk-lib/package.json', { paths: [ROOT] }), 'utf8')) as { version: string }).version;

  const loadBefore = os.loadavg();
  const where = IN_PROCESS ? 'timed in the ts-node process' : 'timed in a plain node child process (no ts-node)';
  const all = IN_PROCESS ? constructRounds() : constructRoundsInWorker();
  const sections = Object.fromEntries(ONLY.map((name) => [name, summarize(all[name]!, sectionN(name))]));

  // require() time: one warm-up child per variant (file cache), then interleaved samples.
  const { eager: modules, lazy } = libDependencies();
  const untouched = modules.filter((m) => USED_CLASSES[m] === undefined);
  const variants = requireVariants(modules);
  variants.forEach(timeRequire);
  const requireSamples: Record<string, number[]> = Object.fromEntries(variants.map((v) => [v.name, [] as number[]]));
  for (let i = 0; i < REQUIRE_SAMPLES; i++) {
    for (const v of variants) {
      requireSamples[v.name].push(timeRequire(v));
    }
  }
  const req = Object.fromEntries(variants.map((v) => [v.name, median(requireSamples[v.name])])) as Record<string, number>;

  // Table.
  const validation = 'validation OFF (CDK_VALIDATION=false, builtinCloudFormationValidation: false, no plugins, no CloudFormation Validate flags)';
  const lines: string[] = [];
  const row = (label: string, bv: string, pv: string, ratio = ''): void => {
    lines.push(`${label.padEnd(26)}${bv.padStart(10)}${pv.padStart(10)}${ratio.padStart(9)}`);
  };
  lines.push(`cdk-bulwark bench: sections ${ONLY.join(', ')}; each builds N constructs in one stack vs plain L2 in another app, same process;`);
  lines.push(`  ${ROUNDS} interleaved rounds after ${WARMUP} warm-up round(s), medians; ${where}`);
  lines.push(`  ${validation}: construct + synth only`);
  lines.push(`  node ${process.version}, aws-cdk-lib ${cdkVersion}, ${os.cpus().length} CPUs, load average ${load(loadBefore)} before, ${load(os.loadavg())} after`);
  for (const name of ONLY) {
    const { unit, heading } = SECTIONS[name];
    const { n, bulwark: b, plain: p, ratios } = sections[name];
    lines.push('');
    lines.push(`[${name}] ${heading(n)}`);
    row('', 'bulwark', 'plain', 'b/p');
    row('construct (ms)', fmt(b.constructMs), fmt(p.constructMs), `${fmt(ratios.construct, 2)}x`);
    row('synth (ms)', fmt(b.synthMs), fmt(p.synthMs), `${fmt(ratios.synth, 2)}x`);
    row('construct + synth (ms)', fmt(b.totalMs), fmt(p.totalMs), `${fmt(ratios.total, 2)}x`);
    row('resources in stack', String(b.resources), String(p.resources), `${fmt(b.resources / p.resources, 2)}x`);
    if (n > 1) {
      row(`  per ${unit}`, fmt(b.resourcesPerConstruct, 0), fmt(p.resourcesPerConstruct, 0));
      row('  shared (once per stack)', fmt(b.sharedResources, 0), fmt(p.sharedResources, 0));
    }
    row(`ms per ${unit}`, fmt(b.msPerConstruct, 2), fmt(p.msPerConstruct, 2), `${fmt(ratios.perConstruct, 2)}x`);
    row('ms per resource', fmt(b.msPerResource, 3), fmt(p.msPerResource, 3), `${fmt(ratios.perResource, 2)}x`);
    row('  construct / resource', fmt(b.constructMs / b.resources, 3), fmt(p.constructMs / p.resources, 3), `${fmt(ratios.constructPerResource, 2)}x`);
    row('  synth / resource', fmt(b.synthMs / b.resources, 3), fmt(p.synthMs / p.resources, 3), `${fmt(ratios.synthPerResource, 2)}x`);
  }
  lines.push('');
  lines.push(`require() in a fresh node process, median of ${REQUIRE_SAMPLES} (ms):`);
  const reqRow = (label: string, value: number, ratio?: number): void => {
    lines.push(`  ${label.padEnd(58)}${fmt(value).padStart(8)}${ratio === undefined ? '' : `   lib/this ${fmt(ratio, 2)}x`}`);
  };
  reqRow('require(\'lib\')', req.lib);
  reqRow(`its ${modules.length} modules, require only`, req.modules, req.lib / req.modules);
  reqRow(`its ${modules.length} modules + touch classes used`, req.modulesTouched, req.lib / req.modulesTouched);
  reqRow('cdk-nag alone, require only (ComplianceChecks loads it)', req.cdkNag);
  lines.push(`  modules: ${modules.join(', ')}`);
  if (lazy.length > 0) {
    lines.push(`  loaded lazily, not by require('lib'): ${lazy.join(', ')}`);
  }
  if (untouched.length > 0) {
    lines.push(`  no classes listed to touch (add them to USED_CLASSES): ${untouched.join(', ')}`);
  }
  console.log(lines.join('\n'));

  const result = {
    date: new Date().toISOString(),
    node: process.version,
    awsCdkLib: cdkVersion,
    cpus: os.cpus().length,
    git: gitInfo(),
    rounds: ROUNDS,
    warmupRounds: WARMUP,
    timedIn: where,
    loadAverage: { before: loadBefore, after: os.loadavg() },
    validation,
    sections,
    require: {
      samples: REQUIRE_SAMPLES,
      modules,
      lazyModules: lazy,
      medianMs: req,
      samplesMs: requireSamples,
      ratios: {
        libVsModules: req.lib / req.modules,
        libVsModulesTouched: req.lib / req.modulesTouched,
      },
    },
  };
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.writeFileSync(RESULTS, JSON.stringify(result, null, 2) + '\n');
  console.log(`\nwritten: ${path.relative(ROOT, RESULTS)}`);
}

if (IS_WORKER) {
  process.stdout.write(`\n${RESULT_PREFIX}${JSON.stringify(constructRounds())}\n`);
} else {
  main();
}
