import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { reservationSnapshotSchema } from './catalog-snapshots.ts';

/** `catalog.stock.committed` v1: reserved stock was sold and left the stock on hand. */
export const stockCommittedV1 = defineEvent({
  type: 'catalog.stock.committed',
  version: 1,
  description:
    'A reservation was committed: its quantities are sold, leaving both the reserved and the on-hand stock.',
  schema: reservationSnapshotSchema.extend({ committedAt: z.iso.datetime() }),
});
