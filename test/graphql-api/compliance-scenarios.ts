import { Duration, Expiration } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ORDERS_SCHEMA } from './schemas';
import {
  GraphqlAuthorization, GraphqlCacheSize, GraphqlSchema, GraphqlStep, Monitoring, SecureFunction, SecureGraphqlApi, SecureTable,
  TableResolver, UserDirectory,
} from '../../src';
import { INLINE_CODE } from '../support/app';
import { ComplianceScenario } from '../support/compliance';

const NO_SUBSCRIBERS = 'cdk-bulwark:monitoring:no-subscribers @ BulwarkMonitoring';

/** Prop sets every profile is checked with. */
export const SCENARIOS: Record<string, ComplianceScenario> = {
  minimal: {
    warnings: [NO_SUBSCRIBERS],
    build: (stack, profile) => {
      const users = new UserDirectory(stack, 'Users', { complianceProfile: profile });
      new SecureGraphqlApi(stack, 'Graph', {
        complianceProfile: profile,
        schema: GraphqlSchema.fromString(ORDERS_SCHEMA),
        authorization: GraphqlAuthorization.userPool(users.userPool),
      });
    },
  },
  maximal: {
    warnings: ['cdk-bulwark:graphql-api:cache-lambda-identity @ Graph'],
    build: (stack, profile) => {
      const monitoring = new Monitoring(stack, 'Monitoring', { complianceProfile: profile, emailAddresses: ['oncall@example.com'] });
      const users = new UserDirectory(stack, 'Users', { complianceProfile: profile, monitoring });
      const authorizer = new SecureFunction(stack, 'Authorizer', { code: INLINE_CODE, handler: 'index.handler', complianceProfile: profile, monitoring });
      const api = new SecureGraphqlApi(stack, 'Graph', {
        complianceProfile: profile,
        monitoring,
        schema: GraphqlSchema.fromString(ORDERS_SCHEMA),
        authorization: GraphqlAuthorization.userPool(users.userPool),
        additionalAuthorizations: [GraphqlAuthorization.iam(), GraphqlAuthorization.lambdaAuthorizer(authorizer.lambdaFunction)],
        fieldLogLevel: appsync.FieldLogLevel.ALL,
        logRetention: logs.RetentionDays.THREE_MONTHS,
        firewall: { rateLimit: 500 },
        queryDepthLimit: 8,
        resolverCountLimit: 500,
        introspection: false,
        cache: { size: GraphqlCacheSize.SMALL, ttl: Duration.minutes(1) },
        alarms: { clientErrors: { threshold: 100 }, serverErrors: { enabled: false } },
      });
      const orders = new SecureTable(stack, 'Orders', { complianceProfile: profile, monitoring, partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING } });
      orders.addGlobalSecondaryIndex({ indexName: 'byCustomer', partitionKey: { name: 'customerId', type: dynamodb.AttributeType.STRING } });
      api.addTableResolver('Query', 'order', orders, TableResolver.getItem());
      api.addTableResolver('Query', 'ordersOfCustomer', orders, TableResolver.query({ indexName: 'byCustomer' }));
      api.addTableResolver('Mutation', 'createOrder', orders, TableResolver.putItem({ generatePartitionKey: true }));
      api.addTableResolver('Mutation', 'updateOrder', orders, TableResolver.updateItem());
      api.addTableResolver('Mutation', 'deleteOrder', orders, TableResolver.deleteItem());
      const search = new SecureFunction(stack, 'Search', { code: INLINE_CODE, handler: 'index.handler', complianceProfile: profile, monitoring });
      api.addFunctionResolver('Query', 'search', search.lambdaFunction);
      api.addPipelineResolver('Query', 'myOrders', [
        GraphqlStep.lambdaFunction('audit', search.lambdaFunction),
        GraphqlStep.table('myOrders', orders, TableResolver.query({ indexName: 'byCustomer', partitionKeyFromCaller: true })),
      ]);
    },
  },
  /**
   * A user who opts into an API key and verbose logs, and switches the firewall off. No pack has a
   * rule for either (so the warnings are what tells them), and with verbose content ASC3 is met.
   */
  openedUp: {
    warnings: [NO_SUBSCRIBERS, 'cdk-bulwark:graphql-api:api-key @ Graph', 'cdk-bulwark:graphql-api:no-firewall @ Graph'],
    build: (stack, profile) => {
      new SecureGraphqlApi(stack, 'Graph', {
        complianceProfile: profile,
        schema: GraphqlSchema.fromString(ORDERS_SCHEMA),
        authorization: GraphqlAuthorization.apiKey({ expires: Expiration.after(Duration.days(30)) }),
        logVerboseContent: true,
        firewall: { enabled: false },
      });
    },
  },
};
