/** Default authorizer settings of a SecureHttpApi. */
export const HTTP_API_AUTHORIZER_DEFAULTS = {
  /** Where JWT, Cognito and Lambda authorizers read the caller's token. */
  identitySource: ['$request.header.Authorization'],
} as const;

/**
 * The JSON access log line of a SecureHttpApi stage. Every value is a context variable of HTTP
 * APIs; none holds a header value, a token or a body.
 */
export const HTTP_API_ACCESS_LOG_FIELDS: Record<string, string> = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  requestTime: '$context.requestTime',
  requestTimeEpoch: '$context.requestTimeEpoch',
  httpMethod: '$context.httpMethod',
  path: '$context.path',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  domainName: '$context.domainName',
  authorizerError: '$context.authorizer.error',
  integrationStatus: '$context.integration.status',
  integrationLatency: '$context.integration.latency',
  integrationError: '$context.integration.error',
  integrationErrorMessage: '$context.integrationErrorMessage',
  principalId: '$context.authorizer.principalId',
  jwtSubject: '$context.authorizer.claims.sub',
  userArn: '$context.identity.userArn',
  errorMessage: '$context.error.message',
  errorResponseType: '$context.error.responseType',
};
