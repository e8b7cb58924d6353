import { sql } from 'drizzle-orm';
import { foreignKey, integer, text, unique, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { catalogSchema } from '../../db/catalog-schema.ts';

/** Categories form a tree per tenant: a category without a parent is a root. */
export const categories = catalogSchema.table(
  'categories',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    parentId: text('parent_id'),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    unique('categories_tenant_id_id_key').on(t.tenantId, t.id),
    // A parent in the same tenant only; a parent with children cannot be deleted.
    foreignKey({
      name: 'categories_parent_fk',
      columns: [t.tenantId, t.parentId],
      foreignColumns: [t.tenantId, t.id],
    }),
    // Sibling names are unique (case-insensitively); roots are siblings of each other.
    uniqueIndex('categories_tenant_parent_name_key').on(
      t.tenantId,
      sql`coalesce(${t.parentId}, '')`,
      sql`lower(${t.name})`,
    ),
  ],
);

export type CategoryRow = typeof categories.$inferSelect;
