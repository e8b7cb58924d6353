/**
 * Contracts shared between Only services: the event envelope and every event schema.
 * A service never imports another service; this package is what they share.
 * @module
 */
export * from './envelope.ts';
export * as ordersEvents from './events/orders/index.ts';
export * as identityEvents from './events/identity/index.ts';
export * as catalogEvents from './events/catalog/index.ts';
export * as paymentsEvents from './events/payments/index.ts';
export * as invoicesEvents from './events/invoices/index.ts';
export * as migrationEvents from './events/migration/index.ts';
export { eventCatalogue } from './catalogue.ts';
