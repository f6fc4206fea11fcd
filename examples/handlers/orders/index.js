'use strict';
// The order worker (QueueWorker 'Orders', and the FIFO QueueWorker 'Refunds'). Orders reach its queue
// three ways, and each record's body is one of:
//   - an order as sent to the queue: { "orderId": ..., ... }
//   - an SNS notification (the OrderEvents subscription, without raw delivery): { "Type": "Notification",
//     "TopicArn": ..., "Message": "<the order, as JSON text>", ... }
//   - an EventBridge event (the OrderHub route): { "version": "0", "detail-type": "OrderPlaced",
//     "source": "shop.orders", "detail": { <the order> }, ... }
// The handler unwraps the last two, processes each order and returns the ids of the records that
// failed, so SQS retries only those (the worker turns on reportBatchItemFailures).

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
      console.log(JSON.stringify({ message: 'order processed', orderId: order.orderId, messageId: record.messageId }));
    } catch (error) {
      console.error(JSON.stringify({ message: 'order failed', messageId: record.messageId, error: String(error) }));
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
