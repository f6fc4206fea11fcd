import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * The TypeScript examples in docs/*.md compile, strict, in the same fixture jsii-rosetta uses for
 * the README (rosetta/default.ts-fixture), against the library's source. The Python examples run
 * in the consumer suite (test/consumers/python/test_readme.py).
 */
const ROOT = path.join(__dirname, '..', '..');
const FIXTURE = fs.readFileSync(path.join(ROOT, 'rosetta', 'default.ts-fixture'), 'utf8');
const DOCS = fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md'));

const blocks = DOCS.flatMap((file) => {
  const text = fs.readFileSync(path.join(ROOT, 'docs', file), 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m, i) => ({ name: `${file} example ${i + 1}`, code: m[1] }));
});

test('every construct page has a TypeScript example', () => {
  for (const page of ['queue-worker.md', 'event-hub.md', 'secure-function.md', 'secure-topic.md', 'monitoring.md', 'secure-api.md', 'secure-http-api.md',
    'user-directory.md', 'workflow.md', 'secure-table.md', 'secure-graphql-api.md', 'container-service.md',
    'secure-bucket.md', 'stream-processor.md', 'query-workgroup.md', 'serverless-database.md', 'secure-websocket-api.md']) {
    expect(blocks.map((b) => b.name)).toEqual(expect.arrayContaining([`${page} example 1`]));
  }
});

test('the docs examples compile under strict TypeScript', () => {
  const files = new Map(blocks.map((b, i) => [
    path.join(ROOT, 'scratch-docs', `example${i}.ts`),
    FIXTURE.replace('/// here', b.code).replace("from 'cdk-bulwark'", `from ${JSON.stringify(path.join(ROOT, 'src'))}`),
  ]));
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    skipLibCheck: true,
    noUnusedLocals: false,
    experimentalDecorators: true,
    types: ['node'],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (f) => files.get(f) ?? readFile(f);
  host.fileExists = (f) => files.has(f) || fileExists(f);
  const program = ts.createProgram([...files.keys()], options, host);
  const errors = ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file && files.has(d.file.fileName))
    .map((d) => {
      const index = [...files.keys()].indexOf(d.file!.fileName);
      return `${blocks[index].name}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
  expect(errors).toEqual([]);
});
