import { Duration, Size } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Monitoring, QueryDataFormat, QueryWorkgroup, SecureBucket, SecureFunction } from '../../src';
import { INLINE_CODE } from '../support/app';
import { ComplianceScenario } from '../support/compliance';

const NO_SUBSCRIBERS = 'cdk-bulwark:monitoring:no-subscribers @ BulwarkMonitoring';

/** Prop sets every profile is checked with. */
export const SCENARIOS: Record<string, ComplianceScenario> = {
  minimal: {
    warnings: [NO_SUBSCRIBERS],
    build: (stack, profile) => {
      new QueryWorkgroup(stack, 'Reporting', { complianceProfile: profile });
    },
  },
  // The seeds' "query data stored in S3", end to end: a table over a bucket prefix, and a function that queries it.
  reporting: {
    build: (stack, profile) => {
      const monitoring = new Monitoring(stack, 'Monitoring', { complianceProfile: profile, emailAddresses: ['oncall@example.com'] });
      const sales = new SecureBucket(stack, 'Sales', { complianceProfile: profile, monitoring });
      const reporting = new QueryWorkgroup(stack, 'Reporting', {
        complianceProfile: profile,
        monitoring,
        workgroupName: 'reporting',
        bytesScannedCutoffPerQuery: Size.gibibytes(1),
        resultsExpiration: Duration.days(7),
        key: profile === 'REGULATED' ? undefined : new kms.Key(stack, 'Key', { enableKeyRotation: true }),
        databaseName: 'sales',
        alarms: { processedBytes: { threshold: 1e11 } },
      });
      reporting.addTable('Orders', { bucket: sales, prefix: 'orders/', columns: [{ name: 'order_id', dataType: 'string' }, { name: 'total', dataType: 'decimal(10,2)' }] });
      reporting.addTable('Clicks', { bucket: sales, prefix: 'clicks/', format: QueryDataFormat.PARQUET, columns: [{ name: 'page', dataType: 'string' }] });
      const report = new SecureFunction(stack, 'Report', { complianceProfile: profile, monitoring, code: INLINE_CODE, handler: 'index.handler' });
      reporting.grantQuery(report);
    },
  },
};
