import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { SecureWebSocketApiAlarmsProps } from './secure-websocket-api-alarms';
import { WebSocketAuthorization } from './websocket-authorization';
import { ApiCloudWatchRole } from '../core/api-cloudwatch-role';
import { ApiDomainOptions } from '../core/api-domain';
import { ApiThrottleOptions } from '../core/api-throttle';
import { MonitoredConstructProps } from '../monitoring/monitored-props';

/**
 * Properties of `SecureWebSocketApi`.
 */
export interface SecureWebSocketApiProps extends MonitoredConstructProps {
  /**
   * How the `$connect` route checks who opens a connection: `WebSocketAuthorization.cognito()`,
   * `.lambdaAuthorizer()` or `.iam()`. Later messages on the connection are not checked again
   * (AWS authorizes WebSocket connections only when they open).
   *
   * @default - none: then `allowAnonymousConnect: true` is required
   */
  readonly authorization?: WebSocketAuthorization;

  /**
   * Let anyone on the internet connect, with no authorization: the explicit opt-in for public
   * feeds. Adds the acknowledgeable warning `cdk-bulwark:websocket-api:anonymous-connect`, and
   * cdk-nag's AwsSolutions-APIG4 stays visible on every route (nothing on the API is authorized).
   * Cannot be combined with `authorization`.
   *
   * @default false
   */
  readonly allowAnonymousConnect?: boolean;

  /**
   * Routes for messages: each route key (the value the route selection expression finds in a
   * message, such as `subscribe` for `{"action": "subscribe"}`) and its handler. More can be added
   * with `addRoute()`. Route keys must not start with `$`.
   *
   * @default - none
   */
  readonly routes?: { [routeKey: string]: lambda.IFunction };

  /**
   * The handler of messages that match no route (the `$default` route), or that are not JSON.
   *
   * @default - none: such messages get an error answer from API Gateway
   */
  readonly defaultHandler?: lambda.IFunction;

  /**
   * Your own `$connect` handler, instead of the construct's, which records the connection in the
   * connections table. Yours must record it itself if you use the table (grant it with
   * `connectionsTable.grantReadWriteData()`). Returning a non-2xx status refuses the connection.
   *
   * @default - the construct's connection recorder
   */
  readonly connectHandler?: lambda.IFunction;

  /**
   * Your own `$disconnect` handler, instead of the construct's, which deletes the connection's
   * record. API Gateway calls it on a best-effort basis; records it misses expire (DynamoDB TTL).
   *
   * @default - the construct's connection recorder
   */
  readonly disconnectHandler?: lambda.IFunction;

  /**
   * Where API Gateway reads the route key of a message: `$request.body.<field>` (a dot-separated
   * path into the JSON message).
   *
   * @default '$request.body.action'
   */
  readonly routeSelectionExpression?: string;

  /**
   * The stage's name, the last part of the endpoint URL (`wss://<api id>.execute-api.<region>.amazonaws.com/<stageName>`).
   *
   * @default 'prod'
   */
  readonly stageName?: string;

  /**
   * Throttling of each route (the stage's default route settings): new connections on `$connect`,
   * messages on the others, per second across all connections. Requests over a route's limit get
   * 429 (a refused connection, or an error message back).
   *
   * @default - 1,000 per second with bursts of 2,000 (the account's default regional quota is
   * 10,000 per second, shared by every API)
   */
  readonly throttle?: ApiThrottleOptions;

  /**
   * Who sets API Gateway's account-level CloudWatch Logs role, which the stage's execution logs
   * need (shared with `SecureApi`: one setting per account and region).
   *
   * @default ApiCloudWatchRole.CREATE
   */
  readonly cloudWatchRole?: ApiCloudWatchRole;

  /**
   * A log group of your own for the JSON access logs. Its retention, encryption and removal
   * policy are yours; a customer-managed key must let `logs.<region>.amazonaws.com` use it.
   *
   * @default - a log group retained on deletion, with `logRetention`; encrypted with the stack key
   * in REGULATED
   */
  readonly accessLogGroup?: logs.ILogGroup;

  /**
   * Retention of the created log groups: access logs (not with `accessLogGroup`), execution
   * logs, and the created functions' logs.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * A custom domain name: regional, TLS 1.2 or later, mapped to the stage (under `basePath` when
   * given). Clients connect to `wss://<domainName>/<basePath>`. Point a DNS record at
   * `domainName.regionalDomainName` yourself.
   *
   * @default - only the execute-api endpoint
   */
  readonly domain?: ApiDomainOptions;

  /**
   * A description of the API.
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * Alarm thresholds, or `enabled: false` to skip an alarm.
   *
   * @default - integration errors, execution errors, client errors and p90 integration latency,
   * with their documented defaults
   */
  readonly alarms?: SecureWebSocketApiAlarmsProps;
}
