import { validationError } from '@only/platform/errors';
import { problemResponses, type HttpApp } from '@only/platform/http';
import { isId } from '@only/platform/ids';
import { signedInUserId } from '../../signed-in-user.ts';
import {
  listNotificationsQuery,
  markedSchema,
  notificationIdParams,
  notificationPageSchema,
  notificationSchema,
  streamQuery,
  unreadCountSchema,
} from './in-app.dto.ts';
import type { InAppService } from './in-app.service.ts';
import type { NotificationHub } from './notification-hub.ts';
import { serveNotificationStream } from './notification-stream.ts';

const tags = ['notification centre'];
const permission = 'notifications:inbox' as const;

/** HTTP routes of the signed-in user's in-app notification centre. */
export function inAppRoutes(
  app: HttpApp,
  service: InAppService,
  stream: { hub: NotificationHub; heartbeatMs: number },
): void {
  app.get(
    '/notifications',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'Your in-app notifications, newest first',
        querystring: listNotificationsQuery,
        response: { 200: notificationPageSchema, ...problemResponses(400, 401, 403) },
      },
    },
    (request) => service.list(request.ctx, signedInUserId(request), request.query),
  );

  app.get(
    '/notifications/unread-count',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'How many of your notifications are unread',
        response: { 200: unreadCountSchema, ...problemResponses(401, 403) },
      },
    },
    (request) => service.unreadCount(request.ctx, signedInUserId(request)),
  );

  app.get(
    '/notifications/stream',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'Your new notifications, live (Server-Sent Events)',
        description:
          '`text/event-stream`: each notification is an event `notification` with its id as the event id and the notification as JSON data; comment lines keep the connection alive. Reconnect with `Last-Event-ID` (or `?lastEventId=`) to get what you missed first.',
        querystring: streamQuery,
        response: { ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const userId = signedInUserId(request);
      const header = request.headers['last-event-id'];
      const fromHeader = Array.isArray(header) ? header[0] : header;
      if (fromHeader !== undefined && fromHeader !== '' && !isId('ntf', fromHeader)) {
        throw validationError([
          {
            field: 'last-event-id',
            in: 'headers',
            rule: 'id',
            message: 'Must be the id of a notification ("ntf_…")',
          },
        ]);
      }
      const lastEventId =
        fromHeader !== undefined && fromHeader !== '' ? fromHeader : request.query.lastEventId;
      await serveNotificationStream(request, reply, { userId, lastEventId, service, ...stream });
    },
  );

  app.get(
    '/notifications/:id',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'One of your notifications',
        params: notificationIdParams,
        response: { 200: notificationSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    (request) => service.get(request.ctx, signedInUserId(request), request.params.id),
  );

  app.post(
    '/notifications/:id/read',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'Mark one of your notifications read',
        params: notificationIdParams,
        response: { 200: notificationSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    (request) => service.markRead(request.ctx, signedInUserId(request), request.params.id),
  );

  app.post(
    '/notifications/read-all',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'Mark all your notifications read',
        response: { 200: markedSchema, ...problemResponses(401, 403) },
      },
    },
    (request) => service.markAllRead(request.ctx, signedInUserId(request)),
  );
}
