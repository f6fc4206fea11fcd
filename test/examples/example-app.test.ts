import * as path from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import {
  ComplianceProfile, EventHub, QueueWorker, SecureApi, SecureFunction, SecureGraphqlApi, SecureHttpApi, SecureTable, SecureTopic, SecureWebSocketApi,
  ServerlessDatabase, UserDirectory, Workflow,
} from '../../src';
import { STRICT_VALIDATION_CONTEXT } from '../support/app';
import { definitionOf, logicalIdOf, resourceOf } from '../support/template';

/*
 * The example app (examples/app.ts) and its handlers (examples/handlers), run as Lambda runs them:
 * plain Node requires each handler file and calls it with the exact event its source delivers
 * (#10 item 3). The shapes are AWS's documented ones, and the values that decide the routing (the
 * rule's pattern, the subscription's filter and raw-delivery setting, the schedule's input) are
 * read from the synthesized template, so a change to the wiring that a handler does not follow
 * fails here:
 * - SQS to Lambda: https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html (the event, and
 *   batchItemFailures for reportBatchItemFailures: https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html)
 * - SNS to SQS without raw delivery, the notification JSON as the message body:
 *   https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html and
 *   https://docs.aws.amazon.com/sns/latest/dg/sns-large-payload-raw-message-delivery.html
 * - EventBridge to an SQS target, the event JSON as the message body:
 *   https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html
 * - API Gateway REST API, Lambda proxy integration (payload 1.0, and the response it takes):
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 * - API Gateway HTTP API, payload 2.0 (CDK's HttpLambdaIntegration default):
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 * - EventBridge Scheduler to Lambda, the target's Input as the event:
 *   https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-templated.html
 */

// The example imports the built package ('../lib'); here it gets the sources.
jest.mock('../../lib', () => jest.requireActual('../../src'), { virtual: true });

// The Lambda Node.js runtime provides the AWS SDK; here it records what the producer sends.
const mockSent: Array<{ client: string; input: any }> = [];
const mockResults: Record<string, unknown> = {};
jest.mock('@aws-sdk/client-eventbridge', () => ({
  EventBridgeClient: jest.fn(() => ({ send: async (command: any) => { mockSent.push({ client: 'events', input: command.input }); return mockResults.events; } })),
  PutEventsCommand: jest.fn((input: unknown) => ({ input })),
}), { virtual: true });
class MockConditionalCheckFailedException extends Error {}
jest.mock('@aws-sdk/client-dynamodb', () => ({
  DynamoDBClient: jest.fn(() => ({
    send: async (command: any) => {
      mockSent.push({ client: 'dynamodb', input: command.input });
      if (mockResults.dynamodb instanceof Error) {
        throw mockResults.dynamodb;
      }
      return command.query ? mockResults.dynamodbQuery : {};
    },
  })),
  PutItemCommand: jest.fn((input: unknown) => ({ input })),
  QueryCommand: jest.fn((input: unknown) => ({ input, query: true })),
  DeleteItemCommand: jest.fn((input: unknown) => ({ input })),
  ConditionalCheckFailedException: MockConditionalCheckFailedException,
}), { virtual: true });
jest.mock('@aws-sdk/client-apigatewaymanagementapi', () => ({
  ApiGatewayManagementApiClient: jest.fn((config: unknown) => ({
    config,
    send: async (command: any) => {
      mockSent.push({ client: 'connections', input: command.input });
      const failure = (mockResults.connections as Record<string, Error> | undefined)?.[command.input.ConnectionId];
      if (failure) {
        throw failure;
      }
      return {};
    },
  })),
  PostToConnectionCommand: jest.fn((input: unknown) => ({ input })),
}), { virtual: true });
jest.mock('@aws-sdk/client-sns', () => ({
  SNSClient: jest.fn(() => ({ send: async (command: any) => { mockSent.push({ client: 'sns', input: command.input }); return mockResults.sns; } })),
  PublishCommand: jest.fn((input: unknown) => ({ input })),
}), { virtual: true });

jest.mock('@aws-sdk/client-s3', () => ({
  S3Client: jest.fn(() => ({
    send: async (command: any) => {
      mockSent.push({ client: 's3', input: command.input });
      if (mockResults.s3 instanceof Error) {
        throw mockResults.s3;
      }
      return mockResults.s3;
    },
  })),
  GetObjectCommand: jest.fn((input: unknown) => ({ input })),
  PutObjectCommand: jest.fn((input: unknown) => ({ input })),
}), { virtual: true });
jest.mock('@aws-sdk/client-rds-data', () => ({
  RDSDataClient: jest.fn(() => ({
    send: async (command: any) => {
      mockSent.push({ client: 'rds-data', input: command.input });
      if (mockResults.rdsData instanceof Error) {
        throw mockResults.rdsData;
      }
      return {};
    },
  })),
  ExecuteStatementCommand: jest.fn((input: unknown) => ({ input })),
}), { virtual: true });
jest.mock('@aws-sdk/client-athena', () => ({
  AthenaClient: jest.fn(() => ({
    send: async (command: any) => {
      mockSent.push({ client: 'athena', input: command.input });
      return (mockResults.athena as Array<unknown>).shift();
    },
  })),
  StartQueryExecutionCommand: jest.fn((input: unknown) => ({ input })),
  GetQueryExecutionCommand: jest.fn((input: unknown) => ({ input })),
  GetQueryResultsCommand: jest.fn((input: unknown) => ({ input })),
}), { virtual: true });

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { EXAMPLE_CONTEXT, OrderServiceStack } = require('../../examples/app') as typeof import('../../examples/app');

const HANDLERS = path.join(__dirname, '..', '..', 'examples', 'handlers');
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';

function build(profile: ComplianceProfile): Stack {
  return new OrderServiceStack(new App({ context: { ...STRICT_VALIDATION_CONTEXT, ...EXAMPLE_CONTEXT } }), `OrderService${profile}`, profile);
}

function child<T>(stack: Stack, id: string): T {
  return stack.node.findChild(id) as unknown as T;
}

describe.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('the example stack (%s)', (profile) => {
  test('synthesizes with no warning and no error left unacknowledged (#10 item 4)', () => {
    const stack = build(profile);
    const annotations = Annotations.fromStack(stack);
    expect(annotations.findWarning('*', Match.anyValue()).map((w) => `${w.id}: ${w.entry.data}`)).toEqual([]);
    expect(annotations.findError('*', Match.anyValue()).map((e) => `${e.id}: ${e.entry.data}`)).toEqual([]);
  });
});

// REGULATED's shared network in a stack with a concrete environment needs the region's availability
// zones, which the CDK CLI looks up with credentials and records in cdk.context.json; without them
// synthesis uses placeholder zones that cannot deploy (#10 item 18).
describe('the example\'s lookups ship with it (#10 item 18)', () => {
  test('the REGULATED network is in real zones of the example\'s region, and nothing is left to look up', () => {
    const stack = build(ComplianceProfile.REGULATED);
    const assembly = (stack.node.root as App).synth();
    const artifact = assembly.getStackArtifact(stack.artifactId);
    const zones = Object.values<any>(artifact.template.Resources)
      .filter((r) => r.Type === 'AWS::EC2::Subnet')
      .map((r) => r.Properties.AvailabilityZone);
    expect(zones.length).toBeGreaterThan(0);
    expect([...new Set(zones)].sort()).toEqual(['eu-west-1a', 'eu-west-1b']);
    expect(assembly.manifest.missing ?? []).toEqual([]);
  });

  test('the shipped context is the one the CLI would record for the example\'s account and region', () => {
    const stack = build(ComplianceProfile.REGULATED);
    const lookups = Object.keys(EXAMPLE_CONTEXT).filter((key) => !key.startsWith('cdk-bulwark:'));
    expect(lookups).toEqual([`availability-zones:account=${stack.account}:region=${stack.region}`]);
    expect(stack.account).toBe(ACCOUNT);
    expect(stack.region).toBe(REGION);
  });
});

describe('the example\'s user directory (#10 item 4)', () => {
  test('the client with the code flow has a hosted domain, its prefix derived from the stack and unique per stack', () => {
    const standard = build(ComplianceProfile.STANDARD);
    const regulated = build(ComplianceProfile.REGULATED);
    const prefixOf = (stack: Stack) => Template.fromStack(stack).findResources('AWS::Cognito::UserPoolDomain');
    const [standardDomain] = Object.values(prefixOf(standard));
    const [regulatedDomain] = Object.values(prefixOf(regulated));
    expect(standardDomain.Properties.Domain).toMatch(/^shop-[0-9a-f]{12}$/);
    expect(regulatedDomain.Properties.Domain).toMatch(/^shop-[0-9a-f]{12}$/);
    expect(standardDomain.Properties.Domain).not.toEqual(regulatedDomain.Properties.Domain);
    // The same stack always asks for the same prefix (a redeploy keeps its domain).
    expect(Object.values(prefixOf(build(ComplianceProfile.STANDARD)))[0].Properties.Domain).toEqual(standardDomain.Properties.Domain);
  });
});

describe('the example\'s handlers, on the events their sources deliver (#10 item 3)', () => {
  let stack: Stack;
  let template: Template;
  let orders: { handler: (event: unknown) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }> };
  let producer: { handler: (event: unknown) => Promise<any> };
  let producerEnv: Record<string, unknown>;

  beforeAll(() => {
    stack = build(ComplianceProfile.STANDARD);
    template = Template.fromStack(stack);
    const producerFunction = child<SecureFunction>(stack, 'Producer').lambdaFunction;
    producerEnv = resourceOf(template, producerFunction).Properties.Environment.Variables;
    // Stand-ins for the resolved environment the function gets at deployment.
    process.env.ORDER_TABLE_NAME = 'OrderServiceStandard-OrderTable';
    process.env.ORDER_BUS_NAME = 'OrderServiceStandardOrderHub';
    process.env.ORDER_EVENTS_TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:OrderEvents`;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    orders = require(path.join(HANDLERS, 'orders', 'index.js'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    producer = require(path.join(HANDLERS, 'producer', 'index.js'));
  });

  let logged: string[];

  beforeEach(() => {
    logged = [];
    jest.spyOn(console, 'log').mockImplementation((line: string) => { logged.push(line); });
    jest.spyOn(console, 'error').mockImplementation((line: string) => { logged.push(line); });
    mockSent.length = 0;
    mockResults.events = { FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] };
    mockResults.sns = { MessageId: 'm-1' };
    mockResults.dynamodb = undefined;
    mockResults.s3 = undefined;
  });

  afterEach(() => jest.restoreAllMocks());

  /** The order ids the worker logged as processed. */
  function processed(): string[] {
    return logged.map((line) => JSON.parse(line)).filter((entry) => entry.message === 'order processed').map((entry) => entry.orderId);
  }

  /** An SQS record as Lambda's SQS event source delivers it. */
  function sqsRecord(body: string, messageId: string, fifo = false) {
    return {
      messageId,
      receiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a',
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1545082649183',
        SenderId: 'AIDAIENQZJOLO23YVJ4VO',
        ApproximateFirstReceiveTimestamp: '1545082649185',
        ...(fifo ? { MessageGroupId: 'refunds', SequenceNumber: '18849496460467696128', MessageDeduplicationId: 'abc' } : {}),
      },
      messageAttributes: {},
      md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:${fifo ? 'Refunds.fifo' : 'Orders'}`,
      awsRegion: REGION,
    };
  }

  /** The rule of the OrderPlaced route, as synthesized. */
  function orderPlacedPattern(): { 'source': string[]; 'detail-type': string[] } {
    const hub = child<EventHub>(stack, 'OrderHub');
    return resourceOf(template, hub.routes[0].rule).Properties.EventPattern;
  }

  /** An EventBridge event as a rule delivers it to an SQS target (the message body is the event). */
  function eventBridgeEvent(source: string, detailType: string, detail: unknown) {
    return {
      'version': '0',
      'id': '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
      'detail-type': detailType,
      source,
      'account': ACCOUNT,
      'time': '2026-12-01T17:00:00Z',
      'region': REGION,
      'resources': [],
      detail,
    };
  }

  test('orders: an order sent to the queue (raw body), to the FIFO Refunds worker too', async () => {
    const result = await orders.handler({ Records: [sqsRecord(JSON.stringify({ orderId: 'o-1', sku: 'book', quantity: 1 }), 'm-1')] });
    expect(result).toEqual({ batchItemFailures: [] });
    const refund = await orders.handler({ Records: [sqsRecord(JSON.stringify({ orderId: 'o-2' }), 'm-2', true)] });
    expect(refund).toEqual({ batchItemFailures: [] });
    expect(processed()).toEqual(['o-1', 'o-2']);
  });

  test('orders: an SNS notification from the OrderEvents subscription (the envelope, as the subscription has no raw delivery)', async () => {
    const topic = child<SecureTopic>(stack, 'OrderEvents');
    const subscription = resourceOf(template, topic.subscriptions[0].subscription);
    expect(subscription.Properties.RawMessageDelivery).not.toBe(true);
    const [type] = subscription.Properties.FilterPolicy.type;
    const notification = {
      Type: 'Notification',
      MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
      TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:OrderEvents`,
      Message: JSON.stringify({ orderId: 'o-3', sku: 'book', quantity: 2 }),
      Timestamp: '2026-12-01T17:00:00.000Z',
      SignatureVersion: '1',
      Signature: 'EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=',
      SigningCertURL: `https://sns.${REGION}.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem`,
      UnsubscribeURL: `https://sns.${REGION}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:${REGION}:${ACCOUNT}:OrderEvents:c9135db0`,
      MessageAttributes: { type: { Type: 'String', Value: type } },
    };
    expect(await orders.handler({ Records: [sqsRecord(JSON.stringify(notification), 'm-3')] })).toEqual({ batchItemFailures: [] });
    expect(processed()).toEqual(['o-3']);
  });

  test('orders: an EventBridge event from the OrderPlaced route', async () => {
    const pattern = orderPlacedPattern();
    const event = eventBridgeEvent(pattern.source[0], pattern['detail-type'][0], { orderId: 'o-4', sku: 'pen', quantity: 3 });
    expect(await orders.handler({ Records: [sqsRecord(JSON.stringify(event), 'm-4')] })).toEqual({ batchItemFailures: [] });
    expect(processed()).toEqual(['o-4']);
  });

  test('orders: only the records that fail are reported, for SQS to retry', async () => {
    const records = [
      sqsRecord(JSON.stringify({ orderId: 'o-5' }), 'good'),
      sqsRecord('not json', 'not-json'),
      sqsRecord(JSON.stringify({ sku: 'no id' }), 'no-id'),
      sqsRecord(JSON.stringify(eventBridgeEvent('shop.orders', 'OrderPlaced', { sku: 'no id' })), 'event-without-id'),
    ];
    expect(await orders.handler({ Records: records })).toEqual({
      batchItemFailures: [{ itemIdentifier: 'not-json' }, { itemIdentifier: 'no-id' }, { itemIdentifier: 'event-without-id' }],
    });
    expect(processed()).toEqual(['o-5']);
  });

  test('producer: POST /orders (REST API, payload 1.0) puts an OrderPlaced event the route takes; the worker processes what the route delivers', async () => {
    expect(Object.keys(producerEnv)).toEqual(expect.arrayContaining(['ORDER_BUS_NAME', 'ORDER_EVENTS_TOPIC_ARN']));
    const request = {
      resource: '/orders',
      path: '/orders',
      httpMethod: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'o-6' },
      multiValueHeaders: { 'Content-Type': ['application/json'], 'Idempotency-Key': ['o-6'] },
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      requestContext: {
        resourcePath: '/orders',
        httpMethod: 'POST',
        stage: 'prod',
        requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
        authorizer: { claims: { sub: 'user-1' } },
      },
      body: JSON.stringify({ sku: 'book', quantity: 1 }),
      isBase64Encoded: false,
    };
    const response = await producer.handler(request);
    expect(response).toEqual({
      statusCode: 202, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ orderId: 'o-6', customerId: 'user-1', sku: 'book', quantity: 1 }),
    });

    expect(mockSent).toHaveLength(1);
    const [entry] = mockSent[0].input.Entries;
    expect(entry.EventBusName).toBe(process.env.ORDER_BUS_NAME);
    const pattern = orderPlacedPattern();
    expect(pattern.source).toContain(entry.Source);
    expect(pattern['detail-type']).toContain(entry.DetailType);

    // EventBridge delivers the event to the worker's queue; the worker processes it.
    const delivered = eventBridgeEvent(entry.Source, entry.DetailType, JSON.parse(entry.Detail));
    expect(await orders.handler({ Records: [sqsRecord(JSON.stringify(delivered), 'm-6')] })).toEqual({ batchItemFailures: [] });
    expect(processed()).toEqual(['o-6']);

    // The worker records it under the customer who placed it: the key of OrdersGraph's myOrders.
    expect(mockSent[1]).toEqual({
      client: 'dynamodb',
      input: {
        TableName: process.env.ORDER_TABLE_NAME,
        Item: { orderId: { S: 'o-6' }, status: { S: 'received' }, customerId: { S: 'user-1' }, sku: { S: 'book' }, quantity: { N: '1' } },
        ConditionExpression: 'attribute_not_exists(orderId)',
      },
    });
  });

  test('orders: the worker records each order once, in the table OrdersGraph reads, keyed by customer for myOrders', async () => {
    const worker = child<QueueWorker>(stack, 'Orders');
    const table = child<SecureTable>(stack, 'OrderTable');
    expect(resourceOf(template, worker.handler).Properties.Environment.Variables.ORDER_TABLE_NAME).toEqual(stack.resolve(table.tableName));
    const graph = child<SecureGraphqlApi>(stack, 'OrdersGraph');
    const myOrders = graph.node.findChild('Resolvers').node.findChild('Query.myOrders') as unknown as CfnResource;
    expect(resourceOf(template, myOrders).Properties.Code).toContain('ddb.query({ index: "byCustomer", query: { "customerId": { eq: ctx.identity.sub } }');

    // Redelivered: the item exists, the condition fails, and the order counts as processed.
    mockResults.dynamodb = new MockConditionalCheckFailedException('The conditional request failed');
    expect(await orders.handler({ Records: [sqsRecord(JSON.stringify({ orderId: 'o-9' }), 'm-9')] })).toEqual({ batchItemFailures: [] });
    // Any other failure is the record's: SQS retries it.
    mockResults.dynamodb = new Error('ProvisionedThroughputExceededException');
    expect(await orders.handler({ Records: [sqsRecord(JSON.stringify({ orderId: 'o-10' }), 'm-10')] })).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-10' }] });
    expect(processed()).toEqual(['o-9']);
  });

  test('producer: a PutEvents failure answers 503, so the client retries with the same key', async () => {
    mockResults.events = { FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] };
    const response = await producer.handler({
      resource: '/orders', path: '/orders', httpMethod: 'POST', headers: { 'idempotency-key': 'o-7' }, body: JSON.stringify({ sku: 'a', quantity: 1 }),
    });
    expect(response.statusCode).toBe(503);
  });

  test('producer: GET /orders/{orderId} (REST API) answers the order', async () => {
    const response = await producer.handler({
      resource: '/orders/{orderId}',
      path: '/orders/o-8',
      httpMethod: 'GET',
      headers: {},
      pathParameters: { orderId: 'o-8' },
      body: null,
      requestContext: { resourcePath: '/orders/{orderId}', httpMethod: 'GET' },
      isBase64Encoded: false,
    });
    expect(response).toEqual({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ orderId: 'o-8', status: 'received' }) });
  });

  test('producer: GET /tracking/{orderId} (HTTP API, payload 2.0) answers the tracking state', async () => {
    const routeKeys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey);
    expect(routeKeys).toContain('GET /tracking/{orderId}');
    // The HTTP API's integrations (the WebSocket API's have no payload format).
    const trackingApiId = stack.resolve(child<SecureHttpApi>(stack, 'TrackingApi').httpApi.apiId);
    const integrations = Object.values(template.findResources('AWS::ApiGatewayV2::Integration', { Properties: { ApiId: trackingApiId } }));
    expect(integrations.length).toBeGreaterThan(0);
    expect(integrations.map((i) => i.Properties.PayloadFormatVersion)).toEqual(integrations.map(() => '2.0'));
    const response = await producer.handler({
      version: '2.0',
      routeKey: 'GET /tracking/{orderId}',
      rawPath: '/tracking/o-9',
      rawQueryString: '',
      headers: { authorization: 'Bearer eyJ...' },
      requestContext: {
        http: { method: 'GET', path: '/tracking/o-9', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'agent' },
        routeKey: 'GET /tracking/{orderId}',
        stage: '$default',
        authorizer: { jwt: { claims: { sub: 'user-1' }, scopes: null } },
      },
      pathParameters: { orderId: 'o-9' },
      isBase64Encoded: false,
    });
    expect(response).toEqual({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ orderId: 'o-9', status: 'in transit' }) });
  });

  test('producer: the nightly schedule\'s input publishes the report, which the worker\'s subscription filters out', async () => {
    const hub = child<EventHub>(stack, 'OrderHub');
    const schedule = resourceOf(template, hub.schedules[0].schedule as unknown as IConstruct);
    const input = JSON.parse(schedule.Properties.Target.Input);
    expect(await producer.handler(input)).toEqual({ published: 'm-1' });
    expect(mockSent).toHaveLength(1);
    const published = mockSent[0].input;
    expect(published.TopicArn).toBe(process.env.ORDER_EVENTS_TOPIC_ARN);
    const topic = child<SecureTopic>(stack, 'OrderEvents');
    const filter = resourceOf(template, topic.subscriptions[0].subscription).Properties.FilterPolicy;
    expect(filter.type).not.toContain(published.MessageAttributes.type.StringValue);
  });

  test('producer: an event of no known source fails (Lambda retries it, then its dead-letter queue keeps it)', async () => {
    await expect(producer.handler({ unexpected: true })).rejects.toThrow('unknown event');
  });

  /** The fulfilment workflow's definition, as synthesized (references read as 'REF'). */
  function fulfilmentDefinition(): any {
    return definitionOf(child<Workflow>(stack, 'Fulfilment').stateMachine);
  }

  /**
   * A task's payload for `input`, as Step Functions builds it from the task's Parameters (the
   * JSONPath fields this example uses). With payloadResponseOnly the task calls the function directly
   * and its Parameters are the payload.
   */
  function payloadOf(state: any, input: any): any {
    const at = (jsonPath: string) => jsonPath.slice(2).split('.').reduce((value: any, key) => value?.[key], input);
    const fill = (payload: Record<string, unknown>): any => Object.fromEntries(Object.entries(payload).map(([key, value]) => (key.endsWith('.$')
      ? [key.slice(0, -2), at(value as string)]
      : [key, value !== null && typeof value === 'object' && !Array.isArray(value) ? fill(value as Record<string, unknown>) : value])));
    return fill(state.Parameters);
  }

  test('fulfilment: the OrderPlaced event starts the workflow; each step gets the order from the event and its step name', async () => {
    const workflow = child<Workflow>(stack, 'Fulfilment');
    const route = child<EventHub>(stack, 'OrderHub').routes[0];
    const targets = resourceOf(template, route.rule).Properties.Targets;
    expect(targets.map((t: any) => t.Arn)).toContainEqual(stack.resolve(workflow.stateMachine.stateMachineArn));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fulfilment = require(path.join(HANDLERS, 'fulfilment', 'index.js'));
    const definition = fulfilmentDefinition();
    // A state machine target gets the event as the execution's input.
    let input: any = eventBridgeEvent('shop.orders', 'OrderPlaced', { orderId: 'o-9', sku: 'book', quantity: 1 });
    for (const name of ['Reserve', 'Ship']) {
      const state = definition.States[name];
      const result = await fulfilment.handler(payloadOf(state, input));
      input = { ...input, [state.ResultPath.slice(2)]: result };
    }
    expect(input.reserve).toEqual({ reservationId: 'r-o-9' });
    expect(input.ship).toEqual({ trackingId: 't-o-9' });
    expect(logged.map((line) => JSON.parse(line).message)).toEqual(['stock reserved', 'order shipped']);
    expect(JSON.parse(logged[1]).reservationId).toBe('r-o-9');
  });

  test('fulfilment: a step that fails goes to Release, with the error beside the input; an event without an order fails', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fulfilment = require(path.join(HANDLERS, 'fulfilment', 'index.js'));
    const definition = fulfilmentDefinition();
    expect(definition.States.Reserve.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Release' }]);
    expect(definition.States.Release.Next).toBe('FulfilmentFailed');
    const failedInput = { ...eventBridgeEvent('shop.orders', 'OrderPlaced', { orderId: 'o-10' }), error: { Error: 'Error', Cause: 'out of stock' } };
    await expect(fulfilment.handler(payloadOf(definition.States.Release, failedInput))).resolves.toEqual({ released: true });
    await expect(fulfilment.handler(payloadOf(definition.States.Reserve, eventBridgeEvent('shop.orders', 'OrderPlaced', {})))).rejects.toThrow('order without orderId');
  });

  test('cancellation: POST /orders/{orderId}/cancellation (IAM, a reason required) starts the Cancellation workflow, which releases the stock', async () => {
    const api = child<SecureApi>(stack, 'OrdersApi');
    const route = api.routes.find((r) => r.path === '/orders/{orderId}/cancellation')!;
    const method = resourceOf(template, route.apiMethod).Properties;
    expect(method.AuthorizationType).toBe('AWS_IAM');
    expect(template.toJSON().Resources[method.RequestModels.$default.Ref].Properties.Schema.required).toEqual(['reason']);
    const workflow = child<Workflow>(stack, 'Cancellation');
    expect(method.Integration.RequestTemplates['application/json']['Fn::Join'][1]).toContainEqual(stack.resolve(workflow.stateMachine.stateMachineArn));
    // The execution's input, as the route's mapping template makes it (rendered in test/consumers/java, WorkflowRouteTemplateTest).
    const input = {
      body: { reason: 'customer asked' },
      path: { orderId: 'o-11' },
      caller: 'arn:aws:sts::123456789012:assumed-role/BackOffice/jane',
      requestId: 'c0ffee00-1234-4abc-9def-000000000001',
    };
    const definition = definitionOf(workflow.stateMachine);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fulfilment = require(path.join(HANDLERS, 'fulfilment', 'index.js'));
    await expect(fulfilment.handler(payloadOf(definition.States.ReleaseStock, input))).resolves.toEqual({ released: true });
    expect(JSON.parse(logged[0])).toEqual({ message: 'stock released', orderId: 'o-11', reason: 'customer asked', requestedBy: input.caller });
  });

  test('invoices: an Object Created event of the Invoices bucket, as the ToImport route delivers it to the worker\'s queue, is read from S3', async () => {
    // S3 to EventBridge, the event's detail: https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
    const invoices = child<any>(stack, 'Invoices');
    const pattern = resourceOf(template, invoices.eventRoutes[0].rule).Properties.EventPattern;
    expect(pattern['detail-type']).toEqual(['Object Created']);
    expect(pattern.detail.object.key).toEqual([{ prefix: 'invoices/' }]);
    const event = eventBridgeEvent(pattern.source[0], pattern['detail-type'][0], {
      'version': '0',
      'bucket': { name: 'orderservice-invoices' },
      'object': { key: 'invoices/2026/12/inv-7.pdf', size: 2048, etag: 'd41d8cd98f00b204e9800998ecf8427e', sequencer: '00617F08299329D189' },
      'request-id': 'N4N7GDK58NMKJ12R',
      'requester': ACCOUNT,
      'reason': 'PutObject',
    });
    mockResults.s3 = { ContentLength: 2048 };
    // The worker books each invoice in the ledger through the Data API, with the ledger's ARNs and its grant.
    const ledger = child<ServerlessDatabase>(stack, 'Ledger');
    const importFunction = resourceOf(template, child<any>(stack, 'InvoiceImport').secureFunction.lambdaFunction).Properties;
    const env = importFunction.Environment.Variables;
    expect([env.LEDGER_CLUSTER_ARN, env.LEDGER_SECRET_ARN, env.LEDGER_DATABASE])
      .toEqual([stack.resolve(ledger.clusterArn), stack.resolve(ledger.secret.secretArn), 'ledger']);
    expect(resourceOf(template, ledger.cluster).Properties).toMatchObject({ DatabaseName: 'ledger', EnableHttpEndpoint: true });
    // A paused ledger takes about 15 seconds to resume: the worker's timeout leaves room for it.
    expect(importFunction.Timeout).toBeGreaterThanOrEqual(30);
    Object.assign(process.env, { LEDGER_CLUSTER_ARN: 'arn:aws:rds:eu-west-1:123456789012:cluster:ledger', LEDGER_SECRET_ARN: 'arn:secret', LEDGER_DATABASE: 'ledger' });
    // A fresh module, as in a new execution environment (the ledger's table is made once per environment).
    let invoiceImport: any;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      invoiceImport = require(path.join(HANDLERS, 'invoices', 'index.js'));
    });
    await expect(invoiceImport.handler({ Records: [sqsRecord(JSON.stringify(event), 'm-inv')] })).resolves.toEqual({ batchItemFailures: [] });
    expect(mockSent[0]).toEqual({ client: 's3', input: { Bucket: 'orderservice-invoices', Key: 'invoices/2026/12/inv-7.pdf' } });
    // The index line the Reporting table reads: its columns, under its prefix.
    const put = mockSent[1].input;
    expect([put.Bucket, put.Key]).toEqual(['orderservice-invoices', 'index/2026/12/inv-7.pdf.json']);
    const table = resourceOf(template, child<any>(stack, 'Reporting').node.findChild('Tables').node.findChild('Invoices')).Properties.TableInput;
    expect(table.StorageDescriptor.Location['Fn::Join'][1][2]).toBe('/index/');
    expect(Object.keys(JSON.parse(put.Body)).sort()).toEqual(table.StorageDescriptor.Columns.map((c: any) => c.Name).sort());
    // The ledger: its table once, then the invoice, idempotently (a redelivered message books nothing twice).
    const statements = mockSent.filter((m) => m.client === 'rds-data').map((m) => m.input);
    expect(statements.map((st) => [st.resourceArn, st.secretArn, st.database])).toEqual([
      ['arn:aws:rds:eu-west-1:123456789012:cluster:ledger', 'arn:secret', 'ledger'], ['arn:aws:rds:eu-west-1:123456789012:cluster:ledger', 'arn:secret', 'ledger'],
    ]);
    expect(statements[0].sql).toMatch(/^CREATE TABLE IF NOT EXISTS invoices \(invoice_key text PRIMARY KEY, bytes bigint NOT NULL, imported_at timestamptz NOT NULL\)$/);
    expect(statements[1].sql).toMatch(/^INSERT INTO invoices .* ON CONFLICT \(invoice_key\) DO NOTHING$/);
    expect(statements[1].parameters).toEqual([
      { name: 'key', value: { stringValue: 'invoices/2026/12/inv-7.pdf' } },
      { name: 'bytes', value: { longValue: 2048 } },
      { name: 'at', value: { stringValue: JSON.parse(put.Body).imported_at } },
    ]);
    expect(JSON.parse(logged[0])).toEqual({ message: 'invoice imported', key: 'invoices/2026/12/inv-7.pdf', bytes: 2048 });
    // The worker may read exactly what the route delivers.
    const grants = JSON.stringify(stack.resolve(template.toJSON().Resources));
    expect(grants).toContain('"/invoices/*"');
    // A failing read is reported, for SQS to retry that message only.
    mockResults.s3 = new Error('AccessDenied');
    await expect(invoiceImport.handler({ Records: [sqsRecord(JSON.stringify(event), 'm-inv-2')] }))
      .resolves.toEqual({ batchItemFailures: [{ itemIdentifier: 'm-inv-2' }] });
    // So is a ledger that is still resuming from a pause; the table is made once per environment.
    mockResults.s3 = { ContentLength: 2048 };
    mockResults.rdsData = Object.assign(new Error('Database is resuming'), { name: 'DatabaseResumingException' });
    mockSent.length = 0;
    await expect(invoiceImport.handler({ Records: [sqsRecord(JSON.stringify(event), 'm-inv-3')] }))
      .resolves.toEqual({ batchItemFailures: [{ itemIdentifier: 'm-inv-3' }] });
    expect(mockSent.filter((m) => m.client === 'rds-data').map((m) => m.input.sql)).toEqual([expect.stringMatching(/^INSERT INTO invoices/)]);
    delete mockResults.rdsData;
  });

  test('report: the nightly schedule runs the invoice query in the Reporting workgroup, waits for it and logs the answer; a failed query fails', async () => {
    const env = resourceOf(template, child<SecureFunction>(stack, 'InvoiceReport').lambdaFunction).Properties.Environment.Variables;
    const reporting = child<any>(stack, 'Reporting');
    expect(env.WORKGROUP).toBe(reporting.name);
    expect(env.TABLE).toBe(reporting.tableNames[0]);
    expect(env.DATABASE).toBe(reporting.databaseName);
    Object.assign(process.env, { WORKGROUP: env.WORKGROUP, DATABASE: env.DATABASE, TABLE: env.TABLE });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const report = require(path.join(HANDLERS, 'report', 'index.js'));
    mockResults.athena = [
      { QueryExecutionId: 'q-1' },
      { QueryExecution: { Status: { State: 'RUNNING' } } },
      { QueryExecution: { Status: { State: 'SUCCEEDED' } } },
      { ResultSet: { Rows: [{ Data: [{ VarCharValue: 'invoices' }, { VarCharValue: 'bytes' }] }, { Data: [{ VarCharValue: '3' }, { VarCharValue: '6144' }] }] } },
    ];
    const context = { awsRequestId: 'c0ffee00-1234-4abc-9def-000000000002' };
    await expect(report.handler({}, context, { pollMs: 0 })).resolves.toEqual({ message: 'invoice report', invoices: 3, bytes: 6144 });
    expect(mockSent[0].input.WorkGroup).toBe(env.WORKGROUP);
    expect(mockSent[0].input.QueryString).toContain(`FROM "${env.DATABASE}"."invoices"`);
    // A retry of the same invocation (the schedule's, or Lambda's) starts no second query: Athena takes the token once.
    expect(mockSent[0].input.ClientRequestToken).toBe(`invoice-report-${context.awsRequestId}`);
    mockSent.length = 0;
    mockResults.athena = [{ QueryExecutionId: 'q-2' }, { QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'Query exhausted resources' } } }];
    await expect(report.handler({}, context, { pollMs: 0 })).rejects.toThrow(/q-2 FAILED: Query exhausted resources/);
  });

  test('status: an order\'s new status reaches each open connection of its customer; gone connections are forgotten', async () => {
    // The notifier reads the OrderTable's stream and knows the API's connections table, its index and its @connections URL.
    const updates = child<SecureWebSocketApi>(stack, 'OrderUpdates');
    const notifier = child<SecureFunction>(stack, 'StatusNotifier');
    const env = resourceOf(template, notifier.lambdaFunction).Properties.Environment.Variables;
    expect(env).toEqual({
      CONNECTIONS_TABLE: stack.resolve(updates.connectionsTable.tableName),
      CONNECTIONS_INDEX: updates.connectionsIndexName,
      CALLBACK_URL: stack.resolve(updates.callbackUrl),
    });
    const orderTable = child<SecureTable>(stack, 'OrderTable');
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: stack.resolve(orderTable.table.tableStreamArn),
      FunctionName: stack.resolve(notifier.lambdaFunction.functionName),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    // Customers connect with the web shop's tokens: the authorizer's principal is their sub, the customerId the producer records.
    const authorizerEnv = resourceOf(template, updates.authorizerFunction!.lambdaFunction).Properties.Environment.Variables;
    expect(authorizerEnv.CLIENT_IDS).toEqual(stack.resolve(child<UserDirectory>(stack, 'Customers').clients[0].userPoolClientId));
    Object.assign(process.env, {
      CONNECTIONS_TABLE: 'Connections', CONNECTIONS_INDEX: env.CONNECTIONS_INDEX, CALLBACK_URL: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod',
    });
    let status: any;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      status = require(path.join(HANDLERS, 'status', 'index.js'));
    });
    // A DynamoDB stream record (NEW_AND_OLD_IMAGES), as Lambda's event source mapping delivers it:
    // https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
    const streamRecord = (sequence: string, before: string | undefined, after: string) => ({
      eventID: `e-${sequence}`,
      eventName: before ? 'MODIFY' : 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: REGION,
      dynamodb: {
        Keys: { orderId: { S: 'o-1' } },
        NewImage: { orderId: { S: 'o-1' }, customerId: { S: 'user-1' }, status: { S: after } },
        ...(before ? { OldImage: { orderId: { S: 'o-1' }, customerId: { S: 'user-1' }, status: { S: before } } } : {}),
        SequenceNumber: sequence,
        SizeBytes: 59,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/OrderTable/stream/2026-12-01T00:00:00.000`,
    });
    mockResults.dynamodbQuery = { Items: [{ connectionId: { S: 'c-1' } }, { connectionId: { S: 'c-2' } }] };
    mockResults.connections = { 'c-2': Object.assign(new Error('Gone'), { name: 'GoneException' }) };
    await expect(status.handler({ Records: [streamRecord('100', 'received', 'shipped'), streamRecord('101', 'shipped', 'shipped')] }))
      .resolves.toEqual({ batchItemFailures: [] });
    expect(mockSent).toEqual([
      {
        client: 'dynamodb',
        input: {
          TableName: 'Connections',
          IndexName: 'byPrincipal',
          KeyConditionExpression: 'principalId = :customer',
          ExpressionAttributeValues: { ':customer': { S: 'user-1' } },
        },
      },
      { client: 'connections', input: { ConnectionId: 'c-1', Data: JSON.stringify({ type: 'order-status', orderId: 'o-1', status: 'shipped' }) } },
      { client: 'connections', input: { ConnectionId: 'c-2', Data: JSON.stringify({ type: 'order-status', orderId: 'o-1', status: 'shipped' }) } },
      // Gone: the client left without $disconnect reaching the recorder.
      { client: 'dynamodb', input: { TableName: 'Connections', Key: { connectionId: { S: 'c-2' } } } },
    ]);
    // Any other failure reports the record, for the stream to retry it.
    mockSent.length = 0;
    mockResults.connections = { 'c-1': Object.assign(new Error('Throttled'), { name: 'LimitExceededException' }) };
    await expect(status.handler({ Records: [streamRecord('102', undefined, 'received')] }))
      .resolves.toEqual({ batchItemFailures: [{ itemIdentifier: '102' }] });
    delete mockResults.connections;
  });

  test('every handler folder the example deploys is tested here', () => {
    // CDK's provider of the custom resource that closes the admin service's VPC default security group is not the example's.
    const assets = Object.entries(template.findResources('AWS::Lambda::Function'))
      .filter(([id]) => !id.startsWith('CustomVpcRestrictDefaultSGCustomResourceProvider'));
    const handlers = assets.map(([, f]) => f.Properties.Handler);
    expect(new Set(handlers)).toEqual(new Set(['index.handler']));
    expect(logicalIdOf(child<SecureFunction>(stack, 'Producer').lambdaFunction)).toBeDefined();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(require('fs').readdirSync(HANDLERS).sort()).toEqual(['fulfilment', 'invoices', 'orders', 'producer', 'report', 'status']);
  });
});
