import { sql } from 'drizzle-orm';
import { check, integer, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { reportingSchema } from '../../db/reporting-schema.ts';

/**
 * What reporting knows of each customer: whether it saw the creation and the deletion. A customer
 * counts while created and not deleted, so a deletion seen before the creation never makes the
 * count negative, and seeing either again changes nothing.
 */
export const customerStates = reportingSchema.table(
  'customer_states',
  {
    tenantId: text('tenant_id').notNull(),
    customerId: text('customer_id').notNull(),
    createdAt: timestamptz('created_at'),
    deletedAt: timestamptz('deleted_at'),
  },
  (t) => [primaryKey({ name: 'customer_states_pk', columns: [t.tenantId, t.customerId] })],
);

/** Live (created, not deleted) customers per tenant. */
export const customerCounts = reportingSchema.table(
  'customer_counts',
  {
    tenantId: text('tenant_id').primaryKey(),
    customers: integer('customers').notNull().default(0),
  },
  (t) => [check('customer_counts_non_negative_check', sql`${t.customers} >= 0`)],
);
