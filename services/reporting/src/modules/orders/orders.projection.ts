import { inTransaction, type Database } from '@only/platform/db';
import type { SalesRepository } from '../sales/sales.repository.ts';
import { applyOrderFact, type OrderFact } from './order-state.ts';
import type { OrdersRepository } from './orders.repository.ts';

/**
 * Keeps the order read models (per-order state, status counts, daily sales) up to date with
 * order events. Runs inside the inbox transaction of each event, so its writes and the record that
 * the event was processed commit together.
 */
export class OrdersProjection {
  private readonly db: Database;
  private readonly orders: OrdersRepository;
  private readonly sales: SalesRepository;

  constructor(deps: { db: Database; orders: OrdersRepository; sales: SalesRepository }) {
    this.db = deps.db;
    this.orders = deps.orders;
    this.sales = deps.sales;
  }

  /**
   * Applies what one event tells about an order. The order's state row is created or locked
   * first, so the events of one order are applied one after the other even when delivered
   * concurrently; then daily sales, then the status counts (always in this order, so concurrent
   * events never wait for each other in a circle).
   */
  async apply(tenantId: string, orderId: string, fact: OrderFact): Promise<void> {
    await inTransaction(this.db, async () => {
      const fresh = applyOrderFact(undefined, fact);
      const created =
        fresh.next !== undefined && (await this.orders.insertIfAbsent(tenantId, orderId, fresh.next));
      let change = fresh;
      if (!created) {
        const current = await this.orders.findForUpdate(tenantId, orderId);
        // Rows are never deleted: a conflict on insert means the row is there.
        if (current === undefined) throw new Error(`order state ${orderId} vanished`);
        change = applyOrderFact(current, fact);
        if (change.next !== undefined) await this.orders.update(tenantId, orderId, change.next);
      }
      if (change.sales !== undefined) await this.sales.add(tenantId, change.sales);
      if (change.statusMove !== undefined) {
        await this.orders.moveStatus(tenantId, change.statusMove.from, change.statusMove.to);
      }
    });
  }
}
