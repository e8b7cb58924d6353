import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { cardSummarySchema, paymentMoneySchema, paymentRefSchema } from './payment-snapshots.ts';

/** `payments.payment.authorized` v1: the amount is reserved on the customer's payment method. */
export const paymentAuthorizedV1 = defineEvent({
  type: 'payments.payment.authorized',
  version: 1,
  description:
    'An amount was authorized (reserved) on the payment method of an order, possibly after the customer authenticated it; it can now be captured or voided.',
  schema: paymentRefSchema.extend({
    amount: paymentMoneySchema,
    card: cardSummarySchema.nullable(),
    authorizedAt: z.iso.datetime(),
  }),
});
