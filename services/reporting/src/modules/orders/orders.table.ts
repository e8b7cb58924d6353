import { sql } from 'drizzle-orm';
import { bigint, check, integer, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { reportingSchema } from '../../db/reporting-schema.ts';

const money = (name: string) => bigint(name, { mode: 'number' });

/**
 * What reporting knows of each order: its furthest status seen, and whether its placement and
 * its cancellation have been counted in daily sales (`placed_at`, `cancelled_at` are set exactly
 * when they were). Events about one order may arrive in any order and more than once; this row
 * is what makes every one of them count once and the result the same whatever the order.
 */
export const orderStates = reportingSchema.table(
  'order_states',
  {
    tenantId: text('tenant_id').notNull(),
    orderId: text('order_id').notNull(),
    status: text('status', {
      enum: ['pending', 'confirmed', 'fulfilled', 'completed', 'cancelled'],
    }).notNull(),
    // From the first event that carried them (placed and cancelled both do).
    currency: text('currency'),
    grandTotal: money('grand_total'),
    taxTotal: money('tax_total'),
    placedAt: timestamptz('placed_at'),
    cancelledAt: timestamptz('cancelled_at'),
  },
  (t) => [
    primaryKey({ name: 'order_states_pk', columns: [t.tenantId, t.orderId] }),
    check(
      'order_states_status_check',
      sql`${t.status} in ('pending', 'confirmed', 'fulfilled', 'completed', 'cancelled')`,
    ),
  ],
);

/**
 * How many of a tenant's orders are in each status now: one row per tenant, so that a transition
 * moves a count with a single-row update (no lock-order questions between status rows).
 */
export const orderStatusCounts = reportingSchema.table(
  'order_status_counts',
  {
    tenantId: text('tenant_id').primaryKey(),
    pending: integer('pending').notNull().default(0),
    confirmed: integer('confirmed').notNull().default(0),
    fulfilled: integer('fulfilled').notNull().default(0),
    completed: integer('completed').notNull().default(0),
    cancelled: integer('cancelled').notNull().default(0),
  },
  (t) => [
    check(
      'order_status_counts_non_negative_check',
      sql`${t.pending} >= 0 and ${t.confirmed} >= 0 and ${t.fulfilled} >= 0 and ${t.completed} >= 0 and ${t.cancelled} >= 0`,
    ),
  ],
);
