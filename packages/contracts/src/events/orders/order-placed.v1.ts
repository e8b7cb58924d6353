import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { orderSnapshotSchema } from './order-snapshot.ts';

/** `orders.order.placed` v1: a new order exists, in status `pending`. */
export const orderPlacedV1 = defineEvent({
  type: 'orders.order.placed',
  version: 1,
  description: 'A new order was placed; it is pending. Carries the whole order.',
  schema: z.object({ order: orderSnapshotSchema }),
});
