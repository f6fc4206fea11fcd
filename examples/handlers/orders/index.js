'use strict';
// The order worker (QueueWorker 'Orders', and the FIFO QueueWorker 'Refunds'). Orders reach its queue
// three ways, and each record's body is one of:
//   - an order as sent to the queue: { "orderId": ..., ... }
//   - an SNS notification (the OrderEvents subscription, without raw delivery): { "Type": "Notification",
//     "TopicArn": ..., "Message": "<the order, as JSON text>", ... }
//   - an EventBridge event (the OrderHub route): { "version": "0", "detail-type": "OrderPlaced",
//     "source": "shop.orders", "detail": { <the order> }, ... }
// The handler unwraps the last two, records each order in the order table (ORDER_TABLE_NAME; the
// Refunds worker has none and only logs) and returns the ids of the records that failed, so SQS
// retries only those (the worker turns on reportBatchItemFailures). Recording is idempotent: a
// redelivered order finds its item and leaves it as it is.
const { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');

const dynamodb = new DynamoDBClient({});

/** Records a new order (status 'received'); an order recorded before keeps its item, status included. */
async function recordOrder(tableName, order) {
  const item = { orderId: { S: order.orderId }, status: { S: 'received' } };
  if (typeof order.customerId === 'string' && order.customerId !== '') {
    item.customerId = { S: order.customerId };
  }
  if (typeof order.sku === 'string') {
    item.sku = { S: order.sku };
  }
  if (Number.isInteger(order.quantity)) {
    item.quantity = { N: String(order.quantity) };
  }
  try {
    await dynamodb.send(new PutItemCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(orderId)' }));
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) {
      throw error;
    }
  }
}

exports.recordOrder = recordOrder;

/** The order a record's body carries, whichever way it came. Throws on a body that carries none. */
function orderOf(body) {
  const message = JSON.parse(body);
  if (message && message.Type === 'Notification' && typeof message.Message === 'string' && typeof message.TopicArn === 'string') {
    return JSON.parse(message.Message);
  }
  if (message && typeof message['detail-type'] === 'string' && typeof message.source === 'string' && message.detail !== undefined) {
    return message.detail;
  }
  return message;
}

exports.orderOf = orderOf;

exports.handler = async (event) => {
  const batchItemFailures = [];
  for (const record of event.Records) {
    try {
      const order = orderOf(record.body);
      if (!order || typeof order.orderId !== 'string' || order.orderId === '') {
        throw new Error('order without orderId');
      }
      if (process.env.ORDER_TABLE_NAME) {
        await recordOrder(process.env.ORDER_TABLE_NAME, order);
      }
      console.log(JSON.stringify({ message: 'order processed', orderId: order.orderId, messageId: record.messageId }));
    } catch (error) {
      console.error(JSON.stringify({ message: 'order failed', messageId: record.messageId, error: String(error) }));
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
