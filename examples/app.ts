/*
 * The example app: an order-processing stack built from cdk-bulwark, synthesized once per
 * compliance profile with that profile's cdk-nag packs and strict CloudFormation Validate.
 * Any unacknowledged finding fails synthesis. Run it with `npx projen example`.
 */
import * as path from 'path';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  ApiMethod, ComplianceChecks, ComplianceProfile, CompliancePolicy, EventHub, HttpApiAuthorization, HubTarget, Monitoring, QueueWorker,
  SecureApi, SecureFunction, SecureHttpApi, SecureTopic, UserDirectory, UserDirectoryClientKind,
} from '../lib';

/** The order service: orders arrive on a queue and a worker processes them. */
class OrderServiceStack extends Stack {
  constructor(scope: App, id: string, profile: ComplianceProfile) {
    super(scope, id, { env: { account: '123456789012', region: 'eu-west-1' } });
    CompliancePolicy.setDefaultProfile(this, profile);

    new Monitoring(this, 'Monitoring', { emailAddresses: ['oncall@example.com'] });

    const orders = new QueueWorker(this, 'Orders', {
      handlerProps: {
        code: lambda.Code.fromAsset(path.join(__dirname, 'handlers', 'orders')),
        handler: 'index.handler',
        timeout: Duration.seconds(20),
      },
      maxConcurrency: 10,
    });

    new QueueWorker(this, 'Refunds', {
      fifo: true,
      contentBasedDeduplication: true,
      handlerProps: {
        code: lambda.Code.fromAsset(path.join(__dirname, 'handlers', 'orders')),
        handler: 'index.handler',
      },
    });

    // A producer that may send orders (and use the queue's key, in REGULATED).
    const producer = new SecureFunction(this, 'Producer', {
      code: lambda.Code.fromInline('exports.handler = async () => {};'),
      handler: 'index.handler',
      environment: { ORDERS_QUEUE_URL: orders.queue.queueUrl },
    });
    orders.grantSendMessages(producer);

    // Order events fan out through an encrypted topic; placed orders also reach the worker's queue.
    const events = new SecureTopic(this, 'OrderEvents');
    events.subscribeQueue('Orders', orders.queue, {
      filterPolicy: { type: sns.SubscriptionFilter.stringFilter({ allowlist: ['order-placed'] }) },
    });
    events.grantPublish(producer);

    // Domain events on a bus: placed orders reach the worker; a nightly schedule runs the producer.
    const hub = new EventHub(this, 'OrderHub');
    hub.addRoute('OrderPlaced', {
      eventPattern: { source: ['shop.orders'], detailType: ['OrderPlaced'] },
      targets: [HubTarget.queue(orders.queue)],
    });
    hub.addSchedule('NightlyReport', {
      schedule: scheduler.ScheduleExpression.cron({ hour: '2', minute: '0' }),
      target: HubTarget.lambdaFunction(producer.lambdaFunction),
    });
    hub.grantPutEvents(producer);

    // Customers sign in to the web shop through the user directory and place orders through the API.
    const customers = new UserDirectory(this, 'Customers', { groups: ['support'] });
    const webShop = customers.addClient('WebShop', {
      kind: UserDirectoryClientKind.PUBLIC_CLIENT,
      callbackUrls: ['https://shop.example.com/callback'],
      logoutUrls: ['https://shop.example.com/'],
    });
    const api = new SecureApi(this, 'OrdersApi', {
      userPool: customers.userPool,
      cors: { allowOrigins: ['https://shop.example.com'] },
    });
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

    // Order tracking for the web shop: a lighter HTTP API with the same customers' tokens.
    new SecureHttpApi(this, 'TrackingApi', {
      authorization: HttpApiAuthorization.cognito(customers.userPool, [webShop]),
      routes: [{ method: ApiMethod.GET, path: '/tracking/{orderId}', handler: producer.lambdaFunction }],
    });
  }
}

function synthesize(profile: ComplianceProfile): void {
  const app = new App({ outdir: path.join(__dirname, 'cdk.out', profile.toLowerCase()) });
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

synthesize(ComplianceProfile.STANDARD);
synthesize(ComplianceProfile.REGULATED);
