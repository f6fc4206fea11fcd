import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { warn, Warning } from './warnings';
import { ApiMethod } from '../core/api-method';
import { BulwarkError } from '../core/errors';

// Route paths and methods of SecureApi and SecureHttpApi: one set of rules, one set of messages.

// What API Gateway (and CDK's Resource) accepts in a REST path part; HTTP APIs take the same here.
const LITERAL = /^[A-Za-z0-9:._$-]+$/;
const PARAMETER = /^\{[A-Za-z_][A-Za-z0-9_.-]*\}$/;
const GREEDY = /^\{[A-Za-z_][A-Za-z0-9_.-]*\+\}$/;

const PATH_RULES = 'it must start with \'/\', have no empty segments or trailing \'/\', and each segment must be a literal '
  + '(letters, digits and :._$-), a parameter such as {orderId}, or, as the last segment only, a greedy parameter such as {proxy+}';

/** Validates an HTTP method given as an `ApiMethod` (or a string from an untyped language). */
export function checkMethod(scope: IConstruct, prop: string, method: unknown): ApiMethod {
  const allowed = Object.values(ApiMethod) as string[];
  if (typeof method !== 'string' || !allowed.includes(method)) {
    throw BulwarkError.invalid(scope, prop, method, `it must be one of ${allowed.join(', ')}`);
  }
  return method as ApiMethod;
}

/**
 * The segments of a route path (`/orders/{orderId}` → `['orders', '{orderId}']`; `/` → `[]`).
 * Throws a message naming `prop` when the path is malformed.
 */
export function parsePath(scope: IConstruct, prop: string, path: unknown): string[] {
  if (typeof path !== 'string' || Token.isUnresolved(path)) {
    throw BulwarkError.invalid(scope, prop, path, typeof path === 'string'
      ? 'it must be a literal string: a route path decides which resources are made, so it cannot be a token'
      : PATH_RULES);
  }
  if (path === '/') {
    return [];
  }
  if (!path.startsWith('/') || path.endsWith('/')) {
    throw BulwarkError.invalid(scope, prop, path, PATH_RULES);
  }
  const segments = path.slice(1).split('/');
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (!(LITERAL.test(segment) || PARAMETER.test(segment) || (last && GREEDY.test(segment)))) {
      throw BulwarkError.invalid(scope, prop, path, GREEDY.test(segment)
        ? `the greedy parameter ${segment} must be the last segment`
        : PATH_RULES);
    }
  });
  const names = segments.filter(isVariable).map(variableName);
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) {
    throw BulwarkError.invalid(scope, prop, path, `the parameter {${repeated}} appears twice; parameter names must be unique in a path`);
  }
  return segments;
}

function isVariable(segment: string): boolean {
  return segment.startsWith('{');
}

function variableName(segment: string): string {
  return segment.replace(/[{}+]/g, '');
}

/**
 * Warns, on `scope` (the route), for each segment that starts with ':' (`/orders/:id`, Express
 * style): API Gateway takes it as literal text (CDK's Resource and API Gateway accept ':' in a path
 * part), so the route would answer only a request for the path ':id' itself.
 */
export function warnColonSegments(scope: IConstruct, label: string, segments: string[], warning: Warning<[string, string]>): void {
  for (const segment of segments.filter((s) => s.startsWith(':'))) {
    warn(scope, warning, label, segment);
  }
}

/** The path in an execute-api ARN: each parameter, greedy or not, becomes `*` (`/orders/{orderId}` → `/orders/*`). */
export function executeApiPath(segments: string[]): string {
  return `/${segments.map((s) => (isVariable(s) ? '*' : s)).join('/')}`;
}

/** The parameter names of a path, in order (`{proxy+}` gives `proxy`). */
export function pathParameters(segments: string[]): string[] {
  return segments.filter(isVariable).map(variableName);
}

/**
 * The routes of one API, to refuse conflicts before API Gateway does at deploy time: the same
 * method and path twice (parameters of any name count as the same), and two differently named
 * parameters (or a parameter and a greedy parameter) under the same parent, which API Gateway
 * rejects ("only one variable path part is allowed").
 */
export class RouteTable {
  private readonly routes = new Map<string, string>();
  /** The variable segment under each parent path. */
  private readonly variables = new Map<string, { segment: string; path: string }>();

  constructor(private readonly scope: IConstruct) {}

  /** Every route added so far, as `METHOD /path`. */
  public get keys(): string[] {
    return [...this.routes.values()];
  }

  /**
   * Registers a route; throws if it conflicts with an earlier one.
   *
   * @param prop how the route is named in messages (e.g. `route 'GET /orders'`)
   */
  public add(prop: string, method: ApiMethod, segments: string[]): void {
    const path = `/${segments.join('/')}`;
    const shape = `${method} /${segments.map((s) => (isVariable(s) ? (s.endsWith('+}') ? '{+}' : '{}') : s)).join('/')}`;
    const earlier = this.routes.get(shape);
    if (earlier !== undefined) {
      throw new BulwarkError(this.scope, `${prop} conflicts with route '${earlier}': both take ${method} requests for the same path`);
    }
    segments.forEach((segment, index) => {
      if (!isVariable(segment)) {
        return;
      }
      const parent = `/${segments.slice(0, index).join('/')}`;
      const other = this.variables.get(parent);
      if (other !== undefined && other.segment !== segment) {
        throw new BulwarkError(this.scope, `${prop} conflicts with route path '${other.path}': ${segment} and ${other.segment} `
          + `are both variable parts under '${parent}', and API Gateway allows only one there; use the same parameter name`);
      }
      this.variables.set(parent, other ?? { segment, path });
    });
    this.routes.set(shape, `${method} ${path}`);
  }
}

/**
 * Checks the `routes` prop of an API: a list of route definitions made with `<className>.of()`. A
 * plain object is refused, not read: from Python, a route written as a dict inside the list reaches
 * the construct without its snake_case options (jsii converts a dict to a struct only where the
 * struct is the parameter itself), so a struct in a list could be made weaker than written.
 *
 * @param isDefinition whether a value was made by the definition class (`r instanceof ApiRouteDefinition`)
 * @param className the definition class, for messages
 */
export function checkRouteDefinitions(scope: IConstruct, routes: unknown, isDefinition: (route: unknown) => boolean, className: string): void {
  if (routes === undefined) {
    return;
  }
  if (!Array.isArray(routes)) {
    throw BulwarkError.invalid(scope, 'routes', routes, `it must be a list of routes made with ${className}.of(method, path, handler, options)`);
  }
  routes.forEach((route: unknown, index) => {
    if (isDefinition(route)) {
      return;
    }
    const shown = route !== null && typeof route === 'object' && !Array.isArray(route)
      ? `an object with keys ${Object.keys(route).join(', ') || 'none'}` : BulwarkError.show(route);
    throw new BulwarkError(scope, `routes[${index}] is ${shown}; each route must be made with ${className}.of(method, path, handler, options). `
      + 'Routes are not plain objects: a route written as a Python dict would reach this construct without its options (jsii drops '
      + 'keys such as api_key_required), and the route would be less protected than written');
  });
}
