import { Annotations, Validations } from 'aws-cdk-lib';
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
    Validations.of(scope).addPlugins(...packs);
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
