import { sql } from 'drizzle-orm';
import { bigint, check, index, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { invoicesSchema } from '../../db/invoices-schema.ts';

const money = (name: string) => bigint(name, { mode: 'number' });

/**
 * What payments captured for each order, kept from payment events. The capture may be seen before
 * the order's invoice exists (both follow the confirmation): the invoice is then marked paid as it
 * is issued.
 */
export const orderPayments = invoicesSchema.table(
  'order_payments',
  {
    tenantId: text('tenant_id').notNull(),
    paymentId: text('payment_id').notNull(),
    orderId: text('order_id').notNull(),
    currency: text('currency').notNull(),
    captured: money('captured').notNull(),
    lastCapturedAt: timestamptz('last_captured_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.paymentId] }),
    index('order_payments_tenant_order_idx').on(t.tenantId, t.orderId),
    check('order_payments_captured_check', sql`${t.captured} >= 0`),
  ],
);

/**
 * Refunds seen in payment events; each becomes one credit note. One seen before its invoice
 * exists waits here (`credit_note_id` null) until the invoice is issued.
 */
export const paymentRefunds = invoicesSchema.table(
  'payment_refunds',
  {
    tenantId: text('tenant_id').notNull(),
    refundId: text('refund_id').notNull(),
    paymentId: text('payment_id').notNull(),
    orderId: text('order_id').notNull(),
    currency: text('currency').notNull(),
    amount: money('amount').notNull(),
    reason: text('reason').notNull(),
    refundedAt: timestamptz('refunded_at').notNull(),
    creditNoteId: text('credit_note_id'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.refundId] }),
    index('payment_refunds_tenant_order_idx').on(t.tenantId, t.orderId),
    check('payment_refunds_amount_check', sql`${t.amount} > 0`),
  ],
);

export type OrderPaymentRow = typeof orderPayments.$inferSelect;
export type PaymentRefundRow = typeof paymentRefunds.$inferSelect;
