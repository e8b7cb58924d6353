import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { catalogActorSchema, stockLevelSnapshotSchema } from './catalog-snapshots.ts';

/** `catalog.stock.transferred` v1: stock moved from one location to another. */
export const stockTransferredV1 = defineEvent({
  type: 'catalog.stock.transferred',
  version: 1,
  description: 'Stock of a product moved between two locations; carries both levels after the move.',
  schema: z.object({
    transferId: z.string(),
    quantity: z.number().int().positive(),
    note: z.string().nullable(),
    actor: catalogActorSchema,
    from: stockLevelSnapshotSchema,
    to: stockLevelSnapshotSchema,
    transferredAt: z.iso.datetime(),
  }),
});
