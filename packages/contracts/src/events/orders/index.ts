/**
 * Events emitted by the orders service.
 * @module
 */
export * from './order-snapshot.ts';
export { orderPlacedV1 } from './order-placed.v1.ts';
export { orderStatusChangedV1 } from './order-status-changed.v1.ts';
export { orderCancelledV1 } from './order-cancelled.v1.ts';
export { orderFailedV1 } from './order-failed.v1.ts';
export { customerCreatedV1, customerUpdatedV1, customerDeletedV1 } from './customer-events.v1.ts';
