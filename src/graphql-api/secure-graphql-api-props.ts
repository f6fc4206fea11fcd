import { Duration } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { GraphqlAuthorization } from './graphql-authorization';
import { GraphqlSchema } from './graphql-schema';
import { SecureGraphqlApiAlarmsProps } from './secure-graphql-api-alarms';
import { WebFirewallOptions } from '../core/web-firewall-options';
import { MonitoredConstructProps } from '../monitoring/monitored-props';

/** The size of an AppSync server-side cache (each is a priced instance, billed per hour while it exists). */
export enum GraphqlCacheSize {
  /** `SMALL`: the smallest cache instance. */
  SMALL = 'SMALL',
  /** `MEDIUM`. */
  MEDIUM = 'MEDIUM',
  /** `LARGE`. */
  LARGE = 'LARGE',
  /** `XLARGE`. */
  XLARGE = 'XLARGE',
}

/** Options of an AppSync server-side cache (`SecureGraphqlApiProps.cache`). */
export interface GraphqlCacheOptions {
  /**
   * The cache instance.
   *
   * @default GraphqlCacheSize.SMALL
   */
  readonly size?: GraphqlCacheSize;

  /**
   * How long an answer stays cached (1 second to 1 hour).
   *
   * @default Duration.minutes(5)
   */
  readonly ttl?: Duration;
}

/** Properties of a `SecureGraphqlApi`. */
export interface SecureGraphqlApiProps extends MonitoredConstructProps {
  /** The GraphQL schema. */
  readonly schema: GraphqlSchema;

  /**
   * How callers are authorized by default: a Cognito user pool (a `UserDirectory`), IAM, OpenID
   * Connect, a Lambda authorizer or, by explicit opt-in, an API key.
   */
  readonly authorization: GraphqlAuthorization;

  /**
   * Further ways to authorize callers; types and fields allow them with AppSync's directives
   * (`@aws_iam`, `@aws_cognito_user_pools`, ...). IAM, Lambda and API key may each appear once in
   * all; a user pool or OIDC issuer may not repeat.
   *
   * @default - none
   */
  readonly additionalAuthorizations?: GraphqlAuthorization[];

  /**
   * How much AppSync logs about each field: `ERROR` logs failed fields with their resolver's request
   * and response, `ALL` logs every field (with the data it returned, which can be personal data).
   *
   * @default appsync.FieldLogLevel.ERROR
   */
  readonly fieldLogLevel?: appsync.FieldLogLevel;

  /**
   * Whether the logs include verbose content: request and response headers (including tokens in
   * `Authorization`), the context and the evaluated resolver code. On, it satisfies
   * AwsSolutions-ASC3 and puts credentials and personal data in the logs; off, ASC3 is acknowledged.
   *
   * @default false
   */
  readonly logVerboseContent?: boolean;

  /**
   * How long the API's logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * A customer-managed key for the log groups.
   *
   * @default - the stack key in REGULATED; CloudWatch Logs' own encryption in STANDARD
   */
  readonly key?: kms.IKey;

  /**
   * The AWS WAF web ACL in front of the API (the same defaults as `SecureApi`).
   *
   * @default - a web ACL with AWS managed rule groups, a rate-based rule and logging
   */
  readonly firewall?: WebFirewallOptions;

  /**
   * How deeply a query may nest fields (1 to 75): deeper queries are refused before any resolver runs.
   *
   * @default 10
   */
  readonly queryDepthLimit?: number;

  /**
   * How many resolvers one request may run (1 to 10,000).
   *
   * @default 1000
   */
  readonly resolverCountLimit?: number;

  /**
   * Whether clients may read the schema by introspection (GraphQL tools and code generators use it).
   *
   * @default true
   */
  readonly introspection?: boolean;

  /**
   * An AppSync server-side cache of whole requests, keyed by the caller's identity and the
   * arguments, encrypted at rest and in transit. Answers can be up to `ttl` old after a write; API key
   * callers (no identity) share answers, and so do a Lambda authorizer's unless it returns the
   * caller's id in `resolverContext` (a warning says so). A priced instance billed per hour.
   *
   * @default - no cache
   */
  readonly cache?: GraphqlCacheOptions;

  /**
   * Alarm thresholds; each can be tuned or switched off.
   *
   * @default - every alarm with its defaults (see `SecureGraphqlApiAlarmsProps`)
   */
  readonly alarms?: SecureGraphqlApiAlarmsProps;
}
