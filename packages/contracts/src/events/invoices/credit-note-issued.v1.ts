import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';
import { creditNoteSnapshotSchema, invoiceStatusSchema } from './invoice-snapshots.ts';

/** `invoices.credit_note.issued` v1: part or all of an invoice was credited (a refund, or by hand). */
export const creditNoteIssuedV1 = defineEvent({
  type: 'invoices.credit_note.issued',
  version: 1,
  description:
    'A credit note was issued against an invoice, for a refund or by hand; `invoice` tells what is left to credit and its status (credited once nothing is).',
  schema: z.object({
    creditNote: creditNoteSnapshotSchema,
    invoice: z.object({
      id: z.string(),
      status: invoiceStatusSchema,
      amountCredited: z.number().int().nonnegative(),
    }),
  }),
});
