'use strict';
// Live order-status updates. The OrderTable's stream delivers every change to an order; when an
// order is new or its status changed, this function sends { type: 'order-status', orderId, status }
// to each open WebSocket connection of the order's customer (SecureWebSocketApi 'OrderUpdates').
// The API's connection recorder keeps one item per connection, with the customer's Cognito `sub` as
// its principalId and an index by principal (CONNECTIONS_TABLE, CONNECTIONS_INDEX); CALLBACK_URL is
// the stage's @connections endpoint. A connection that is gone (the client left without API Gateway
// calling $disconnect) is deleted; any other failure reports the record, and the stream retries it:
// connections already told get the update again, which is harmless for a status (the last one wins).
const { DeleteItemCommand, DynamoDBClient, QueryCommand } = require('@aws-sdk/client-dynamodb');
const { ApiGatewayManagementApiClient, PostToConnectionCommand } = require('@aws-sdk/client-apigatewaymanagementapi');

const dynamodb = new DynamoDBClient({});
const connections = new ApiGatewayManagementApiClient({ endpoint: process.env.CALLBACK_URL });

/** The update a stream record carries, or undefined when there is nothing to tell the customer. */
function updateOf(record) {
  const change = record.dynamodb || {};
  const order = change.NewImage;
  if (!order || !order.customerId || !order.status) {
    return undefined;
  }
  const before = change.OldImage;
  if (before && before.status && before.status.S === order.status.S) {
    return undefined;
  }
  return { customerId: order.customerId.S, message: { type: 'order-status', orderId: order.orderId.S, status: order.status.S } };
}

exports.updateOf = updateOf;

async function tell(customerId, message) {
  const tableName = process.env.CONNECTIONS_TABLE;
  const { Items = [] } = await dynamodb.send(new QueryCommand({
    TableName: tableName,
    IndexName: process.env.CONNECTIONS_INDEX,
    KeyConditionExpression: 'principalId = :customer',
    ExpressionAttributeValues: { ':customer': { S: customerId } },
  }));
  for (const item of Items) {
    const connectionId = item.connectionId.S;
    try {
      await connections.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: JSON.stringify(message) }));
    } catch (error) {
      if (error.name !== 'GoneException') {
        throw error;
      }
      await dynamodb.send(new DeleteItemCommand({ TableName: tableName, Key: { connectionId: { S: connectionId } } }));
    }
  }
  return Items.length;
}

exports.handler = async (event) => {
  const batchItemFailures = [];
  for (const record of event.Records) {
    try {
      const update = updateOf(record);
      if (update) {
        const sent = await tell(update.customerId, update.message);
        console.log(JSON.stringify({ message: 'order status sent', orderId: update.message.orderId, connections: sent }));
      }
    } catch (error) {
      console.error(JSON.stringify({ message: 'order status not sent', eventID: record.eventID, error: String(error) }));
      batchItemFailures.push({ itemIdentifier: record.dynamodb.SequenceNumber });
    }
  }
  return { batchItemFailures };
};
