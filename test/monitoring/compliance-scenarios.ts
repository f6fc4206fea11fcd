import * as kms from 'aws-cdk-lib/aws-kms';
import { Monitoring } from '../../src';
import { NO_SUBSCRIBERS } from '../support/app';
import { ComplianceScenario } from '../support/compliance';

/** Prop sets Monitoring's compliance is checked with. */
export const SCENARIOS: Record<string, ComplianceScenario> = {
  minimal: {
    warnings: [`${NO_SUBSCRIBERS} @ Monitoring`],
    build: (stack, profile) => {
      new Monitoring(stack, 'Monitoring', { complianceProfile: profile });
    },
  },
  maximal: {
    build: (stack, profile) => {
      const monitoring = new Monitoring(stack, 'Monitoring', {
        complianceProfile: profile,
        key: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
        emailAddresses: ['oncall@example.com', 'team@example.com'],
        dashboardEnabled: false,
      });
      monitoring.addEmailSubscription('later@example.com');
    },
  },
};
