import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { actorSchema, orderStatusSchema, orderTotalsSchema } from './order-snapshot.ts';

/** `orders.order.cancelled` v1: an order was cancelled from pending or confirmed. */
export const orderCancelledV1 = defineEvent({
  type: 'orders.order.cancelled',
  version: 1,
  description: 'An order was cancelled; consumers release stock and refund or void payment.',
  schema: z.object({
    orderId: z.string(),
    customerId: z.string(),
    from: orderStatusSchema,
    reason: z.string(),
    actor: actorSchema,
    currency: z.string().length(3),
    totals: orderTotalsSchema,
    cancelledAt: z.iso.datetime(),
  }),
});
