import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { stockLevelSnapshotSchema } from './catalog-snapshots.ts';

/** `catalog.stock.low` v1: available stock fell to or below its reorder point. */
export const stockLowV1 = defineEvent({
  type: 'catalog.stock.low',
  version: 1,
  description:
    'Available stock of a product at a location fell to or below its reorder point; emitted once per crossing (again only after it rose above it).',
  schema: z.object({
    name: z.string(),
    level: stockLevelSnapshotSchema.extend({ reorderPoint: z.number().int().nonnegative() }),
    detectedAt: z.iso.datetime(),
  }),
});
