import { IConstruct } from 'constructs';
import type * as GraphqlJs from 'graphql';
import { GraphqlSchema } from './graphql-schema';
import { BulwarkError } from '../core/errors';

/*
 * What SecureGraphqlApi knows of its schema: parsed and checked with graphql-js (bundled), with
 * AppSync's own scalars and directives declared (AppSync developer guide, "Scalar types in AWS
 * AppSync" and "Configuring authorization and authentication": @aws_api_key, @aws_iam, @aws_oidc,
 * @aws_cognito_user_pools, @aws_lambda, @aws_auth; "Real-time data": @aws_subscribe). A schema
 * that declares one of the directives itself keeps its own declaration; scalars it cannot declare.
 */

/** graphql-js, loaded when the first schema is parsed: an app without a GraphQL API never loads it. */
function gql(): typeof GraphqlJs {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('graphql');
}

/** graphql-js's SDL validation, without the rule that refuses directives it does not know (AppSync knows more). */
function validateSdl(document: GraphqlJs.DocumentNode): readonly GraphqlJs.GraphQLError[] {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { validateSDL } = require('graphql/validation/validate') as typeof import('graphql/validation/validate');
  const { specifiedSDLRules } = require('graphql/validation/specifiedRules') as typeof import('graphql/validation/specifiedRules');
  const { KnownDirectivesRule } = require('graphql/validation/rules/KnownDirectivesRule') as typeof import('graphql/validation/rules/KnownDirectivesRule');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return validateSDL(document, undefined, specifiedSDLRules.filter((rule) => rule !== KnownDirectivesRule));
}

/** AppSync's scalars. */
const APPSYNC_SCALARS = ['AWSDate', 'AWSTime', 'AWSDateTime', 'AWSTimestamp', 'AWSEmail', 'AWSJSON', 'AWSURL', 'AWSPhone', 'AWSIPAddress'];

/** AppSync's directives, as SDL. Unknown directives are left to AppSync (merged APIs add more). */
const APPSYNC_DIRECTIVES: Record<string, string> = {
  aws_subscribe: 'directive @aws_subscribe(mutations: [String]) on FIELD_DEFINITION',
  aws_auth: 'directive @aws_auth(cognito_groups: [String]) on FIELD_DEFINITION',
  aws_api_key: 'directive @aws_api_key on FIELD_DEFINITION | OBJECT',
  aws_iam: 'directive @aws_iam on FIELD_DEFINITION | OBJECT',
  aws_oidc: 'directive @aws_oidc on FIELD_DEFINITION | OBJECT',
  aws_lambda: 'directive @aws_lambda on FIELD_DEFINITION | OBJECT',
  aws_cognito_user_pools: 'directive @aws_cognito_user_pools(cognito_groups: [String]) on FIELD_DEFINITION | OBJECT',
};

/** A field of the schema. */
export interface SchemaField {
  readonly typeName: string;
  readonly fieldName: string;
  readonly field: GraphqlJs.GraphQLField<unknown, unknown>;
}

/** A parsed, valid schema. */
export class SchemaModel {
  constructor(public readonly schema: GraphqlJs.GraphQLSchema, public readonly definition: string) {}

  /** The name of the query, mutation or subscription root type. */
  public get rootTypes(): { query?: string; mutation?: string; subscription?: string } {
    return {
      query: this.schema.getQueryType()?.name,
      mutation: this.schema.getMutationType()?.name,
      subscription: this.schema.getSubscriptionType()?.name,
    };
  }

  /** The field, or a message that says what the schema has instead. */
  public field(typeName: string, fieldName: string): SchemaField | string {
    const type = this.schema.getType(typeName);
    if (!type || !gql().isObjectType(type) || typeName.startsWith('__')) {
      const objects = Object.values(this.schema.getTypeMap()).filter((t) => gql().isObjectType(t) && !t.name.startsWith('__')).map((t) => t.name);
      return `the schema has no object type '${typeName}' (it has ${objects.join(', ')})`;
    }
    const field = type.getFields()[fieldName];
    if (!field) {
      return `type ${typeName} of the schema has no field '${fieldName}' (it has ${Object.keys(type.getFields()).join(', ')})`;
    }
    return { typeName, fieldName, field };
  }
}

/** How a type is written in SDL (`[Order!]!`). */
export function typeText(type: GraphqlJs.GraphQLType): string {
  return String(type);
}

/** The type without its non-null wrapper. */
export function nullable(type: GraphqlJs.GraphQLType): GraphqlJs.GraphQLType {
  return gql().isNonNullType(type) ? type.ofType : type;
}

/** Whether a named type is a scalar or enum: what a DynamoDB key or simple argument can be. */
export function isLeaf(type: GraphqlJs.GraphQLNamedType): boolean {
  return gql().isScalarType(type) || gql().isEnumType(type);
}

/** graphql-js's type predicates, loaded on first use. */
export const getNamedType = (type: GraphqlJs.GraphQLType): GraphqlJs.GraphQLNamedType => gql().getNamedType(type);
export const isInputObjectType = (type: unknown): type is GraphqlJs.GraphQLInputObjectType => gql().isInputObjectType(type);
export const isListType = (type: unknown): boolean => gql().isListType(type);
export const isObjectType = (type: unknown): type is GraphqlJs.GraphQLObjectType => gql().isObjectType(type);
export const isNonNullType = (type: unknown): boolean => gql().isNonNullType(type);
export const isEnumType = (type: unknown): boolean => gql().isEnumType(type);

/**
 * Parses and checks the schema of `scope` (a SecureGraphqlApi). Every problem is a BulwarkError
 * naming the prop, where the schema came from, and the line and column.
 */
export function parseSchema(scope: IConstruct, given: GraphqlSchema): SchemaModel {
  if (!(given instanceof GraphqlSchema)) {
    throw BulwarkError.invalid(scope, 'schema', given, 'it must be a GraphqlSchema (GraphqlSchema.fromFile() or GraphqlSchema.fromString())');
  }
  const where = `schema (${given._source})`;
  if (given._problem !== undefined || given.definition === undefined) {
    throw new BulwarkError(scope, `${where}: ${given._problem ?? 'it has no definition'}`);
  }
  const definition = given.definition;
  let document: GraphqlJs.DocumentNode;
  try {
    document = gql().parse(definition, { noLocation: false });
  } catch (error) {
    throw new BulwarkError(scope, `${where} is not valid GraphQL: ${describe(error)}`);
  }
  // AppSync has no custom scalars, and its own are built in (AppSync developer guide, "Scalar types in AWS AppSync").
  const scalar = document.definitions.find((d) => d.kind === gql().Kind.SCALAR_TYPE_DEFINITION || d.kind === gql().Kind.SCALAR_TYPE_EXTENSION);
  if (scalar && 'name' in scalar) {
    const at = scalar.loc ? ` (line ${scalar.loc.startToken.line}, column ${scalar.loc.startToken.column})` : '';
    throw new BulwarkError(scope, `${where} declares scalar ${scalar.name.value}${at}: AppSync supports no custom scalars and has its own built in `
      + `(${APPSYNC_SCALARS.join(', ')}); use one of them, or String`);
  }
  const declared = new Set(document.definitions.flatMap((d) => ('name' in d && d.name ? [d.name.value] : [])));
  const prelude = [
    ...APPSYNC_SCALARS.map((name) => `scalar ${name}`),
    ...Object.entries(APPSYNC_DIRECTIVES).filter(([name]) => !declared.has(name)).map(([, sdl]) => sdl),
  ].join('\n');
  const full = gql().concatAST([gql().parse(prelude, { noLocation: true }), document]);
  const sdlErrors = validateSdl(full);
  if (sdlErrors.length > 0) {
    throw new BulwarkError(scope, `${where} is not a valid schema: ${sdlErrors.map(describe).join('; ')}`);
  }
  const schema = gql().buildASTSchema(full, { assumeValidSDL: true });
  if (!schema.getQueryType()) {
    throw new BulwarkError(scope, `${where} has no Query type: AppSync needs one (type Query { ... }) even when the API only has mutations`);
  }
  const errors = gql().validateSchema(schema);
  if (errors.length > 0) {
    throw new BulwarkError(scope, `${where} is not a valid schema: ${errors.map(describe).join('; ')}`);
  }
  const model = new SchemaModel(schema, definition);
  checkSubscriptions(scope, where, model);
  return model;
}

/**
 * `@aws_subscribe(mutations: [...])`: each mutation exists on the mutation type and returns the
 * subscription field's type (AppSync sends subscribers the mutation's result).
 */
function checkSubscriptions(scope: IConstruct, where: string, model: SchemaModel): void {
  const subscription = model.schema.getSubscriptionType();
  if (!subscription) {
    return;
  }
  const mutation = model.schema.getMutationType();
  for (const field of Object.values(subscription.getFields())) {
    const directive = field.astNode?.directives?.find((d) => d.name.value === 'aws_subscribe');
    const argument = directive?.arguments?.find((a) => a.name.value === 'mutations');
    if (!directive) {
      continue;
    }
    const label = `${subscription.name}.${field.name}`;
    const { Kind } = gql();
    const names = argument?.value.kind === Kind.LIST ? argument.value.values.map((v) => (v.kind === Kind.STRING ? v.value : undefined)) : [];
    if (names.length === 0 || names.some((n) => n === undefined)) {
      throw new BulwarkError(scope, `${where}: @aws_subscribe on ${label} must list the mutations it follows, such as `
        + '@aws_subscribe(mutations: ["createOrder"])');
    }
    for (const name of names as string[]) {
      const followed = mutation?.getFields()[name];
      if (!followed) {
        throw new BulwarkError(scope, `${where}: @aws_subscribe on ${label} names mutation '${name}', which the schema does not have `
          + `(${mutation ? `${mutation.name} has ${Object.keys(mutation.getFields()).join(', ')}` : 'it has no Mutation type'})`);
      }
      if (typeText(getNamedType(followed.type)) !== typeText(getNamedType(field.type))
        || isListType(nullable(followed.type)) !== isListType(nullable(field.type))) {
        throw new BulwarkError(scope, `${where}: ${label} returns ${typeText(field.type)} but follows mutation '${name}', which returns `
          + `${typeText(followed.type)}: AppSync sends subscribers the mutation's result, so both must return the same type`);
      }
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof gql().GraphQLError) {
    const at = error.locations?.[0];
    return `${error.message.replace(/^Syntax Error: /, '').replace(/\.$/, '')}${at ? ` (line ${at.line}, column ${at.column})` : ''}`;
  }
  return String(error);
}
