import { and, asc, desc, eq, inArray, lt, lte, sql } from 'drizzle-orm';
import { executor, type Database } from '@only/platform/db';
import {
  deliveries,
  deliveryAttempts,
  type DeliveryAttemptRow,
  type DeliveryRow,
  type DeliveryStatus,
} from './deliveries.table.ts';

/** Filters of the delivery log. */
export interface DeliveryFilter {
  readonly statuses?: readonly DeliveryStatus[];
  readonly channels?: readonly string[];
  readonly kinds?: readonly string[];
}

/** The delivery log and send queue. */
export class DeliveriesRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /** Stores a delivery; false (nothing written) when the event already made this one. */
  async insert(row: typeof deliveries.$inferInsert): Promise<boolean> {
    const inserted = await executor(this.db)
      .insert(deliveries)
      .values(row)
      .onConflictDoNothing({
        target: [deliveries.tenantId, deliveries.sourceEventId, deliveries.channel, deliveries.recipientId],
      })
      .returning({ id: deliveries.id });
    return inserted.length > 0;
  }

  /**
   * Claims up to `limit` queued deliveries that are due, across tenants: each gets its attempt
   * counted and is hidden from other claims until `leaseUntil` (then it is due again, should this
   * process die while sending). SKIP LOCKED lets replicas claim side by side without waiting.
   */
  claimDue(now: Date, limit: number, leaseUntil: Date): Promise<DeliveryRow[]> {
    const q = executor(this.db);
    const due = q
      .select({ id: deliveries.id })
      .from(deliveries)
      .where(and(eq(deliveries.status, 'queued'), lte(deliveries.nextAttemptAt, now)))
      .orderBy(asc(deliveries.nextAttemptAt))
      .limit(limit)
      .for('update', { skipLocked: true });
    return q
      .update(deliveries)
      .set({ attempts: sql`${deliveries.attempts} + 1`, nextAttemptAt: leaseUntil, updatedAt: now })
      .where(inArray(deliveries.id, due))
      .returning();
  }

  /** Records an attempt; false when another process already recorded this attempt number. */
  async insertAttempt(row: typeof deliveryAttempts.$inferInsert): Promise<boolean> {
    const inserted = await executor(this.db)
      .insert(deliveryAttempts)
      .values(row)
      .onConflictDoNothing()
      .returning({ id: deliveryAttempts.id });
    return inserted.length > 0;
  }

  /** Applies the outcome of attempt `attempt`, unless a later claim took the delivery over since. */
  async finishAttempt(
    tenantId: string,
    id: string,
    attempt: number,
    changes: Partial<
      Pick<
        DeliveryRow,
        | 'status'
        | 'nextAttemptAt'
        | 'lastError'
        | 'providerMessageId'
        | 'providerResponse'
        | 'sentAt'
        | 'bodyText'
        | 'bodyHtml'
        | 'updatedAt'
      >
    >,
  ): Promise<boolean> {
    const updated = await executor(this.db)
      .update(deliveries)
      .set(changes)
      .where(
        and(
          eq(deliveries.tenantId, tenantId),
          eq(deliveries.id, id),
          eq(deliveries.attempts, attempt),
          eq(deliveries.status, 'queued'),
        ),
      )
      .returning({ id: deliveries.id });
    return updated.length > 0;
  }

  async find(tenantId: string, id: string): Promise<DeliveryRow | undefined> {
    const [row] = await executor(this.db)
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.tenantId, tenantId), eq(deliveries.id, id)));
    return row;
  }

  attemptsOf(tenantId: string, id: string): Promise<DeliveryAttemptRow[]> {
    return executor(this.db)
      .select()
      .from(deliveryAttempts)
      .where(and(eq(deliveryAttempts.tenantId, tenantId), eq(deliveryAttempts.deliveryId, id)))
      .orderBy(asc(deliveryAttempts.attempt));
  }

  /** Newest first, keyset-paginated by id; `limit + 1` rows tell whether a next page exists. */
  list(
    tenantId: string,
    filter: DeliveryFilter,
    page: { limit: number; beforeId?: string },
  ): Promise<DeliveryRow[]> {
    return executor(this.db)
      .select()
      .from(deliveries)
      .where(
        and(
          eq(deliveries.tenantId, tenantId),
          filter.statuses === undefined ? undefined : inArray(deliveries.status, [...filter.statuses]),
          filter.channels === undefined ? undefined : inArray(deliveries.channel, [...filter.channels]),
          filter.kinds === undefined ? undefined : inArray(deliveries.kind, [...filter.kinds]),
          page.beforeId === undefined ? undefined : lt(deliveries.id, page.beforeId),
        ),
      )
      .orderBy(desc(deliveries.id))
      .limit(page.limit + 1);
  }
}
