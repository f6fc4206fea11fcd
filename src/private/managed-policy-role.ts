import { CfnResource, Names, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * IAM rejects a customer-managed policy over 6,144 characters. Statements are packed into policies
 * of at most this many estimated characters, leaving room for the policy envelope and for
 * references that resolve to longer ARNs than estimated.
 */
const POLICY_BUDGET = 5000;
/** What an unresolved reference (Ref, Fn::GetAtt, Fn::Join, ...) is assumed to cost once deployed. */
const REFERENCE_COST = 120;

/**
 * An IAM role whose grants land in customer-managed policies instead of CDK's inline
 * `DefaultPolicy` (HIPAA, NIST 800-53 and PCI DSS flag inline policies). Used in the REGULATED
 * profile. Like CDK's inline policy, it starts a further policy (`GrantsPolicy2`, ...) before one
 * would exceed IAM's size limit.
 */
export class ManagedPolicyRole extends iam.Role {
  private readonly grantsPolicies: iam.ManagedPolicy[] = [];
  private currentSize = 0;

  constructor(scope: Construct, id: string, props: iam.RoleProps) {
    super(scope, id, props);
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    const size = estimatedSize(this, statement);
    let policy = this.grantsPolicies[this.grantsPolicies.length - 1];
    if (!policy || this.currentSize + size > POLICY_BUDGET) {
      const n = this.grantsPolicies.length + 1;
      policy = new iam.ManagedPolicy(this, n === 1 ? 'GrantsPolicy' : `GrantsPolicy${n}`, { roles: [this] });
      this.grantsPolicies.push(policy);
      this.currentSize = 0;
    }
    policy.addStatements(statement);
    this.currentSize += size;
    return { statementAdded: true, policyDependable: policy };
  }
}

/** A role for `principal`: with managed policies when `managed`, else CDK's usual inline default policy. */
export function serviceRole(scope: Construct, id: string, principal: iam.IPrincipal, managed: boolean, description: string): iam.Role {
  const props: iam.RoleProps = { assumedBy: principal, description };
  return managed ? new ManagedPolicyRole(scope, id, props) : new iam.Role(scope, id, props);
}

/** The statement's length as IAM will count it, with each reference priced at REFERENCE_COST. */
function estimatedSize(scope: Construct, statement: iam.PolicyStatement): number {
  const resolved = Stack.of(scope).resolve(statement.toStatementJson());
  return JSON.stringify(resolved, (_key, value) => isReference(value) ? 'x'.repeat(REFERENCE_COST) : value).length;
}

function isReference(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return false;
  }
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

/**
 * A policy of its own for `role` holding only `statements` (customer-managed when `managed`, else
 * inline), so that an acknowledgement on it covers those statements and nothing a grant adds later.
 * Returns its L1 resource.
 */
export function separatePolicy(scope: Construct, id: string, role: iam.IRole, managed: boolean, statements: iam.PolicyStatement[]): CfnResource {
  return policyOfItsOwn(scope, id, role, managed, statements).node.defaultChild as CfnResource;
}

/** A customer-managed policy (when `managed`) or an inline one, attached to `role`, holding `statements`. */
function policyOfItsOwn(scope: Construct, id: string, role: iam.IRole, managed: boolean,
  statements?: iam.PolicyStatement[]): iam.ManagedPolicy | iam.Policy {
  return managed ? new iam.ManagedPolicy(scope, id, { roles: [role], statements }) : new iam.Policy(scope, id, { roles: [role], statements });
}

/**
 * A policy of its own for `role` (customer-managed when `managed`, else inline) that grants join:
 * each `grant()` adds statements to it through CDK's `Grant`, so that callers can still depend on
 * the grant (`applyBefore`). `policy` is its L1 resource, for acknowledgements that cover only what
 * it holds.
 */
export class OwnPolicy {
  public readonly policy: CfnResource;
  private readonly grantee: iam.IGrantable;

  constructor(scope: Construct, id: string, role: iam.IRole, managed: boolean) {
    const policy = policyOfItsOwn(scope, id, role, managed);
    this.policy = policy.node.defaultChild as CfnResource;
    // The role, except that its grants land in this policy.
    const holder = Object.create(role) as iam.IPrincipal;
    Object.defineProperty(holder, 'addToPrincipalPolicy', {
      value: (statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult => {
        policy.addStatements(statement);
        return { statementAdded: true, policyDependable: policy };
      },
    });
    this.grantee = { grantPrincipal: holder };
  }

  /** Adds `statements` (at least one) to the policy. */
  public grant(statements: iam.PolicyStatement[]): iam.Grant {
    return statements.map((statement) => iam.Grant.addToPrincipal({
      grantee: this.grantee, actions: statement.actions, resourceArns: statement.resources, conditions: statement.conditions,
    })).reduce((a, b) => a.combine(b));
  }
}

/**
 * The `OwnPolicy` of each role a construct grants to, made on first use under the construct's
 * `Grants` child (named after the role): a grant whose resources carry a run-time wildcard (a
 * bucket's object keys, a WebSocket stage's connection ids) lands there, so that the wildcard's
 * acknowledgement covers that grant alone. Only roles of the construct's own stack have one; for any
 * other grantee `of()` returns undefined and the grant goes to the grantee as usual, its finding
 * staying visible there.
 */
export class OwnPolicies {
  private readonly policies = new Map<iam.IRole, OwnPolicy>();
  private scope?: Construct;

  constructor(private readonly owner: Construct, private readonly managed: boolean) {}

  /**
   * The grantee's own policy: made (and `made` called with it, to acknowledge) on first use.
   *
   * @param made what to do once with a new policy (acknowledge the grant's wildcard on it)
   */
  public of(grantee: iam.IGrantable, made?: (policy: OwnPolicy) => void): OwnPolicy | undefined {
    const role = grantee.grantPrincipal;
    if (!(role instanceof iam.Role) || Stack.of(role) !== Stack.of(this.owner)) {
      return undefined;
    }
    let own = this.policies.get(role);
    if (!own) {
      this.scope ??= new Construct(this.owner, 'Grants');
      own = new OwnPolicy(this.scope, Names.nodeUniqueId(role.node), role, this.managed);
      this.policies.set(role, own);
      made?.(own);
    }
    return own;
  }
}
