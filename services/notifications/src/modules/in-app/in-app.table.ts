import { sql } from 'drizzle-orm';
import { index, text, uuid } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { notificationsSchema } from '../../db/notifications-schema.ts';

/** The in-app notification centre: one row per notice to one user. */
export const inAppNotifications = notificationsSchema.table(
  'in_app_notifications',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    userId: text('user_id').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** Where the web app leads, e.g. `/orders/ord_…`. */
    link: text('link'),
    readAt: timestamptz('read_at'),
    createdAt: timestamptz('created_at').notNull(),
    sourceEventId: uuid('source_event_id'),
  },
  (t) => [
    // The list (newest first), resume after an id, and unread counts are all per user.
    index('in_app_notifications_user_idx').on(t.tenantId, t.userId, t.id),
    index('in_app_notifications_unread_idx')
      .on(t.tenantId, t.userId)
      .where(sql`${t.readAt} is null`),
  ],
);

export type InAppNotificationRow = typeof inAppNotifications.$inferSelect;
