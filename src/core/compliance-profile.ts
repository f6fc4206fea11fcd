import { Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { BulwarkError } from './errors';

/**
 * How strict a construct's defaults are.
 *
 * Set it per construct with the `complianceProfile` prop, or for every construct under a scope
 * (an app, a stage or a stack) with `CompliancePolicy.setDefaultProfile()`, or for a whole app with
 * the `cdk-bulwark:complianceProfile` context value (`cdk.json` or `--context`).
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

/** The context key that holds the default profile of a scope (`cdk.json`, `--context`, `new App({ context })`). */
const PROFILE_CONTEXT_KEY = 'cdk-bulwark:complianceProfile';

/** The defaults set with `setDefaultProfile()`, per scope: kept here too, so that a scope with children can have one. */
const defaults = new WeakMap<IConstruct, ComplianceProfile>();

/** The constructs (not apps, stages or stacks) that took their profile from a default, per construct tree, with the profile they took. */
const resolved = new WeakMap<IConstruct, Array<{ readonly scope: IConstruct; readonly profile: ComplianceProfile }>>();

/**
 * Sets and resolves the compliance profile of a scope.
 */
export class CompliancePolicy {
  /**
   * Sets the default compliance profile for every cdk-bulwark construct under `scope`. A construct's
   * own `complianceProfile` prop still wins; the nearest default above a construct wins over farther
   * ones.
   *
   * A construct's profile is fixed when the construct is made, so set the default before creating
   * the constructs it is for: on the app right after `new App()` (or in `cdk.json`:
   * `"context": { "cdk-bulwark:complianceProfile": "REGULATED" }`), or at the top of a stack's
   * constructor. Called later, it still applies to the constructs made after it, unless some made
   * before it already took another profile from a default: that is an error that names them and
   * says where to set the profile instead.
   *
   * @param scope an App, Stage, Stack or any construct
   * @param profile the default profile
   */
  public static setDefaultProfile(scope: IConstruct, profile: ComplianceProfile): void {
    const allowed = Object.values(ComplianceProfile) as string[];
    if (!allowed.includes(profile)) {
      throw BulwarkError.invalid(scope, 'CompliancePolicy.setDefaultProfile() profile', profile, `it must be one of ${allowed.join(', ')}`);
    }
    const fixed = (resolved.get(scope.node.root) ?? [])
      .filter((r) => r.profile !== profile && CompliancePolicy.decides(scope, r.scope));
    if (fixed.length > 0) {
      const shown = fixed.slice(0, 3).map((r) => `${BulwarkError.describe(r.scope)} (${r.profile})`).join(', ');
      throw new BulwarkError(scope, `CompliancePolicy.setDefaultProfile(${profile}) comes after constructs under it took their profile from `
        + `an earlier default: ${shown}${fixed.length > 3 ? ` and ${fixed.length - 3} more` : ''}. A construct's profile is fixed when it is `
        + 'made. Set the default before creating them: on the app right after new App() (CompliancePolicy.setDefaultProfile(app, '
        + `ComplianceProfile.${profile})), in cdk.json ("context": { "${PROFILE_CONTEXT_KEY}": "${profile}" }) or with `
        + `--context ${PROFILE_CONTEXT_KEY}=${profile}, at the top of the stack's constructor before its constructs, or per construct with `
        + 'the complianceProfile prop');
    }
    defaults.set(scope, profile);
    if (scope.node.children.length === 0) {
      // Also as construct context, where it always was (readable with tryGetContext).
      scope.node.setContext(PROFILE_CONTEXT_KEY, profile);
    }
  }

  /**
   * The profile in force for `scope`: the given one, else the nearest default above it, set with
   * `setDefaultProfile()` or as the `cdk-bulwark:complianceProfile` context value (`cdk.json`,
   * `--context`), else STANDARD.
   *
   * @param scope the construct asking
   * @param profile the construct's own choice, if any
   */
  public static resolve(scope: IConstruct, profile?: ComplianceProfile): ComplianceProfile {
    if (profile !== undefined) {
      return profile;
    }
    const found = CompliancePolicy.nearestDefault(scope) ?? ComplianceProfile.STANDARD;
    if (!Stage.isStage(scope) && !Stack.isStack(scope)) {
      const list = resolved.get(scope.node.root) ?? [];
      list.push({ scope, profile: found });
      resolved.set(scope.node.root, list);
    }
    return found;
  }

  /** The nearest default at or above `scope`: one set with setDefaultProfile(), or a context value set there. */
  private static nearestDefault(scope: IConstruct): ComplianceProfile | undefined {
    for (let s: IConstruct | undefined = scope; s !== undefined; s = s.node.scope) {
      const set = defaults.get(s);
      if (set !== undefined) {
        return set;
      }
      const own: unknown = s.node.tryGetContext(PROFILE_CONTEXT_KEY);
      if (own !== undefined && own !== s.node.scope?.node.tryGetContext(PROFILE_CONTEXT_KEY)) {
        return CompliancePolicy.checkContext(scope, own);
      }
      if (own !== undefined && s.node.scope === undefined) {
        return CompliancePolicy.checkContext(scope, own);
      }
    }
    return undefined;
  }

  /** Whether a default set on `scope` is the one `construct` would take: it is under `scope`, with no nearer default between. */
  private static decides(scope: IConstruct, construct: IConstruct): boolean {
    for (let s: IConstruct | undefined = construct; s !== undefined; s = s.node.scope) {
      if (s === scope) {
        return true;
      }
      if (defaults.has(s) || (s.node.tryGetContext(PROFILE_CONTEXT_KEY) !== undefined
        && s.node.tryGetContext(PROFILE_CONTEXT_KEY) !== s.node.scope?.node.tryGetContext(PROFILE_CONTEXT_KEY))) {
        return false;
      }
    }
    return false;
  }

  private static checkContext(scope: IConstruct, value: unknown): ComplianceProfile {
    const allowed = Object.values(ComplianceProfile) as string[];
    if (typeof value !== 'string' || !allowed.includes(value)) {
      throw BulwarkError.invalid(scope, `context value '${PROFILE_CONTEXT_KEY}'`, value, `it must be one of ${allowed.join(', ')}`);
    }
    return value as ComplianceProfile;
  }

  private constructor() {}
}
