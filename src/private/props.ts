import { IConstruct } from 'constructs';
import { BulwarkError } from '../core/errors';

/*
 * Unknown keys in props and option structs. From TypeScript the compiler refuses them; from
 * JavaScript nothing does, and a misspelled option (`apiKeyRequried: true`, or `firewall` on an API
 * that has none) would be dropped without a word: the construct would be weaker than written. From
 * Python and Java a struct's keys are checked by the binding (keyword arguments, builders), except
 * for a struct inside a list given as a dict, which jsii converts without its unknown keys (see
 * docs/secure-api.md, "From Python"): those lists take classes, not structs.
 *
 * Each struct's keys are listed once, beside the check that uses them, with `propKeys()`: the
 * compiler refuses a list with a key the struct does not have or without one it has, and
 * test/private/props.test.ts compares every list with the struct's TypeScript declaration, so a
 * list cannot drift from its struct.
 */

/** The keys of a struct, made with `propKeys()`. */
export interface PropKeys<T> {
  /** The struct's name as users see it: `SecureApiProps`, `apigateway.CorsOptions`. */
  readonly typeName: string;
  /** Every key of the struct (inherited ones included). */
  readonly keys: ReadonlyArray<keyof T & string>;
}

/** The keys of some struct (any `PropKeys<T>`). */
export interface KnownKeys {
  readonly typeName: string;
  readonly keys: readonly string[];
}

/** Where a struct is declared, for the test that compares each list with its struct. */
export interface PropKeysSource {
  /** The struct's name in its module (`CorsOptions`). */
  readonly name: string;
  /** The module that exports it (`aws-cdk-lib/aws-apigateway`); the library's own types are exported by `src/index.ts`. */
  readonly module?: string;
}

/** Every list made with `propKeys()`, by its struct's name (for test/private/props.test.ts). */
export const PROP_KEYS = new Map<string, { readonly keys: readonly string[]; readonly source: PropKeysSource }>();

/** What the compiler reports when a list misses keys of its struct. */
type MissingKeys<T, K extends readonly unknown[]> = [Exclude<keyof T, K[number]>] extends [never]
  ? unknown : { readonly missingKeys: Exclude<keyof T, K[number]> };

/**
 * The keys of struct `T`, listed once: `propKeys<SecureApiProps>()('SecureApiProps', ['routes', ...])`.
 * A key `T` does not have, or a key of `T` left out, is a compile error.
 *
 * @param source where `T` is declared, when it is not one of the library's own types (`{ name: 'CorsOptions', module: 'aws-cdk-lib/aws-apigateway' }`)
 */
export function propKeys<T>(): <const K extends ReadonlyArray<keyof T & string>>(typeName: string, keys: K & MissingKeys<T, K>,
source?: PropKeysSource) => PropKeys<T> {
  return (typeName, keys, source) => {
    if (PROP_KEYS.has(typeName)) {
      throw new Error(`cdk-bulwark internal error: the keys of ${typeName} are listed twice`);
    }
    PROP_KEYS.set(typeName, { keys, source: source ?? { name: typeName } });
    return { typeName, keys };
  };
}

/**
 * Throws when `value` (a props object or an option struct) has a key its struct does not, naming the
 * key, its value, the keys there are and, for a near miss (`apiKeyRequried`, Python's
 * `api_key_required`), the one that was meant. Keys whose value is `undefined` are ignored (they
 * set nothing). A value that is not an object is left to the struct's own checks.
 *
 * @param where the struct's place in messages: '' for a construct's props, `throttle`, `routes[0]`,
 *   `options of route 'GET /x'`
 */
export function checkKnownProps(scope: IConstruct, value: unknown, known: KnownKeys, where: string = ''): void {
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) {
    return;
  }
  const keys = known.keys;
  const given = value as Record<string, unknown>;
  const unknown = Object.keys(given).filter((k) => !keys.includes(k) && given[k] !== undefined);
  if (unknown.length === 0) {
    return;
  }
  const named = (key: string) => (where === '' ? key : /^[\w.[\]]+$/.test(where) ? `${where}.${key}` : `${where}: ${key}`);
  const [first, ...others] = unknown;
  const meant = closest(first, keys);
  throw new BulwarkError(scope, `${named(first)} is ${BulwarkError.show(given[first])}; ${known.typeName} has no such property`
    + `${meant ? ` (did you mean ${meant}?)` : ''}`
    + `${others.length > 0 ? `, nor ${others.join(', ')}` : ''}. Its properties are ${keys.join(', ')}`);
}

/** The key that `key` most likely misspells: the same ignoring case and underscores, or at most two edits away. */
function closest(key: string, keys: readonly string[]): string | undefined {
  const plain = (k: string) => k.replace(/_/g, '').toLowerCase();
  const same = keys.find((k) => plain(k) === plain(key));
  if (same !== undefined) {
    return same;
  }
  const scored = keys.map((k) => ({ k, d: distance(plain(k), plain(key)) })).filter((s) => s.d <= 2).sort((a, b) => a.d - b.d);
  return scored[0]?.k;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
