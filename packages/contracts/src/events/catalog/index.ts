/**
 * Events emitted by the catalog service.
 * @module
 */
export * from './catalog-snapshots.ts';
export { productCreatedV1 } from './product-created.v1.ts';
export { productUpdatedV1 } from './product-updated.v1.ts';
export { stockAdjustedV1, adjustmentReasonSchema, type AdjustmentReason } from './stock-adjusted.v1.ts';
export { stockTransferredV1 } from './stock-transferred.v1.ts';
export { stockReservedV1 } from './stock-reserved.v1.ts';
export { stockReleasedV1 } from './stock-released.v1.ts';
export { stockCommittedV1 } from './stock-committed.v1.ts';
export { stockLowV1 } from './stock-low.v1.ts';
