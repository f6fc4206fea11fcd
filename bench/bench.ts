// Benchmark, not a test (DESIGN.md §4, Speed). Run with `npx projen bench`.
//
// 1. Construct + synth time of N QueueWorkers in one stack vs the same kind of resources written
//    with plain aws-cdk-lib L2 constructs, interleaved in one process.
// 2. Time to `require` the compiled library vs the aws-cdk-lib modules (and cdk-nag) it uses,
//    each in fresh node processes.
//
// Usage: bench.ts [N] [ROUNDS]  (or BENCH_N, BENCH_ROUNDS; defaults 20 and 5; BENCH_WARMUP rounds, default 2)
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
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as eventsources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
// The compiled jsii output: what users run.
import { ComplianceProfile, QueueWorker } from '../lib';

const ROOT = path.resolve(__dirname, '..');
const LIB = path.join(ROOT, 'lib');
const RESULTS = path.join(__dirname, 'results', 'latest.json');
const ENV = { account: '123456789012', region: 'eu-west-1' };
const CODE = 'exports.handler = async () => ({ batchItemFailures: [] });';
const REQUIRE_SAMPLES = 5;
/** Marks the worker's result line on its stdout. */
const RESULT_PREFIX = 'BENCH_RESULT ';

type Side = 'bulwark' | 'plain';

interface Run {
  readonly constructMs: number;
  readonly synthMs: number;
  readonly resources: number;
  readonly types: Record<string, number>;
}

/** What the timed rounds return (from the worker process as JSON). */
interface ConstructResults {
  readonly one: Record<Side, Run>;
  readonly runs: Record<Side, Run[]>;
}

function intArg(envName: string, fallback: number, argIndex?: number, min = 1): number {
  const raw = (argIndex === undefined ? undefined : process.argv[argIndex]) ?? process.env[envName];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${envName} must be an integer of at least ${min}, got '${raw}'`);
  }
  return value;
}

const N = intArg('BENCH_N', 20, 2);
const ROUNDS = intArg('BENCH_ROUNDS', 5, 3);
const WARMUP = intArg('BENCH_WARMUP', 2, undefined, 0);
const IN_PROCESS = process.env.BENCH_IN_PROCESS === '1';
const IS_WORKER = process.env.BENCH_WORKER === '1';

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

// --- The two sides ---------------------------------------------------------------------------

function addBulwark(stack: Stack, n: number): void {
  for (let i = 0; i < n; i++) {
    new QueueWorker(stack, `Worker${i}`, {
      complianceProfile: ComplianceProfile.STANDARD,
      handlerProps: { code: lambda.Code.fromInline(CODE), handler: 'index.handler' },
    });
  }
}

/** What a careful user writes by hand for the same kind of resources (the library's defaults, STANDARD). */
function addPlain(stack: Stack, n: number): void {
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

/** Builds and synthesizes one app, timing construction and synthesis separately. */
function run(side: Side, n: number): Run {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bulwark-bench-${side}-`));
  try {
    gc();
    const t0 = now();
    const app = benchApp(outdir);
    const stack = new Stack(app, side === 'bulwark' ? 'Bulwark' : 'Plain', { env: ENV });
    (side === 'bulwark' ? addBulwark : addPlain)(stack, n);
    const t1 = now();
    const assembly = app.synth();
    const t2 = now();

    const template = assembly.getStackArtifact(stack.artifactId).template as { Resources?: Record<string, { Type: string }> };
    const types: Record<string, number> = {};
    for (const resource of Object.values(template.Resources ?? {})) {
      types[resource.Type] = (types[resource.Type] ?? 0) + 1;
    }
    const mappings = types['AWS::Lambda::EventSourceMapping'] ?? 0;
    if (mappings !== n) {
      throw new Error(`${side}: expected ${n} event source mappings, found ${mappings}`);
    }
    const resources = Object.values(types).reduce((a, b) => a + b, 0);
    return { constructMs: t1 - t0, synthMs: t2 - t1, resources, types };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Warm-up rounds, then interleaved rounds; the side that goes first alternates. */
function constructRounds(): ConstructResults {
  // Resources per worker: shared resources are found from one-worker stacks (untimed).
  const one: Record<Side, Run> = { bulwark: run('bulwark', 1), plain: run('plain', 1) };
  for (let i = 0; i < WARMUP; i++) {
    run('bulwark', N);
    run('plain', N);
  }
  const runs: Record<Side, Run[]> = { bulwark: [], plain: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const order: Side[] = round % 2 === 0 ? ['bulwark', 'plain'] : ['plain', 'bulwark'];
    for (const side of order) {
      runs[side].push(run(side, N));
    }
  }
  return { one, runs };
}

/** Runs `constructRounds()` in a plain `node` process: this file, transpiled, compiled as if it were bench.ts. */
function constructRoundsInWorker(): ConstructResults {
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
      BENCH_N: String(N),
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
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as ConstructResults;
}

// --- require() time ----------------------------------------------------------------------------

/** The bare module specifiers the compiled library requires (aws-cdk-lib and its submodules, cdk-nag, constructs). */
function libDependencies(): string[] {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(file);
      } else if (entry.name.endsWith('.js')) {
        for (const match of fs.readFileSync(file, 'utf8').matchAll(/require\("([^".][^"]*)"\)/g)) {
          found.add(match[1]);
        }
      }
    }
  };
  walk(LIB);
  // aws-cdk-lib first, so that a submodule is never timed loading its parent alone.
  return [...found].sort((a, b) => (a === 'aws-cdk-lib' ? -1 : b === 'aws-cdk-lib' ? 1 : a.localeCompare(b)));
}

/** Classes the library uses from each module: aws-cdk-lib loads lazily, so requiring alone skips most of the work. */
const USED_CLASSES: Record<string, string[]> = {
  'aws-cdk-lib': ['Stack', 'Duration', 'Annotations', 'Validations', 'Token', 'RemovalPolicy', 'Aws'],
  'aws-cdk-lib/aws-sqs': ['Queue'],
  'aws-cdk-lib/aws-lambda': ['Function', 'Runtime'],
  'aws-cdk-lib/aws-lambda-event-sources': ['SqsEventSource'],
  'aws-cdk-lib/aws-cloudwatch': ['Alarm', 'Dashboard', 'GraphWidget'],
  'aws-cdk-lib/aws-cloudwatch-actions': ['SnsAction'],
  'aws-cdk-lib/aws-sns': ['Topic'],
  'aws-cdk-lib/aws-sns-subscriptions': ['EmailSubscription'],
  'aws-cdk-lib/aws-kms': ['Key'],
  'aws-cdk-lib/aws-iam': ['Role', 'ManagedPolicy', 'PolicyStatement'],
  'aws-cdk-lib/aws-logs': ['LogGroup', 'RetentionDays'],
  'aws-cdk-lib/aws-ec2': ['Vpc', 'SecurityGroup'],
  'cdk-nag': ['AwsSolutionsChecks', 'ServerlessChecks'],
  'constructs': ['Construct'],
};

interface RequireVariant {
  readonly name: string;
  readonly script: string;
}

function timedScript(body: string): string {
  return `const t0 = process.hrtime.bigint(); ${body}; process.stdout.write(String(Number(process.hrtime.bigint() - t0) / 1e6));`;
}

function requireVariants(modules: string[]): RequireVariant[] {
  const resolved = (m: string): string => JSON.stringify(require.resolve(m, { paths: [ROOT] }));
  const requireAll = (list: string[]): string => list.map((m) => `require(${resolved(m)})`).join('; ');
  const touchAll = (list: string[]): string => list.map((m) =>
    `{ const m = require(${resolved(m)}); ${(USED_CLASSES[m] ?? []).map((c) => `void m[${JSON.stringify(c)}]`).join('; ')} }`).join(' ');
  const withoutNag = modules.filter((m) => m !== 'cdk-nag');
  return [
    { name: 'lib', script: timedScript(`require(${JSON.stringify(LIB)})`) },
    { name: 'modules', script: timedScript(requireAll(modules)) },
    { name: 'modulesTouched', script: timedScript(touchAll(modules)) },
    { name: 'modulesTouchedWithoutCdkNag', script: timedScript(touchAll(withoutNag)) },
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

function main(): void {
  const cdkVersion = (JSON.parse(fs.readFileSync(require.resolve('aws-cdk-lib/package.json', { paths: [ROOT] }), 'utf8')) as { version: string }).version;

  const loadBefore = os.loadavg();
  const where = IN_PROCESS ? 'timed in the ts-node process' : 'timed in a plain node child process (no ts-node)';
  const { one, runs } = IN_PROCESS ? constructRounds() : constructRoundsInWorker();

  const summary = (side: Side) => {
    const r = runs[side];
    const resources = r[0].resources;
    const perWorker = N > 1 ? (resources - one[side].resources) / (N - 1) : resources;
    const constructMs = median(r.map((x) => x.constructMs));
    const synthMs = median(r.map((x) => x.synthMs));
    const totalMs = median(r.map((x) => x.constructMs + x.synthMs));
    return {
      constructMs,
      synthMs,
      totalMs,
      resources,
      resourcesPerWorker: perWorker,
      sharedResources: resources - perWorker * N,
      msPerResource: totalMs / resources,
      msPerWorker: totalMs / N,
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
    perWorker: b.msPerWorker / p.msPerWorker,
    perResource: b.msPerResource / p.msPerResource,
    constructPerResource: (b.constructMs / b.resources) / (p.constructMs / p.resources),
    synthPerResource: (b.synthMs / b.resources) / (p.synthMs / p.resources),
  };

  // require() time: one warm-up child per variant (file cache), then interleaved samples.
  const modules = libDependencies();
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
  lines.push(`cdk-bulwark bench: N=${N} QueueWorkers in one stack (STANDARD, inline code) vs plain L2 in another app, same process;`);
  lines.push(`  ${ROUNDS} interleaved rounds after ${WARMUP} warm-up round(s), medians; ${where}`);
  lines.push(`  ${validation}: construct + synth only`);
  lines.push(`  node ${process.version}, aws-cdk-lib ${cdkVersion}, ${os.cpus().length} CPUs, load average ${load(loadBefore)} before, ${load(os.loadavg())} after`);
  lines.push('');
  row('', 'bulwark', 'plain', 'b/p');
  row('construct (ms)', fmt(b.constructMs), fmt(p.constructMs), `${fmt(ratios.construct, 2)}x`);
  row('synth (ms)', fmt(b.synthMs), fmt(p.synthMs), `${fmt(ratios.synth, 2)}x`);
  row('construct + synth (ms)', fmt(b.totalMs), fmt(p.totalMs), `${fmt(ratios.total, 2)}x`);
  row('resources in stack', String(b.resources), String(p.resources), `${fmt(b.resources / p.resources, 2)}x`);
  if (N > 1) {
    row('  per worker', fmt(b.resourcesPerWorker, 0), fmt(p.resourcesPerWorker, 0));
    row('  shared (once per stack)', fmt(b.sharedResources, 0), fmt(p.sharedResources, 0));
  }
  row('ms per worker', fmt(b.msPerWorker, 2), fmt(p.msPerWorker, 2), `${fmt(ratios.perWorker, 2)}x`);
  row('ms per resource', fmt(b.msPerResource, 3), fmt(p.msPerResource, 3), `${fmt(ratios.perResource, 2)}x`);
  row('  construct / resource', fmt(b.constructMs / b.resources, 3), fmt(p.constructMs / p.resources, 3), `${fmt(ratios.constructPerResource, 2)}x`);
  row('  synth / resource', fmt(b.synthMs / b.resources, 3), fmt(p.synthMs / p.resources, 3), `${fmt(ratios.synthPerResource, 2)}x`);
  lines.push('');
  lines.push(`require() in a fresh node process, median of ${REQUIRE_SAMPLES} (ms):`);
  const reqRow = (label: string, value: number, ratio?: number): void => {
    lines.push(`  ${label.padEnd(58)}${fmt(value).padStart(8)}${ratio === undefined ? '' : `   lib/this ${fmt(ratio, 2)}x`}`);
  };
  reqRow('require(\'lib\')', req.lib);
  reqRow(`its ${modules.length} modules, require only`, req.modules, req.lib / req.modules);
  reqRow(`its ${modules.length} modules + touch classes used (cdk-nag packs too)`, req.modulesTouched, req.lib / req.modulesTouched);
  reqRow('  same without cdk-nag', req.modulesTouchedWithoutCdkNag, req.lib / req.modulesTouchedWithoutCdkNag);
  reqRow('cdk-nag alone, require only', req.cdkNag);
  lines.push(`  modules: ${modules.join(', ')}`);
  console.log(lines.join('\n'));

  const result = {
    date: new Date().toISOString(),
    node: process.version,
    awsCdkLib: cdkVersion,
    cpus: os.cpus().length,
    git: gitInfo(),
    n: N,
    rounds: ROUNDS,
    warmupRounds: WARMUP,
    timedIn: where,
    loadAverage: { before: loadBefore, after: os.loadavg() },
    validation,
    construct: { bulwark: b, plain: p, ratios },
    require: {
      samples: REQUIRE_SAMPLES,
      modules,
      medianMs: req,
      samplesMs: requireSamples,
      ratios: {
        libVsModules: req.lib / req.modules,
        libVsModulesTouched: req.lib / req.modulesTouched,
        libVsModulesTouchedWithoutCdkNag: req.lib / req.modulesTouchedWithoutCdkNag,
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
