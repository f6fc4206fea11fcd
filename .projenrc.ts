// The single source of the build. Edit this file, then run `npx projen` to regenerate
// package.json, tsconfig, tasks and ignore files (they are read-only on purpose).
import { awscdk, javascript } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

/** The oldest aws-cdk-lib we support: the peer floor and the pinned devDependency. */
const CDK_VERSION = '2.275.0';
/** cdk-nag 3 runs its packs as CDK validation plugins. */
const CDK_NAG_VERSION = '3.0.2';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-bulwark',
  description:
    'Opinionated AWS CDK constructs that are secure, monitored and cdk-nag compliant by default.',
  license: 'Apache-2.0',
  author: 'cdk-bulwark',
  authorAddress: 'noreply@example.com',
  repositoryUrl: 'https://github.com/cdk-bulwark/cdk-bulwark.git',
  keywords: ['cdk', 'aws-cdk', 'cdk-nag', 'security', 'monitoring', 'serverless'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // Versions: projen's own jsii default is older, so it is pinned here explicitly.
  // Node.js 22 and 24 (20 is end-of-life); .ci/run runs the suite on both.
  minNodeVersion: '22.0.0',
  cdkVersion: CDK_VERSION,
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0',
  peerDeps: [`cdk-nag@^${CDK_NAG_VERSION}`],
  // TypeScript 7 (native) breaks ts-node and ts-jest; jsii 6.0 itself compiles with TypeScript 6.0.
  devDeps: ['ts-node', 'typescript@~6.0'],
  // Parses GraphQL schemas (SecureGraphqlApi); bundled, so Python and Java users need nothing extra.
  bundledDeps: ['graphql@^16.15.0'],

  // jsii targets. Issue #3 builds and tests them from real Python and Java programs.
  publishToPypi: { distName: 'cdk-bulwark', module: 'cdk_bulwark' },
  publishToMaven: {
    javaPackage: 'io.github.cdkbulwark',
    mavenGroupId: 'io.github.cdkbulwark',
    mavenArtifactId: 'cdk-bulwark',
  },

  // CI is `.ci/run` on a fresh clone, not GitHub workflows.
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  eslintOptions: { dirs: ['src'], devdirs: ['test', 'examples', 'bench', 'projenrc', '.projenrc.ts'] },
  jestOptions: {
    // See the eslint-import-resolver-typescript pin below.
    jestVersion: '^29',
    // projen's default rewrites snapshots on every run, which makes them worthless.
    updateSnapshot: UpdateSnapshot.NEVER,
    // A run that finds no test must fail, not pass.
    passWithNoTests: false,
    jestConfig: {
      // Coverage instrumentation roughly doubles suite time on two cores; run `npx jest --coverage` when wanted.
      collectCoverage: false,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
    },
  },
  gitignore: ['cdk.out', '/examples/cdk.out', '/.venv', '/bench/results', '/scratch', '/.jsii.tabl.json', '.venv', '__pycache__', '.pytest_cache'],
});

// jest 30 and eslint-import-resolver-typescript 3.8+ pull in unrs-resolver, whose non-Linux optional
// bindings this machine's registry does not serve: the lock file then fails `npm ci`. Pinned below them.
project.addDevDeps('eslint-import-resolver-typescript@~3.6.3');

// The declarations of AppSync's JavaScript resolver runtime: the tests type-check the resolver code
// SecureGraphqlApi writes against them.
project.addDevDeps('@aws-appsync/utils@^2.1.1');

// The npm package holds what users need: lib/ and .jsii, README, API.md, docs/ and the LICENSE.
// CI, build scripts, the benchmark, the example app and the rosetta fixture stay in the repository.
for (const path of ['/.ci/', '/scripts/', '/bench/', '/examples/', '/rosetta/']) {
  project.addPackageIgnore(path);
}

// Maven's output of the Java consumer tests (added after construction: projen drops /test/... patterns
// given in the options, since it un-ignores /test/).
project.gitignore.addPatterns('/test/consumers/java/target/');

// The example app and the benchmark are type-checked and linted like the tests.
project.eslint?.allowDefaultProjectFiles('examples/*.ts', 'bench/*.ts');

// jsii warnings (reserved words in Python/Java among them) fail the build instead of being silenced.
project.compileTask.reset('jsii --fail-on-warnings');

// `package` (part of `build`) makes the npm tarball only, on every machine; `package-all` adds the
// Python wheel and the Java artifact. Plain jsii-pacmak cannot build the Java artifact here (the
// reachable Maven Central serves stale version metadata), so package:java runs a script that pins
// pacmak's version ranges. Go is not a target: the Go module proxy does not serve aws-cdk-go v2.275.0.
project.packageTask.reset();
project.packageTask.spawn(project.tasks.tryFind('package:js')!);
project.tasks.tryFind('package:java')!.reset('bash scripts/package-java.sh');

// The Python and Java packages, used from real pytest and JUnit programs. The last step of
// `package` (projen locks `build` itself), so `build` — the README's test command and CI — runs it.
const testConsumers = project.addTask('test:consumers', {
  description: 'Build the Python and Java packages and run the pytest and JUnit consumer suites',
  steps: [
    { spawn: 'package:python' },
    { spawn: 'package:java' },
    { exec: 'bash test/consumers/run.sh' },
  ],
});
project.packageTask.spawn(testConsumers);

// ts-jest only transpiles (isolatedModules); type-check the tests once, before jest runs.
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json');

// README and docs examples must compile: jsii-rosetta in strict mode after the jsii build.
project.postCompileTask.exec('jsii-rosetta extract --strict --fail');

// First README command: build the library, then synthesize the example app with every check on.
project.addTask('example', {
  description: 'Build the library and synthesize the example app with cdk-nag and CloudFormation Validate on',
  steps: [{ spawn: 'compile' }, { exec: 'ts-node --project test/tsconfig.json examples/app.ts' }],
});

// Not a test: construct + synth time of QueueWorker vs plain L2 constructs, and load time.
project.addTask('bench', {
  description: 'Benchmark construct/synth time against plain L2 constructs and require() time',
  steps: [{ spawn: 'compile' }, { exec: 'ts-node --project test/tsconfig.json bench/bench.ts' }],
});

project.synth();
