import * as lambda from 'aws-cdk-lib/aws-lambda';
import { TableResolver } from './table-resolver';
import { SecureTable } from '../table/secure-table';

/**
 * A step of a pipeline resolver (`SecureGraphqlApi.addPipelineResolver()`): an AppSync function that
 * runs a table resolver or calls a Lambda function. Steps run in order; each sees the field's
 * arguments and the previous step's result, and the field returns the last step's result. A step
 * that fails stops the pipeline.
 */
export class GraphqlStep {
  /**
   * A step that runs a table resolver (written for you, checked against each field it is used for).
   *
   * @param name the AppSync function's name (letters, digits and _, not starting with a digit; unique per API)
   * @param table the table
   * @param resolver what it does
   */
  public static table(name: string, table: SecureTable, resolver: TableResolver): GraphqlStep {
    return new GraphqlStep(name, { table, resolver });
  }

  /**
   * A step that calls a Lambda function with `{ arguments, identity, source, prev }` (`prev` is the
   * previous step's result) and passes on what it returns; a function that throws stops the pipeline.
   *
   * @param name the AppSync function's name (letters, digits and _, not starting with a digit; unique per API)
   * @param handler the function (a `SecureFunction`'s `lambdaFunction`, or any function)
   */
  public static lambdaFunction(name: string, handler: lambda.IFunction): GraphqlStep {
    return new GraphqlStep(name, { handler });
  }

  /** The AppSync function's name. */
  public readonly name: string;

  /** @internal */
  public readonly _table?: SecureTable;
  /** @internal */
  public readonly _resolver?: TableResolver;
  /** @internal */
  public readonly _handler?: lambda.IFunction;

  private constructor(name: string, parts: { table?: SecureTable; resolver?: TableResolver; handler?: lambda.IFunction }) {
    this.name = name;
    this._table = parts.table;
    this._resolver = parts.resolver;
    this._handler = parts.handler;
  }
}
