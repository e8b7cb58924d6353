import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  primaryKey,
  text,
  unique,
} from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { invoicesSchema } from '../../db/invoices-schema.ts';

const money = (name: string) => bigint(name, { mode: 'number' });

/** A postal address as the order gave it, kept on the invoice as issued. */
export interface PostalAddress {
  readonly lines: readonly string[];
  readonly postalCode: string;
  readonly city: string;
  readonly region: string | null;
  readonly country: string;
}

/**
 * Issued invoices: one per order, immutable once issued except for what payments and credit notes
 * change (amount paid, amount credited, status). Customer and seller are copied at issue time, as
 * an invoice must keep saying what it said.
 */
export const invoices = invoicesSchema.table(
  'invoices',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    number: text('number').notNull(),
    orderId: text('order_id').notNull(),
    orderNumber: text('order_number').notNull(),
    customerId: text('customer_id').notNull(),
    customerName: text('customer_name').notNull(),
    customerEmail: text('customer_email').notNull(),
    billingAddress: jsonb('billing_address').$type<PostalAddress>(),
    sellerName: text('seller_name').notNull(),
    status: text('status', { enum: ['issued', 'paid', 'credited'] }).notNull(),
    currency: text('currency').notNull(),
    subtotal: money('subtotal').notNull(),
    taxTotal: money('tax_total').notNull(),
    total: money('total').notNull(),
    amountPaid: money('amount_paid').notNull().default(0),
    amountCredited: money('amount_credited').notNull().default(0),
    issueDate: date('issue_date', { mode: 'string' }).notNull(),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    paymentTermsDays: integer('payment_terms_days').notNull(),
    paymentId: text('payment_id'),
    issuedAt: timestamptz('issued_at').notNull(),
    paidAt: timestamptz('paid_at'),
    creditedAt: timestamptz('credited_at'),
    version: integer('version').notNull().default(1),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    unique('invoices_tenant_id_id_key').on(t.tenantId, t.id),
    unique('invoices_tenant_number_key').on(t.tenantId, t.number),
    // One invoice per order, however often its confirmation is delivered.
    unique('invoices_tenant_order_key').on(t.tenantId, t.orderId),
    check('invoices_status_check', sql`${t.status} in ('issued', 'paid', 'credited')`),
    check('invoices_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('invoices_totals_check', sql`${t.total} = ${t.subtotal} + ${t.taxTotal} and ${t.subtotal} >= 0`),
    check('invoices_credited_check', sql`${t.amountCredited} between 0 and ${t.total}`),
    check('invoices_due_date_check', sql`${t.dueDate} >= ${t.issueDate}`),
    index('invoices_tenant_status_idx').on(t.tenantId, t.status, t.id.desc()),
    index('invoices_tenant_customer_idx').on(t.tenantId, t.customerId, t.id.desc()),
  ],
);

export const invoiceLines = invoicesSchema.table(
  'invoice_lines',
  {
    tenantId: text('tenant_id').notNull(),
    invoiceId: text('invoice_id').notNull(),
    position: integer('position').notNull(),
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    quantity: integer('quantity').notNull(),
    unitPrice: money('unit_price').notNull(),
    taxRateBps: integer('tax_rate_bps').notNull(),
    subtotal: money('subtotal').notNull(),
    tax: money('tax').notNull(),
    total: money('total').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.invoiceId, t.position] }),
    foreignKey({
      name: 'invoice_lines_invoice_fk',
      columns: [t.tenantId, t.invoiceId],
      foreignColumns: [invoices.tenantId, invoices.id],
    }),
    check('invoice_lines_quantity_check', sql`${t.quantity} > 0`),
    check('invoice_lines_total_check', sql`${t.total} = ${t.subtotal} + ${t.tax}`),
  ],
);

/** The invoice's tax summary: per rate, the sum of its lines' net amounts and taxes. */
export const invoiceTaxes = invoicesSchema.table(
  'invoice_taxes',
  {
    tenantId: text('tenant_id').notNull(),
    invoiceId: text('invoice_id').notNull(),
    rateBps: integer('rate_bps').notNull(),
    taxable: money('taxable').notNull(),
    tax: money('tax').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.invoiceId, t.rateBps] }),
    foreignKey({
      name: 'invoice_taxes_invoice_fk',
      columns: [t.tenantId, t.invoiceId],
      foreignColumns: [invoices.tenantId, invoices.id],
    }),
  ],
);

export type InvoiceRow = typeof invoices.$inferSelect;
export type InvoiceLineRow = typeof invoiceLines.$inferSelect;
export type InvoiceTaxRow = typeof invoiceTaxes.$inferSelect;
