import { sql } from 'drizzle-orm';
import { bigint, check, date, integer, primaryKey, text } from 'drizzle-orm/pg-core';
import { reportingSchema } from '../../db/reporting-schema.ts';

const money = (name: string) => bigint(name, { mode: 'number' });

/**
 * Sales per tenant, UTC day and currency. Placements count on the day the order was placed,
 * cancellations on the day they happened; net sales (gross − cancelled) is computed on read.
 * Every column only ever grows, by exactly the amounts of events applied once.
 */
export const dailySales = reportingSchema.table(
  'daily_sales',
  {
    tenantId: text('tenant_id').notNull(),
    // UTC for now: per-tenant time zones come with identity.
    day: date('day', { mode: 'string' }).notNull(),
    currency: text('currency').notNull(),
    ordersPlaced: integer('orders_placed').notNull().default(0),
    grossSales: money('gross_sales').notNull().default(0),
    tax: money('tax').notNull().default(0),
    cancelledOrders: integer('cancelled_orders').notNull().default(0),
    cancelledAmount: money('cancelled_amount').notNull().default(0),
  },
  (t) => [
    // Also the index of the report: one tenant, a range of days, optionally one currency.
    primaryKey({ name: 'daily_sales_pk', columns: [t.tenantId, t.day, t.currency] }),
    check('daily_sales_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check(
      'daily_sales_non_negative_check',
      sql`${t.ordersPlaced} >= 0 and ${t.grossSales} >= 0 and ${t.tax} >= 0 and ${t.cancelledOrders} >= 0 and ${t.cancelledAmount} >= 0`,
    ),
  ],
);

export type DailySalesRow = typeof dailySales.$inferSelect;
