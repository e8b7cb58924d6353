import { documentTotalsSchema } from '@only/contracts/invoices';
import { pageQuerySchema, pageSchema } from '@only/platform/http';
import { idSchema } from '@only/platform/ids';
import { MAX_AMOUNT } from '@only/platform/money';
import { z } from 'zod';
import type { CreditNoteLineRow, CreditNoteRow } from './credit-notes.table.ts';

export const creditNoteIdParams = z.object({ id: idSchema('crn') });

export const listCreditNotesQuery = pageQuerySchema.extend({
  invoiceId: idSchema('inv').optional(),
  orderId: idSchema('ord').optional(),
  customerId: idSchema('cus').optional(),
});
export type ListCreditNotesQuery = z.output<typeof listCreditNotesQuery>;

export const createCreditNoteBody = z
  .object({
    amount: z
      .number()
      .int()
      .min(1)
      .max(MAX_AMOUNT)
      .optional()
      .describe('Gross amount to credit in minor units; everything left to credit when absent.'),
    reason: z.string().trim().min(1, 'Say why the invoice is credited').max(500),
  })
  .strict()
  .meta({ id: 'CreateCreditNote' });
export type CreateCreditNoteInput = z.output<typeof createCreditNoteBody>;

export const creditNoteSchema = z
  .object({
    id: z.string(),
    number: z.string().describe('Gap-free per tenant, in its own series.'),
    invoiceId: z.string(),
    invoiceNumber: z.string(),
    orderId: z.string(),
    customerId: z.string(),
    currency: z.string(),
    reason: z.string(),
    refundId: z.string().nullable().describe('The payment refund it documents; null when issued by hand.'),
    lines: z
      .array(
        z.object({
          rateBps: z.number().int(),
          subtotal: z.number().int(),
          tax: z.number().int(),
          total: z.number().int(),
        }),
      )
      .describe('What is credited at each tax rate of the invoice.'),
    totals: documentTotalsSchema,
    issueDate: z.iso.date(),
    issuedAt: z.iso.datetime(),
  })
  .meta({ id: 'CreditNote' });
export type CreditNote = z.output<typeof creditNoteSchema>;

export const creditNotePageSchema = pageSchema(creditNoteSchema).meta({ id: 'CreditNotePage' });

export function toCreditNote(row: CreditNoteRow, lines: readonly CreditNoteLineRow[]): CreditNote {
  return {
    id: row.id,
    number: row.number,
    invoiceId: row.invoiceId,
    invoiceNumber: row.invoiceNumber,
    orderId: row.orderId,
    customerId: row.customerId,
    currency: row.currency,
    reason: row.reason,
    refundId: row.refundId,
    lines: [...lines]
      .sort((a, b) => a.rateBps - b.rateBps)
      .map((line) => ({
        rateBps: line.rateBps,
        subtotal: line.subtotal,
        tax: line.tax,
        total: line.subtotal + line.tax,
      })),
    totals: { subtotal: row.subtotal, tax: row.taxTotal, total: row.total },
    issueDate: row.issueDate,
    issuedAt: row.issuedAt.toISOString(),
  };
}
