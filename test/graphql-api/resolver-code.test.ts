import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ts from 'typescript';
import { ORDERS_SCHEMA } from './schemas';
import { GraphqlAuthorization, GraphqlSchema, GraphqlStep, SecureFunction, SecureGraphqlApi, SecureTable, TableResolver } from '../../src';
import { INLINE_CODE, newStack } from '../support/app';
import { resourceOf } from '../support/template';

/*
 * The resolver code SecureGraphqlApi writes, checked without AppSync:
 * - type-checked against @aws-appsync/utils, the declarations AWS publishes for the APPSYNC_JS
 *   runtime (the shapes of ddb.get/put/update/remove/query and util);
 * - free of what the runtime rejects ("Runtime features" in the AppSync developer guide: try,
 *   catch, throw, while, do-while, classic for loops, continue, labels, classes, async, generators,
 *   ++/--, the in operator).
 */

const UTILS = path.dirname(require.resolve('@aws-appsync/utils/package.json'));

/** TypeScript's diagnostics and the unsupported syntax found in each piece of code. */
function problemsOf(codes: Record<string, string>): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resolvers-'));
  // Checked as TypeScript with the items typed as records of key-able values: the declarations cannot
  // infer an item type from plain JavaScript objects, and AppSync's items are untyped.
  const files = Object.entries(codes).map(([name, code]) => {
    const file = path.join(dir, `${name}.ts`);
    fs.writeFileSync(file, code.replace(/\bddb\.(\w+)\(/g, 'ddb.$1<Item>(').replace(/^export function (\w+)\(ctx\)/gm, 'export function $1(ctx: any)')
      + '\ntype Item = Record<string, string | number>;\n');
    return file;
  });
  const program = ts.createProgram(files, {
    noEmit: true,
    strict: false,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
    paths: { '@aws-appsync/utils': [path.join(UTILS, 'lib/index.d.ts')], '@aws-appsync/utils/dynamodb': [path.join(UTILS, 'dynamodb.d.ts')] },
  });
  const problems = ts.getPreEmitDiagnostics(program).map((d) =>
    `${path.basename(d.file?.fileName ?? '').replace(/\.ts$/, '.js')}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  for (const file of files) {
    const source = program.getSourceFile(file)!;
    const visit = (node: ts.Node): void => {
      const unsupported = ts.isTryStatement(node) || ts.isThrowStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node)
        || ts.isForStatement(node) || ts.isContinueStatement(node) || ts.isLabeledStatement(node) || ts.isClassLike(node)
        || (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.InKeyword)
        || ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node))
          && [ts.SyntaxKind.PlusPlusToken, ts.SyntaxKind.MinusMinusToken].includes(node.operator))
        || (ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword))
        || (ts.isFunctionDeclaration(node) && node.asteriskToken !== undefined);
      if (unsupported) {
        problems.push(`${path.basename(file).replace(/\.ts$/, '.js')}: unsupported in APPSYNC_JS: ${node.getText(source).split('\n')[0]}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return problems;
}

test('the code of every table resolver type-checks against @aws-appsync/utils and uses only what APPSYNC_JS runs', () => {
  const stack = newStack();
  const api = new SecureGraphqlApi(stack, 'Graph', {
    schema: GraphqlSchema.fromString(`${ORDERS_SCHEMA}
type Line { orderId: ID! lineNo: Int! sku: String }
input NewLine { orderId: ID! lineNo: Int! sku: String }
type LinePage { items: [Line] }
extend type Query { line(orderId: ID!, lineNo: Int!): Line linesOf(orderId: ID!): LinePage }
extend type Mutation { addLine(input: NewLine!): Line removeLine(orderId: ID!, lineNo: Int!): Line }
`),
    authorization: GraphqlAuthorization.iam(),
  });
  const orders = new SecureTable(stack, 'Orders', { partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING } });
  orders.addGlobalSecondaryIndex({ indexName: 'byCustomer', partitionKey: { name: 'customerId', type: dynamodb.AttributeType.STRING } });
  const lines = new SecureTable(stack, 'Lines', {
    partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING }, sortKey: { name: 'lineNo', type: dynamodb.AttributeType.NUMBER },
  });
  const resolvers: Record<string, appsync.CfnResolver> = {
    get: api.addTableResolver('Query', 'order', orders, TableResolver.getItem()),
    queryOfCaller: api.addTableResolver('Query', 'myOrders', orders, TableResolver.query({ indexName: 'byCustomer', partitionKeyFromCaller: true })),
    query: api.addTableResolver('Query', 'ordersOfCustomer', orders, TableResolver.query({ indexName: 'byCustomer', ascending: false })),
    put: api.addTableResolver('Mutation', 'createOrder', orders, TableResolver.putItem({ generatePartitionKey: true })),
    update: api.addTableResolver('Mutation', 'updateOrder', orders, TableResolver.updateItem()),
    remove: api.addTableResolver('Mutation', 'deleteOrder', orders, TableResolver.deleteItem()),
    getWithSortKey: api.addTableResolver('Query', 'line', lines, TableResolver.getItem()),
    queryWithoutPaging: api.addTableResolver('Query', 'linesOf', lines, TableResolver.query()),
    putWithSortKey: api.addTableResolver('Mutation', 'addLine', lines, TableResolver.putItem()),
    removeWithSortKey: api.addTableResolver('Mutation', 'removeLine', lines, TableResolver.deleteItem()),
  };
  const check = new SecureFunction(stack, 'Check', { code: INLINE_CODE, handler: 'index.handler' });
  resolvers.pipeline = api.addPipelineResolver('Query', 'search', [GraphqlStep.lambdaFunction('check', check.lambdaFunction)]);
  const template = Template.fromStack(stack);
  const codes = Object.fromEntries(Object.entries(resolvers).map(([name, r]) => [name, resourceOf(template, r).Properties.Code as string]));
  codes.lambdaStep = (Object.values(template.findResources('AWS::AppSync::FunctionConfiguration'))[0] as any).Properties.Code;
  expect(codes.putWithSortKey).toContain('const { orderId: key0, lineNo: key1, ...values } = ctx.args.input;');
  expect(codes.queryWithoutPaging).toContain('limit: 100, scanIndexForward: true');
  expect(problemsOf(codes)).toEqual([]);
});

test('the checks find a wrong helper argument and unsupported syntax (they can fail)', () => {
  const preamble = "import { util } from '@aws-appsync/utils';\nimport * as ddb from '@aws-appsync/utils/dynamodb';\n";
  const problems = problemsOf({
    wrongShape: `${preamble}export function request(ctx) { return ddb.get({ keys: { id: ctx.args.id } }); }\n`,
    unsupported: `${preamble}export function request(ctx) { try { return ddb.get({ key: { id: ctx.args.id } }); } catch (e) { util.error('x'); } }\n`,
  });
  expect(problems).toEqual([
    expect.stringMatching(/^wrongShape.js: .*'keys' does not exist/),
    expect.stringMatching(/^unsupported.js: unsupported in APPSYNC_JS: try/),
  ]);
});
