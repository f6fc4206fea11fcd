import { IConstruct } from 'constructs';
import { BulwarkError } from './errors';

/**
 * How strict a construct's defaults are.
 *
 * Set it per construct with the `complianceProfile` prop, or for every construct under a scope
 * (an app, a stage or a stack) with `CompliancePolicy.setDefaultProfile()`.
 */
export enum ComplianceProfile {
  /**
   * Secure defaults with zero unacknowledged AwsSolutions, Serverless and CloudFormation Validate
   * findings. HIPAA, NIST 800-53 R5 and PCI DSS 3.2.1 findings are reported, not hidden: they are
   * trade-offs (cost, operational complexity) you decide on.
   */
  STANDARD = 'STANDARD',
  /**
   * Fixes those trade-offs: customer-managed keys with rotation, VPC-attached functions, reserved
   * concurrency, managed instead of inline IAM policies. Zero unacknowledged findings across all
   * five cdk-nag packs and CloudFormation Validate.
   */
  REGULATED = 'REGULATED',
}

/** The context key that holds the default profile of a scope. */
const PROFILE_CONTEXT_KEY = 'cdk-bulwark:complianceProfile';

/**
 * Sets and resolves the compliance profile of a scope.
 */
export class CompliancePolicy {
  /**
   * Sets the default compliance profile for every cdk-bulwark construct under `scope`.
   *
   * Call it before adding children to `scope` (it is stored as construct context). A construct's
   * own `complianceProfile` prop still wins.
   *
   * @param scope an App, Stage, Stack or any construct without children yet
   * @param profile the default profile
   */
  public static setDefaultProfile(scope: IConstruct, profile: ComplianceProfile): void {
    scope.node.setContext(PROFILE_CONTEXT_KEY, profile);
  }

  /**
   * The profile in force for `scope`: the given one, else the nearest default set with
   * `setDefaultProfile()` (or the `cdk-bulwark:complianceProfile` context value), else STANDARD.
   *
   * @param scope the construct asking
   * @param profile the construct's own choice, if any
   */
  public static resolve(scope: IConstruct, profile?: ComplianceProfile): ComplianceProfile {
    if (profile !== undefined) {
      return profile;
    }
    const fromContext: unknown = scope.node.tryGetContext(PROFILE_CONTEXT_KEY);
    if (fromContext === undefined) {
      return ComplianceProfile.STANDARD;
    }
    const allowed = Object.values(ComplianceProfile) as string[];
    if (typeof fromContext !== 'string' || !allowed.includes(fromContext)) {
      throw BulwarkError.invalid(scope, `context value '${PROFILE_CONTEXT_KEY}'`, fromContext, `it must be one of ${allowed.join(', ')}`);
    }
    return fromContext as ComplianceProfile;
  }

  private constructor() {}
}
