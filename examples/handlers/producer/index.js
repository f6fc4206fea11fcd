'use strict';
// The producer: the web shop's API (SecureApi 'OrdersApi', a REST API), order tracking (SecureHttpApi
// 'TrackingApi', an HTTP API) and the nightly schedule (EventHub 'OrderHub'). It tells them apart by
// the shape of the event each one sends:
//   - REST API (Lambda proxy integration, payload 1.0): httpMethod, resource, pathParameters, body
//   - HTTP API (payload 2.0): version '2.0', routeKey, pathParameters
//   - the schedule: the input the schedule was given, { job: 'nightly-report' }
// A placed order becomes an OrderPlaced event on the order bus, whose route delivers it to the order
// worker's queue; the nightly report is published to the OrderEvents topic.
const { EventBridgeClient, PutEventsCommand } = require('@aws-sdk/client-eventbridge');
const { PublishCommand, SNSClient } = require('@aws-sdk/client-sns');

const events = new EventBridgeClient({});
const sns = new SNSClient({});

/** A JSON response in the shape both API Gateway integrations take. */
function respond(statusCode, body) {
  return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

/** A request header, whatever its case (REST APIs keep the case the client sent). */
function header(event, name) {
  const entry = Object.entries(event.headers || {}).find(([key]) => key.toLowerCase() === name.toLowerCase());
  return entry ? entry[1] : undefined;
}

async function placeOrder(event) {
  let order;
  try {
    order = JSON.parse(event.body || '');
  } catch {
    return respond(400, { message: 'the body is not JSON' });
  }
  // The API validates the body and requires the header; the key makes a retried request the same order.
  const orderId = header(event, 'Idempotency-Key');
  // The customer is the caller the user pool authorizer verified: their orders are theirs to list (OrdersGraph myOrders).
  const claims = (event.requestContext && event.requestContext.authorizer && event.requestContext.authorizer.claims) || {};
  const placed = { orderId, customerId: claims.sub, sku: order.sku, quantity: order.quantity };
  const result = await events.send(new PutEventsCommand({
    Entries: [{ EventBusName: process.env.ORDER_BUS_NAME, Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify(placed) }],
  }));
  if (result.FailedEntryCount) {
    console.error(JSON.stringify({ message: 'order not placed', orderId, entries: result.Entries }));
    return respond(503, { message: 'the order could not be placed; retry with the same Idempotency-Key' });
  }
  return respond(202, placed);
}

async function nightlyReport() {
  const date = new Date().toISOString().slice(0, 10);
  const result = await sns.send(new PublishCommand({
    TopicArn: process.env.ORDER_EVENTS_TOPIC_ARN,
    Message: JSON.stringify({ report: 'nightly', date }),
    MessageAttributes: { type: { DataType: 'String', StringValue: 'nightly-report' } },
  }));
  return { published: result.MessageId };
}

exports.handler = async (event) => {
  if (event && event.version === '2.0' && event.routeKey === 'GET /tracking/{orderId}') {
    return respond(200, { orderId: event.pathParameters.orderId, status: 'in transit' });
  }
  if (event && typeof event.httpMethod === 'string') {
    if (event.httpMethod === 'POST' && event.resource === '/orders') {
      return placeOrder(event);
    }
    if (event.httpMethod === 'GET' && event.resource === '/orders/{orderId}') {
      return respond(200, { orderId: event.pathParameters.orderId, status: 'received' });
    }
    return respond(404, { message: `no route for ${event.httpMethod} ${event.resource}` });
  }
  if (event && event.job === 'nightly-report') {
    return nightlyReport();
  }
  // An event of no known source fails: the asynchronous retries and the dead-letter queue keep it.
  throw new Error(`unknown event: ${JSON.stringify(event).slice(0, 200)}`);
};
