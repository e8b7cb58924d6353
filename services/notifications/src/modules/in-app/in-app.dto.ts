import { pageQuerySchema, pageSchema } from '@only/platform/http';
import { idSchema } from '@only/platform/ids';
import { z } from 'zod';
import type { InAppNotificationRow } from './in-app.table.ts';

export const notificationIdParams = z.object({ id: idSchema('ntf') });

export const listNotificationsQuery = pageQuerySchema
  .extend({
    unread: z
      .enum(['true', 'false'])
      .transform((value) => value === 'true')
      .optional()
      .describe('`true` for unread notifications only.'),
  })
  .strict();
export type ListNotificationsQuery = z.output<typeof listNotificationsQuery>;

export const streamQuery = z
  .object({
    lastEventId: idSchema('ntf')
      .optional()
      .describe('Resume after this notification (for clients that cannot send the `Last-Event-ID` header).'),
  })
  .strict();

export const notificationSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    title: z.string(),
    body: z.string(),
    link: z.string().nullable(),
    readAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Notification' });
export type Notification = z.output<typeof notificationSchema>;

export const notificationPageSchema = pageSchema(notificationSchema).meta({ id: 'NotificationPage' });
export const unreadCountSchema = z.object({ unread: z.number().int() }).meta({ id: 'UnreadCount' });
export const markedSchema = z.object({ marked: z.number().int() }).meta({ id: 'MarkedRead' });

export function toNotification(row: InAppNotificationRow): Notification {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    link: row.link,
    readAt: row.readAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
