import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StreamNotification } from '../../events/notification-created.v1.ts';
import type { InAppService } from './in-app.service.ts';
import type { NotificationHub } from './notification-hub.ts';

/** How long a browser waits before reconnecting after the stream ended. */
const RETRY_MS = 3_000;

function frame(notification: StreamNotification): string {
  const { userId: _userId, ...body } = notification;
  return `id: ${notification.id}\nevent: notification\ndata: ${JSON.stringify(body)}\n\n`;
}

/**
 * Serves one user's live stream (Server-Sent Events): first what they missed after `lastEventId`
 * (from the database), then each new notification as it is created, with a comment line every
 * `heartbeatMs` so that proxies keep the connection open. The hub is subscribed before the
 * database is read, so nothing created in between is lost; ids already sent are not sent twice.
 */
export async function serveNotificationStream(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: {
    userId: string;
    lastEventId: string | undefined;
    service: InAppService;
    hub: NotificationHub;
    heartbeatMs: number;
  },
): Promise<void> {
  const { userId, hub } = deps;
  const tenantId = request.ctx.tenantId;
  const sent = new Set<string>();
  let backlog: StreamNotification[] | undefined = [];
  const raw = reply.raw;

  const send = (notification: StreamNotification) => {
    if (sent.has(notification.id) || raw.writableEnded) return;
    sent.add(notification.id);
    raw.write(frame(notification));
  };
  const unsubscribe = hub.subscribe(tenantId, userId, (notification) => {
    if (backlog === undefined) send(notification);
    else backlog.push(notification);
  });

  reply.hijack();
  const headers: Record<string, string | number | string[]> = {};
  for (const [name, value] of Object.entries(reply.getHeaders()))
    if (value !== undefined) headers[name] = value;
  raw.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // Tells nginx (deploy/) not to buffer the stream.
    'x-accel-buffering': 'no',
  });
  raw.write(`retry: ${String(RETRY_MS)}\n: connected\n\n`);

  const heartbeat = setInterval(() => {
    if (!raw.writableEnded) raw.write(': heartbeat\n\n');
  }, deps.heartbeatMs);
  heartbeat.unref();
  let untrack: () => void = () => undefined;
  const close = () => {
    clearInterval(heartbeat);
    unsubscribe();
    untrack();
    if (!raw.writableEnded) raw.end();
  };
  untrack = hub.track(close);
  raw.on('close', close);

  try {
    const missed =
      deps.lastEventId === undefined
        ? []
        : await deps.service.missedSince(request.ctx, userId, deps.lastEventId);
    for (const notification of missed) send(notification);
  } catch (error) {
    request.log.warn({ err: error }, 'notification stream could not replay missed notifications');
  }
  const live = backlog;
  backlog = undefined;
  for (const notification of live.sort((a, b) => a.id.localeCompare(b.id))) send(notification);
}
