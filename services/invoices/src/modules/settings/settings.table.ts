import { sql } from 'drizzle-orm';
import { check, integer, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { invoicesSchema } from '../../db/invoices-schema.ts';

/** A tenant's invoicing settings; a tenant without a row uses the defaults. */
export const invoiceSettings = invoicesSchema.table(
  'invoice_settings',
  {
    tenantId: text('tenant_id').primaryKey(),
    invoiceNumberFormat: text('invoice_number_format').notNull(),
    creditNoteNumberFormat: text('credit_note_number_format').notNull(),
    paymentTermsDays: integer('payment_terms_days').notNull(),
    version: integer('version').notNull().default(1),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [check('invoice_settings_terms_check', sql`${t.paymentTermsDays} between 0 and 365`)],
);

export type InvoiceSettingsRow = typeof invoiceSettings.$inferSelect;
