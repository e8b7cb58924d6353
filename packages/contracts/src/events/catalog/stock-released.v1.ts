import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { reservationSnapshotSchema } from './catalog-snapshots.ts';

/** `catalog.stock.released` v1: reserved stock is available again. */
export const stockReleasedV1 = defineEvent({
  type: 'catalog.stock.released',
  version: 1,
  description:
    'A reservation was released: by its holder (`released`) or because it expired before it was committed (`expired`).',
  schema: reservationSnapshotSchema.extend({
    reason: z.enum(['released', 'expired']),
    /** The holder's own reason for releasing (`payment_failed`…), when given. */
    note: z.string().nullable(),
    releasedAt: z.iso.datetime(),
  }),
});
