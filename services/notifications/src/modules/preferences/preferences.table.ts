import { jsonb, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { notificationsSchema } from '../../db/notifications-schema.ts';

/** Channel switches per kind: `{ low_stock: { email: true } }`; what is absent keeps its default. */
export type ChannelSwitches = Record<string, Record<string, boolean>>;

/** A user's choices: which kinds reach them on which channel, and their language. */
export const preferences = notificationsSchema.table(
  'preferences',
  {
    tenantId: text('tenant_id').notNull(),
    userId: text('user_id').notNull(),
    locale: text('locale'),
    channels: jsonb('channels').$type<ChannelSwitches>().notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (t) => [primaryKey({ name: 'preferences_pk', columns: [t.tenantId, t.userId] })],
);

export type PreferencesRow = typeof preferences.$inferSelect;
