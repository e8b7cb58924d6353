import { sql } from 'drizzle-orm';
import { integer, jsonb, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { Branding, TenantApp } from '@only/contracts/identity';
import { timestamptz } from '@only/platform/db';
import { identitySchema } from '../../db/identity-schema.ts';

/** Tenants: the white-label clients of the platform. A tenant's id is the `tenant_id` of all its data. */
export const tenants = identitySchema.table(
  'tenants',
  {
    id: text('id').primaryKey(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    branding: jsonb('branding').$type<Branding>().notNull(),
    enabledApps: text('enabled_apps').array().$type<TenantApp[]>().notNull(),
    locale: text('locale').notNull(),
    currency: text('currency').notNull(),
    timezone: text('timezone').notNull(),
    allowedOrigins: text('allowed_origins').array().notNull(),
    status: text('status', { enum: ['active', 'suspended'] })
      .notNull()
      .default('active'),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  // Slugs are stored lowercase; the index on lower() keeps that true even for hand-written rows.
  (t) => [uniqueIndex('tenants_slug_key').on(sql`lower(${t.slug})`)],
);

export type TenantRow = typeof tenants.$inferSelect;
