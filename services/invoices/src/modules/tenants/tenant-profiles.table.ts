import type { Branding } from '@only/contracts/identity';
import { jsonb, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { invoicesSchema } from '../../db/invoices-schema.ts';

/**
 * What invoices need to know about each tenant — its name as the seller, its time zone for issue
 * dates, its branding for PDFs — kept from identity's tenant events.
 */
export const tenantProfiles = invoicesSchema.table('tenant_profiles', {
  tenantId: text('tenant_id').primaryKey(),
  slug: text('slug').notNull(),
  name: text('name').notNull(),
  branding: jsonb('branding').$type<Branding>().notNull(),
  locale: text('locale').notNull(),
  timezone: text('timezone').notNull(),
  /** The tenant's `updatedAt` in the event applied last: older events change nothing. */
  sourceUpdatedAt: timestamptz('source_updated_at').notNull(),
});

export type TenantProfileRow = typeof tenantProfiles.$inferSelect;
