// The public billing choice of SecureTable: on-demand, or provisioned with auto scaling.

/** The capacity of one side (reads or writes) of a provisioned table, which auto scaling keeps between its bounds. */
export interface TableCapacityOptions {
  /**
   * The most capacity units auto scaling provisions (what you may pay for at peak).
   */
  readonly maxCapacity: number;

  /**
   * The fewest capacity units auto scaling provisions (what you pay for at idle).
   *
   * @default 1
   */
  readonly minCapacity?: number;

  /**
   * The share of provisioned capacity auto scaling aims for, in percent (20 to 90).
   *
   * @default 70
   */
  readonly targetUtilizationPercent?: number;
}

/** Options of `TableBilling.provisioned()`. */
export interface ProvisionedBillingOptions {
  /** Read capacity units, scaled between their bounds. */
  readonly readCapacity: TableCapacityOptions;

  /** Write capacity units, scaled between their bounds. */
  readonly writeCapacity: TableCapacityOptions;
}

/** Options of `TableBilling.onDemand()`. */
export interface OnDemandBillingOptions {
  /**
   * The most read request units per second the table (and each index) may use: a cap on cost that
   * throttles reads above it.
   *
   * @default - no cap (the table's throughput quotas)
   */
  readonly maxReadRequestUnits?: number;

  /**
   * The most write request units per second the table (and each index) may use.
   *
   * @default - no cap (the table's throughput quotas)
   */
  readonly maxWriteRequestUnits?: number;
}

/** How a `SecureTable` is billed. */
export enum TableBillingMode {
  /** Pay per request; nothing at idle but storage. */
  ON_DEMAND = 'ON_DEMAND',
  /** Pay per provisioned capacity unit-hour, scaled by Application Auto Scaling. */
  PROVISIONED = 'PROVISIONED',
}

/**
 * How a `SecureTable` is billed: `TableBilling.onDemand()` (the default) or
 * `TableBilling.provisioned()` with auto scaling on the table and every global secondary index.
 */
export class TableBilling {
  /**
   * Pay per request: no capacity planning, no throttling below the table's quotas, and no cost at
   * idle but storage. Right for new, spiky or unknown workloads.
   *
   * @param options optional caps on request units per second
   */
  public static onDemand(options: OnDemandBillingOptions = {}): TableBilling {
    return new TableBilling(TableBillingMode.ON_DEMAND, options ?? {}, undefined);
  }

  /**
   * Provisioned capacity, scaled by Application Auto Scaling between the given bounds on the table
   * and on each global secondary index (with the table's bounds). Cheaper for steady, predictable
   * traffic; you pay for the minimum capacity at idle.
   *
   * @param options read and write capacity bounds
   */
  public static provisioned(options: ProvisionedBillingOptions): TableBilling {
    return new TableBilling(TableBillingMode.PROVISIONED, undefined, options);
  }

  /** On-demand or provisioned. */
  public readonly mode: TableBillingMode;

  /** @internal */
  public readonly _onDemand?: OnDemandBillingOptions;

  /** @internal */
  public readonly _provisioned?: ProvisionedBillingOptions;

  private constructor(mode: TableBillingMode, onDemand: OnDemandBillingOptions | undefined, provisioned: ProvisionedBillingOptions | undefined) {
    this.mode = mode;
    this._onDemand = onDemand;
    this._provisioned = provisioned;
  }
}
