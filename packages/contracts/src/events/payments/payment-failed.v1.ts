import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { failureCodeSchema, paymentMoneySchema, paymentRefSchema } from './payment-snapshots.ts';

/** `payments.payment.failed` v1: the payment could not be authorized; it is final. */
export const paymentFailedV1 = defineEvent({
  type: 'payments.payment.failed',
  version: 1,
  description:
    'The provider declined the authorization, or the customer failed to authenticate it; the payment is final and nothing is reserved. Paying again takes a new payment.',
  schema: paymentRefSchema.extend({
    amount: paymentMoneySchema,
    failureCode: failureCodeSchema,
    /** A message fit to show to the customer. */
    failureMessage: z.string(),
    /** Where it failed: at authorization, or at the customer's authentication. */
    stage: z.enum(['authorization', 'authentication']),
    failedAt: z.iso.datetime(),
  }),
});
