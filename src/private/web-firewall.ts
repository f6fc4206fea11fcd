import { ArnFormat, Aws, Duration, Fn, Names, Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct, IConstruct } from 'constructs';
import { arnRegion, checkSameRegion } from './api-environment';
import { LOGS_DEFAULTS } from './defaults/logs';
import { retainedLogGroup } from './log-groups';
import { checkKnownProps, propKeys } from './props';
import { checkBoolean, checkInteger, checkRetention } from './validation';
import { warn, Warning } from './warnings';
import { BulwarkError } from '../core/errors';
import { WebFirewallOptions } from '../core/web-firewall-options';

/*
 * The web ACL that SecureApi, SecureGraphqlApi and ContainerService put in front of their
 * endpoints. Internal: owners take `WebFirewallOptions` and create one `WebFirewall`; when it is
 * switched off they warn with their own entry of the warnings catalog (`WARNINGS.apiNoFirewall`).
 *
 * Deploy-time facts it relies on, each with its source:
 * - Scope REGIONAL: API Gateway, AppSync and ALBs take only regional web ACLs; CLOUDFRONT ACLs
 *   (`global/` ARNs) live in us-east-1 for distributions (WAF developer guide, "Resources you can protect").
 * - No `Name`: it is optional on AWS::WAFv2::WebACL, so CloudFormation generates it and two
 *   firewalls (or two copies of a stack) never collide. Metric names are not optional: the web
 *   ACL's is unique per stack and construct path (CloudWatch keys WAF metrics by it).
 * - WAF logs to CloudWatch Logs only into a log group whose name starts with `aws-waf-logs-`
 *   (WAF developer guide, "Sending web ACL traffic logs to an Amazon CloudWatch Logs log group").
 *   The group is retained, so its name also carries the stack's id: a retained group from a
 *   deleted stack never blocks deploying it again.
 * - The log destination is the log group ARN without CloudFormation's trailing `:*` (the format
 *   the WAF guide documents: `arn:aws:logs:<region>:<account>:log-group:aws-waf-logs-<suffix>`).
 * - No logs::ResourcePolicy: when logging is enabled, AWS (the CloudFormation handler calling
 *   PutLoggingConfiguration) gives the log group the resource policy that lets
 *   `delivery.logs.amazonaws.com` write. For new deliveries it is a policy on the log group
 *   itself, up to 51,200 bytes (CloudWatch Logs user guide, "Logs sent to CloudWatch Logs", Log group
 *   resource policy), so the account's 10 account-level policies per region and their 5,120-character
 *   limit are not used up. An explicit AWS::Logs::ResourcePolicy can only be account-level (it has
 *   no resource ARN in CloudFormation) and would spend one of those 10 with a fixed name.
 * - KMS (REGULATED): CloudWatch Logs encrypts the events itself, so the key policy must let
 *   `logs.<region>.amazonaws.com` use the key (`KeyUser.CLOUDWATCH_LOGS`). WAF, unlike Cognito,
 *   documents no restriction on encrypted log groups.
 */

/** Moved to validation.ts, the one check of every logRetention: import it from there. */
export { checkRetention };

/** AWS's limits on a rate-based rule (WAF developer guide, "Rate-based rule high-level settings"). */
const RATE_LIMIT_MIN = 10;
const RATE_LIMIT_MAX = 2_000_000_000;
const RATE_LIMIT_WINDOWS_SECONDS = [60, 120, 300, 600];

/** Defaults of every web ACL the library creates. */
export const WEB_FIREWALL_DEFAULTS = {
  /** 1,000 requests per IP per 5 minutes: about 3 per second sustained, far above one person's use. */
  rateLimit: 1000,
  /** WAF's default evaluation window. */
  rateLimitWindow: Duration.minutes(5),
  blockLargeBodies: false,
} as const;

/** The rule of the Core rule set that blocks request bodies over 8 KB. */
const SIZE_RESTRICTIONS_BODY = 'SizeRestrictions_BODY';

/**
 * The rules of AWSManagedRulesCommonRuleSet (its current static version, WAF developer guide,
 * "Baseline rule groups"). A name not in the group would be rejected only at deploy time.
 */
export const CORE_RULE_SET_RULES: readonly string[] = [
  'NoUserAgent_HEADER', 'UserAgent_BadBots_HEADER',
  'SizeRestrictions_QUERYSTRING', 'SizeRestrictions_Cookie_HEADER', SIZE_RESTRICTIONS_BODY, 'SizeRestrictions_URIPATH',
  'EC2MetaDataSSRF_BODY', 'EC2MetaDataSSRF_COOKIE', 'EC2MetaDataSSRF_URIPATH', 'EC2MetaDataSSRF_QUERYARGUMENTS',
  'GenericLFI_QUERYARGUMENTS', 'GenericLFI_URIPATH', 'GenericLFI_BODY',
  'RestrictedExtensions_URIPATH', 'RestrictedExtensions_QUERYARGUMENTS',
  'GenericRFI_QUERYARGUMENTS', 'GenericRFI_BODY', 'GenericRFI_URIPATH',
  'CrossSiteScripting_COOKIE', 'CrossSiteScripting_QUERYARGUMENTS', 'CrossSiteScripting_BODY', 'CrossSiteScripting_URIPATH',
];

/** Options that configure the created web ACL: none of them applies to a brought one. */
const CREATION_OPTIONS = ['rateLimit', 'rateLimitWindow', 'blockLargeBodies', 'countRules', 'logRetention'] as const;
const OPTIONS = propKeys<WebFirewallOptions>()('WebFirewallOptions', ['enabled', 'webAclArn', ...CREATION_OPTIONS]);

/** The headers whose values never reach the WAF logs (credentials and session tokens). */
export const REDACTED_HEADERS: readonly string[] = ['authorization', 'cookie'];

/** The prefix WAF requires of a CloudWatch Logs destination. */
export const WAF_LOG_GROUP_PREFIX = 'aws-waf-logs-';

const REGIONAL_WEB_ACL_ARN = /^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/[\w-]{1,128}\/[\w-]{1,128}$/;
const GLOBAL_WEB_ACL_ARN = /^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:global\/webacl\//;

/** Whether the owner puts a web ACL in front of its resource (`enabled` is not `false`). */
export function webFirewallEnabled(options?: WebFirewallOptions): boolean {
  return options?.enabled !== false;
}

/**
 * Puts a web ACL in front of `resourceArn` (the owner's `firewall` prop): a `Firewall` child that
 * creates (or brings) it and associates it (`Firewall/Association`); switched off, the owner's own
 * warning instead, and undefined.
 *
 * @param offWarning the owner's entry of the warnings catalog for `firewall.enabled: false`
 */
export function protectWithFirewall(owner: Construct, options: WebFirewallOptions | undefined, key: kms.IKey | undefined, resourceArn: string,
  offWarning: Warning<[string]>): WebFirewall | undefined {
  if (!webFirewallEnabled(options)) {
    warn(owner, offWarning, 'firewall');
    return undefined;
  }
  const firewall = new WebFirewall(owner, 'Firewall', { options, propName: 'firewall', key });
  firewall.associate('Association', resourceArn);
  return firewall;
}

/**
 * Validates `options` as the owner's `propName` prop. Owners call it before they create any
 * resource; messages name the owner's construct and prop path (`firewall.rateLimit is 5; ...`).
 * Unresolved tokens pass.
 */
export function validateWebFirewallOptions(scope: IConstruct, propName: string, options: WebFirewallOptions | undefined): void {
  if (options === undefined) {
    return;
  }
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw BulwarkError.invalid(scope, propName, options, 'it must be a WebFirewallOptions object, or left out for the defaults');
  }
  const prop = (name: string) => `${propName}.${name}`;
  const given = Object.keys(options).filter((k) => (options as unknown as Record<string, unknown>)[k] !== undefined);
  checkKnownProps(scope, options, OPTIONS, propName);

  checkBoolean(scope, prop('enabled'), options.enabled, true);
  checkBoolean(scope, prop('blockLargeBodies'), options.blockLargeBodies, true);
  if (Number.isNaN(options.rateLimit)) {
    throw new BulwarkError(scope, `${prop('rateLimit')} is NaN; it must be an integer from ${RATE_LIMIT_MIN} to ${RATE_LIMIT_MAX}`);
  }
  checkInteger(scope, prop('rateLimit'), options.rateLimit, RATE_LIMIT_MIN, RATE_LIMIT_MAX);
  checkWindow(scope, prop('rateLimitWindow'), options.rateLimitWindow);
  checkRetention(scope, prop('logRetention'), options.logRetention);
  checkWebAclArn(scope, prop('webAclArn'), options.webAclArn);
  checkCountRules(scope, prop('countRules'), options.countRules);

  // Combinations that cannot work.
  const others = given.filter((k) => k !== 'enabled');
  if (options.enabled === false && others.length > 0) {
    throw new BulwarkError(scope, `${prop('enabled')} is false, so no web ACL is used; ${others.map(prop).join(' and ')} cannot be set with it `
      + `(remove ${others.length > 1 ? 'them' : 'it'}, or remove ${prop('enabled')})`);
  }
  const creation = given.filter((k) => (CREATION_OPTIONS as readonly string[]).includes(k));
  if (options.webAclArn !== undefined && creation.length > 0) {
    throw new BulwarkError(scope, `${prop('webAclArn')} and ${creation.map(prop).join(' and ')} cannot be set together: `
      + `${creation.join(', ')} configure${creation.length > 1 ? '' : 's'} the web ACL this construct creates, and with `
      + `${prop('webAclArn')} none is created (configure your own web ACL instead)`);
  }
  if (options.blockLargeBodies === true && options.countRules?.includes(SIZE_RESTRICTIONS_BODY)) {
    throw new BulwarkError(scope, `${prop('blockLargeBodies')} is true but ${prop('countRules')} contains '${SIZE_RESTRICTIONS_BODY}', `
      + 'the rule that blocks large bodies; give only one of them');
  }
}

/** Properties of `WebFirewall`. */
export interface WebFirewallProps {
  /** The owner's options, already validated with `validateWebFirewallOptions`. `enabled` must not be false. */
  readonly options?: WebFirewallOptions;
  /** The owner's prop name, for messages. */
  readonly propName: string;
  /**
   * The customer-managed key for the log group (the owner's `context.key()`: the stack key in REGULATED).
   *
   * @default - none (CloudWatch Logs' own encryption)
   */
  readonly key?: kms.IKey;
}

/**
 * A REGIONAL AWS WAF web ACL with logging, or a brought one, and its associations.
 *
 * Construct ids are API: `WebAcl`, `LogGroup`, `Logging`, and the ids given to `associate()`.
 */
export class WebFirewall extends Construct {
  /** The ARN of the web ACL, created or brought. */
  public readonly webAclArn: string;
  /** The created web ACL; undefined when `webAclArn` was given. */
  public readonly webAcl?: wafv2.CfnWebACL;
  /** The created log group; undefined when `webAclArn` was given. */
  public readonly logGroup?: logs.ILogGroup;
  /** The logging configuration of the created web ACL. */
  public readonly loggingConfiguration?: wafv2.CfnLoggingConfiguration;
  /** The key that encrypts the log group, when one does. */
  public readonly key?: kms.IKey;

  constructor(scope: Construct, id: string, props: WebFirewallProps) {
    super(scope, id);
    validateWebFirewallOptions(scope, props.propName, props.options);
    const options = props.options ?? {};
    if (!webFirewallEnabled(options)) {
      throw new BulwarkError(scope, `${props.propName}.enabled is false; no WebFirewall must be created`);
    }

    if (options.webAclArn !== undefined) {
      this.webAclArn = options.webAclArn;
      return;
    }

    this.key = props.key;
    const webAcl = this.createWebAcl(options);
    this.webAcl = webAcl;
    this.webAclArn = webAcl.attrArn;
    const logGroup = this.createLogGroup(options.logRetention ?? LOGS_DEFAULTS.retention);
    this.logGroup = logGroup;
    this.loggingConfiguration = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: webAcl.attrArn,
      logDestinationConfigs: [Stack.of(this).formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: logGroup.logGroupName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      })],
      // `any` in the L1: written in CloudFormation's casing.
      redactedFields: REDACTED_HEADERS.map((name) => ({ singleHeader: { Name: name } })),
    });
  }

  /**
   * Associates the web ACL with a regional resource: a REST API stage, an AppSync API or an ALB.
   *
   * @param id construct id of the association (API: never change it)
   * @param resourceArn the resource's ARN (for API Gateway, the stage ARN)
   */
  public associate(id: string, resourceArn: string): wafv2.CfnWebACLAssociation {
    const association = new wafv2.CfnWebACLAssociation(this, id, { resourceArn, webAclArn: this.webAclArn });
    if (this.webAcl) {
      // The ARN attribute already orders it after the web ACL; logging must be on before traffic flows.
      association.node.addDependency(this.loggingConfiguration!);
    }
    return association;
  }

  private createWebAcl(options: WebFirewallOptions): wafv2.CfnWebACL {
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty =>
      ({ cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
    const managed = (priority: number, name: string, groupName: string, ruleActionOverrides?: wafv2.CfnWebACL.RuleActionOverrideProperty[]) => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: groupName, ruleActionOverrides } },
      visibilityConfig: visibility(name),
    });
    const counted = new Set(options.countRules ?? []);
    if (!(options.blockLargeBodies ?? WEB_FIREWALL_DEFAULTS.blockLargeBodies)) {
      counted.add(SIZE_RESTRICTIONS_BODY);
    }
    const overrides = [...counted].map((name) => ({ name, actionToUse: { count: {} } }));

    return new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      // WAF metric names: 1-128 of [A-Za-z0-9_-]. CloudWatch keys the web ACL's metrics by this name
      // per region and account, so it is unique per stack and construct path.
      visibilityConfig: visibility(Names.uniqueResourceName(this, { maxLength: 128, separator: '-', allowedSpecialCharacters: '-_' })),
      rules: [
        // First, so that it counts every request of a client, including those later rules block.
        {
          name: 'RateLimitPerIp',
          priority: 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              limit: options.rateLimit ?? WEB_FIREWALL_DEFAULTS.rateLimit,
              evaluationWindowSec: (options.rateLimitWindow ?? WEB_FIREWALL_DEFAULTS.rateLimitWindow).toSeconds(),
            },
          },
          visibilityConfig: visibility('RateLimitPerIp'),
        },
        managed(1, 'AmazonIpReputationList', 'AWSManagedRulesAmazonIpReputationList'),
        managed(2, 'CoreRuleSet', 'AWSManagedRulesCommonRuleSet', overrides.length > 0 ? overrides : undefined),
        managed(3, 'KnownBadInputs', 'AWSManagedRulesKnownBadInputsRuleSet'),
      ],
    });
  }

  private createLogGroup(retention: logs.RetentionDays): logs.LogGroup {
    // aws-waf-logs-<stack and path, with a hash>-<the stack id's UUID>: unique per construct and per
    // deployment of the stack, within CloudWatch Logs' 512 characters of [.\-_/#A-Za-z0-9].
    const stackUuid = Fn.select(2, Fn.split('/', Aws.STACK_ID));
    const path = Names.uniqueResourceName(this, { maxLength: 100, separator: '-', allowedSpecialCharacters: '-_' });
    return retainedLogGroup(this, 'LogGroup', { logGroupName: `${WAF_LOG_GROUP_PREFIX}${path}-${stackUuid}`, retention, key: this.key });
  }

}

function checkWindow(scope: IConstruct, prop: string, value: Duration | undefined): void {
  const allowed = `it must be one of ${RATE_LIMIT_WINDOWS_SECONDS.map((s) => Duration.seconds(s).toHumanString()).join(', ')} (the windows WAF allows)`;
  if (value === undefined) {
    return;
  }
  if (!(value instanceof Duration)) {
    throw BulwarkError.invalid(scope, prop, value, allowed);
  }
  if (value.isUnresolved()) {
    return;
  }
  if (!RATE_LIMIT_WINDOWS_SECONDS.includes(value.toSeconds({ integral: false }))) {
    throw BulwarkError.invalid(scope, prop, value, allowed);
  }
}

function checkWebAclArn(scope: IConstruct, prop: string, value: string | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (typeof value === 'string' && GLOBAL_WEB_ACL_ARN.test(value)) {
    throw BulwarkError.invalid(scope, prop, value, 'it is a CloudFront (global) web ACL; API Gateway, AppSync and load balancers '
      + 'need a REGIONAL web ACL in their own region');
  }
  if (typeof value !== 'string' || !REGIONAL_WEB_ACL_ARN.test(value)) {
    throw BulwarkError.invalid(scope, prop, value, 'it must be the ARN of a REGIONAL web ACL: '
      + 'arn:<partition>:wafv2:<region>:<account>:regional/webacl/<name>/<id>');
  }
  // WAF developer guide, "Resources that you can protect": the web ACL must be in the resource's region.
  checkSameRegion(scope, prop, value, arnRegion(value), 'WAF associates a web ACL only with resources in its own region; '
    + 'make (or bring) a web ACL in this region');
}

function checkCountRules(scope: IConstruct, prop: string, value: string[] | undefined): void {
  if (value === undefined) {
    return;
  }
  if (!Array.isArray(value)) {
    throw BulwarkError.invalid(scope, prop, value, 'it must be a list of rule names of the Core rule set');
  }
  for (const name of value) {
    if (typeof name === 'string' && Token.isUnresolved(name)) {
      continue;
    }
    if (typeof name !== 'string' || !CORE_RULE_SET_RULES.includes(name)) {
      throw new BulwarkError(scope, `${prop} contains ${BulwarkError.show(name)}; it must list rules of AWSManagedRulesCommonRuleSet: `
        + CORE_RULE_SET_RULES.join(', '));
    }
  }
}
