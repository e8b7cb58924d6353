import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { failedOrderStatusSchema, orderFailureSchema, orderTotalsSchema } from './order-snapshot.ts';

/**
 * `orders.order.failed` v1: an order's placement failed (out of stock, payment refused, a
 * dependency unavailable, interrupted); the order stays visible in its failed status and
 * whatever was reserved or authorized for it is given back. No `orders.order.placed` precedes it.
 */
export const orderFailedV1 = defineEvent({
  type: 'orders.order.failed',
  version: 1,
  description:
    'An order could not be placed; it is out_of_stock, payment_failed or failed, with the reason. Its stock and payment are given back.',
  schema: z.object({
    orderId: z.string(),
    number: z.string(),
    customerId: z.string(),
    status: failedOrderStatusSchema,
    failure: orderFailureSchema,
    currency: z.string().length(3),
    totals: orderTotalsSchema,
    failedAt: z.iso.datetime(),
  }),
});
