/**
 * The orders service: customers, orders and their lifecycle.
 * @module
 */
export { createOrdersModule, type OrdersDependencies, type OrdersModule } from './orders-module.ts';
export { buildApp } from './app.ts';
export { ordersConfigSchema, type OrdersConfig } from './config.ts';
export { ordersMigrations } from './migrations.ts';
