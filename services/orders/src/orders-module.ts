import {
  customerDeletedV1,
  customerUpdatedV1,
  orderCancelledV1,
  orderStatusChangedV1,
} from '@only/contracts/orders';
import { MemoryCache } from '@only/platform/cache';
import { systemClock } from '@only/platform/clock';
import { enableIdempotency } from '@only/platform/http';
import {
  createServiceKernel,
  type ServiceDependencies,
  type ServiceKernel,
  type ServiceModule,
} from '@only/platform/service';
import { ordersPlatformTables } from './db/schema.ts';
import { ordersMigrations } from './migrations.ts';
import { cacheKeyOf, ReadCache } from './read-cache.ts';
import { CustomersRepository } from './modules/customers/customers.repository.ts';
import { customersRoutes } from './modules/customers/customers.routes.ts';
import { CustomersService } from './modules/customers/customers.service.ts';
import { OrdersRepository } from './modules/orders/orders.repository.ts';
import { ordersRoutes } from './modules/orders/orders.routes.ts';
import { OrdersService } from './modules/orders/orders.service.ts';
import { seedDemoData } from './seed/demo-data.ts';

/** What the orders service needs from its host. */
export type OrdersDependencies = ServiceDependencies;

/** The orders service as a module, plus its internals for tests and seeding. */
export interface OrdersModule extends ServiceModule {
  readonly kernel: ServiceKernel;
  readonly customers: CustomersService;
  readonly orders: OrdersService;
}

/** Builds the orders service: customers, orders and their lifecycle. */
export function createOrdersModule(deps: OrdersDependencies): OrdersModule {
  const logger = deps.logger.child({ module: 'orders' });
  const kernel = createServiceKernel({
    name: 'orders',
    db: deps.db,
    bus: deps.bus,
    logger,
    tables: ordersPlatformTables,
  });
  const clock = deps.clock ?? systemClock;
  const cache = new ReadCache(deps.cache ?? new MemoryCache({ name: 'orders' }));
  const customersRepository = new CustomersRepository(deps.db);
  const customers = new CustomersService({
    db: deps.db,
    repository: customersRepository,
    outbox: kernel.outbox,
    clock,
    cache,
  });
  const orders = new OrdersService({
    db: deps.db,
    orders: new OrdersRepository(deps.db),
    outbox: kernel.outbox,
    clock,
    cache,
  });

  return {
    name: 'orders',
    description: 'Customers, orders and their lifecycle.',
    migrations: ordersMigrations,
    readinessChecks: [
      {
        name: 'orders.database',
        check: async () => {
          await deps.pingDatabase();
          return true;
        },
      },
      { name: 'orders.bus', check: () => deps.bus.isHealthy() },
    ],
    kernel,
    customers,
    orders,
    registerRoutes(app) {
      enableIdempotency(app, kernel.idempotency);
      customersRoutes(app, customers);
      ordersRoutes(app, orders);
    },
    async subscribe() {
      // Every replica drops its own cached copies when any replica changes an order or customer:
      // a write's direct invalidation reaches the shared cache, not other replicas' memory.
      await deps.bus.subscribe({
        consumer: 'orders-cache',
        // Changes only: what was just created cannot be cached stale anywhere.
        patterns: [
          orderStatusChangedV1.type,
          orderCancelledV1.type,
          customerUpdatedV1.type,
          customerDeletedV1.type,
        ],
        broadcast: true,
        handler: (event) => cache.invalidate(cacheKeyOf(event.type, event.tenantId, event.aggregateId)),
      });
    },
    start() {
      kernel.start();
      return Promise.resolve();
    },
    stop: () => kernel.stop(),
    seedDemo: (ctx) => seedDemoData(ctx, { customers, orders }),
  };
}
