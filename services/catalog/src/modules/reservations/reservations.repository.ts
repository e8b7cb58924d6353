import { and, asc, desc, eq, inArray, lt, lte } from 'drizzle-orm';
import { executor, type Database } from '@only/platform/db';
import type { ReservationRecord } from './reservations.dto.ts';
import {
  reservationLines,
  reservations,
  type ReservationLineRow,
  type ReservationRow,
  type ReservationStatus,
} from './reservations.table.ts';

/** Stored reservations and their lines; every query but the expiry claim is scoped to one tenant. */
export class ReservationsRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /**
   * Claims `key` for a new reservation: the row, or undefined when the tenant already has a
   * reservation with this key (a concurrent claim waits for the other to commit or roll back).
   */
  async claim(row: ReservationRow): Promise<ReservationRow | undefined> {
    const [created] = await executor(this.db)
      .insert(reservations)
      .values(row)
      .onConflictDoNothing({ target: [reservations.tenantId, reservations.key] })
      .returning();
    return created;
  }

  async insertLines(rows: readonly ReservationLineRow[]): Promise<void> {
    await executor(this.db)
      .insert(reservationLines)
      .values([...rows]);
  }

  async findByKey(
    tenantId: string,
    key: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<ReservationRecord | undefined> {
    const query = executor(this.db)
      .select()
      .from(reservations)
      .where(and(eq(reservations.tenantId, tenantId), eq(reservations.key, key)));
    const [row] = options.forUpdate ? await query.for('update') : await query;
    if (!row) return undefined;
    return { ...row, lines: await this.linesOf(tenantId, [row.id]) };
  }

  async linesOf(tenantId: string, reservationIds: readonly string[]): Promise<ReservationLineRow[]> {
    if (reservationIds.length === 0) return [];
    return executor(this.db)
      .select()
      .from(reservationLines)
      .where(
        and(
          eq(reservationLines.tenantId, tenantId),
          inArray(reservationLines.reservationId, [...reservationIds]),
        ),
      )
      .orderBy(asc(reservationLines.reservationId), asc(reservationLines.position));
  }

  async close(
    tenantId: string,
    id: string,
    status: Exclude<ReservationStatus, 'active'>,
    at: Date,
    reason: string | null,
  ): Promise<ReservationRow> {
    const [row] = await executor(this.db)
      .update(reservations)
      .set({ status, closedAt: at, updatedAt: at, closeReason: reason })
      .where(and(eq(reservations.tenantId, tenantId), eq(reservations.id, id)))
      .returning();
    if (!row) throw new Error(`reservation ${id} vanished`);
    return row;
  }

  /** Marks a committed reservation returned; its close time stays the commit's. */
  async markReturned(tenantId: string, id: string, at: Date, reason: string | null): Promise<ReservationRow> {
    const [row] = await executor(this.db)
      .update(reservations)
      .set({ status: 'returned', updatedAt: at, closeReason: reason })
      .where(and(eq(reservations.tenantId, tenantId), eq(reservations.id, id)))
      .returning();
    if (!row) throw new Error(`reservation ${id} vanished`);
    return row;
  }

  /**
   * One active reservation, of any tenant, that expired by `now`, locked for this transaction.
   * SKIP LOCKED lets several replicas sweep side by side, each taking different reservations, and
   * never waits for a reservation that its holder is committing or releasing right now.
   */
  async claimExpired(now: Date): Promise<ReservationRow | undefined> {
    const [row] = await executor(this.db)
      .select()
      .from(reservations)
      .where(and(eq(reservations.status, 'active'), lte(reservations.expiresAt, now)))
      .orderBy(asc(reservations.expiresAt))
      .limit(1)
      .for('update', { skipLocked: true });
    return row;
  }

  /** Newest first, keyset-paginated by id, with their lines. */
  async list(
    tenantId: string,
    filter: { statuses?: readonly ReservationStatus[] },
    page: { limit: number; afterId?: string },
  ): Promise<ReservationRecord[]> {
    const rows = await executor(this.db)
      .select()
      .from(reservations)
      .where(
        and(
          eq(reservations.tenantId, tenantId),
          filter.statuses === undefined ? undefined : inArray(reservations.status, [...filter.statuses]),
          page.afterId === undefined ? undefined : lt(reservations.id, page.afterId),
        ),
      )
      .orderBy(desc(reservations.id))
      .limit(page.limit + 1);
    const lines = await this.linesOf(
      tenantId,
      rows.map((row) => row.id),
    );
    return rows.map((row) => ({ ...row, lines: lines.filter((line) => line.reservationId === row.id) }));
  }
}
