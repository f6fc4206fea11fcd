import { IConstruct } from 'constructs';

/**
 * Input a construct cannot accept. Thrown at construction, before any resource is made.
 *
 * Every message names the construct (type and path), the prop, the value and what is allowed:
 * `QueueWorker 'Stack/Orders': batchSize is 0; it must be an integer from 1 to 10000`.
 *
 * Internal: an Error subclass cannot cross the jsii boundary, so Python and Java users see a
 * plain error carrying the same message.
 */
export class BulwarkError extends Error {
  /** A prop with a bad value. */
  public static invalid(scope: IConstruct, prop: string, value: unknown, allowed: string): BulwarkError {
    return new BulwarkError(scope, `${prop} is ${BulwarkError.show(value)}; ${allowed}`);
  }

  /** `QueueWorker 'Stack/Orders'` */
  public static describe(scope: IConstruct): string {
    return `${scope.constructor.name} '${scope.node.path}'`;
  }

  /** Formats a value readably: strings quoted, numbers as written (NaN and Infinity too), Durations and Sizes in words, the rest as JSON. */
  public static show(value: unknown): string {
    if (typeof value === 'string') {
      return `'${value}'`;
    }
    if (typeof value === 'number') {
      // JSON would show NaN and Infinity as null.
      return String(value);
    }
    if (value !== null && typeof value === 'object' && typeof (value as any).toHumanString === 'function') {
      return (value as any).toHumanString();
    }
    try {
      return JSON.stringify(value) ?? String(value);
    } catch {
      return String(value);
    }
  }

  /**
   * @param scope the construct whose input is wrong
   * @param message what is wrong and what is allowed (the construct is prefixed)
   */
  constructor(scope: IConstruct, message: string) {
    super(`${BulwarkError.describe(scope)}: ${message}`);
    this.name = 'BulwarkError';
  }
}
