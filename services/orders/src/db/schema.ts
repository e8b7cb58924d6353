// Every table of the orders schema, for drizzle-kit and for the service's wiring.
import { platformTables } from '@only/platform/db';
import { ordersSchema } from './orders-schema.ts';

export { ordersSchema } from './orders-schema.ts';
export { customers } from '../modules/customers/customers.table.ts';
export { orders, orderLines, orderStatusHistory, orderNumbers } from '../modules/orders/orders.table.ts';
export { orderSagas } from '../modules/saga/order-saga.table.ts';

const platform = platformTables(ordersSchema);
export const outbox = platform.outbox;
export const processedMessages = platform.processedMessages;
export const idempotencyKeys = platform.idempotencyKeys;
export const ordersPlatformTables = platform;
