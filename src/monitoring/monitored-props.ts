import { IMonitoring } from './monitoring';
import { ComplianceProfile } from '../core/compliance-profile';

/** Props every monitored cdk-bulwark construct takes. */
export interface MonitoredConstructProps {
  /**
   * The compliance profile.
   *
   * @default - the scope's default profile (`CompliancePolicy.setDefaultProfile`), else STANDARD
   */
  readonly complianceProfile?: ComplianceProfile;

  /**
   * Where alarms go and the dashboard section is added.
   *
   * @default - the stack's Monitoring (`Monitoring.of(this)`)
   */
  readonly monitoring?: IMonitoring;
}
