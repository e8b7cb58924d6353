import {
  customerDeletedV1,
  customerUpdatedV1,
  orderCancelledV1,
  orderStatusChangedV1,
} from '@only/contracts/orders';
import { CatalogService } from '@only/contracts/rpc/catalog';
import { PaymentsService } from '@only/contracts/rpc/payments';
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
import { ordersRpc } from './orders-rpc.ts';
import { cacheKeyOf, ReadCache } from './read-cache.ts';
import { CustomersRepository } from './modules/customers/customers.repository.ts';
import { customersRoutes } from './modules/customers/customers.routes.ts';
import { CustomersService } from './modules/customers/customers.service.ts';
import { OrdersRepository } from './modules/orders/orders.repository.ts';
import { ordersRoutes, type PaidOrders } from './modules/orders/orders.routes.ts';
import { OrdersService } from './modules/orders/orders.service.ts';
import { DEFAULT_TAX_RATES, type TaxRates } from './modules/saga/catalog-pricing.ts';
import { OrderSaga } from './modules/saga/order-saga.ts';
import { OrderSagaRepository } from './modules/saga/order-saga.repository.ts';
import { PaidPlacement } from './modules/saga/paid-placement.ts';
import type { SagaSettings } from './modules/saga/saga-support.ts';
import { seedDemoData } from './seed/demo-data.ts';

/** Settings of the orders service beyond what every service gets; each has a default. */
export interface OrdersSettings {
  /** Tax rate (basis points) of each catalog tax class, for paid orders priced from the catalog. */
  readonly taxRates?: TaxRates;
  /** Leases, retries and recovery of the order saga. */
  readonly saga?: SagaSettings;
}

/**
 * What the orders service needs from its host. Paid orders (the order saga) need `rpc`, to reach
 * catalog and payments; without it, orders are taken without payment only.
 */
export type OrdersDependencies = ServiceDependencies & OrdersSettings;

/** The orders service as a module, plus its internals for tests and seeding. */
export interface OrdersModule extends ServiceModule {
  readonly kernel: ServiceKernel;
  readonly customers: CustomersService;
  readonly orders: OrdersService;
  /** The order saga's driver and recovery; absent without `rpc`. */
  readonly saga: OrderSaga | undefined;
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

  let paid: PaidOrders | undefined;
  if (deps.rpc !== undefined) {
    const sagas = new OrderSagaRepository(deps.db);
    const catalog = deps.rpc.client(CatalogService);
    const payments = deps.rpc.client(PaymentsService);
    const saga = new OrderSaga({
      db: deps.db,
      sagas,
      orders,
      catalog,
      payments,
      clock,
      logger,
      ...(deps.saga === undefined ? {} : { settings: deps.saga }),
    });
    const placement = new PaidPlacement({
      db: deps.db,
      saga,
      sagas,
      orders,
      customers: customersRepository,
      catalog,
      payments,
      clock,
      taxRates: deps.taxRates ?? DEFAULT_TAX_RATES,
    });
    paid = { placement, saga };
  }

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
    saga: paid?.saga,
    rpc: [ordersRpc({ db: deps.db, orders })],
    registerRoutes(app) {
      enableIdempotency(app, kernel.idempotency);
      customersRoutes(app, customers);
      ordersRoutes(app, orders, kernel.idempotency, paid);
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
      paid?.saga.start();
      return Promise.resolve();
    },
    async stop() {
      await paid?.saga.stop();
      await kernel.stop();
    },
    seedDemo: (ctx) => seedDemoData(ctx, { customers, orders }),
  };
}
