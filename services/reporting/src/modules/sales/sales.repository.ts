import { and, asc, between, eq, sql } from 'drizzle-orm';
import { executor, type Database } from '@only/platform/db';
import type { SalesDelta } from '../orders/order-state.ts';
import { dailySales, type DailySalesRow } from './sales.table.ts';

/** Daily sales rows; every query is scoped to one tenant. */
export class SalesRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /** Adds a contribution to its (tenant, day, currency) row, creating the row if needed. */
  async add(tenantId: string, delta: SalesDelta): Promise<void> {
    const t = dailySales;
    // One statement that row-locks what it changes: concurrent contributions add up, none is lost.
    await executor(this.db)
      .insert(t)
      .values({ tenantId, ...delta })
      .onConflictDoUpdate({
        target: [t.tenantId, t.day, t.currency],
        set: {
          ordersPlaced: sql`${t.ordersPlaced} + excluded.orders_placed`,
          grossSales: sql`${t.grossSales} + excluded.gross_sales`,
          tax: sql`${t.tax} + excluded.tax`,
          cancelledOrders: sql`${t.cancelledOrders} + excluded.cancelled_orders`,
          cancelledAmount: sql`${t.cancelledAmount} + excluded.cancelled_amount`,
        },
      });
  }

  /** Rows of the days `from` to `to` (both included), by day then currency. */
  async range(
    tenantId: string,
    filter: { from: string; to: string; currency?: string },
  ): Promise<DailySalesRow[]> {
    return executor(this.db)
      .select()
      .from(dailySales)
      .where(
        and(
          eq(dailySales.tenantId, tenantId),
          between(dailySales.day, filter.from, filter.to),
          filter.currency === undefined ? undefined : eq(dailySales.currency, filter.currency),
        ),
      )
      .orderBy(asc(dailySales.day), asc(dailySales.currency));
  }
}
