/**
 * Events emitted by the payments service.
 * @module
 */
export * from './payment-snapshots.ts';
export { paymentAuthorizedV1 } from './payment-authorized.v1.ts';
export { paymentCapturedV1 } from './payment-captured.v1.ts';
export { paymentVoidedV1 } from './payment-voided.v1.ts';
export { paymentRefundedV1 } from './payment-refunded.v1.ts';
export { paymentFailedV1 } from './payment-failed.v1.ts';
