import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { catalogActorSchema, stockLevelSnapshotSchema } from './catalog-snapshots.ts';

/** Why stock on hand was adjusted by hand. */
export const adjustmentReasonSchema = z.enum([
  'received',
  'returned',
  'damaged',
  'lost',
  'count',
  'correction',
]);
/** A reason for adjusting stock on hand. */
export type AdjustmentReason = z.infer<typeof adjustmentReasonSchema>;

/** `catalog.stock.adjusted` v1: stock on hand of one product at one location was adjusted. */
export const stockAdjustedV1 = defineEvent({
  type: 'catalog.stock.adjusted',
  version: 1,
  description:
    'Stock on hand of a product at a location was adjusted (goods received, damaged, counted…); carries the level after it.',
  schema: z.object({
    movementId: z.string(),
    reason: adjustmentReasonSchema,
    /** Change of the quantity on hand; 0 only for a count that found what was expected. */
    delta: z.number().int(),
    note: z.string().nullable(),
    actor: catalogActorSchema,
    level: stockLevelSnapshotSchema,
    adjustedAt: z.iso.datetime(),
  }),
});
