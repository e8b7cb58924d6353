import type { OrderStatus } from '@only/contracts/orders';
import { and, eq, sql } from 'drizzle-orm';
import { executor, type Database } from '@only/platform/db';
import { ORDER_STATUSES, type OrderState } from './order-state.ts';
import { orderStates, orderStatusCounts } from './orders.table.ts';

/** Orders per status, every status present. */
export type StatusCounts = Record<OrderStatus, number>;

const ZERO_COUNTS: StatusCounts = { pending: 0, confirmed: 0, fulfilled: 0, completed: 0, cancelled: 0 };

/** Per-order states and per-tenant status counts; every query is scoped to one tenant. */
export class OrdersRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /**
   * Stores the state of an order seen for the first time and returns true; returns false and
   * writes nothing when the order has a row already. On PostgreSQL a concurrent insert of the same
   * order waits here until the other transaction ends, so that exactly one of them creates it.
   */
  async insertIfAbsent(tenantId: string, orderId: string, state: OrderState): Promise<boolean> {
    const inserted = await executor(this.db)
      .insert(orderStates)
      .values({ tenantId, orderId, ...state })
      .onConflictDoNothing()
      .returning({ orderId: orderStates.orderId });
    return inserted.length > 0;
  }

  /** The state of an order, locked until the transaction ends. */
  async findForUpdate(tenantId: string, orderId: string): Promise<OrderState | undefined> {
    const [row] = await executor(this.db)
      .select({
        status: orderStates.status,
        currency: orderStates.currency,
        grandTotal: orderStates.grandTotal,
        taxTotal: orderStates.taxTotal,
        placedAt: orderStates.placedAt,
        cancelledAt: orderStates.cancelledAt,
      })
      .from(orderStates)
      .where(and(eq(orderStates.tenantId, tenantId), eq(orderStates.orderId, orderId)))
      .for('update');
    return row;
  }

  async update(tenantId: string, orderId: string, state: OrderState): Promise<void> {
    await executor(this.db)
      .update(orderStates)
      .set(state)
      .where(and(eq(orderStates.tenantId, tenantId), eq(orderStates.orderId, orderId)));
  }

  /** Moves one order from status `from` (none: a newly seen order) to `to` in the tenant's counts. */
  async moveStatus(tenantId: string, from: OrderStatus | undefined, to: OrderStatus): Promise<void> {
    const t = orderStatusCounts;
    const q = executor(this.db);
    if (from === undefined) {
      await q
        .insert(t)
        .values({ tenantId, [to]: 1 })
        .onConflictDoUpdate({ target: t.tenantId, set: { [to]: sql`${t[to]} + 1` } });
      return;
    }
    // The order was counted in `from`, so the tenant's row exists. (An upsert cannot do this: the
    // row it proposes, with its −1, would fail the non-negative check before the conflict.)
    const [moved] = await q
      .update(t)
      .set({ [from]: sql`${t[from]} - 1`, [to]: sql`${t[to]} + 1` })
      .where(eq(t.tenantId, tenantId))
      .returning({ tenantId: t.tenantId });
    if (!moved) throw new Error(`no status counts of tenant ${tenantId} to move an order from ${from}`);
  }

  /** How many of the tenant's orders are in each status. */
  async statusCounts(tenantId: string): Promise<StatusCounts> {
    const [row] = await executor(this.db)
      .select()
      .from(orderStatusCounts)
      .where(eq(orderStatusCounts.tenantId, tenantId));
    if (!row) return { ...ZERO_COUNTS };
    return Object.fromEntries(ORDER_STATUSES.map((status) => [status, row[status]])) as StatusCounts;
  }
}
