import type { RequestContext } from '@only/platform/context';
import { dailySalesCsv } from './sales-csv.ts';
import { toDailySales, type DailySales, type DailySalesQuery, type DailySalesReport } from './sales.dto.ts';
import type { SalesRepository } from './sales.repository.ts';

/** Reads of daily sales. */
export class SalesService {
  private readonly sales: SalesRepository;

  constructor(deps: { sales: SalesRepository }) {
    this.sales = deps.sales;
  }

  /** Sales of the tenant per day and currency over the query's days. */
  async dailySales(ctx: RequestContext, query: DailySalesQuery): Promise<DailySalesReport> {
    return {
      from: query.from,
      to: query.to,
      currency: query.currency ?? null,
      items: await this.items(ctx, query),
    };
  }

  /** The same report as CSV. */
  async dailySalesCsv(ctx: RequestContext, query: DailySalesQuery): Promise<string> {
    return dailySalesCsv(await this.items(ctx, query));
  }

  private async items(
    ctx: RequestContext,
    query: { from: string; to: string; currency?: string },
  ): Promise<DailySales[]> {
    const rows = await this.sales.range(ctx.tenantId, query);
    return rows.map(toDailySales);
  }
}
