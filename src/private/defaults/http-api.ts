import { Duration } from 'aws-cdk-lib';

/** Default stage throttling of an API (SecureHttpApi; the REST SecureApi documents the same values). */
export const API_THROTTLE_DEFAULTS = {
  /** Requests per second: enough for most services' first year, low enough to cap a runaway client's cost. */
  rateLimit: 100,
  /** Twice the rate, so short bursts pass. */
  burstLimit: 200,
} as const;

/** Default alarm settings of a SecureHttpApi (AWS's recommended alarms for API Gateway). */
export const HTTP_API_ALARM_DEFAULTS = {
  /** 5xx average (the share of requests answered with a server error) > 5 % in 3 consecutive minutes. */
  serverErrorRate: { threshold: 0.05, period: Duration.minutes(1), evaluationPeriods: 3 },
  /** 4xx average > 5 % in 5 consecutive minutes. */
  clientErrorRate: { threshold: 0.05, period: Duration.minutes(1), evaluationPeriods: 5 },
  /** p90 latency > 2.5 seconds in 5 consecutive minutes. */
  latency: { maxAge: Duration.millis(2500), period: Duration.minutes(1), evaluationPeriods: 5 },
} as const;

/** Default authorizer settings of a SecureHttpApi. */
export const HTTP_API_AUTHORIZER_DEFAULTS = {
  /** Where JWT, Cognito and Lambda authorizers read the caller's token. */
  identitySource: ['$request.header.Authorization'],
  /** How long API Gateway caches a Lambda authorizer's answer per identity (CDK's and API Gateway's console default). */
  resultsCacheTtl: Duration.minutes(5),
} as const;

/** API Gateway HTTP API limits, for validation. */
export const HTTP_API_LIMITS = {
  /** A Lambda authorizer's result cache: 0 (off) to one hour. */
  maxResultsCacheTtl: Duration.hours(1),
  /** CORS max age: at most 86,400 seconds. */
  maxCorsMaxAge: Duration.days(1),
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
  errorMessage: '$context.error.message',
  errorResponseType: '$context.error.responseType',
};
