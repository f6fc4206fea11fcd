import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ComplianceProfile, Monitoring, SecureFunction, SecureTable, TableBilling } from '../../src';
import { INLINE_CODE } from '../support/app';
import { ComplianceScenario } from '../support/compliance';

const NO_SUBSCRIBERS = 'cdk-bulwark:monitoring:no-subscribers @ BulwarkMonitoring';

/** Prop sets every profile is checked with. */
export const SCENARIOS: Record<string, ComplianceScenario> = {
  minimal: {
    warnings: [NO_SUBSCRIBERS],
    build: (stack, profile) => {
      new SecureTable(stack, 'Orders', { complianceProfile: profile, partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING } });
    },
  },
  maximal: {
    build: (stack, profile) => {
      const monitoring = new Monitoring(stack, 'Monitoring', { complianceProfile: profile, emailAddresses: ['oncall@example.com'] });
      const orders = new SecureTable(stack, 'Orders', {
        complianceProfile: profile,
        monitoring,
        partitionKey: { name: 'customerId', type: dynamodb.AttributeType.STRING },
        sortKey: { name: 'orderId', type: dynamodb.AttributeType.STRING },
        billing: TableBilling.provisioned({
          readCapacity: { maxCapacity: 100, minCapacity: 2 },
          writeCapacity: { maxCapacity: 50, targetUtilizationPercent: 60 },
        }),
        key: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
        backup: true,
        removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
        timeToLiveAttribute: 'expiresAt',
        stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
        contributorInsights: true,
        tableClass: dynamodb.TableClass.STANDARD_INFREQUENT_ACCESS,
        alarms: { consumedReadCapacity: { threshold: 0.9 }, systemErrors: { enabled: false } },
      });
      orders.addGlobalSecondaryIndex({ indexName: 'byStatus', partitionKey: { name: 'status', type: dynamodb.AttributeType.STRING } });
      orders.addGlobalSecondaryIndex({
        indexName: 'byDate',
        partitionKey: { name: 'customerId', type: dynamodb.AttributeType.STRING },
        sortKey: { name: 'placedAt', type: dynamodb.AttributeType.NUMBER },
        projectionType: dynamodb.ProjectionType.INCLUDE,
        nonKeyAttributes: ['total'],
      });
      const reader = new SecureFunction(stack, 'Reader', { code: INLINE_CODE, handler: 'index.handler', complianceProfile: profile, monitoring });
      orders.grantReadData(reader);
      orders.grantStreamRead(reader);
      orders.grantWriteData(new SecureFunction(stack, 'Writer', { code: INLINE_CODE, handler: 'index.handler', complianceProfile: profile, monitoring }));
      const projector = new SecureFunction(stack, 'Projector', { code: INLINE_CODE, handler: 'index.handler', complianceProfile: profile, monitoring });
      orders.addStreamConsumer('Projector', projector.lambdaFunction, { batchSize: 50, parallelizationFactor: 2 });
    },
  },
  /** A user who turns off what protects the data: the findings stay visible, as their choice. */
  unprotected: {
    warnings: [NO_SUBSCRIBERS],
    userFindings: (profile) => [
      'AwsSolutions-DDB3 @ Orders/Table/Resource',
      ...(profile === ComplianceProfile.REGULATED
        ? ['HIPAA.Security-DynamoDBPITREnabled', 'NIST.800.53.R5-DynamoDBPITREnabled', 'HIPAA.Security-DynamoDBInBackupPlan',
          'NIST.800.53.R5-DynamoDBInBackupPlan'].map((rule) => `${rule} @ Orders/Table/Resource`)
        : []),
    ],
    build: (stack, profile) => {
      new SecureTable(stack, 'Orders', {
        complianceProfile: profile,
        partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING },
        pointInTimeRecovery: false,
        backup: false,
        deletionProtection: false,
        removalPolicy: RemovalPolicy.DESTROY,
      });
    },
  },
};
