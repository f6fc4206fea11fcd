// Processes a batch of order messages. Returns the ids of the messages that failed, so SQS
// retries only those (the worker turns on reportBatchItemFailures).
export const handler = async (event) => {
  const batchItemFailures = [];
  for (const record of event.Records) {
    try {
      const order = JSON.parse(record.body);
      if (!order.orderId) {
        throw new Error('order without orderId');
      }
      console.log(JSON.stringify({ message: 'order processed', orderId: order.orderId }));
    } catch (error) {
      console.error(JSON.stringify({ message: 'order failed', messageId: record.messageId, error: String(error) }));
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
