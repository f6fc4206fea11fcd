import { SecureBucket } from '../bucket/secure-bucket';

/** How the objects of a `QueryWorkgroup` table are written. */
export enum QueryDataFormat {
  /** One JSON object per line (the OpenX JSON SerDe). */
  JSON = 'JSON',
  /** Comma-separated values with a header line, quoted with `"` (the OpenCSV SerDe: columns of string, boolean, int, bigint or double). */
  CSV = 'CSV',
  /** Apache Parquet. */
  PARQUET = 'PARQUET',
}

/** A column of a `QueryWorkgroup` table. */
export interface QueryColumn {
  /** The column's name: lowercase letters, digits and `_` (Athena reads names lowercase). */
  readonly name: string;

  /**
   * Its Hive type: `string`, `int`, `bigint`, `double`, `float`, `boolean`, `date`, `timestamp`,
   * `decimal(p,s)`, `varchar(n)`, `char(n)`, `binary`, `tinyint`, `smallint`, or a complex
   * `array<...>`, `map<...,...>` or `struct<...>`.
   */
  readonly dataType: string;

  /**
   * A comment.
   *
   * @default - none
   */
  readonly comment?: string;
}

/** A table of a `QueryWorkgroup`'s database over objects under a prefix of a `SecureBucket`. */
export interface QueryTableOptions {
  /** The bucket that holds the data. */
  readonly bucket: SecureBucket;

  /** The key prefix of the data (`sales/`): every object under it is a row source. */
  readonly prefix: string;

  /** The columns, in order (at least one). */
  readonly columns: QueryColumn[];

  /**
   * How the objects are written.
   *
   * @default QueryDataFormat.JSON
   */
  readonly format?: QueryDataFormat;

  /**
   * The table's name: lowercase letters, digits and `_`.
   *
   * @default - the id, lowercase, with other characters as `_`
   */
  readonly tableName?: string;

  /**
   * A description.
   *
   * @default - none
   */
  readonly description?: string;
}
