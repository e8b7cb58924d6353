import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { reservationSnapshotSchema } from './catalog-snapshots.ts';

/** `catalog.stock.reserved` v1: stock was set aside for a reservation key (an order). */
export const stockReservedV1 = defineEvent({
  type: 'catalog.stock.reserved',
  version: 1,
  description:
    'Stock was reserved for a key (normally an order id), all lines or none; it is released automatically at `expiresAt` unless committed first.',
  schema: reservationSnapshotSchema.extend({ expiresAt: z.iso.datetime() }),
});
