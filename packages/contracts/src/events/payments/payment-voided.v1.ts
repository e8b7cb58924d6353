import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { paymentMoneySchema, paymentRefSchema } from './payment-snapshots.ts';

/** `payments.payment.voided` v1: an authorization was cancelled before capture. */
export const paymentVoidedV1 = defineEvent({
  type: 'payments.payment.voided',
  version: 1,
  description:
    'An authorization (or a payment still awaiting authentication) was cancelled before capture: nothing was taken and the reserved amount is released.',
  schema: paymentRefSchema.extend({
    /** The amount released. */
    amount: paymentMoneySchema,
    /** Why, as the caller said: `out_of_stock`, `order_cancelled`… */
    reason: z.string().nullable(),
    voidedAt: z.iso.datetime(),
  }),
});
