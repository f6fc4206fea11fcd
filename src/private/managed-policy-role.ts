import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * An IAM role whose grants land in a customer-managed policy instead of CDK's inline
 * `DefaultPolicy` (HIPAA, NIST 800-53 and PCI DSS flag inline policies). Used in the REGULATED profile.
 */
export class ManagedPolicyRole extends iam.Role {
  private grantsPolicy?: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: iam.RoleProps) {
    super(scope, id, props);
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    if (!this.grantsPolicy) {
      this.grantsPolicy = new iam.ManagedPolicy(this, 'GrantsPolicy', { roles: [this] });
    }
    this.grantsPolicy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.grantsPolicy };
  }
}

/** A role for `servicePrincipal`: with managed policies when `managed`, else CDK's usual inline default policy. */
export function serviceRole(scope: Construct, id: string, servicePrincipal: string, managed: boolean, description: string): iam.Role {
  const props: iam.RoleProps = { assumedBy: new iam.ServicePrincipal(servicePrincipal), description };
  return managed ? new ManagedPolicyRole(scope, id, props) : new iam.Role(scope, id, props);
}
