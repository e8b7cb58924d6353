import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { paymentMoneySchema, paymentRefSchema } from './payment-snapshots.ts';

/** `payments.payment.captured` v1: the money was taken; the order is paid. */
export const paymentCapturedV1 = defineEvent({
  type: 'payments.payment.captured',
  version: 1,
  description:
    'All or part of an authorized amount was captured (taken); a payment is captured once, and the authorized amount not captured is released.',
  schema: paymentRefSchema.extend({
    /** What was taken. */
    amount: paymentMoneySchema,
    /** What had been authorized. */
    authorized: paymentMoneySchema,
    /** Authorized but not captured: handed back to the customer. */
    released: paymentMoneySchema,
    capturedAt: z.iso.datetime(),
  }),
});
