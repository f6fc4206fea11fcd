/** The schema most tests use: orders with a query, mutations, a page type and a subscription. */
export const ORDERS_SCHEMA = `
type Order {
  orderId: ID!
  customerId: String!
  status: String
}
type OrderPage { items: [Order!]! nextToken: String }
input NewOrder { customerId: String! status: String }
input OrderUpdate { orderId: ID! status: String }
type Query {
  order(orderId: ID!): Order
  ordersOfCustomer(customerId: String!, limit: Int, nextToken: String): OrderPage
  myOrders(limit: Int, nextToken: String): OrderPage
  recentOrders: OrderPage
  search(text: String): [Order]
}
type Mutation {
  createOrder(input: NewOrder!): Order
  updateOrder(input: OrderUpdate!): Order
  deleteOrder(orderId: ID!): Order
}
type Subscription {
  onCreateOrder: Order @aws_subscribe(mutations: ["createOrder"])
}
`;
