import { Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ApiMethod } from '../../src/core/api-method';
import { checkMethod, parsePath, pathParameters, RouteTable } from '../../src/private/api-routes';

function scope(): Construct {
  return new Construct(new Stack(), 'Api');
}

describe('checkMethod', () => {
  test.each(Object.values(ApiMethod))('accepts %s', (method) => {
    expect(checkMethod(scope(), 'method', method)).toBe(method);
  });

  test.each([
    ['get', "'get'"],
    ['TRACE', "'TRACE'"],
    ['', "''"],
    [undefined, 'undefined'],
    [null, 'null'],
    [42, '42'],
  ])('rejects %p with a message that names the prop, the value and the allowed methods', (method, shown) => {
    expect(() => checkMethod(scope(), 'method of route X', method))
      .toThrow(`Construct 'Default/Api': method of route X is ${shown}; it must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY`);
  });
});

describe('parsePath', () => {
  test.each<[string, string[]]>([
    ['/', []],
    ['/orders', ['orders']],
    ['/orders/{orderId}', ['orders', '{orderId}']],
    ['/orders/{orderId}/items/{item_id}', ['orders', '{orderId}', 'items', '{item_id}']],
    ['/files/{proxy+}', ['files', '{proxy+}']],
    ['/{proxy+}', ['{proxy+}']],
    ['/v1.2/health-check', ['v1.2', 'health-check']],
    ['/a.b/c:d$e_f-g', ['a.b', 'c:d$e_f-g']],
  ])('%s has segments %p', (path, segments) => {
    expect(parsePath(scope(), 'path', path)).toEqual(segments);
  });

  const PATH_RULES = 'it must start with \'/\'';
  test.each<[unknown, string]>([
    ['orders', PATH_RULES],
    ['/orders/', PATH_RULES],
    ['', PATH_RULES],
    ['//orders', PATH_RULES],
    ['/orders//items', PATH_RULES],
    ['/orders items', PATH_RULES],
    ['/orders?x=1', PATH_RULES],
    ['/orders#x', PATH_RULES],
    ['/{}', PATH_RULES],
    ['/{1id}', PATH_RULES],
    ['/{id', PATH_RULES],
    ['/x{id}', PATH_RULES],
    ['/{proxy+}/items', 'the greedy parameter {proxy+} must be the last segment'],
    ['/{id}/x/{id}', 'the parameter {id} appears twice'],
    ['/{id}/{id+}', 'the parameter {id} appears twice'],
    [undefined, PATH_RULES],
    [null, PATH_RULES],
    [7, PATH_RULES],
    [Token.asString({ Ref: 'Path' }), 'it must be a literal string'],
  ])('rejects %p', (path, message) => {
    expect(() => parsePath(scope(), 'path of route X', path)).toThrow(message);
    expect(() => parsePath(scope(), 'path of route X', path)).toThrow(/^Construct 'Default\/Api': path of route X is /);
  });
});

test('pathParameters lists parameter names in order, greedy ones without the +', () => {
  expect(pathParameters(['orders', '{orderId}', 'files', '{proxy+}'])).toEqual(['orderId', 'proxy']);
  expect(pathParameters([])).toEqual([]);
});

describe('RouteTable', () => {
  function add(table: RouteTable, method: ApiMethod, path: string) {
    table.add(`route '${method} ${path}'`, method, parsePath(scope(), 'path', path));
  }

  test.each<[string, Array<[ApiMethod, string]>]>([
    ['different methods on one path', [[ApiMethod.GET, '/orders'], [ApiMethod.POST, '/orders'], [ApiMethod.ANY, '/orders']]],
    ['a literal beside a parameter', [[ApiMethod.GET, '/orders/{id}'], [ApiMethod.GET, '/orders/latest']]],
    ['the same parameter name under one parent', [[ApiMethod.GET, '/orders/{id}'], [ApiMethod.DELETE, '/orders/{id}/items']]],
    ['the root and a greedy path', [[ApiMethod.GET, '/'], [ApiMethod.GET, '/files/{proxy+}']]],
    ['parameters under different parents', [[ApiMethod.GET, '/a/{x}'], [ApiMethod.GET, '/b/{y}']]],
  ])('accepts %s', (_name, routes) => {
    const table = new RouteTable(scope());
    routes.forEach(([method, path]) => add(table, method, path));
    expect(table.keys).toEqual(routes.map(([method, path]) => `${method} ${path}`));
  });

  test.each<[string, [ApiMethod, string], [ApiMethod, string], string]>([
    ['the same route twice', [ApiMethod.GET, '/orders'], [ApiMethod.GET, '/orders'],
      "route 'GET /orders' conflicts with route 'GET /orders': both take GET requests for the same path"],
    ['the same shape with other parameter names', [ApiMethod.GET, '/orders/{id}'], [ApiMethod.GET, '/orders/{orderId}'],
      "route 'GET /orders/{orderId}' conflicts with route 'GET /orders/{id}': both take GET requests for the same path"],
    ['two parameter names under one parent', [ApiMethod.GET, '/orders/{id}'], [ApiMethod.POST, '/orders/{orderId}'],
      "route 'POST /orders/{orderId}' conflicts with route path '/orders/{id}': {orderId} and {id} are both variable parts under '/orders'"],
    ['a parameter and a greedy parameter under one parent', [ApiMethod.GET, '/files/{id}'], [ApiMethod.GET, '/files/{proxy+}'],
      "route 'GET /files/{proxy+}' conflicts with route path '/files/{id}': {proxy+} and {id} are both variable parts under '/files'"],
    ['the same greedy route twice', [ApiMethod.ANY, '/{proxy+}'], [ApiMethod.ANY, '/{proxy+}'],
      "route 'ANY /{proxy+}' conflicts with route 'ANY /{proxy+}'"],
  ])('rejects %s', (_name, first, second, message) => {
    const table = new RouteTable(scope());
    add(table, ...first);
    expect(() => add(table, ...second)).toThrow(message);
    expect(table.keys).toEqual([`${first[0]} ${first[1]}`]);
  });
});
