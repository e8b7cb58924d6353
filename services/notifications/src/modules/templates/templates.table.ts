import { integer, text, unique } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { notificationsSchema } from '../../db/notifications-schema.ts';

/**
 * A tenant's own wording of one kind in one language. Parts left null fall back to the built-in
 * template of the same language (or English).
 */
export const templates = notificationsSchema.table(
  'templates',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    kind: text('kind').notNull(),
    locale: text('locale').notNull(),
    subject: text('subject'),
    html: text('html'),
    text: text('text'),
    sms: text('sms'),
    inAppTitle: text('in_app_title'),
    inAppBody: text('in_app_body'),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (t) => [unique('templates_tenant_kind_locale_key').on(t.tenantId, t.kind, t.locale)],
);

export type TemplateRow = typeof templates.$inferSelect;
