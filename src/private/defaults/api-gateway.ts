import { Duration } from 'aws-cdk-lib';

/** Defaults of the API constructs (REST `SecureApi` and HTTP `SecureHttpApi`), one place for each. */
export const API_DEFAULTS = {
  /** The stage every SecureApi deploys to. */
  stageName: 'prod',
  /**
   * Stage throttling: a tenth of the account's default regional quota (10,000 requests per second,
   * shared by every API of the account and region), so one API cannot starve the others.
   */
  throttle: { rateLimit: 1000, burstLimit: 2000 },
  /** API Gateway's maximum integration timeout for REST APIs without a quota increase. */
  maxIntegrationTimeout: Duration.seconds(29),
  /** Authorizer result caching: API Gateway's own default. */
  resultsCacheTtl: Duration.minutes(5),
} as const;

/** API Gateway limits both API constructs validate against. */
export const API_LIMITS = {
  /** An authorizer's result cache: 0 (off) to one hour. */
  maxResultsCacheTtl: Duration.hours(1),
  /** Throttle bursts are stored as 32-bit integers. */
  maxBurstLimit: 2147483647,
  /**
   * CORS max age: HTTP APIs accept at most 86,400 seconds, and browsers cap it at that or less
   * (Firefox one day, Chromium two hours), so a REST API gains nothing from more either.
   */
  maxCorsMaxAge: Duration.days(1),
} as const;

/** AWS's recommended alarms for API Gateway (CloudWatch "Recommended alarms"). */
export const API_ALARM_DEFAULTS = {
  /** 5XXError average (a rate, 0 to 1) > 5 % in 3 consecutive minutes. */
  serverErrorRate: { threshold: 0.05, period: Duration.minutes(1), evaluationPeriods: 3 },
  /** 4XXError average > 5 % in 5 consecutive minutes: clients failing (auth, validation, throttling). */
  clientErrorRate: { threshold: 0.05, period: Duration.minutes(1), evaluationPeriods: 5 },
  /** Latency p90 > 2.5 s in 5 consecutive minutes. */
  latencyP90: { maxLatency: Duration.millis(2500), period: Duration.minutes(1), evaluationPeriods: 5 },
  /** Any request throttled (HTTP 429) in 5 minutes. */
  throttledRequests: { threshold: 0, period: Duration.minutes(5), evaluationPeriods: 1 },
} as const;

/**
 * The JSON access log line of a REST API stage: who called what, the outcome, where the time went
 * and why a request failed (authorizer, integration, firewall). No request or response bodies.
 */
export const REST_ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  apiId: '$context.apiId',
  stage: '$context.stage',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  caller: '$context.identity.caller',
  principalId: '$context.authorizer.principalId',
  cognitoSubject: '$context.authorizer.claims.sub',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integration.status',
  errorType: '$context.error.responseType',
  errorMessage: '$context.error.message',
  authorizerError: '$context.authorizer.error',
  wafResponseCode: '$context.wafResponseCode',
  xrayTraceId: '$context.xrayTraceId',
} as const;
