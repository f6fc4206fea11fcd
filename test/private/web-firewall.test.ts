import { App, Aws, Duration, Fn, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ComplianceProfile } from '../../src';
import { WebFirewallOptions } from '../../src/core/web-firewall-options';
import { stackKey } from '../../src/private/stack-key';
import { WARNINGS } from '../../src/private/warnings';
import {
  CORE_RULE_SET_RULES, validateWebFirewallOptions, WAF_LOG_GROUP_PREFIX, WebFirewall, webFirewallEnabled,
} from '../../src/private/web-firewall';
import { FLAG_SETS, newStack, testApp } from '../support/app';
import { complianceReport, COMPLIANCE_CONTEXT, failingFindings, lines } from '../support/compliance';
import { expectProperties, keyStatementFor, logicalIdOf, resourceOf, stackKeyOf } from '../support/template';

/** Stands in for the construct that owns the firewall (SecureApi, ...): messages name it. */
class Owner extends Construct {}

const STAGE_ARN = 'arn:aws:apigateway:eu-west-1::/restapis/abc123/stages/prod';
const BROUGHT_ARN = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shared-acl/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
const PROFILES = [ComplianceProfile.STANDARD, ComplianceProfile.REGULATED];

function firewall(stack: Stack, options?: WebFirewallOptions, regulated = false, id = 'Api'): WebFirewall {
  const owner = new Owner(stack, id);
  // As an owner does: the profile's key (the stack key in REGULATED) for a web ACL it creates.
  const key = regulated && options?.webAclArn === undefined ? stackKey(stack) : undefined;
  const fw = new WebFirewall(owner, 'Firewall', { options, propName: 'firewall', key });
  fw.associate('Association', STAGE_ARN);
  return fw;
}

/** The literal part of a generated log group name (its suffix is the stack id's UUID, resolved at deploy time). */
function logGroupNameOf(template: Template, fw: WebFirewall): { prefix: string; suffix: unknown } {
  const name = resourceOf(template, fw.logGroup!).Properties.LogGroupName;
  const [prefix, suffix] = name['Fn::Join'][1];
  return { prefix, suffix };
}

function ruleSetStatement(template: Template, fw: WebFirewall, group: string): any {
  const rules: any[] = resourceOf(template, fw.webAcl!).Properties.Rules;
  return rules.find((r) => r.Statement.ManagedRuleGroupStatement?.Name === group).Statement.ManagedRuleGroupStatement;
}

describe.each(Object.entries(FLAG_SETS))('WebFirewall defaults (%s)', (_flagSet, flags) => {
  describe.each(PROFILES)('%s profile', (profile) => {
    const regulated = profile === ComplianceProfile.REGULATED;
    let stack: Stack;
    let fw: WebFirewall;
    let template: Template;

    beforeAll(() => {
      stack = newStack(flags, profile);
      fw = firewall(stack, undefined, regulated);
      template = Template.fromStack(stack);
    });

    test('a REGIONAL web ACL that allows by default, with a name CloudFormation generates, is created with stable construct ids', () => {
      expect(fw.webAcl).toBe(fw.node.findChild('WebAcl'));
      expect(fw.logGroup).toBe(fw.node.findChild('LogGroup'));
      expect(stack.resolve(fw.webAclArn)).toEqual(stack.resolve(fw.webAcl!.attrArn));
      template.resourceCountIs('AWS::WAFv2::WebACL', 1);
      expectProperties(template, fw.webAcl!, { Scope: 'REGIONAL', DefaultAction: { Allow: {} }, Name: Match.absent() });
    });

    test('four rules: rate limit per IP first, then the three free AWS managed rule groups (no paid Bot Control)', () => {
      expectProperties(template, fw.webAcl!, {
        Rules: [
          Match.objectLike({ Name: 'RateLimitPerIp', Priority: 0, Action: { Block: {} } }),
          Match.objectLike({
            Name: 'AmazonIpReputationList',
            Priority: 1,
            OverrideAction: { None: {} },
            Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesAmazonIpReputationList' } },
          }),
          Match.objectLike({
            Name: 'CoreRuleSet',
            Priority: 2,
            OverrideAction: { None: {} },
            Statement: { ManagedRuleGroupStatement: Match.objectLike({ VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' }) },
          }),
          Match.objectLike({
            Name: 'KnownBadInputs',
            Priority: 3,
            OverrideAction: { None: {} },
            Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesKnownBadInputsRuleSet' } },
          }),
        ],
      });
      expect(JSON.stringify(resourceOf(template, fw.webAcl!))).not.toContain('BotControl');
    });

    test('the Core rule set only counts bodies over 8 KB (SizeRestrictions_BODY), every other rule blocks', () => {
      expect(ruleSetStatement(template, fw, 'AWSManagedRulesCommonRuleSet').RuleActionOverrides)
        .toEqual([{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }]);
    });

    test('the rate-based rule blocks an IP above 1000 requests per 5 minutes', () => {
      expectProperties(template, fw.webAcl!, {
        Rules: Match.arrayWith([Match.objectLike({
          Name: 'RateLimitPerIp',
          Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: 1000, EvaluationWindowSec: 300 } },
        })]),
      });
    });

    test('metrics and sampled requests on the web ACL and every rule, with metric names WAF accepts, unique in the ACL', () => {
      const acl = resourceOf(template, fw.webAcl!).Properties;
      const configs = [acl.VisibilityConfig, ...acl.Rules.map((r: any) => r.VisibilityConfig)];
      for (const config of configs) {
        expect(config).toEqual({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: expect.stringMatching(/^[\w-]{1,128}$/) });
        expect(['All', 'Default_Action']).not.toContain(config.MetricName);
      }
      expect(new Set(configs.map((c) => c.MetricName)).size).toBe(configs.length);
      expect(acl.VisibilityConfig.MetricName).toMatch(/^TestStack-Api-Firewall-[0-9A-F]{8}$/);
    });

    test('logging goes to the log group ARN without the trailing :* and redacts the authorization and cookie headers', () => {
      expect(fw.loggingConfiguration).toBe(fw.node.findChild('Logging'));
      template.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 1);
      expectProperties(template, fw.loggingConfiguration!, {
        ResourceArn: stack.resolve(fw.webAcl!.attrArn),
        RedactedFields: [{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'cookie' } }],
      });
      const destinations = resourceOf(template, fw.loggingConfiguration!).Properties.LogDestinationConfigs;
      expect(destinations).toHaveLength(1);
      const parts: unknown[] = destinations[0]['Fn::Join'][1];
      expect(parts[parts.length - 1]).toEqual({ Ref: logicalIdOf(fw.logGroup!) });
      expect(JSON.stringify(parts)).toMatch(/:logs:eu-west-1:123456789012:log-group:"/);
      expect(JSON.stringify(destinations)).not.toContain(':*');
    });

    test('the log group is named aws-waf-logs-<stack and path>-<stack id UUID>, keeps logs a year and is retained', () => {
      const { prefix, suffix } = logGroupNameOf(template, fw);
      expect(prefix).toMatch(/^aws-waf-logs-TestStack-Api-Firewall-[0-9A-F]{8}-$/);
      expect(prefix.length + 36).toBeLessThanOrEqual(512);
      expect(suffix).toEqual({ 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] });
      const resource = resourceOf(template, fw.logGroup!);
      expect(resource.Properties.RetentionInDays).toBe(365);
      // A fixed name: retained, but deleted if the deployment that creates it rolls back (a retry would find it in the way).
      expect(resource.DeletionPolicy).toBe('RetainExceptOnCreate');
      expect(resource.UpdateReplacePolicy).toBe('Retain');
    });

    test('no logs::ResourcePolicy: AWS adds the log-group-level policy for delivery.logs.amazonaws.com when logging is enabled', () => {
      // CloudWatch Logs user guide, "Logs sent to CloudWatch Logs": new deliveries get a policy on the log group
      // itself (up to 51,200 bytes), not one of the account's 10 account-level policies per region.
      template.resourceCountIs('AWS::Logs::ResourcePolicy', 0);
    });

    test('the association is ordered after logging is on', () => {
      const associations = template.findResources('AWS::WAFv2::WebACLAssociation');
      expect(Object.values(associations)).toEqual([expect.objectContaining({
        Properties: { ResourceArn: STAGE_ARN, WebACLArn: stack.resolve(fw.webAcl!.attrArn) },
        DependsOn: [logicalIdOf(fw.loggingConfiguration!)],
      })]);
    });

    if (regulated) {
      test('REGULATED encrypts the log group with the stack key, whose policy lets CloudWatch Logs use it', () => {
        expect(fw.key).toBe(stackKeyOf(stack));
        expectProperties(template, fw.logGroup!, { KmsKeyId: stack.resolve(stackKeyOf(stack).keyArn) });
        const statement = keyStatementFor(template, stackKeyOf(stack), stack.resolve(`logs.${Aws.REGION}.amazonaws.com`));
        expect(statement.Action).toEqual(expect.arrayContaining(['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*']));
        expect(statement.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']).toBeDefined();
      });
    } else {
      test('STANDARD uses CloudWatch Logs\' own encryption: no key is created', () => {
        expect(fw.key).toBeUndefined();
        expectProperties(template, fw.logGroup!, { KmsKeyId: Match.absent() });
        template.resourceCountIs('AWS::KMS::Key', 0);
      });
    }
  });
});

describe('WebFirewall options', () => {
  test('blockLargeBodies keeps AWS\'s block of large bodies: no rule action override', () => {
    const stack = newStack();
    const fw = firewall(stack, { blockLargeBodies: true });
    expect(ruleSetStatement(Template.fromStack(stack), fw, 'AWSManagedRulesCommonRuleSet').RuleActionOverrides).toBeUndefined();
  });

  test('countRules are set to count, next to SizeRestrictions_BODY, once each', () => {
    const stack = newStack();
    const fw = firewall(stack, { countRules: ['NoUserAgent_HEADER', 'SizeRestrictions_BODY', 'NoUserAgent_HEADER'] });
    expect(ruleSetStatement(Template.fromStack(stack), fw, 'AWSManagedRulesCommonRuleSet').RuleActionOverrides).toEqual([
      { Name: 'NoUserAgent_HEADER', ActionToUse: { Count: {} } },
      { Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
    ]);
  });

  test.each([
    [10, Duration.minutes(1), 60],
    [2_000_000_000, Duration.seconds(600), 600],
    [500, Duration.minutes(2), 120],
  ])('rateLimit %d per %s is used', (limit, window, seconds) => {
    const stack = newStack();
    const fw = firewall(stack, { rateLimit: limit, rateLimitWindow: window });
    expectProperties(Template.fromStack(stack), fw.webAcl!, {
      Rules: Match.arrayWith([Match.objectLike({ Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: limit, EvaluationWindowSec: seconds } } })]),
    });
  });

  test('logRetention is used', () => {
    const stack = newStack();
    const fw = firewall(stack, { logRetention: logs.RetentionDays.THREE_MONTHS });
    expectProperties(Template.fromStack(stack), fw.logGroup!, { RetentionInDays: 90 });
  });

  test('a given key encrypts the log group, in STANDARD too', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'MyKey', { enableKeyRotation: true });
    const owner = new Owner(stack, 'Api');
    const fw = new WebFirewall(owner, 'Firewall', { propName: 'firewall', key });
    const template = Template.fromStack(stack);
    expect(fw.key).toBe(key);
    expectProperties(template, fw.logGroup!, { KmsKeyId: stack.resolve(key.keyArn) });
    keyStatementFor(template, key, stack.resolve(`logs.${Aws.REGION}.amazonaws.com`));
  });

  test('unresolved tokens pass validation and reach the template', () => {
    const stack = newStack();
    const limit = Token.asNumber(Fn.importValue('Limit'));
    const fw = firewall(stack, { rateLimit: limit });
    expectProperties(Template.fromStack(stack), fw.webAcl!, {
      Rules: Match.arrayWith([Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ Limit: { 'Fn::ImportValue': 'Limit' } }) } })]),
    });
    const brought = newStack();
    const byo = firewall(brought, { webAclArn: Fn.importValue('AclArn') });
    expect(brought.resolve(byo.webAclArn)).toEqual({ 'Fn::ImportValue': 'AclArn' });
  });
});

describe('WebFirewall instances', () => {
  test('two firewalls in one stack: distinct log group names and web ACL metric names', () => {
    const stack = newStack();
    const a = firewall(stack, undefined, false, 'Orders');
    const b = firewall(stack, undefined, false, 'Payments');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::WAFv2::WebACL', 2);
    template.resourceCountIs('AWS::Logs::LogGroup', 2);
    expect(logGroupNameOf(template, a).prefix).not.toEqual(logGroupNameOf(template, b).prefix);
    const metric = (fw: WebFirewall) => resourceOf(template, fw.webAcl!).Properties.VisibilityConfig.MetricName;
    expect(metric(a)).not.toEqual(metric(b));
  });

  test('the same firewall in two stacks: distinct log group names (and each stack id differs at deploy time)', () => {
    const app = new App();
    const one = new Stack(app, 'One');
    const two = new Stack(app, 'Two');
    const a = firewall(one);
    const b = firewall(two);
    expect(logGroupNameOf(Template.fromStack(one), a).prefix).not.toEqual(logGroupNameOf(Template.fromStack(two), b).prefix);
  });

  test('a long construct path stays within the name limits', () => {
    const stack = newStack();
    const fw = firewall(stack, undefined, false, 'A'.repeat(200));
    const template = Template.fromStack(stack);
    expect(logGroupNameOf(template, fw).prefix.length).toBeLessThanOrEqual(WAF_LOG_GROUP_PREFIX.length + 101);
    expect(resourceOf(template, fw.webAcl!).Properties.VisibilityConfig.MetricName).toMatch(/^[\w-]{1,128}$/);
  });
});

describe('WebFirewall with a brought web ACL', () => {
  test('creates only the association: no web ACL, log group, logging or key', () => {
    const stack = newStack(undefined, ComplianceProfile.REGULATED);
    const fw = firewall(stack, { webAclArn: BROUGHT_ARN }, true);
    const template = Template.fromStack(stack);
    expect(fw.webAclArn).toBe(BROUGHT_ARN);
    expect(fw.webAcl).toBeUndefined();
    expect(fw.logGroup).toBeUndefined();
    expect(fw.loggingConfiguration).toBeUndefined();
    for (const type of ['AWS::WAFv2::WebACL', 'AWS::WAFv2::LoggingConfiguration', 'AWS::Logs::LogGroup', 'AWS::KMS::Key']) {
      template.resourceCountIs(type, 0);
    }
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    template.hasResource('AWS::WAFv2::WebACLAssociation', { Properties: { ResourceArn: STAGE_ARN, WebACLArn: BROUGHT_ARN }, DependsOn: Match.absent() });
  });
});

describe('WebFirewall validation', () => {
  const path = "Owner 'TestStack/Api'";
  const range = 'it must be an integer from 10 to 2000000000';
  const cases: Array<[string, unknown, string]> = [
    ['rateLimit 0', { rateLimit: 0 }, `firewall.rateLimit is 0; ${range}`],
    ['rateLimit 9', { rateLimit: 9 }, `firewall.rateLimit is 9; ${range}`],
    ['rateLimit above the maximum', { rateLimit: 2_000_000_001 }, `firewall.rateLimit is 2000000001; ${range}`],
    ['rateLimit 1.5', { rateLimit: 1.5 }, `firewall.rateLimit is 1.5; ${range}`],
    ['rateLimit NaN', { rateLimit: NaN }, `firewall.rateLimit is NaN; ${range}`],
    ['rateLimit a string', { rateLimit: '1000' }, `firewall.rateLimit is '1000'; ${range}`],
    ['rateLimit null', { rateLimit: null }, `firewall.rateLimit is null; ${range}`],
    ['rateLimitWindow 45 s', { rateLimitWindow: Duration.seconds(45) }, 'firewall.rateLimitWindow is 45 seconds; it must be one of 1 minute, 2 minutes, 5 minutes, 10 minutes'],
    ['rateLimitWindow a number', { rateLimitWindow: 300 }, 'firewall.rateLimitWindow is 300; it must be one of'],
    ['rateLimitWindow null', { rateLimitWindow: null }, 'firewall.rateLimitWindow is null; it must be one of'],
    ['enabled a string', { enabled: 'false' }, "firewall.enabled is 'false'; it must be true or false"],
    ['blockLargeBodies null', { blockLargeBodies: null }, 'firewall.blockLargeBodies is null; it must be true or false'],
    ['logRetention 8', { logRetention: 8 }, 'firewall.logRetention is 8; it must be a logs.RetentionDays value'],
    ['logRetention INFINITE', { logRetention: logs.RetentionDays.INFINITE }, 'firewall.logRetention is INFINITE; every log group the library creates expires'],
    ['webAclArn not an ARN', { webAclArn: 'my-acl' }, "firewall.webAclArn is 'my-acl'; it must be the ARN of a REGIONAL web ACL"],
    ['webAclArn of another service', { webAclArn: 'arn:aws:waf-regional:eu-west-1:123456789012:webacl/abc' }, "firewall.webAclArn is 'arn:aws:waf-regional:eu-west-1:123456789012:webacl/abc'; it must be the ARN of a REGIONAL web ACL: "
      + 'arn:<partition>:wafv2:<region>:<account>:regional/webacl/<name>/<id>'],
    ['webAclArn null', { webAclArn: null }, 'firewall.webAclArn is null; it must be the ARN of a REGIONAL web ACL'],
    ['webAclArn global (CloudFront)', { webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/cf/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111' },
      "firewall.webAclArn is 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/cf/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111'; "
      + 'it is a CloudFront (global) web ACL; API Gateway, AppSync and load balancers need a REGIONAL web ACL in their own region'],
    ['countRules an unknown rule', { countRules: ['NoSuchRule'] }, "firewall.countRules contains 'NoSuchRule'; it must list rules of AWSManagedRulesCommonRuleSet"],
    ['countRules a string', { countRules: 'NoUserAgent_HEADER' }, "firewall.countRules is 'NoUserAgent_HEADER'; it must be a list"],
    ['countRules with null', { countRules: [null] }, 'firewall.countRules contains null'],
    ['enabled false with rateLimit', { enabled: false, rateLimit: 100 },
      'firewall.enabled is false, so no web ACL is used; firewall.rateLimit cannot be set with it'],
    ['enabled false with webAclArn', { enabled: false, webAclArn: BROUGHT_ARN }, 'firewall.enabled is false, so no web ACL is used; firewall.webAclArn cannot'],
    ['webAclArn with rateLimit', { webAclArn: BROUGHT_ARN, rateLimit: 100 },
      'firewall.webAclArn and firewall.rateLimit cannot be set together: rateLimit configures the web ACL this construct creates'],
    ['webAclArn with logRetention and blockLargeBodies', { webAclArn: BROUGHT_ARN, logRetention: logs.RetentionDays.ONE_DAY, blockLargeBodies: true },
      'firewall.webAclArn and firewall.logRetention and firewall.blockLargeBodies cannot be set together: '
      + 'logRetention, blockLargeBodies configure the web ACL this construct creates, and with firewall.webAclArn none is created'],
    ['blockLargeBodies with SizeRestrictions_BODY counted', { blockLargeBodies: true, countRules: ['SizeRestrictions_BODY'] },
      "firewall.blockLargeBodies is true but firewall.countRules contains 'SizeRestrictions_BODY'"],
    ['an unknown option', { ratelimit: 100 },
      'firewall.ratelimit is 100; WebFirewallOptions has no such property (did you mean rateLimit?). Its properties are enabled, webAclArn, rateLimit'],
    ['webAclArn of another region (WAF associates a web ACL only with resources in its own region)',
      { webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/x/0123' },
      "firewall.webAclArn is 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/x/0123'; it is in us-east-1, but this stack deploys to eu-west-1"],
    ['options null', null, 'firewall is null; it must be a WebFirewallOptions object'],
    ['options a string', 'on', "firewall is 'on'; it must be a WebFirewallOptions object"],
  ];

  test.each(cases)('%s', (_name, options, message) => {
    const stack = newStack();
    const owner = new Owner(stack, 'Api');
    const validate = () => validateWebFirewallOptions(owner, 'firewall', options as WebFirewallOptions);
    expect(validate).toThrow(`${path}: ${message}`);
    try {
      validate();
    } catch (e) {
      expect(e).not.toBeInstanceOf(TypeError);
    }
    // The construct validates the same way, before it creates anything.
    expect(() => new WebFirewall(owner, 'Firewall', { options: options as WebFirewallOptions, propName: 'firewall' }))
      .toThrow(`${path}: ${message}`);
    expect(owner.node.children.length).toBe(1);
    expect(owner.node.findChild('Firewall').node.children).toEqual([]);
  });

  test.each([
    ['no options', undefined],
    ['empty options', {}],
    ['enabled only', { enabled: true }],
    ['enabled false alone', { enabled: false }],
    ['every creation option', { rateLimit: 10, rateLimitWindow: Duration.minutes(10), blockLargeBodies: false, countRules: [...CORE_RULE_SET_RULES], logRetention: logs.RetentionDays.TEN_YEARS }],
  ])('%s is valid', (_name, options) => {
    const stack = newStack();
    expect(() => validateWebFirewallOptions(new Owner(stack, 'Api'), 'firewall', options as WebFirewallOptions)).not.toThrow();
  });

  test('a brought ARN in another partition is valid in a stack of its region, or an environment-agnostic one', () => {
    const options = { webAclArn: 'arn:aws-us-gov:wafv2:us-gov-west-1:123456789012:regional/webacl/x_y-z/0123' };
    const govStack = new Stack(testApp(), 'Gov', { env: { account: '123456789012', region: 'us-gov-west-1' } });
    expect(() => validateWebFirewallOptions(new Owner(govStack, 'Api'), 'firewall', options)).not.toThrow();
    expect(() => validateWebFirewallOptions(new Owner(new Stack(testApp(), 'Agnostic'), 'Api'), 'firewall', options)).not.toThrow();
  });

  test('a WebFirewall for a switched-off firewall is a programming error', () => {
    const stack = newStack();
    const owner = new Owner(stack, 'Api');
    expect(webFirewallEnabled({ enabled: false })).toBe(false);
    expect(webFirewallEnabled(undefined)).toBe(true);
    expect(() => new WebFirewall(owner, 'Firewall', { options: { enabled: false }, propName: 'firewall' }))
      .toThrow(`${path}: firewall.enabled is false; no WebFirewall must be created`);
  });

  test('the opt-out warning is in the warnings catalog with SecureApi\'s id, and names the props to fix it', () => {
    const warning = WARNINGS.apiNoFirewall;
    expect(warning.id).toBe('cdk-bulwark:api:no-firewall');
    expect(warning.message('firewall')).toContain('firewall.enabled is false');
    expect(warning.message('firewall')).toContain('firewall.webAclArn');
  });
});

describe('WebFirewall compliance', () => {
  const cases = Object.entries(FLAG_SETS).flatMap(([flagSet, flags]) => PROFILES.map((profile) => ({ flagSet, flags, profile })));

  test.each(cases)('$profile, $flagSet: no failing finding, no acknowledgement, no warning', ({ flags, profile }) => {
    const app = new App({ context: { ...flags, ...COMPLIANCE_CONTEXT } });
    const stack = new Stack(app, 'TestStack', { env: { account: '123456789012', region: 'eu-west-1' } });
    firewall(stack, undefined, profile === ComplianceProfile.REGULATED);
    const report = complianceReport(app);

    expect(lines(failingFindings(report, profile))).toEqual([]);
    expect(lines(report.warnings)).toEqual([]);
    expect(report.acknowledgements).toEqual([]);
    // STANDARD reports (does not hide) the trade-off REGULATED fixes: a log group without a customer-managed key.
    expect(lines(report.findings)).toEqual(profile === ComplianceProfile.REGULATED ? [] : [
      'HIPAA.Security-CloudWatchLogGroupEncrypted @ Api/Firewall/LogGroup/Resource',
      'NIST.800.53.R5-CloudWatchLogGroupEncrypted @ Api/Firewall/LogGroup/Resource',
      'PCI.DSS.321-CloudWatchLogGroupEncrypted @ Api/Firewall/LogGroup/Resource',
    ]);
  });

  // AwsSolutions has no WAF logging rule; HIPAA, NIST 800-53 R5 and PCI DSS 3.2.1 have WAFv2LoggingEnabled.
  test('the packs do check WAF logging: a web ACL without a logging configuration is flagged', () => {
    const app = new App({ context: COMPLIANCE_CONTEXT });
    const stack = new Stack(app, 'TestStack', { env: { account: '123456789012', region: 'eu-west-1' } });
    new wafv2.CfnWebACL(stack, 'Unlogged', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: 'Unlogged' },
    });
    expect(lines(complianceReport(app).findings)).toEqual([
      'HIPAA.Security-WAFv2LoggingEnabled @ Unlogged',
      'NIST.800.53.R5-WAFv2LoggingEnabled @ Unlogged',
      'PCI.DSS.321-WAFv2LoggingEnabled @ Unlogged',
    ]);
  });
});
