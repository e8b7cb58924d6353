import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';

/** `invoices.invoice.paid` v1: the payments captured for the order cover the invoice. */
export const invoicePaidV1 = defineEvent({
  type: 'invoices.invoice.paid',
  version: 1,
  description: 'An invoice was paid: the payments captured for its order cover its total.',
  schema: z.object({
    invoiceId: z.string(),
    number: z.string(),
    orderId: z.string(),
    /** The payment whose capture completed it (`pay_…`). */
    paymentId: z.string(),
    currency: z.string().length(3),
    amountPaid: z.number().int().nonnegative(),
    paidAt: z.iso.datetime(),
  }),
});
