/**
 * The orders service: customers, orders and their lifecycle.
 * @module
 */
export {
  createOrdersModule,
  type OrdersDependencies,
  type OrdersModule,
  type OrdersSettings,
} from './orders-module.ts';
export { buildApp } from './app.ts';
export { ordersConfigSchema, ordersSettingsFrom, type OrdersConfig } from './config.ts';
export { ordersMigrations } from './migrations.ts';
// The create contracts and the totals rule, for bulk loaders that validate like the API does.
export { createCustomerBody } from './modules/customers/customers.dto.ts';
export { createOrderBody } from './modules/orders/orders.dto.ts';
export { computeTotals } from './modules/orders/order-totals.ts';
