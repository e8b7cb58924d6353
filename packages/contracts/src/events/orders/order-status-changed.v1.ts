import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { actorSchema, orderStatusSchema } from './order-snapshot.ts';

/** `orders.order.status_changed` v1: an order moved forward in its lifecycle (not cancellation). */
export const orderStatusChangedV1 = defineEvent({
  type: 'orders.order.status_changed',
  version: 1,
  description: 'An order moved to confirmed, fulfilled or completed.',
  schema: z.object({
    orderId: z.string(),
    from: orderStatusSchema,
    to: orderStatusSchema,
    reason: z.string().nullable(),
    actor: actorSchema,
    changedAt: z.iso.datetime(),
  }),
});
