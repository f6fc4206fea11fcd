/** Options shared by the resolvers that address one item by its key. */
export interface TableKeyArgumentsOptions {
  /**
   * The field argument that holds the partition key.
   *
   * @default - the argument named like the table's partition key attribute
   */
  readonly partitionKeyArgument?: string;

  /**
   * The field argument that holds the sort key (tables with a sort key only).
   *
   * @default - the argument named like the table's sort key attribute
   */
  readonly sortKeyArgument?: string;
}

/** Options of `TableResolver.query()`. */
export interface TableQueryOptions {
  /**
   * The global secondary index to query.
   *
   * @default - the table itself
   */
  readonly indexName?: string;

  /**
   * The field argument that holds the partition key value of the table (or index).
   *
   * @default - the argument named like the partition key attribute
   */
  readonly partitionKeyArgument?: string;

  /**
   * Whether the partition key is the caller's own id (`sub` of a Cognito or OIDC token) instead of an
   * argument: callers list only their own items (an argument would let anyone ask for anyone's).
   * Callers without a `sub` (IAM, API key) are refused as unauthorized.
   *
   * @default false
   */
  readonly partitionKeyFromCaller?: boolean;

  /**
   * The most items one page returns. A caller's `limit` argument, when the field has one, asks for
   * fewer; it never gets more.
   *
   * @default 100
   */
  readonly maxItems?: number;

  /**
   * Whether items come in ascending sort key order.
   *
   * @default true
   */
  readonly ascending?: boolean;
}

/** Options of `TableResolver.putItem()`. */
export interface TablePutItemOptions {
  /**
   * The field argument that holds the item (an input type with the key fields, unless the key is generated).
   *
   * @default 'input'
   */
  readonly inputArgument?: string;

  /**
   * Whether AppSync generates the partition key (`util.autoId()`, a UUID); the input must then not contain it.
   *
   * @default false
   */
  readonly generatePartitionKey?: boolean;
}

/** Options of `TableResolver.updateItem()`. */
export interface TableUpdateItemOptions {
  /**
   * The field argument that holds the key fields and the attributes to set.
   *
   * @default 'input'
   */
  readonly inputArgument?: string;
}

/** The kind of a `TableResolver`. */
export enum TableResolverKind {
  /** `GetItem` by key. */
  GET_ITEM = 'GET_ITEM',
  /** `Query` by partition key, a page at a time. */
  QUERY = 'QUERY',
  /** `PutItem` that never overwrites. */
  PUT_ITEM = 'PUT_ITEM',
  /** `UpdateItem` of an item that exists. */
  UPDATE_ITEM = 'UPDATE_ITEM',
  /** `DeleteItem` of an item that exists. */
  DELETE_ITEM = 'DELETE_ITEM',
}

/**
 * A resolver on a `SecureTable`, written for you in APPSYNC_JS (`SecureGraphqlApi.addTableResolver()`).
 * Each checks at synthesis that the field's arguments match the table's key, and each writes with a
 * condition, so that a put never overwrites and an update or delete never creates or hides a missing item.
 */
export class TableResolver {
  /**
   * Reads one item by its key (`GetItem`); the field returns the item type, or null when there is none.
   *
   * @param options which arguments hold the key
   */
  public static getItem(options: TableKeyArgumentsOptions = {}): TableResolver {
    return new TableResolver(TableResolverKind.GET_ITEM, { keyArguments: options ?? {} });
  }

  /**
   * Lists the items of one partition (`Query`) a page at a time. The field returns a type with an
   * `items` list and, to page, a `nextToken` string; it may take `limit` and `nextToken` arguments.
   *
   * @param options the index, the key argument, page size and order
   */
  public static query(options: TableQueryOptions = {}): TableResolver {
    return new TableResolver(TableResolverKind.QUERY, { queryOptions: options ?? {} });
  }

  /**
   * Creates an item from an input argument (`PutItem` with the condition that no item has its key:
   * it never overwrites one). Returns the item.
   *
   * @param options the input argument and whether the key is generated
   */
  public static putItem(options: TablePutItemOptions = {}): TableResolver {
    return new TableResolver(TableResolverKind.PUT_ITEM, { putOptions: options ?? {} });
  }

  /**
   * Sets the attributes given in an input argument on an existing item (`UpdateItem` with the
   * condition that the item exists). Returns the updated item.
   *
   * @param options the input argument
   */
  public static updateItem(options: TableUpdateItemOptions = {}): TableResolver {
    return new TableResolver(TableResolverKind.UPDATE_ITEM, { updateOptions: options ?? {} });
  }

  /**
   * Deletes an existing item by its key (`DeleteItem` with the condition that the item exists).
   * Returns the deleted item.
   *
   * @param options which arguments hold the key
   */
  public static deleteItem(options: TableKeyArgumentsOptions = {}): TableResolver {
    return new TableResolver(TableResolverKind.DELETE_ITEM, { keyArguments: options ?? {} });
  }

  /** What the resolver does. */
  public readonly kind: TableResolverKind;

  /** @internal */
  public readonly _keyArguments?: TableKeyArgumentsOptions;
  /** @internal */
  public readonly _queryOptions?: TableQueryOptions;
  /** @internal */
  public readonly _putOptions?: TablePutItemOptions;
  /** @internal */
  public readonly _updateOptions?: TableUpdateItemOptions;

  private constructor(kind: TableResolverKind, parts: {
    keyArguments?: TableKeyArgumentsOptions;
    queryOptions?: TableQueryOptions;
    putOptions?: TablePutItemOptions;
    updateOptions?: TableUpdateItemOptions;
  }) {
    this.kind = kind;
    this._keyArguments = parts.keyArguments;
    this._queryOptions = parts.queryOptions;
    this._putOptions = parts.putOptions;
    this._updateOptions = parts.updateOptions;
  }
}
