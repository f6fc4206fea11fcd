import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as ts from 'typescript';
import '../../src';
import { checkKnownProps, PROP_KEYS, propKeys } from '../../src/private/props';

interface Example {
  readonly rateLimit?: number;
  readonly apiKeyRequired?: boolean;
}
const EXAMPLE = propKeys<Example>()('ExampleOptions', ['rateLimit', 'apiKeyRequired']);
PROP_KEYS.delete('ExampleOptions');

function scope(): Construct {
  return new Construct(new Stack(), 'Api');
}

describe('checkKnownProps', () => {
  test.each<[string, unknown, string, string]>([
    ['a misspelled key', { rateLimt: 5 }, '', 'rateLimt is 5; ExampleOptions has no such property (did you mean rateLimit?). Its properties are rateLimit, apiKeyRequired'],
    ["Python's snake_case", { api_key_required: true }, '', 'api_key_required is true; ExampleOptions has no such property (did you mean apiKeyRequired?)'],
    ['another case', { RateLimit: 5 }, '', 'RateLimit is 5; ExampleOptions has no such property (did you mean rateLimit?)'],
    ['a key that is nothing like one', { firewall: {} }, '', 'firewall is {}; ExampleOptions has no such property. Its properties are rateLimit, apiKeyRequired'],
    ['several keys', { a: 1, b: 2 }, '', 'a is 1; ExampleOptions has no such property, nor b. Its properties are'],
    ['a nested struct', { rateLimt: 5 }, 'throttle', 'throttle.rateLimt is 5; ExampleOptions has no such property'],
    ['an options argument', { rateLimt: 5 }, "options of route 'GET /x'", "options of route 'GET /x': rateLimt is 5; ExampleOptions has no such property"],
  ])('refuses %s, naming the key, its value and the keys there are', (_case, value, where, message) => {
    expect(() => checkKnownProps(scope(), value, EXAMPLE, where)).toThrow(`Construct 'Default/Api': ${message}`);
  });

  test.each<[string, unknown]>([
    ['known keys', { rateLimit: 5, apiKeyRequired: true }],
    ['an unknown key set to undefined (it sets nothing)', { rateLimt: undefined }],
    ['nothing', undefined],
    ['a value that is not an object (left to the struct\'s own checks)', 42],
  ])('accepts %s', (_case, value) => {
    expect(() => checkKnownProps(scope(), value, EXAMPLE)).not.toThrow();
  });
});

/**
 * Each list of keys, compared with its struct's TypeScript declaration: the library's own structs as
 * `src/index.ts` exports them (inherited properties included), aws-cdk-lib's from their modules.
 * The compiler already refuses a list that misses a key or names one too many; this proves it for
 * the lists as they are registered, so that none can drift from its struct.
 */
describe('every struct whose keys are checked', () => {
  const root = path.join(__dirname, '..', '..');
  const entries = [...PROP_KEYS.entries()];
  const virtual = path.join(root, 'test', '__prop-keys__.ts');
  const source = [
    "import type * as lib from './../src';",
    ...entries.map(([, { source: s }], i) => (s.module
      ? `export type K${i} = keyof import('${s.module}').${s.name};`
      : `export type K${i} = keyof lib.${s.name};`)),
  ].join('\n');
  let declared: string[][];

  beforeAll(() => {
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      target: ts.ScriptTarget.ES2020,
      ignoreDeprecations: '6.0',
    } as ts.CompilerOptions;
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersion, ...rest) => (path.resolve(fileName) === virtual
      ? ts.createSourceFile(fileName, source, languageVersion) : getSourceFile(fileName, languageVersion, ...rest));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (fileName) => path.resolve(fileName) === virtual || fileExists(fileName);
    const program = ts.createProgram([virtual], options, host);
    const checker = program.getTypeChecker();
    const file = program.getSourceFile(virtual)!;
    const aliases = file.statements.filter(ts.isTypeAliasDeclaration);
    declared = aliases.map((alias) => {
      const type = checker.getTypeAtLocation(alias.name);
      const members = type.isUnion() ? type.types : [type];
      return members.filter((t) => t.isStringLiteral()).map((t) => (t as ts.StringLiteralType).value).sort();
    });
  }, 120_000);

  test('there are lists (the constructs registered them when src/index.ts was loaded)', () => {
    expect(entries.map(([name]) => name)).toEqual(expect.arrayContaining(['SecureApiProps', 'SecureHttpApiProps', 'UserDirectoryProps',
      'ApiRouteOptions', 'ApiThrottleOptions', 'apigateway.CorsOptions']));
  });

  test.each(entries.map(([name, entry], i) => [name, entry.keys, i] as const))('the keys of %s are its properties', (_name, keys, i) => {
    expect(declared[i].length).toBeGreaterThan(0);
    expect([...keys].sort()).toEqual(declared[i]);
  });
});
