import * as path from 'path';
import * as ts from 'typescript';

/**
 * The benchmark (bench/bench.ts) runs only with `npx projen bench`, so nothing else would notice it
 * no longer compiling against the library: it is type-checked here, strict, with the project's options.
 */
test('bench/bench.ts compiles under strict TypeScript', () => {
  const root = path.join(__dirname, '..', '..');
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'test', 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  const bench = path.join(root, 'bench', 'bench.ts');
  const program = ts.createProgram([bench], { ...config!.options, noEmit: true, skipLibCheck: true });
  const errors = ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === bench)
    .map((d) => `${d.file!.fileName}:${d.file!.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  expect(errors).toEqual([]);
});
