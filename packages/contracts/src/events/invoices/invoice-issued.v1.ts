import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { invoiceSnapshotSchema } from './invoice-snapshots.ts';

/** `invoices.invoice.issued` v1: an order was confirmed and its invoice got its number. */
export const invoiceIssuedV1 = defineEvent({
  type: 'invoices.invoice.issued',
  version: 1,
  description:
    'An invoice was issued for a confirmed order, with its gap-free number, lines, taxes, totals and due date.',
  schema: z.object({ invoice: invoiceSnapshotSchema }),
});
