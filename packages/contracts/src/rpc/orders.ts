/**
 * The orders service's internal RPC contract (`only/orders/v1/orders.proto`): `OrdersService`
 * with GetOrder, and the order as other services (invoices) need it.
 * @module
 */
export * from '../gen/only/orders/v1/orders_pb.ts';

/** Problem codes `OrdersService` answers with (see the proto). */
export const ORDERS_PROBLEMS = {
  orderNotFound: 'orders.order_not_found',
} as const;
