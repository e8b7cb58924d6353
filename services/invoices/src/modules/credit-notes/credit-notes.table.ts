import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  foreignKey,
  index,
  integer,
  primaryKey,
  text,
  unique,
} from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { invoicesSchema } from '../../db/invoices-schema.ts';
import { invoices } from '../invoices/invoices.table.ts';

const money = (name: string) => bigint(name, { mode: 'number' });

/** Credit notes: part or all of an invoice credited, for a refund or by hand. Immutable. */
export const creditNotes = invoicesSchema.table(
  'credit_notes',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    number: text('number').notNull(),
    invoiceId: text('invoice_id').notNull(),
    invoiceNumber: text('invoice_number').notNull(),
    orderId: text('order_id').notNull(),
    customerId: text('customer_id').notNull(),
    currency: text('currency').notNull(),
    subtotal: money('subtotal').notNull(),
    taxTotal: money('tax_total').notNull(),
    total: money('total').notNull(),
    reason: text('reason').notNull(),
    /** The refund it documents; null when issued by hand. */
    refundId: text('refund_id'),
    issueDate: date('issue_date', { mode: 'string' }).notNull(),
    issuedAt: timestamptz('issued_at').notNull(),
  },
  (t) => [
    unique('credit_notes_tenant_id_id_key').on(t.tenantId, t.id),
    unique('credit_notes_tenant_number_key').on(t.tenantId, t.number),
    // A refund is credited once.
    unique('credit_notes_tenant_refund_key').on(t.tenantId, t.refundId),
    foreignKey({
      name: 'credit_notes_invoice_fk',
      columns: [t.tenantId, t.invoiceId],
      foreignColumns: [invoices.tenantId, invoices.id],
    }),
    check('credit_notes_totals_check', sql`${t.total} = ${t.subtotal} + ${t.taxTotal} and ${t.total} > 0`),
    index('credit_notes_tenant_invoice_idx').on(t.tenantId, t.invoiceId),
    index('credit_notes_tenant_customer_idx').on(t.tenantId, t.customerId, t.id.desc()),
  ],
);

/** What a credit note credits at each tax rate (its lines and its tax summary at once). */
export const creditNoteLines = invoicesSchema.table(
  'credit_note_lines',
  {
    tenantId: text('tenant_id').notNull(),
    creditNoteId: text('credit_note_id').notNull(),
    rateBps: integer('rate_bps').notNull(),
    subtotal: money('subtotal').notNull(),
    tax: money('tax').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.creditNoteId, t.rateBps] }),
    foreignKey({
      name: 'credit_note_lines_credit_note_fk',
      columns: [t.tenantId, t.creditNoteId],
      foreignColumns: [creditNotes.tenantId, creditNotes.id],
    }),
    check('credit_note_lines_amounts_check', sql`${t.subtotal} >= 0 and ${t.tax} >= 0`),
  ],
);

export type CreditNoteRow = typeof creditNotes.$inferSelect;
export type CreditNoteLineRow = typeof creditNoteLines.$inferSelect;
