import { integer, text, unique } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { identitySchema } from '../../db/identity-schema.ts';

/** Custom roles of a tenant; the built-in roles live in code (`@only/contracts/auth`). */
export const roles = identitySchema.table(
  'roles',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    permissions: text('permissions').array().notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [unique('roles_tenant_name_key').on(t.tenantId, t.name)],
);

export type RoleRow = typeof roles.$inferSelect;
