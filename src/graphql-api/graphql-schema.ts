import * as fs from 'fs';

/**
 * The GraphQL schema (SDL) of a `SecureGraphqlApi`, from a file or a string.
 *
 * The schema is parsed and checked when the API is constructed, with AppSync's scalars
 * (`AWSDateTime`, `AWSJSON`, ...) and directives (`@aws_subscribe`, `@aws_iam`, ...) known: a
 * malformed schema fails synthesis with its line and column, instead of failing the deployment.
 *
 * @example
 * const schema = GraphqlSchema.fromString('type Query { hello: String }');
 */
export class GraphqlSchema {
  /**
   * A schema read from a `.graphql` file now (relative paths start at the working directory).
   *
   * @param path the file's path
   */
  public static fromFile(path: string): GraphqlSchema {
    if (typeof path !== 'string' || path === '') {
      return new GraphqlSchema(undefined, `file ${JSON.stringify(path)}`, 'give the path of a .graphql file');
    }
    try {
      return new GraphqlSchema(fs.readFileSync(path, 'utf8'), `file '${path}'`);
    } catch (error) {
      return new GraphqlSchema(undefined, `file '${path}'`, `it cannot be read (${(error as Error).message})`);
    }
  }

  /**
   * A schema given as text.
   *
   * @param definition the schema in GraphQL SDL
   */
  public static fromString(definition: string): GraphqlSchema {
    if (typeof definition !== 'string') {
      return new GraphqlSchema(undefined, 'string', `it is ${JSON.stringify(definition) ?? String(definition)}, not a GraphQL SDL string`);
    }
    return new GraphqlSchema(definition, 'string');
  }

  /**
   * The schema's text (SDL), as given.
   *
   * @default - none when the file could not be read: the API that uses the schema reports why
   */
  public readonly definition?: string;

  /** Where the schema came from, for messages: `file 'schema.graphql'` or `string`. @internal */
  public readonly _source: string;

  /** Why the schema cannot be used, found before any API exists. @internal */
  public readonly _problem?: string;

  private constructor(definition: string | undefined, source: string, problem?: string) {
    this.definition = definition;
    this._source = source;
    this._problem = problem;
  }
}
