import type { AnyOrderStatus, OrderFailure } from '@only/contracts/orders';
import { sql } from 'drizzle-orm';
import { bigint, check, foreignKey, index, integer, jsonb, text, unique } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { ordersSchema } from '../../db/orders-schema.ts';
import { customers } from '../customers/customers.table.ts';

/** Every status an order row may have: the lifecycle's and a failed placement's. */
const ORDER_STATUSES = [
  'pending',
  'confirmed',
  'fulfilled',
  'completed',
  'cancelled',
  'out_of_stock',
  'payment_failed',
  'failed',
] as const satisfies readonly AnyOrderStatus[];

/** Order numbers: unique, increasing, human-friendly; gaps are fine (unlike invoice numbers). */
export const orderNumbers = ordersSchema.sequence('order_number_seq', { startWith: 100001 });

const money = (name: string) => bigint(name, { mode: 'number' });

export const orders = ordersSchema.table(
  'orders',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    number: text('number').notNull(),
    customerId: text('customer_id').notNull(),
    status: text('status', { enum: ORDER_STATUSES }).notNull(),
    currency: text('currency').notNull(),
    subtotal: money('subtotal').notNull(),
    taxTotal: money('tax_total').notNull(),
    grandTotal: money('grand_total').notNull(),
    notes: text('notes'),
    /** The payment of a paid order (`pay_…`), once authorized. */
    paymentId: text('payment_id'),
    /** Why the placement failed; set exactly for the failed statuses. */
    failure: jsonb('failure').$type<OrderFailure>(),
    version: integer('version').notNull().default(1),
    placedAt: timestamptz('placed_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    // Also the index of the tenant's newest-first list (scanned backwards).
    unique('orders_tenant_id_id_key').on(t.tenantId, t.id),
    unique('orders_tenant_number_key').on(t.tenantId, t.number),
    foreignKey({
      name: 'orders_customer_fk',
      columns: [t.tenantId, t.customerId],
      foreignColumns: [customers.tenantId, customers.id],
    }),
    check(
      'orders_status_check',
      sql`${t.status} in ('pending', 'confirmed', 'fulfilled', 'completed', 'cancelled', 'out_of_stock', 'payment_failed', 'failed')`,
    ),
    check(
      'orders_failure_check',
      sql`(${t.status} in ('out_of_stock', 'payment_failed', 'failed')) = (${t.failure} is not null)`,
    ),
    check('orders_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('orders_totals_check', sql`${t.grandTotal} = ${t.subtotal} + ${t.taxTotal} and ${t.subtotal} >= 0`),
    index('orders_tenant_status_idx').on(t.tenantId, t.status, t.id.desc()),
    index('orders_tenant_customer_idx').on(t.tenantId, t.customerId, t.id.desc()),
    index('orders_tenant_placed_at_idx').on(t.tenantId, t.placedAt),
  ],
);

export const orderLines = ordersSchema.table(
  'order_lines',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    orderId: text('order_id').notNull(),
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
    foreignKey({
      name: 'order_lines_order_fk',
      columns: [t.tenantId, t.orderId],
      foreignColumns: [orders.tenantId, orders.id],
    }).onDelete('cascade'),
    unique('order_lines_order_position_key').on(t.orderId, t.position),
    check('order_lines_quantity_check', sql`${t.quantity} > 0`),
    check('order_lines_total_check', sql`${t.total} = ${t.subtotal} + ${t.tax}`),
  ],
);

export const orderStatusHistory = ordersSchema.table(
  'order_status_history',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    orderId: text('order_id').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    actorType: text('actor_type', { enum: ['user', 'client', 'system', 'anonymous'] }).notNull(),
    actorId: text('actor_id'),
    reason: text('reason'),
    occurredAt: timestamptz('occurred_at').notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: 'order_status_history_order_fk',
      columns: [t.tenantId, t.orderId],
      foreignColumns: [orders.tenantId, orders.id],
    }).onDelete('cascade'),
    index('order_status_history_order_idx').on(t.orderId, t.id),
  ],
);

export type OrderRow = typeof orders.$inferSelect;
export type OrderLineRow = typeof orderLines.$inferSelect;
export type OrderStatusHistoryRow = typeof orderStatusHistory.$inferSelect;
