import { sql } from 'drizzle-orm';
import { integer, text, unique, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { ordersSchema } from '../../db/orders-schema.ts';

export const customers = ordersSchema.table(
  'customers',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    phone: text('phone'),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    deletedAt: timestamptz('deleted_at'),
  },
  (t) => [
    // Lets orders reference (tenant_id, customer_id), so a cross-tenant reference cannot exist;
    // also the index of the tenant's newest-first list.
    unique('customers_tenant_id_id_key').on(t.tenantId, t.id),
    uniqueIndex('customers_tenant_email_live_key')
      .on(t.tenantId, sql`lower(${t.email})`)
      .where(sql`${t.deletedAt} is null`),
  ],
);

export type CustomerRow = typeof customers.$inferSelect;
