import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';

/**
 * The AWS WAF web ACL in front of an API (REST API, GraphQL API or load balancer).
 *
 * By default the construct creates a REGIONAL web ACL with three AWS managed rule groups (Amazon IP
 * reputation list, Core rule set, Known bad inputs) and a rate-based rule per client IP, logs to a
 * retained `aws-waf-logs-` log group with the `authorization` and `cookie` headers redacted, and
 * associates it. Cost at idle: about $5 per month for the web ACL and $1 per rule (4 rules), plus
 * $0.60 per million requests and the log ingestion.
 */
export interface WebFirewallOptions {
  /**
   * Whether to put a web ACL in front of the resource at all. `false` leaves the resource open to
   * floods and common exploits; the construct then warns (acknowledgeably) and the compliance
   * packs report the missing web ACL. Cannot be combined with any other option.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The ARN of a REGIONAL web ACL of your own (`arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>`)
   * to associate instead of creating one. Nothing else is created: its rules and logging are yours.
   * CloudFront (`global/`) web ACLs cannot be associated with API Gateway, AppSync or load balancers.
   * Cannot be combined with the options that configure the created web ACL.
   *
   * @default - a web ACL is created
   */
  readonly webAclArn?: string;

  /**
   * Requests one client IP may send within `rateLimitWindow` before the rate-based rule blocks it
   * (10 to 2,000,000,000). WAF applies the limit approximately and re-checks about every 10 seconds.
   *
   * @default 1000
   */
  readonly rateLimit?: number;

  /**
   * The window the rate-based rule counts requests over: 1, 2, 5 or 10 minutes (the values WAF allows).
   *
   * @default Duration.minutes(5)
   */
  readonly rateLimitWindow?: Duration;

  /**
   * Keep AWS's block of request bodies over 8 KB (the Core rule set's `SizeRestrictions_BODY` rule).
   *
   * By default that rule only counts: a JSON API commonly accepts bodies over 8 KB, and blocking
   * them breaks legitimate clients with an opaque 403. WAF inspects only the first 8 KB of a body
   * either way, so with the default, content past 8 KB is not inspected by the body rules. Set it to
   * `true` when your API never accepts larger bodies.
   *
   * @default false
   */
  readonly blockLargeBodies?: boolean;

  /**
   * Rules of AWS's Core rule set (`AWSManagedRulesCommonRuleSet`) to set to count instead of block,
   * for rules your legitimate traffic trips (e.g. `NoUserAgent_HEADER` for machine clients,
   * `CrossSiteScripting_BODY` for APIs that accept HTML). Matches stay visible in the metrics and logs.
   * Only the rule names of the rule set's current version are accepted.
   *
   * @default - every rule blocks, except `SizeRestrictions_BODY` (see `blockLargeBodies`)
   */
  readonly countRules?: string[];

  /**
   * How long the WAF log group keeps logs.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}
