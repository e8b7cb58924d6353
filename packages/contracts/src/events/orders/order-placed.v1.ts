import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { orderSnapshotSchema } from './order-snapshot.ts';

/**
 * `orders.order.placed` v1: a new order exists — `pending` when taken without payment (back
 * office), `confirmed` when its stock is reserved and its payment authorized (the order saga).
 */
export const orderPlacedV1 = defineEvent({
  type: 'orders.order.placed',
  version: 1,
  description:
    'A new order was placed: pending, or confirmed when its stock is reserved and its payment authorized. Carries the whole order.',
  schema: z.object({ order: orderSnapshotSchema }),
});
