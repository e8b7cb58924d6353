import { sql } from 'drizzle-orm';
import { boolean, check, integer, text, unique, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { catalogSchema } from '../../db/catalog-schema.ts';

/** Where stock is kept: warehouses, shops, vans. One per tenant is the default for reservations. */
export const locations = catalogSchema.table(
  'locations',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    isDefault: boolean('is_default').notNull().default(false),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    unique('locations_tenant_id_id_key').on(t.tenantId, t.id),
    unique('locations_tenant_code_key').on(t.tenantId, t.code),
    uniqueIndex('locations_tenant_default_key')
      .on(t.tenantId)
      .where(sql`${t.isDefault}`),
    // The default location is where reservations without a location draw from: it must be usable.
    check('locations_default_active_check', sql`not ${t.isDefault} or ${t.active}`),
  ],
);

export type LocationRow = typeof locations.$inferSelect;
