import * as fs from 'fs';
import * as path from 'path';
import { Annotations, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, Validations } from 'aws-cdk-lib';
// Types only at load time: cdk-nag takes longer to load than the rest of the library, and only
// apps that call ComplianceChecks need it.
import type { NagPack } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { ComplianceProfile, CompliancePolicy } from './compliance-profile';

/** The context flags that make CloudFormation Validate findings (warnings included) fail synthesis. */
const CFN_VALIDATE_FLAGS: Record<string, boolean> = {
  '@aws-cdk/core:validateAgainstDefaultRules': true,
  '@aws-cdk/core:strictCfnValidateErrors': true,
};

/** Options of `ComplianceChecks.enable()`. */
export interface ComplianceChecksOptions {
  /**
   * Which packs to run: STANDARD runs AwsSolutions and Serverless; REGULATED adds HIPAA Security,
   * NIST 800-53 R5 and PCI DSS 3.2.1.
   *
   * @default - the app's default profile (`CompliancePolicy.setDefaultProfile`), else STANDARD
   */
  readonly profile?: ComplianceProfile;

  /**
   * Also make CloudFormation Validate findings, warnings included, fail synthesis (sets
   * `@aws-cdk/core:validateAgainstDefaultRules` and `@aws-cdk/core:strictCfnValidateErrors`).
   * Needs a scope without children yet: call `enable()` right after `new App()`.
   *
   * @default true
   */
  readonly strictCloudFormationValidation?: boolean;

  /**
   * Include each rule's explanation in the findings.
   *
   * @default false
   */
  readonly verbose?: boolean;
}

/**
 * Turns on the cdk-nag packs that match a compliance profile for a whole app, in one line.
 *
 * cdk-nag (v3) is a peer dependency in every language: install it next to aws-cdk-lib.
 *
 * @example
 * const app = new App();
 * ComplianceChecks.enable(app, { profile: ComplianceProfile.REGULATED });
 */
export class ComplianceChecks {
  /**
   * Registers the profile's cdk-nag packs as validation plugins on `scope`'s stage (synthesis
   * fails on any unacknowledged finding) and, by default, strict CloudFormation Validate.
   *
   * @param scope an App or Stage, ideally before anything is added to it
   * @param options which profile and how strict
   * @returns the registered packs
   */
  public static enable(scope: IConstruct, options: ComplianceChecksOptions = {}): NagPack[] {
    const profile = options.profile ?? CompliancePolicy.resolve(scope);
    const packs = ComplianceChecks.packsFor(profile, options.verbose ?? false);
    // Each pack runs as itself (its findings and acknowledgements are CDK's as usual); a recorder
    // beside it keeps its findings for the summary, which runs after the last pack.
    const summary = new ComplianceSummary(scope, profile);
    Validations.of(scope).addPlugins(...packs.map((pack) => summary.record(pack)), summary);
    if (options.strictCloudFormationValidation ?? true) {
      for (const [flag, value] of Object.entries(CFN_VALIDATE_FLAGS)) {
        if (scope.node.tryGetContext(flag) === value) {
          continue;
        }
        if (scope.node.children.length > 0) {
          Annotations.of(scope).addWarningV2('cdk-bulwark:compliance-checks:late',
            `ComplianceChecks.enable() was called after constructs were added, so it could not set ${flag}. `
            + 'Call it right after new App(), or set the flag in cdk.json.');
          continue;
        }
        scope.node.setContext(flag, value);
      }
    }
    return packs;
  }

  /**
   * The cdk-nag packs of a profile, new instances.
   *
   * @param profile STANDARD: AwsSolutions and Serverless; REGULATED: those and HIPAA Security, NIST 800-53 R5, PCI DSS 3.2.1
   * @param verbose include each rule's explanation in the findings
   */
  public static packsFor(profile: ComplianceProfile, verbose: boolean = false): NagPack[] {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nag: typeof import('cdk-nag') = require('cdk-nag');
    const props = { verbose };
    const packs: NagPack[] = [new nag.AwsSolutionsChecks(undefined, props), new nag.ServerlessChecks(undefined, props)];
    if (profile === ComplianceProfile.REGULATED) {
      packs.push(new nag.HIPAASecurityChecks(undefined, props), new nag.NIST80053R5Checks(undefined, props),
        new nag.PCIDSS321Checks(undefined, props));
    }
    return packs;
  }

  private constructor() {}
}

/** The file, in the cloud assembly, that holds the machine-readable summary. */
const COMPLIANCE_SUMMARY_FILE = 'cdk-bulwark-compliance.json';

/** The acknowledgement classes of the library (the text its reasons start with, `[class]`). */
const CLASS_PATTERN = /^\[([^\]]+)\]/;

interface PackResult {
  readonly pack: string;
  readonly unacknowledged: number;
  readonly acknowledged: number;
}

/**
 * After the packs ran, leaves a short summary a user sees (stderr, as CDK prints its validation
 * report) and a machine-readable one in the cloud assembly: the packs, the unacknowledged findings
 * of each, and the acknowledged ones by class (the library's four classes from their reasons;
 * yours as "yours").
 */
class ComplianceSummary implements IPolicyValidationPlugin {
  public readonly name = 'cdk-bulwark-compliance-summary';
  private readonly reports: Array<{ pack: string; report: PolicyValidationPluginReport }> = [];

  constructor(private readonly scope: IConstruct, private readonly profile: ComplianceProfile) {}

  /** A plugin that runs `pack` and keeps what it reported. */
  public record(pack: NagPack): IPolicyValidationPlugin {
    return {
      name: pack.name,
      version: pack.version,
      ruleIds: pack.ruleIds,
      validate: (context: IPolicyValidationContext) => {
        const report = pack.validate(context);
        this.reports.push({ pack: pack.readPackName, report });
        return report;
      },
    };
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    // cdk-nag leaves acknowledged findings out of its reports: the acknowledgements are counted where
    // they are placed (rule and resource), by the class their reason starts with.
    const acknowledgements = this.acknowledgements();
    const byClass: Record<string, number> = {};
    const packs: PackResult[] = this.reports.map(({ pack, report }) => {
      const mine = acknowledgements.filter((a) => a.rule.startsWith(`${pack}-`));
      for (const a of mine) {
        const cls = CLASS_PATTERN.exec(a.reason)?.[1] ?? 'yours';
        byClass[cls] = (byClass[cls] ?? 0) + 1;
      }
      const unacknowledged = report.violations.reduce((n, v) => n + Math.max(v.violatingResources.length, 1), 0);
      return { pack, unacknowledged, acknowledged: mine.length };
    });
    const summary = {
      profile: this.profile,
      packs,
      unacknowledged: packs.reduce((n, p) => n + p.unacknowledged, 0),
      acknowledgedByClass: byClass,
      strictCloudFormationValidation: this.scope.node.tryGetContext(Object.keys(CFN_VALIDATE_FLAGS)[1]) === true,
    };
    const directory = context.templatePaths.length > 0 ? path.dirname(context.templatePaths[0]) : undefined;
    if (directory) {
      fs.writeFileSync(path.join(directory, COMPLIANCE_SUMMARY_FILE), JSON.stringify(summary, undefined, 2));
    }
    const acknowledged = Object.entries(byClass).map(([cls, n]) => `${n} ${cls}`).join(', ') || 'none';
    process.stderr.write(`cdk-bulwark compliance (${this.profile}): ${packs.map((p) => `${p.pack} ${p.unacknowledged}`).join(', ')} `
      + `unacknowledged; acknowledged: ${acknowledged}${directory ? ` (${path.join(directory, COMPLIANCE_SUMMARY_FILE)})` : ''}\n`);
    return { success: true, violations: [] };
  }

  /** Every acknowledgement in the app: its rule (without CDK's namespace) and reason. */
  private acknowledgements(): Array<{ rule: string; reason: string }> {
    const found: Array<{ rule: string; reason: string }> = [];
    for (const construct of this.scope.node.root.node.findAll()) {
      for (const entry of construct.node.metadata) {
        if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && entry.data) {
          for (const [rule, reason] of Object.entries(entry.data as Record<string, string>)) {
            found.push({ rule: rule.replace(/^[^:]*::/, ''), reason: String(reason) });
          }
        }
      }
    }
    return found;
  }
}

