'use strict';
// The fulfilment steps (Workflow 'Fulfilment'). The workflow starts with the OrderPlaced event the
// OrderHub route delivers, and each of its tasks invokes this function with
//   { "step": "reserve" | "ship" | "release", "order": <the event's detail>, ... }
// The Cancellation workflow, started by POST /orders/{orderId}/cancellation, invokes it with
//   { "step": "release", "order": { "orderId": <from the path> }, "reason": <from the body>, "requestedBy": <the caller's ARN> }
// and takes what it returns as the task's result (payloadResponseOnly). A step that throws is retried
// by the workflow (Lambda's service errors and throttling); what still fails goes to 'release', which
// gives back the reserved stock, and the execution fails (and its alarm fires).

exports.handler = async (event) => {
  const order = event && event.order;
  if (!order || typeof order.orderId !== 'string' || order.orderId === '') {
    throw new Error('order without orderId');
  }
  switch (event.step) {
    case 'reserve':
      console.log(JSON.stringify({ message: 'stock reserved', orderId: order.orderId }));
      return { reservationId: `r-${order.orderId}` };
    case 'ship':
      console.log(JSON.stringify({ message: 'order shipped', orderId: order.orderId, reservationId: event.reservationId }));
      return { trackingId: `t-${order.orderId}` };
    case 'release':
      console.log(JSON.stringify({ message: 'stock released', orderId: order.orderId, reason: event.reason, requestedBy: event.requestedBy }));
      return { released: true };
    default:
      throw new Error(`unknown step ${JSON.stringify(event.step)}`);
  }
};
