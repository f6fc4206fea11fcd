/**
 * The HTTP method of a route of a `SecureApi` or `SecureHttpApi`.
 */
export enum ApiMethod {
  /** GET */
  GET = 'GET',
  /** POST */
  POST = 'POST',
  /** PUT */
  PUT = 'PUT',
  /** PATCH */
  PATCH = 'PATCH',
  /** DELETE */
  DELETE = 'DELETE',
  /** HEAD */
  HEAD = 'HEAD',
  /**
   * OPTIONS. Give it a route only when you answer preflight requests yourself: with `cors` set,
   * API Gateway answers them.
   */
  OPTIONS = 'OPTIONS',
  /** Any method: the route's handler gets every method that no other route of the same path takes. */
  ANY = 'ANY',
}
