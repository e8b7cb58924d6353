import type { Clock } from '@only/platform/clock';
import type { RequestContext } from '@only/platform/context';
import type { CustomersRepository } from '../customers/customers.repository.ts';
import type { OrdersRepository } from '../orders/orders.repository.ts';
import type { SalesRepository } from '../sales/sales.repository.ts';
import { utcDay } from '../../utc-day.ts';
import type { Kpis } from './kpis.dto.ts';

/** The figures of a tenant's dashboard, read from the read models. */
export class KpisService {
  private readonly orders: OrdersRepository;
  private readonly customers: CustomersRepository;
  private readonly sales: SalesRepository;
  private readonly clock: Clock;

  constructor(deps: {
    orders: OrdersRepository;
    customers: CustomersRepository;
    sales: SalesRepository;
    clock: Clock;
  }) {
    this.orders = deps.orders;
    this.customers = deps.customers;
    this.sales = deps.sales;
    this.clock = deps.clock;
  }

  async kpis(ctx: RequestContext): Promise<Kpis> {
    const day = utcDay(this.clock.now());
    const [ordersByStatus, customers, today] = await Promise.all([
      this.orders.statusCounts(ctx.tenantId),
      this.customers.count(ctx.tenantId),
      this.sales.range(ctx.tenantId, { from: day, to: day }),
    ]);
    return {
      ordersByStatus,
      customers,
      today: {
        day,
        orders: today.reduce((sum, row) => sum + row.ordersPlaced, 0),
        // Rows come by currency; a currency with only cancellations today has no gross to show.
        gross: today
          .filter((row) => row.ordersPlaced > 0)
          .map((row) => ({ currency: row.currency, amount: row.grossSales })),
      },
    };
  }
}
