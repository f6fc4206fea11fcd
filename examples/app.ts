/*
 * The example app: an order-processing stack built from cdk-bulwark, synthesized once per
 * compliance profile with that profile's cdk-nag packs and strict CloudFormation Validate.
 * Any unacknowledged finding fails synthesis. Run it with `npx projen example`.
 */
import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import * as path from 'path';
import { Annotations, App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import {
  ApiAuthorization, ApiMethod, ComplianceChecks, ComplianceProfile, CompliancePolicy, ContainerService, EventHub, GraphqlAuthorization, GraphqlSchema,
  HttpApiAuthorization, HttpApiRouteDefinition, HubTarget, Monitoring, QueryWorkgroup, QueueWorker, ResilientTask, SecureApi, SecureBucket,
  SecureFunction, SecureGraphqlApi, SecureHttpApi, SecureTable, SecureTopic, SecureWebSocketApi, ServerlessDatabase, ServiceEgress, ServiceImage,
  TableResolver, UserDirectory, UserDirectoryClientKind, WebSocketAuthorization, Workflow,
} from '../lib';

/**
 * What the example's app context holds, as a CDK CLI app would have it:
 * - `cdk.context.json`: the lookups the CLI records after making them with credentials, here the
 *   availability zones of the example's account and region, which REGULATED's shared network needs
 *   (without them synthesis uses placeholder zones, `dummy1a`, that cannot deploy);
 * - what `cdk.json` would say about the account: its Lambda concurrency quota (the usual 1,000), so
 *   that what REGULATED reserves is checked at synthesis instead of warned about.
 */
export const EXAMPLE_CONTEXT: Record<string, unknown> = {
  ...JSON.parse(readFileSync(path.join(__dirname, 'cdk.context.json'), 'utf8')),
  'cdk-bulwark:lambdaConcurrencyQuota': 1000,
};

/**
 * A Cognito domain prefix for `stack`: `<name>-` and a hash of the stack's account, region and name,
 * so two stacks (or two accounts) never ask for the same one. Only lowercase letters, digits and
 * hyphens, and no 'aws', 'amazon' or 'cognito' (hex digits cannot spell them).
 */
function domainPrefix(name: string, stack: Stack): string {
  const hash = createHash('sha256').update(`${stack.account}/${stack.region}/${stack.stackName}`).digest('hex');
  return `${name}-${hash.slice(0, 12)}`;
}

/** The order service: orders arrive on a queue and a worker processes them. */
export class OrderServiceStack extends Stack {
  constructor(scope: App, id: string, profile: ComplianceProfile) {
    super(scope, id, { env: { account: '123456789012', region: 'eu-west-1' } });
    CompliancePolicy.setDefaultProfile(this, profile);

    new Monitoring(this, 'Monitoring', { emailAddresses: ['oncall@example.com'] });

    // The orders the worker has processed, which customers and the back office read over GraphQL (below).
    // Its stream tells customers live when an order's status changes (the OrderUpdates WebSocket API, below).
    const orderTable = new SecureTable(this, 'OrderTable', {
      partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING },
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
    });
    orderTable.addGlobalSecondaryIndex({ indexName: 'byCustomer', partitionKey: { name: 'customerId', type: dynamodb.AttributeType.STRING } });

    const orders = new QueueWorker(this, 'Orders', {
      handlerProps: {
        code: lambda.Code.fromAsset(path.join(__dirname, 'handlers', 'orders')),
        handler: 'index.handler',
        timeout: Duration.seconds(20),
        environment: { ORDER_TABLE_NAME: orderTable.tableName },
      },
      maxConcurrency: 10,
    });
    orderTable.grantWriteData(orders.handler);

    new QueueWorker(this, 'Refunds', {
      fifo: true,
      contentBasedDeduplication: true,
      handlerProps: {
        code: lambda.Code.fromAsset(path.join(__dirname, 'handlers', 'orders')),
        handler: 'index.handler',
      },
    });

    // Order events fan out through an encrypted topic. Other services (the back office, say) publish
    // placed orders to it; those reach the worker's queue as SNS notifications, which its handler unwraps.
    const orderEvents = new SecureTopic(this, 'OrderEvents');
    orderEvents.subscribeQueue('Orders', orders.queue, {
      filterPolicy: { type: sns.SubscriptionFilter.stringFilter({ allowlist: ['order-placed'] }) },
    });

    // Invoices the back office uploads are imported by a worker: S3 sends each new object's event to
    // EventBridge natively, and the route delivers it to the worker's queue with retries and a dead-letter queue.
    // Each imported invoice is also booked in the finance ledger, a PostgreSQL database that pauses
    // between uploads (no capacity billed) and that the worker reaches through the Data API (no
    // connection to manage, no VPC needed).
    const invoices = new SecureBucket(this, 'Invoices');
    const ledger = new ServerlessDatabase(this, 'Ledger', { defaultDatabaseName: 'ledger', enableDataApi: true });
    const invoiceImport = new QueueWorker(this, 'InvoiceImport', {
      handlerProps: {
        code: lambda.Code.fromAsset(path.join(__dirname, 'handlers', 'invoices')),
        handler: 'index.handler',
        // A paused ledger takes about 15 seconds to resume.
        timeout: Duration.seconds(60),
        environment: { LEDGER_CLUSTER_ARN: ledger.clusterArn, LEDGER_SECRET_ARN: ledger.secret.secretArn, LEDGER_DATABASE: 'ledger' },
      },
    });
    ledger.grantDataApiAccess(invoiceImport.handler);
    invoices.addEventRoute('ToImport', { targets: [HubTarget.queue(invoiceImport.queue)], keyPrefix: 'invoices/' });
    invoices.grantRead(invoiceImport.handler, 'invoices/*');
    invoices.grantPut(invoiceImport.handler, 'index/*');

    // The worker keeps an index of the invoices (index/, JSON lines) that a nightly report queries with
    // Athena: the workgroup caps what a query scans and keeps its results encrypted, for a month.
    const reporting = new QueryWorkgroup(this, 'Reporting');
    const invoiceTable = 'invoices';
    reporting.addTable('Invoices', {
      tableName: invoiceTable,
      bucket: invoices,
      prefix: 'index/',
      columns: [{ name: 'invoice_key', dataType: 'string' }, { name: 'bytes', dataType: 'bigint' }, { name: 'imported_at', dataType: 'string' }],
    });
    const invoiceReport = new SecureFunction(this, 'InvoiceReport', {
      code: lambda.Code.fromAsset(path.join(__dirname, 'handlers', 'report')),
      handler: 'index.handler',
      timeout: Duration.minutes(5),
      environment: { WORKGROUP: reporting.name, DATABASE: reporting.databaseName, TABLE: invoiceTable },
    });
    reporting.grantQuery(invoiceReport);

    // Fulfilment: reserve stock, then ship; a step that still fails after its retries releases the
    // stock and fails the execution (and its alarm). The tasks invoke the function's current version:
    // a qualified ARN, so the workflow's role may invoke exactly it.
    const fulfil = new SecureFunction(this, 'Fulfil', {
      code: lambda.Code.fromAsset(path.join(__dirname, 'handlers', 'fulfilment')),
      handler: 'index.handler',
    });
    const step = (stateId: string, name: string, extra: Record<string, unknown> = {}) => ResilientTask.retry(new tasks.LambdaInvoke(this, stateId, {
      lambdaFunction: fulfil.lambdaFunction.currentVersion,
      payload: sfn.TaskInput.fromObject({ step: name, order: sfn.JsonPath.objectAt('$.detail'), ...extra }),
      payloadResponseOnly: true,
      resultPath: `$.${name}`,
      retryOnServiceExceptions: false,
    }));
    const release = step('Release', 'release').next(new sfn.Fail(this, 'FulfilmentFailed', { error: 'FulfilmentFailed' }));
    const reserve = ResilientTask.catchTo(step('Reserve', 'reserve'), release);
    const ship = ResilientTask.catchTo(step('Ship', 'ship', { reservationId: sfn.JsonPath.stringAt('$.reserve.reservationId') }), release);
    const fulfilment = new Workflow(this, 'Fulfilment', {
      definitionBody: sfn.DefinitionBody.fromChainable(reserve.next(ship).next(new sfn.Succeed(this, 'Shipped'))),
      timeout: Duration.hours(1),
    });

    // Domain events on a bus: the web shop's placed orders reach the worker as EventBridge events, and
    // start the fulfilment workflow.
    const hub = new EventHub(this, 'OrderHub');
    hub.addRoute('OrderPlaced', {
      eventPattern: { source: ['shop.orders'], detailType: ['OrderPlaced'] },
      targets: [HubTarget.queue(orders.queue), HubTarget.stateMachine(fulfilment.stateMachine)],
    });

    // The producer serves the APIs below and the nightly report: it puts OrderPlaced events on the bus
    // and publishes the report to the topic (handlers/producer tells the events apart).
    const producer = new SecureFunction(this, 'Producer', {
      code: lambda.Code.fromAsset(path.join(__dirname, 'handlers', 'producer')),
      handler: 'index.handler',
      environment: { ORDER_BUS_NAME: hub.eventBus.eventBusName, ORDER_EVENTS_TOPIC_ARN: orderEvents.topic.topicArn },
    });
    hub.grantPutEvents(producer);
    orderEvents.grantPublish(producer);
    hub.addSchedule('NightlyReport', {
      schedule: scheduler.ScheduleExpression.cron({ hour: '2', minute: '0' }),
      target: HubTarget.lambdaFunction(producer.lambdaFunction),
      input: scheduler.ScheduleTargetInput.fromObject({ job: 'nightly-report' }),
    });
    hub.addSchedule('InvoiceReport', {
      schedule: scheduler.ScheduleExpression.cron({ hour: '3', minute: '0' }),
      target: HubTarget.lambdaFunction(invoiceReport.lambdaFunction),
    });

    // Customers sign in to the web shop through the user directory and place orders through the API.
    // The hosted sign-in pages live at https://<domainPrefix>.auth.<region>.amazoncognito.com, and a prefix
    // is unique per region across all AWS accounts: derive one from this stack's account, region and name.
    const customers = new UserDirectory(this, 'Customers', { groups: ['support'], domainPrefix: domainPrefix('shop', this) });
    const webShop = customers.addClient('WebShop', {
      kind: UserDirectoryClientKind.PUBLIC_CLIENT,
      callbackUrls: ['https://shop.example.com/callback'],
      logoutUrls: ['https://shop.example.com/'],
    });
    const api = new SecureApi(this, 'OrdersApi', {
      userPool: customers.userPool,
      cors: { allowOrigins: ['https://shop.example.com'] },
    });
    // The API creates API Gateway's account-wide CloudWatch Logs role (the default, so that a fresh account
    // deploys); nothing else in this example's account manages that setting.
    Annotations.of(this).acknowledgeWarning('cdk-bulwark:api:sets-account-cloudwatch-role',
      'The example owns its account\'s API Gateway CloudWatch Logs role setting');
    api.addRoute(ApiMethod.POST, '/orders', producer.lambdaFunction, {
      requestSchema: {
        type: apigateway.JsonSchemaType.OBJECT,
        required: ['sku', 'quantity'],
        properties: {
          sku: { type: apigateway.JsonSchemaType.STRING, minLength: 1 },
          quantity: { type: apigateway.JsonSchemaType.INTEGER, minimum: 1 },
        },
      },
      requiredHeaders: ['Idempotency-Key'],
    });
    api.addRoute(ApiMethod.GET, '/orders/{orderId}', producer.lambdaFunction);

    // Support staff cancel an order from the back office, which signs its calls with IAM. The route
    // starts the cancellation workflow itself (no function between API Gateway and Step Functions);
    // the execution gets the order id from the path, the reason from the validated body and the
    // caller's ARN, and releases the order's stock.
    const cancellation = new Workflow(this, 'Cancellation', {
      definitionBody: sfn.DefinitionBody.fromChainable(ResilientTask.retry(new tasks.LambdaInvoke(this, 'ReleaseStock', {
        lambdaFunction: fulfil.lambdaFunction.currentVersion,
        payload: sfn.TaskInput.fromObject({
          step: 'release',
          order: { orderId: sfn.JsonPath.stringAt('$.path.orderId') },
          reason: sfn.JsonPath.stringAt('$.body.reason'),
          requestedBy: sfn.JsonPath.stringAt('$.caller'),
        }),
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
      })).next(new sfn.Succeed(this, 'Cancelled'))),
      timeout: Duration.minutes(15),
    });
    const cancel = api.addWorkflowRoute(ApiMethod.POST, '/orders/{orderId}/cancellation', cancellation, {
      authorization: ApiAuthorization.iam(),
      requestSchema: {
        type: apigateway.JsonSchemaType.OBJECT,
        required: ['reason'],
        properties: { reason: { type: apigateway.JsonSchemaType.STRING, minLength: 1, maxLength: 500 } },
      },
    });
    Validations.of(cancel.apiMethod).acknowledge({
      id: 'AwsSolutions-COG4',
      reason: 'The back office signs its calls with IAM (SigV4); customers\' Cognito tokens are not meant to reach this route',
    });

    // The read side: customers list their own orders with their tokens (the partition key of the query is
    // the caller's id, never an argument); the back office (IAM) looks orders up, sets their status and
    // follows every change live through the subscription.
    const graph = new SecureGraphqlApi(this, 'OrdersGraph', {
      schema: GraphqlSchema.fromFile(path.join(__dirname, 'schema.graphql')),
      authorization: GraphqlAuthorization.userPool(customers.userPool),
      additionalAuthorizations: [GraphqlAuthorization.iam()],
    });
    graph.addTableResolver('Query', 'myOrders', orderTable, TableResolver.query({ indexName: 'byCustomer', partitionKeyFromCaller: true }));
    graph.addTableResolver('Query', 'order', orderTable, TableResolver.getItem());
    graph.addTableResolver('Mutation', 'updateOrderStatus', orderTable, TableResolver.updateItem());

    // Order tracking for the web shop: a lighter HTTP API with the same customers' tokens.
    new SecureHttpApi(this, 'TrackingApi', {
      authorization: HttpApiAuthorization.cognito(customers.userPool, [webShop]),
      routes: [HttpApiRouteDefinition.of(ApiMethod.GET, '/tracking/{orderId}', producer.lambdaFunction)],
    });

    // The back office's admin console: a container service only the VPC reaches (staff come in over the
    // company's VPN), over HTTPS, its image pinned to a release in ECR.
    // In REGULATED its VPC has a NAT gateway, which the live updates' functions (below) use too.
    const regulated = profile === ComplianceProfile.REGULATED;
    const adminImages = ecr.Repository.fromRepositoryName(this, 'AdminImages', 'orders-admin');
    const admin = new ContainerService(this, 'Admin', {
      image: ServiceImage.fromEcrRepository(adminImages, { tag: '1.4.2' }),
      egress: regulated ? ServiceEgress.SINGLE_NAT_GATEWAY : undefined,
      certificate: acm.Certificate.fromCertificateArn(this, 'AdminCertificate',
        `arn:aws:acm:${this.region}:${this.account}:certificate/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9`),
      internetFacing: false,
      healthCheck: { path: '/healthz' },
    });

    // Live order status for the web shop: the shop opens a WebSocket with the customer's ID token
    // (wss://<api>/prod?token=...), and every change of one of their orders reaches each of their open
    // connections. The table's stream drives it; the API's own recorder keeps the connections table.
    // Functions in REGULATED run in a VPC: the Cognito authorizer (fetching the pool's keys) and the
    // notifier (calling the @connections API, which has no VPC endpoint) use the admin VPC's NAT gateway.
    const liveNetwork = regulated ? { vpc: admin.vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } } : {};
    const orderUpdates = new SecureWebSocketApi(this, 'OrderUpdates', {
      authorization: WebSocketAuthorization.cognito(customers.userPool, [webShop], liveNetwork),
    });
    const statusNotifier = new SecureFunction(this, 'StatusNotifier', {
      code: lambda.Code.fromAsset(path.join(__dirname, 'handlers', 'status')),
      handler: 'index.handler',
      environment: {
        CONNECTIONS_TABLE: orderUpdates.connectionsTable.tableName,
        CONNECTIONS_INDEX: orderUpdates.connectionsIndexName,
        CALLBACK_URL: orderUpdates.callbackUrl,
      },
      ...liveNetwork,
    });
    orderUpdates.connectionsTable.grantReadWriteData(statusNotifier);
    orderUpdates.grantManageConnections(statusNotifier);
    orderTable.addStreamConsumer('LiveUpdates', statusNotifier.lambdaFunction);
  }
}

function synthesize(profile: ComplianceProfile): void {
  const app = new App({ outdir: path.join(__dirname, 'cdk.out', profile.toLowerCase()), context: EXAMPLE_CONTEXT });
  const packs = ComplianceChecks.enable(app, { profile });
  const stack = new OrderServiceStack(app, `OrderService${profile === ComplianceProfile.REGULATED ? 'Regulated' : 'Standard'}`, profile);
  const assembly = app.synth(); // throws on any unacknowledged cdk-nag or CloudFormation Validate finding

  const template = assembly.getStackArtifact(stack.artifactId).template;
  const resources = Object.keys(template.Resources ?? {}).length;
  const acknowledgements = app.node.findAll().flatMap((c) => c.node.metadata)
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .reduce((n, m) => n + Object.keys(m.data ?? {}).length, 0);
  console.log(`\n${profile}: ${stack.stackName}, ${resources} resources, synthesized to ${app.outdir}`);
  for (const pack of packs) {
    const findings = pack.validateScope(app).violations.reduce((n, v) => n + v.violatingResources.length, 0);
    console.log(`  ${pack.readPackName.padEnd(16)} ${findings} unacknowledged findings`);
  }
  console.log(`  ${'CFN Validate'.padEnd(16)} passed (strict: any finding, warnings included, fails synthesis)`);
  console.log(`  ${acknowledgements} acknowledgements, each with its class and reason (see README)`);
}

// Run as a program (npx projen example); test/examples imports the stack without synthesizing.
if (require.main === module) {
  synthesize(ComplianceProfile.STANDARD);
  synthesize(ComplianceProfile.REGULATED);
}
