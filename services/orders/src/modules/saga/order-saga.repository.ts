import { and, asc, eq, inArray, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import { executor, type Database } from '@only/platform/db';
import { orderSagas, type OrderSagaRow, type SagaPhase } from './order-saga.table.ts';

/** Columns a step may change. */
export type SagaChanges = Partial<
  Omit<OrderSagaRow, 'orderId' | 'tenantId' | 'idempotencyKey' | 'fingerprint' | 'createdAt'>
>;

/** Thrown when a driver writes to a saga it no longer holds: another process drives it now. */
export class LeaseLost extends Error {
  constructor(orderId: string) {
    super(`the lease of saga ${orderId} was taken over`);
    this.name = 'LeaseLost';
  }
}

/**
 * Stored order sagas. A driver holds a saga by its lease (`lease_owner` until `lease_until`) and
 * every write it makes is conditional on still holding it, so that a process that stalled past
 * its lease cannot overwrite what the process that took over did.
 */
export class OrderSagaRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /** Inserts a new saga; `undefined` when its idempotency key is taken in the tenant. */
  async insert(row: OrderSagaRow): Promise<OrderSagaRow | undefined> {
    const [inserted] = await executor(this.db)
      .insert(orderSagas)
      .values(row)
      .onConflictDoNothing()
      .returning();
    return inserted;
  }

  async find(tenantId: string, orderId: string): Promise<OrderSagaRow | undefined> {
    const [row] = await executor(this.db)
      .select()
      .from(orderSagas)
      .where(and(eq(orderSagas.tenantId, tenantId), eq(orderSagas.orderId, orderId)));
    return row;
  }

  async findByKey(tenantId: string, idempotencyKey: string): Promise<OrderSagaRow | undefined> {
    const [row] = await executor(this.db)
      .select()
      .from(orderSagas)
      .where(and(eq(orderSagas.tenantId, tenantId), eq(orderSagas.idempotencyKey, idempotencyKey)));
    return row;
  }

  /** Applies `changes` if `owner` still holds the saga; {@link LeaseLost} when it does not. */
  async update(
    saga: OrderSagaRow,
    owner: string,
    changes: SagaChanges & { updatedAt: Date },
  ): Promise<OrderSagaRow> {
    const [row] = await this.write(saga, owner, changes);
    if (!row) throw new LeaseLost(saga.orderId);
    return row;
  }

  /**
   * Applies `changes` if `owner` still holds the saga and it is still in `phase`: `undefined` when
   * the phase moved on meanwhile (a cancellation), {@link LeaseLost} when the lease did.
   */
  async updateInPhase(
    saga: OrderSagaRow,
    owner: string,
    phase: SagaPhase,
    changes: SagaChanges & { updatedAt: Date },
  ): Promise<OrderSagaRow | undefined> {
    const [row] = await this.write(saga, owner, changes, phase);
    if (row) return row;
    const current = await this.find(saga.tenantId, saga.orderId);
    if (current?.leaseOwner !== owner) throw new LeaseLost(saga.orderId);
    return undefined;
  }

  private write(saga: OrderSagaRow, owner: string, changes: SagaChanges, phase?: SagaPhase) {
    return executor(this.db)
      .update(orderSagas)
      .set(changes)
      .where(
        and(
          eq(orderSagas.tenantId, saga.tenantId),
          eq(orderSagas.orderId, saga.orderId),
          eq(orderSagas.leaseOwner, owner),
          phase === undefined ? undefined : eq(orderSagas.phase, phase),
        ),
      )
      .returning();
  }

  /** Takes one unfinished saga whose lease is free or expired; `undefined` if it is held or done. */
  async claim(
    tenantId: string,
    orderId: string,
    lease: { owner: string; now: Date; until: Date },
  ): Promise<OrderSagaRow | undefined> {
    const [row] = await executor(this.db)
      .update(orderSagas)
      .set({
        leaseOwner: lease.owner,
        leaseUntil: lease.until,
        attempts: sql`${orderSagas.attempts} + 1`,
        updatedAt: lease.now,
      })
      .where(
        and(
          eq(orderSagas.tenantId, tenantId),
          eq(orderSagas.orderId, orderId),
          ne(orderSagas.phase, 'done'),
          or(isNull(orderSagas.leaseUntil), lt(orderSagas.leaseUntil, lease.now)),
        ),
      )
      .returning();
    return row;
  }

  /**
   * Takes the unfinished saga of any tenant that is due soonest — its retry time reached and no
   * live lease on it (a driver that crashed leaves an expired one). SKIP LOCKED lets several
   * replicas recover side by side without waiting for each other.
   */
  async claimDue(lease: { owner: string; now: Date; until: Date }): Promise<OrderSagaRow | undefined> {
    const due = executor(this.db)
      .select({ orderId: orderSagas.orderId })
      .from(orderSagas)
      .where(
        and(
          ne(orderSagas.phase, 'done'),
          lte(orderSagas.nextAttemptAt, lease.now),
          or(isNull(orderSagas.leaseUntil), lt(orderSagas.leaseUntil, lease.now)),
        ),
      )
      .orderBy(asc(orderSagas.nextAttemptAt))
      .limit(1)
      .for('update', { skipLocked: true });
    const [row] = await executor(this.db)
      .update(orderSagas)
      .set({
        leaseOwner: lease.owner,
        leaseUntil: lease.until,
        attempts: sql`${orderSagas.attempts} + 1`,
        updatedAt: lease.now,
      })
      .where(inArray(orderSagas.orderId, due))
      .returning();
    return row;
  }

  /**
   * Turns the saga of a confirmed order that was just cancelled toward giving everything back;
   * `undefined` when the order has no saga (it was taken without payment).
   */
  async requestCancel(
    tenantId: string,
    orderId: string,
    reason: string,
    now: Date,
  ): Promise<OrderSagaRow | undefined> {
    const [row] = await executor(this.db)
      .update(orderSagas)
      .set({ phase: 'cancelling', outcome: null, cancelReason: reason, nextAttemptAt: now, updatedAt: now })
      .where(
        and(
          eq(orderSagas.tenantId, tenantId),
          eq(orderSagas.orderId, orderId),
          inArray(orderSagas.phase, ['completing', 'done']),
        ),
      )
      .returning();
    return row;
  }
}
