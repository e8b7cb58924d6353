import { and, eq } from 'drizzle-orm';
import { executor, type Database } from '@only/platform/db';
import { numberCounters, type NumberSeries } from './numbering.table.ts';

/** The counters of the number series; every query is scoped to one tenant. */
export class NumberingRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  private where(tenantId: string, series: NumberSeries, period: string) {
    return and(
      eq(numberCounters.tenantId, tenantId),
      eq(numberCounters.series, series),
      eq(numberCounters.period, period),
    );
  }

  /**
   * Locks the counter until the transaction ends (creating it at 0 first if needed) and returns
   * the last number given. Concurrent issuers of the same series wait here, one after the other.
   */
  async lock(tenantId: string, series: NumberSeries, period: string): Promise<number> {
    await executor(this.db)
      .insert(numberCounters)
      .values({ tenantId, series, period, lastValue: 0 })
      .onConflictDoNothing();
    const [row] = await executor(this.db)
      .select({ lastValue: numberCounters.lastValue })
      .from(numberCounters)
      .where(this.where(tenantId, series, period))
      .for('update');
    if (row === undefined) throw new Error(`number counter ${series}/${period} vanished`);
    return row.lastValue;
  }

  /** Records `value` as the last number given (the counter must be locked by this transaction). */
  async advance(tenantId: string, series: NumberSeries, period: string, value: number): Promise<void> {
    await executor(this.db)
      .update(numberCounters)
      .set({ lastValue: value })
      .where(this.where(tenantId, series, period));
  }
}
