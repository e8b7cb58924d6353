import { systemClock } from '@only/platform/clock';
import {
  createServiceKernel,
  type ServiceDependencies,
  type ServiceKernel,
  type ServiceModule,
} from '@only/platform/service';
import { reportingPlatformTables } from './db/schema.ts';
import { reportingConsumers, reportingHandlers, subscribeReporting } from './events/subscriptions.ts';
import { reportingMigrations } from './migrations.ts';
import { CustomersProjection } from './modules/customers/customers.projection.ts';
import { CustomersRepository } from './modules/customers/customers.repository.ts';
import { kpisRoutes } from './modules/kpis/kpis.routes.ts';
import { KpisService } from './modules/kpis/kpis.service.ts';
import { OrdersProjection } from './modules/orders/orders.projection.ts';
import { OrdersRepository } from './modules/orders/orders.repository.ts';
import { SalesRepository } from './modules/sales/sales.repository.ts';
import { salesRoutes } from './modules/sales/sales.routes.ts';
import { SalesService } from './modules/sales/sales.service.ts';

/** What the reporting service needs from its host (its clock says what "today" is). */
export type ReportingDependencies = ServiceDependencies;

/** The reporting service as a module, plus its internals for tests. */
export interface ReportingModule extends ServiceModule {
  readonly kernel: ServiceKernel;
  readonly sales: SalesService;
  readonly kpis: KpisService;
}

/** Builds the reporting service: read models kept from events, and the reports over them. */
export function createReportingModule(deps: ReportingDependencies): ReportingModule {
  const logger = deps.logger.child({ module: 'reporting' });
  // Reporting emits no events: the kernel gives it the inbox and housekeeping, no relay.
  const kernel = createServiceKernel({
    name: 'reporting',
    db: deps.db,
    bus: deps.bus,
    logger,
    tables: reportingPlatformTables,
    emitsEvents: false,
  });
  const ordersRepository = new OrdersRepository(deps.db);
  const customersRepository = new CustomersRepository(deps.db);
  const salesRepository = new SalesRepository(deps.db);
  const handlers = reportingHandlers({
    orders: new OrdersProjection({ db: deps.db, orders: ordersRepository, sales: salesRepository }),
    customers: new CustomersProjection({ db: deps.db, customers: customersRepository }),
  });
  const sales = new SalesService({ sales: salesRepository });
  const kpis = new KpisService({
    orders: ordersRepository,
    customers: customersRepository,
    sales: salesRepository,
    clock: deps.clock ?? systemClock,
  });

  return {
    name: 'reporting',
    description: 'Read models kept from events: daily sales, order status counts, customers; CSV export.',
    migrations: reportingMigrations,
    readinessChecks: [
      {
        name: 'reporting.database',
        check: async () => {
          await deps.pingDatabase();
          return true;
        },
      },
      { name: 'reporting.bus', check: () => deps.bus.isHealthy() },
    ],
    kernel,
    sales,
    kpis,
    registerRoutes(app) {
      salesRoutes(app, sales);
      kpisRoutes(app, kpis);
    },
    consumers: reportingConsumers,
    subscribe: () => subscribeReporting({ bus: deps.bus, inbox: kernel.inbox, handlers }),
    start() {
      kernel.start();
      return Promise.resolve();
    },
    stop: () => kernel.stop(),
  };
}
