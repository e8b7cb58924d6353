import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { paymentMoneySchema, paymentRefSchema } from './payment-snapshots.ts';

/** `payments.payment.refunded` v1: part or all of a captured amount was given back. */
export const paymentRefundedV1 = defineEvent({
  type: 'payments.payment.refunded',
  version: 1,
  description:
    'A refund of a captured payment succeeded; refunds may repeat until everything captured is refunded (`fullyRefunded`).',
  schema: paymentRefSchema.extend({
    /** The refund operation (`pop_…`). */
    refundId: z.string(),
    /** This refund. */
    amount: paymentMoneySchema,
    /** Every refund of the payment so far, this one included. */
    totalRefunded: paymentMoneySchema,
    captured: paymentMoneySchema,
    fullyRefunded: z.boolean(),
    reason: z.string().nullable(),
    refundedAt: z.iso.datetime(),
  }),
});
