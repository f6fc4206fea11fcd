import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { ComplianceProfile, Monitoring, SecureFunction, ServerlessDatabase } from '../../src';
import { INLINE_CODE } from '../support/app';
import { ComplianceScenario } from '../support/compliance';

const NO_SUBSCRIBERS = 'cdk-bulwark:monitoring:no-subscribers @ BulwarkMonitoring';

/** Prop sets every profile is checked with. */
export const SCENARIOS: Record<string, ComplianceScenario> = {
  minimal: {
    warnings: [NO_SUBSCRIBERS],
    build: (stack, profile) => {
      new ServerlessDatabase(stack, 'Orders', { complianceProfile: profile });
    },
  },
  maximal: {
    build: (stack, profile) => {
      const monitoring = new Monitoring(stack, 'Monitoring', { complianceProfile: profile, emailAddresses: ['oncall@example.com'] });
      const db = new ServerlessDatabase(stack, 'Orders', {
        complianceProfile: profile,
        monitoring,
        engineVersion: rds.AuroraPostgresEngineVersion.VER_16_6,
        minCapacity: 0.5,
        maxCapacity: 8,
        readers: 1,
        defaultDatabaseName: 'orders',
        masterUsername: 'orders_admin',
        enableDataApi: true,
        backupRetention: Duration.days(14),
        logRetention: logs.RetentionDays.THREE_MONTHS,
        monitoringInterval: Duration.seconds(30),
        removalPolicy: RemovalPolicy.RETAIN,
        alarms: { cpuUtilization: { threshold: 75 }, freeLocalStorage: { enabled: false } },
      });
      const api = new SecureFunction(stack, 'Api', { complianceProfile: profile, monitoring, code: INLINE_CODE, handler: 'index.handler', vpc: db.vpc });
      db.grantConnect(api, 'orders_app');
      db.grantDataApiAccess(api);
    },
  },
  // Deleting the data with the stack is the user's own opt-in: the deletion-protection findings stay visible.
  destroy: {
    warnings: [NO_SUBSCRIBERS],
    userFindings: (profile) => ['AwsSolutions-RDS10 @ Orders/Cluster/Resource', ...(profile === ComplianceProfile.REGULATED
      ? ['HIPAA.Security-RDSInstanceDeletionProtectionEnabled @ Orders/Cluster/Resource',
        'NIST.800.53.R5-RDSInstanceDeletionProtectionEnabled @ Orders/Cluster/Resource']
      : [])],
    build: (stack, profile) => {
      new ServerlessDatabase(stack, 'Orders', { complianceProfile: profile, deletionProtection: false, removalPolicy: RemovalPolicy.DESTROY });
    },
  },
};
