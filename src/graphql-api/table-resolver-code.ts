import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { IConstruct } from 'constructs';
import type { GraphQLArgument, GraphQLInputType, GraphQLNamedType } from 'graphql';
import { getNamedType, isEnumType, isInputObjectType, isLeaf, isListType, isNonNullType, isObjectType, nullable, SchemaField, typeText } from './schema-model';
import { TableQueryOptions, TableResolver, TableResolverKind } from './table-resolver';
import { BulwarkError } from '../core/errors';
import { checkBoolean, checkInteger } from '../private/validation';
import { SecureTable } from '../table/secure-table';

/*
 * The APPSYNC_JS code of each TableResolver, and the checks that the field and the table fit it.
 * The code uses only what the APPSYNC_JS runtime supports (no try/catch, throw, classic loops,
 * classes or async: AppSync developer guide, "Runtime features") and the DynamoDB helpers of
 * @aws-appsync/utils/dynamodb; test/graphql-api/resolver-code.test.ts type-checks it against that
 * package's declarations.
 */

/** The most items a query page returns by default. */
export const DEFAULT_MAX_ITEMS = 100;
/** The largest page a query resolver may ask for (DynamoDB stops a page at 1 MB anyway). */
const MAX_ITEMS_LIMIT = 1000;

/** What a table resolver needs: its code and whether it writes. */
export interface TableResolverPlan {
  readonly code: string;
  readonly writes: boolean;
}

const PREAMBLE = "import { util } from '@aws-appsync/utils';\nimport * as ddb from '@aws-appsync/utils/dynamodb';\n";

const RESPONSE = `
export function response(ctx) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return ctx.result;
}
`;

/** The code of `resolver` on `target`, after checking that the field's arguments and type fit the table. */
export function tableResolverPlan(scope: IConstruct, resolver: TableResolver, target: SchemaField, table: SecureTable): TableResolverPlan {
  if (!(resolver instanceof TableResolver)) {
    throw BulwarkError.invalid(scope, `resolver of ${label(target)}`, resolver,
      'it must be a TableResolver (TableResolver.getItem(), query(), putItem(), updateItem() or deleteItem())');
  }
  const check = new FieldCheck(scope, target, table);
  const key = tableKey(scope, target, table);
  switch (resolver.kind) {
    case TableResolverKind.GET_ITEM:
    case TableResolverKind.DELETE_ITEM: {
      const options = resolver._keyArguments ?? {};
      const args = check.keyArguments(key, options.partitionKeyArgument, options.sortKeyArgument);
      const keyCode = objectCode(args.map(([attribute, arg]) => [attribute, `ctx.args.${arg}`]));
      const request = resolver.kind === TableResolverKind.GET_ITEM
        ? `ddb.get({ key: ${keyCode} })`
        : `ddb.remove({ key: ${keyCode}, condition: ${existsCode(key.partitionKey.name, true)} })`;
      return { code: `${PREAMBLE}\nexport function request(ctx) {\n  return ${request};\n}\n${RESPONSE}`, writes: resolver.kind === TableResolverKind.DELETE_ITEM };
    }
    case TableResolverKind.QUERY:
      return { code: check.query(resolver._queryOptions ?? {}), writes: false };
    case TableResolverKind.PUT_ITEM:
    case TableResolverKind.UPDATE_ITEM: {
      const put = resolver.kind === TableResolverKind.PUT_ITEM;
      const options = (put ? resolver._putOptions : resolver._updateOptions) ?? {};
      const generate = put && (resolver._putOptions?.generatePartitionKey ?? false);
      const inputArg = options.inputArgument ?? 'input';
      const keyFields = check.inputKey(key, inputArg, generate);
      // Key fields are fields of a GraphQL input type: their names are identifiers.
      const pattern = keyFields.map((name, i) => `${name}: key${i}`);
      const keyCode = objectCode([
        ...(generate ? [[key.partitionKey.name, 'util.autoId()'] as [string, string]] : []),
        ...keyFields.map((name, i) => [name, `key${i}`] as [string, string]),
      ]);
      // A null a caller sends means "no value": a put leaves the attribute out, an update removes it (a
      // NULL stored in an index key attribute would fail). Maps and lists are replaced whole (ddb.update
      // would otherwise set nested paths, which fail on an item that has no map there yet).
      const request = put
        ? '  const item = {};\n  for (const [name, value] of Object.entries(values)) {\n    if (value !== null) {\n      item[name] = value;\n    }\n  }\n'
          + `  return ddb.put({ key: ${keyCode}, item, condition: ${existsCode(key.partitionKey.name, false)} });`
        : '  const update = {};\n  for (const [name, value] of Object.entries(values)) {\n'
          + '    update[name] = value === null ? ddb.operations.remove() : typeof value === \'object\' ? ddb.operations.replace(value) : value;\n  }\n'
          + '  if (Object.keys(update).length === 0) {\n    util.error(\'Give at least one attribute to update besides the key.\', \'ValidationError\');\n  }\n'
          // The condition in a variable, as in AppSync's own examples of ddb.update.
          + `  const condition = ${existsCode(key.partitionKey.name, true)};\n`
          + `  return ddb.update({ key: ${keyCode}, update, condition });`;
      const code = `${PREAMBLE}\nexport function request(ctx) {\n  const { ${[...pattern, '...values'].join(', ')} } = ctx.args.${inputArg};\n`
        + `${request}\n}\n${RESPONSE}`;
      return { code, writes: true };
    }
    default:
      throw BulwarkError.invalid(scope, `resolver of ${label(target)}`, resolver.kind, 'it is not a kind of TableResolver');
  }
}

/** A table's (or index's) key; SecureTable always has a partition key. */
interface TableKey {
  readonly partitionKey: dynamodb.Attribute;
  readonly sortKey?: dynamodb.Attribute;
}

function tableKey(scope: IConstruct, target: SchemaField, table: SecureTable, indexName?: string): TableKey {
  const schema = table.table.schemaV2(indexName);
  if (schema.partitionKeys.length !== 1 || (schema.sortKeys?.length ?? 0) > 1) {
    throw new BulwarkError(scope, `${label(target)}: ${indexName ? `index ${indexName}` : 'the table'} of ${table.node.path} has a key of several `
      + 'attributes, which table resolvers do not support; write your own resolver on the API');
  }
  return { partitionKey: schema.partitionKeys[0], sortKey: schema.sortKeys?.[0] };
}

function label(target: SchemaField): string {
  return `${target.typeName}.${target.fieldName}`;
}

function objectCode(entries: Array<[string, string]>): string {
  return `{ ${entries.map(([name, value]) => `${JSON.stringify(name)}: ${value}`).join(', ')} }`;
}

function existsCode(attribute: string, exists: boolean): string {
  return `{ ${JSON.stringify(attribute)}: { attributeExists: ${exists} } }`;
}

/** The checks of one field against one table, with messages that name both. */
class FieldCheck {
  constructor(private readonly scope: IConstruct, private readonly target: SchemaField, private readonly table: SecureTable) {}

  /** `[attribute, argument]` for the partition key and (if any) sort key. */
  public keyArguments(key: TableKey, partitionArg: string | undefined, sortArg: string | undefined): Array<[string, string]> {
    if (sortArg !== undefined && !key.sortKey) {
      throw this.error(`sortKeyArgument is '${sortArg}', but table ${this.table.node.path} has no sort key`);
    }
    const pairs: Array<[string, string]> = [[key.partitionKey.name, this.argument(partitionArg, key.partitionKey, 'partitionKeyArgument')]];
    if (key.sortKey) {
      pairs.push([key.sortKey.name, this.argument(sortArg, key.sortKey, 'sortKeyArgument')]);
    }
    return pairs;
  }

  /** The key fields the input type must hold (none generated), after checking the input argument. */
  public inputKey(key: TableKey, inputArg: string, generate: boolean): string[] {
    const arg = this.findArgument(inputArg, 'inputArgument');
    const input = nullable(arg.type);
    if (!isInputObjectType(input)) {
      throw this.error(`argument '${inputArg}' is ${typeText(arg.type)}; it must be an input type holding the item's attributes`);
    }
    if (!isNonNullType(arg.type)) {
      throw this.error(`argument '${inputArg}' is ${typeText(arg.type)}, which may be null or left out; make it ${typeText(arg.type)}!`);
    }
    const fields = input.getFields();
    const needed: dynamodb.Attribute[] = [...(generate ? [] : [key.partitionKey]), ...(key.sortKey ? [key.sortKey] : [])];
    if (generate) {
      if (key.partitionKey.type !== dynamodb.AttributeType.STRING) {
        throw this.error(`generatePartitionKey makes a UUID, but the partition key '${key.partitionKey.name}' of table ${this.table.node.path} `
          + `is of type ${key.partitionKey.type}, not S (string)`);
      }
      if (fields[key.partitionKey.name]) {
        throw this.error(`generatePartitionKey is true, but input ${input.name} has a field '${key.partitionKey.name}': the generated key `
          + 'would silently replace what callers send; remove the field from the input type, or set generatePartitionKey to false');
      }
    }
    for (const attribute of needed) {
      const field = fields[attribute.name];
      if (!field) {
        throw this.error(`input ${input.name} has no field '${attribute.name}', the ${attribute === key.sortKey ? 'sort' : 'partition'} key of `
          + `table ${this.table.node.path}${attribute === key.partitionKey ? ' (or set generatePartitionKey)' : ''}`);
      }
      this.checkKeyType(`field '${attribute.name}' of input ${input.name}`, field.type, attribute);
    }
    return needed.map((a) => a.name);
  }

  /** The code of a query, after checking the index, the key argument, the paging arguments and the return type. */
  public query(options: TableQueryOptions): string {
    const index = options.indexName;
    if (index !== undefined && !this.table.globalSecondaryIndexes.includes(index)) {
      const known = this.table.globalSecondaryIndexes;
      throw this.error(`indexName is ${BulwarkError.show(index)}, but table ${this.table.node.path} has ${known.length > 0
        ? `only the indexes ${known.join(', ')}` : 'no global secondary index'} (add it with addGlobalSecondaryIndex() first)`);
    }
    checkInteger(this.scope, `maxItems of ${label(this.target)}`, options.maxItems, 1, MAX_ITEMS_LIMIT);
    checkBoolean(this.scope, `ascending of ${label(this.target)}`, options.ascending);
    const key = tableKey(this.scope, this.target, this.table, index);
    checkBoolean(this.scope, `partitionKeyFromCaller of ${label(this.target)}`, options.partitionKeyFromCaller ?? undefined);
    const fromCaller = options.partitionKeyFromCaller ?? false;
    if (fromCaller && options.partitionKeyArgument !== undefined) {
      throw this.error('partitionKeyFromCaller and partitionKeyArgument cannot be set together: the partition key is either the caller\'s id '
        + 'or an argument');
    }
    if (fromCaller && key.partitionKey.type !== dynamodb.AttributeType.STRING) {
      throw this.error(`partitionKeyFromCaller uses the caller's id (a string), but the partition key '${key.partitionKey.name}' is of type `
        + `${key.partitionKey.type}, not S (string)`);
    }
    const keyValue = fromCaller ? 'ctx.identity.sub'
      : `ctx.args.${this.argument(options.partitionKeyArgument, key.partitionKey, 'partitionKeyArgument')}`;
    const returned = nullable(this.target.field.type);
    const items = isObjectType(returned) ? returned.getFields().items : undefined;
    if (!items || !isListType(nullable(items.type))) {
      throw this.error(`it returns ${typeText(this.target.field.type)}; a query resolver returns a page: an object type with an `
        + '`items` list (and a `nextToken: String` to page), such as type OrderPage { items: [Order!]! nextToken: String }');
    }
    const args = new Map(this.target.field.args.map((a) => [a.name, a]));
    const limit = args.get('limit');
    const nextToken = args.get('nextToken');
    if (limit && getNamedType(limit.type).name !== 'Int') {
      throw this.error(`argument 'limit' is ${typeText(limit.type)}; it must be Int (the page size a caller asks for)`);
    }
    if (nextToken && getNamedType(nextToken.type).name !== 'String') {
      throw this.error(`argument 'nextToken' is ${typeText(nextToken.type)}; it must be String (the token of the previous page)`);
    }
    if (nextToken && !(returned as { getFields: () => Record<string, unknown> }).getFields().nextToken) {
      throw this.error(`it takes a nextToken argument, but ${getNamedType(returned).name} has no nextToken field to return the next page's token in`);
    }
    const max = options.maxItems ?? DEFAULT_MAX_ITEMS;
    const limitCode = limit ? `ctx.args.limit ? Math.min(Math.max(ctx.args.limit, 1), ${max}) : ${max}` : String(max);
    const request = [
      ...(index !== undefined ? [`index: ${JSON.stringify(index)}`] : []),
      `query: { ${JSON.stringify(key.partitionKey.name)}: { eq: ${keyValue} } }`,
      `limit: ${limitCode}`,
      ...(nextToken ? ['nextToken: ctx.args.nextToken'] : []),
      `scanIndexForward: ${options.ascending ?? true}`,
    ];
    const guard = fromCaller ? '  if (!ctx.identity || !ctx.identity.sub) {\n    util.unauthorized();\n  }\n' : '';
    return `${PREAMBLE}\nexport function request(ctx) {\n${guard}  return ddb.query({ ${request.join(', ')} });\n}\n`
      + '\nexport function response(ctx) {\n  if (ctx.error) {\n    util.error(ctx.error.message, ctx.error.type);\n  }\n'
      + '  return { items: ctx.result.items, nextToken: ctx.result.nextToken };\n}\n';
  }

  private argument(given: string | undefined, attribute: dynamodb.Attribute, option: string): string {
    const name = given ?? attribute.name;
    const arg = this.findArgument(name, option, given === undefined ? ` (named like the key attribute '${attribute.name}'; or set ${option})` : '');
    this.checkKeyType(`argument '${name}'`, arg.type, attribute);
    return name;
  }

  private findArgument(name: unknown, option: string, hint: string = ''): GraphQLArgument {
    const arg = typeof name === 'string' ? this.target.field.args.find((a) => a.name === name) : undefined;
    if (!arg) {
      const has = this.target.field.args.map((a) => a.name);
      throw this.error(`it has no argument ${BulwarkError.show(name)}${hint}; it has ${has.length > 0 ? has.join(', ') : 'no arguments'}`
        + (typeof name === 'string' ? '' : ` (${option} must be an argument name)`));
    }
    return arg;
  }

  private checkKeyType(what: string, type: GraphQLInputType, attribute: dynamodb.Attribute): void {
    if (!isNonNullType(type)) {
      throw this.error(`${what} is ${typeText(type)}, which may be null or left out; a key value must be there: make it ${typeText(type)}!`);
    }
    const named: GraphQLNamedType = getNamedType(type);
    const nullableType = nullable(type);
    const compatible = isLeaf(named) && !isListType(nullableType) && (attribute.type === dynamodb.AttributeType.NUMBER
      ? ['Int', 'Float', 'AWSTimestamp'].includes(named.name)
      : attribute.type === dynamodb.AttributeType.STRING ? !['Int', 'Float', 'Boolean', 'AWSTimestamp'].includes(named.name) || isEnumType(named)
        : false);
    if (!compatible) {
      throw this.error(`${what} is ${typeText(type)}, but key attribute '${attribute.name}' of table ${this.table.node.path} is of type `
        + `${attribute.type}${attribute.type === dynamodb.AttributeType.BINARY ? ', which table resolvers do not support' : ''}: `
        + (attribute.type === dynamodb.AttributeType.NUMBER ? 'give an Int or Float' : 'give an ID, String or enum'));
    }
  }

  private error(message: string): BulwarkError {
    return new BulwarkError(this.scope, `${label(this.target)}: ${message}`);
  }
}
