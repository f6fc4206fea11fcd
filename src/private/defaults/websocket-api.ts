import { Duration } from 'aws-cdk-lib';

/*
 * Defaults and limits of SecureWebSocketApi (API Gateway developer guide, "Amazon API Gateway quotas
 * and important notes": quotas for configuring and running a WebSocket API).
 */

/** Defaults of a SecureWebSocketApi. */
export const WEBSOCKET_DEFAULTS = {
  /** Where the route key is read from each message: the `action` field of a JSON message (AWS's own example). */
  routeSelectionExpression: '$request.body.action',
  /** Where clients send their token by default: a query string parameter, since browsers cannot set headers on a WebSocket handshake. */
  identitySource: 'route.request.querystring.token',
} as const;

/** API Gateway's WebSocket limits the construct validates against or writes into the connections table. */
export const WEBSOCKET_LIMITS = {
  /** Routes per API (a quota AWS can raise; the construct refuses more, since a raise is per account). */
  maxRoutes: 300,
  /** The longest a connection lives; its record in the connections table expires after it (plus a margin for clock skew). */
  maxConnectionDuration: Duration.hours(2),
  /** Added to `maxConnectionDuration` for the record's expiry. */
  expiryMargin: Duration.minutes(5),
  /** The longest an integration may take (not raisable for WebSocket APIs). */
  maxIntegrationTimeout: Duration.seconds(29),
} as const;

/** The alarms' defaults (counts per period; `latencyP90` is the API family's). */
export const WEBSOCKET_ALARM_DEFAULTS = {
  integrationErrors: { threshold: 5, period: Duration.minutes(5), evaluationPeriods: 1 },
  executionErrors: { threshold: 0, period: Duration.minutes(5), evaluationPeriods: 1 },
  clientErrors: { threshold: 100, period: Duration.minutes(5), evaluationPeriods: 1 },
} as const;

/** The IAM actions of the `@connections` management API (`execute-api:ManageConnections` on POST, GET and DELETE). */
export const MANAGE_CONNECTIONS = {
  action: 'execute-api:ManageConnections',
  methods: ['POST', 'GET', 'DELETE'],
} as const;

/**
 * The JSON access log line of a SecureWebSocketApi stage: one per connection, message and
 * disconnection, with the connection, the route and the outcome. Every value is a context variable
 * of WebSocket APIs; none holds a token or a message body. `requestId` must be there (API Gateway
 * refuses a format without it).
 */
export const WEBSOCKET_ACCESS_LOG_FIELDS: Record<string, string> = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  requestTime: '$context.requestTime',
  requestTimeEpoch: '$context.requestTimeEpoch',
  connectionId: '$context.connectionId',
  eventType: '$context.eventType',
  routeKey: '$context.routeKey',
  messageId: '$context.messageId',
  status: '$context.status',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  userArn: '$context.identity.userArn',
  principalId: '$context.authorizer.principalId',
  authorizerError: '$context.authorizer.error',
  authorizeStatus: '$context.authorize.status',
  integrationStatus: '$context.integration.status',
  integrationLatency: '$context.integration.latency',
  integrationError: '$context.integration.error',
  errorMessage: '$context.error.message',
  errorResponseType: '$context.error.responseType',
};
