import { defineEvent } from '@only/contracts/envelope';
import { z } from 'zod';

/** An in-app notification as the live stream sends it. */
export const streamNotificationSchema = z.object({
  id: z.string(),
  userId: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  readAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type StreamNotification = z.output<typeof streamNotificationSchema>;

/**
 * `notifications.notification.created` v1: the service's own event, consumed only by its own
 * replicas (a broadcast subscription) to push a new in-app notification to the user's live
 * streams, whichever replica holds them. Not part of the shared contracts: no other service
 * needs it.
 */
export const inAppNotificationCreatedV1 = defineEvent({
  type: 'notifications.notification.created',
  version: 1,
  description: 'An in-app notification was created for a user; replicas push it to the user’s live streams.',
  schema: z.object({ notification: streamNotificationSchema }),
});
