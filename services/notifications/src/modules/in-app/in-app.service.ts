import type { Clock } from '@only/platform/clock';
import type { RequestContext } from '@only/platform/context';
import { decodeCursor, toPage } from '@only/platform/http';
import { newId } from '@only/platform/ids';
import type { Outbox } from '@only/platform/outbox';
import { systemContext } from '@only/platform/context';
import { z } from 'zod';
import { notificationsErrors } from '../../errors.ts';
import { inAppNotificationCreatedV1, type StreamNotification } from '../../events/notification-created.v1.ts';
import { toNotification, type ListNotificationsQuery, type Notification } from './in-app.dto.ts';
import type { InAppRepository } from './in-app.repository.ts';
import type { InAppNotificationRow } from './in-app.table.ts';

const cursorSchema = z.object({ id: z.string() });
/** At most this many missed notifications are replayed when a stream resumes. */
export const RESUME_LIMIT = 500;

function notFound(id: string) {
  return notificationsErrors.notification_not_found(`No notification ${id} of yours`);
}

export function toStreamNotification(row: InAppNotificationRow): StreamNotification {
  return { ...toNotification(row), userId: row.userId };
}

/** The in-app notification centre of each user: create, list, count unread, mark read. */
export class InAppService {
  private readonly repository: InAppRepository;
  private readonly outbox: Outbox;
  private readonly clock: Clock;

  constructor(deps: { repository: InAppRepository; outbox: Outbox; clock: Clock }) {
    this.repository = deps.repository;
    this.outbox = deps.outbox;
    this.clock = deps.clock;
  }

  /**
   * Stores a notification for a user and announces it to the replicas holding their live streams.
   * Must run inside the caller's transaction (the event handler's).
   */
  async create(input: {
    id?: string;
    tenantId: string;
    userId: string;
    kind: string;
    title: string;
    body: string;
    link: string | null;
    sourceEventId: string;
    correlationId: string;
  }): Promise<InAppNotificationRow> {
    const row = await this.repository.insert({
      id: input.id ?? newId('ntf'),
      tenantId: input.tenantId,
      userId: input.userId,
      kind: input.kind,
      title: input.title,
      body: input.body,
      link: input.link,
      createdAt: this.clock.now(),
      sourceEventId: input.sourceEventId,
    });
    await this.outbox.emit(
      inAppNotificationCreatedV1,
      { notification: toStreamNotification(row) },
      {
        ctx: systemContext(input.tenantId, input.correlationId),
        aggregateId: row.id,
        causationId: input.sourceEventId,
      },
    );
    return row;
  }

  async list(
    ctx: RequestContext,
    userId: string,
    query: ListNotificationsQuery,
  ): Promise<{ items: Notification[]; nextCursor: string | null }> {
    const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor, cursorSchema).id;
    const rows = await this.repository.list(ctx.tenantId, userId, {
      limit: query.limit,
      beforeId: before,
      unreadOnly: query.unread,
    });
    return toPage(rows, query.limit, toNotification, (row) => ({ id: row.id }));
  }

  async get(ctx: RequestContext, userId: string, id: string): Promise<Notification> {
    const row = await this.repository.find(ctx.tenantId, userId, id);
    if (!row) throw notFound(id);
    return toNotification(row);
  }

  async unreadCount(ctx: RequestContext, userId: string): Promise<{ unread: number }> {
    return { unread: await this.repository.unreadCount(ctx.tenantId, userId) };
  }

  async markRead(ctx: RequestContext, userId: string, id: string): Promise<Notification> {
    const row = await this.repository.markRead(ctx.tenantId, userId, id, this.clock.now());
    if (!row) throw notFound(id);
    return toNotification(row);
  }

  async markAllRead(ctx: RequestContext, userId: string): Promise<{ marked: number }> {
    return { marked: await this.repository.markAllRead(ctx.tenantId, userId, this.clock.now()) };
  }

  /** What a resumed stream missed: the user's notifications after `afterId`, oldest first. */
  async missedSince(ctx: RequestContext, userId: string, afterId: string): Promise<StreamNotification[]> {
    const rows = await this.repository.after(ctx.tenantId, userId, afterId, RESUME_LIMIT);
    return rows.map(toStreamNotification);
  }
}
