import { and, asc, count, desc, eq, gt, isNull, lt } from 'drizzle-orm';
import { executor, insertOne, type Database } from '@only/platform/db';
import { inAppNotifications, type InAppNotificationRow } from './in-app.table.ts';

/** In-app notifications; every query is scoped to one tenant and one user. */
export class InAppRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  insert(row: typeof inAppNotifications.$inferInsert): Promise<InAppNotificationRow> {
    return insertOne(this.db, inAppNotifications, row);
  }

  private mine(tenantId: string, userId: string) {
    return and(eq(inAppNotifications.tenantId, tenantId), eq(inAppNotifications.userId, userId));
  }

  async find(tenantId: string, userId: string, id: string): Promise<InAppNotificationRow | undefined> {
    const [row] = await executor(this.db)
      .select()
      .from(inAppNotifications)
      .where(and(this.mine(tenantId, userId), eq(inAppNotifications.id, id)));
    return row;
  }

  /** Newest first, keyset-paginated by id; `limit + 1` rows tell whether a next page exists. */
  list(
    tenantId: string,
    userId: string,
    page: { limit: number; beforeId?: string; unreadOnly?: boolean },
  ): Promise<InAppNotificationRow[]> {
    return executor(this.db)
      .select()
      .from(inAppNotifications)
      .where(
        and(
          this.mine(tenantId, userId),
          page.beforeId === undefined ? undefined : lt(inAppNotifications.id, page.beforeId),
          page.unreadOnly === true ? isNull(inAppNotifications.readAt) : undefined,
        ),
      )
      .orderBy(desc(inAppNotifications.id))
      .limit(page.limit + 1);
  }

  /** Oldest first after `afterId`: what a stream resumed with `Last-Event-ID` missed. */
  after(tenantId: string, userId: string, afterId: string, limit: number): Promise<InAppNotificationRow[]> {
    return executor(this.db)
      .select()
      .from(inAppNotifications)
      .where(and(this.mine(tenantId, userId), gt(inAppNotifications.id, afterId)))
      .orderBy(asc(inAppNotifications.id))
      .limit(limit);
  }

  async unreadCount(tenantId: string, userId: string): Promise<number> {
    const [row] = await executor(this.db)
      .select({ n: count() })
      .from(inAppNotifications)
      .where(and(this.mine(tenantId, userId), isNull(inAppNotifications.readAt)));
    return row?.n ?? 0;
  }

  /** Marks one notification read (keeping the first read time); undefined when it is not the user's. */
  async markRead(
    tenantId: string,
    userId: string,
    id: string,
    at: Date,
  ): Promise<InAppNotificationRow | undefined> {
    const [updated] = await executor(this.db)
      .update(inAppNotifications)
      .set({ readAt: at })
      .where(
        and(this.mine(tenantId, userId), eq(inAppNotifications.id, id), isNull(inAppNotifications.readAt)),
      )
      .returning();
    return updated ?? this.find(tenantId, userId, id);
  }

  async markAllRead(tenantId: string, userId: string, at: Date): Promise<number> {
    const updated = await executor(this.db)
      .update(inAppNotifications)
      .set({ readAt: at })
      .where(and(this.mine(tenantId, userId), isNull(inAppNotifications.readAt)))
      .returning({ id: inAppNotifications.id });
    return updated.length;
  }
}
