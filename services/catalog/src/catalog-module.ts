import { systemClock } from '@only/platform/clock';
import { enableIdempotency } from '@only/platform/http';
import {
  createServiceKernel,
  type ServiceDependencies,
  type ServiceKernel,
  type ServiceModule,
} from '@only/platform/service';
import { catalogRpc } from './catalog-rpc.ts';
import { catalogPlatformTables } from './db/schema.ts';
import { catalogMigrations } from './migrations.ts';
import { CategoriesRepository } from './modules/categories/categories.repository.ts';
import { categoriesRoutes } from './modules/categories/categories.routes.ts';
import { CategoriesService } from './modules/categories/categories.service.ts';
import { LocationsRepository } from './modules/locations/locations.repository.ts';
import { locationsRoutes } from './modules/locations/locations.routes.ts';
import { LocationsService } from './modules/locations/locations.service.ts';
import { ProductsRepository } from './modules/products/products.repository.ts';
import { productsRoutes } from './modules/products/products.routes.ts';
import { ProductsService } from './modules/products/products.service.ts';
import { ReservationSweeper } from './modules/reservations/reservation-sweeper.ts';
import { ReservationsRepository } from './modules/reservations/reservations.repository.ts';
import { reservationsRoutes } from './modules/reservations/reservations.routes.ts';
import { ReservationsService } from './modules/reservations/reservations.service.ts';
import { LowStockAlerts } from './modules/stock/low-stock.ts';
import { StockRepository } from './modules/stock/stock.repository.ts';
import { stockRoutes } from './modules/stock/stock.routes.ts';
import { StockService } from './modules/stock/stock.service.ts';
import { seedDemoData } from './seed/demo-data.ts';

/** Settings of the catalog service beyond what every service gets; each has a default. */
export interface CatalogSettings {
  /** How long a reservation holds stock when the caller names no expiry; 900 s by default. */
  readonly reservationTtlSeconds?: number;
  /** How often expired reservations are released; every 5 s by default. */
  readonly sweepIntervalMs?: number;
}

/** What the catalog service needs from its host. */
export type CatalogDependencies = ServiceDependencies & CatalogSettings;

/** The catalog service as a module, plus its internals for the RPC layer, tests and seeding. */
export interface CatalogModule extends ServiceModule {
  readonly kernel: ServiceKernel;
  readonly products: ProductsService;
  readonly categories: CategoriesService;
  readonly locations: LocationsService;
  readonly stock: StockService;
  readonly reservations: ReservationsService;
  /** Releases expired reservations (periodically once started). */
  readonly sweeper: ReservationSweeper;
}

/** Builds the catalog service: products, categories, stock per location, reservations, low-stock alerts. */
export function createCatalogModule(deps: CatalogDependencies): CatalogModule {
  const logger = deps.logger.child({ module: 'catalog' });
  const kernel = createServiceKernel({
    name: 'catalog',
    db: deps.db,
    bus: deps.bus,
    logger,
    tables: catalogPlatformTables,
  });
  const clock = deps.clock ?? systemClock;
  const { db } = deps;
  const outbox = kernel.outbox;

  const locations = new LocationsService({ db, repository: new LocationsRepository(db), clock });
  const categories = new CategoriesService({ db, repository: new CategoriesRepository(db), clock });
  const productsRepository = new ProductsRepository(db);
  const products = new ProductsService({
    db,
    repository: productsRepository,
    categories,
    locations,
    outbox,
    clock,
  });
  const stockRepository = new StockRepository(db);
  const alerts = new LowStockAlerts({ outbox, clock });
  const stock = new StockService({
    db,
    repository: stockRepository,
    products: productsRepository,
    locations,
    alerts,
    outbox,
    clock,
  });
  const reservations = new ReservationsService({
    db,
    repository: new ReservationsRepository(db),
    stock: stockRepository,
    restock: stock,
    products: productsRepository,
    locations,
    alerts,
    outbox,
    clock,
    ttlSeconds: deps.reservationTtlSeconds ?? 900,
  });
  const sweeper = new ReservationSweeper({
    reservations,
    logger,
    intervalMs: deps.sweepIntervalMs ?? 5_000,
  });

  return {
    name: 'catalog',
    description: 'Products, categories, stock per location, reservations and low-stock alerts.',
    migrations: catalogMigrations,
    readinessChecks: [
      {
        name: 'catalog.database',
        check: async () => {
          await deps.pingDatabase();
          return true;
        },
      },
      { name: 'catalog.bus', check: () => deps.bus.isHealthy() },
    ],
    kernel,
    products,
    categories,
    locations,
    stock,
    reservations,
    sweeper,
    rpc: [catalogRpc({ reservations, products })],
    registerRoutes(app) {
      enableIdempotency(app, kernel.idempotency);
      productsRoutes(app, products);
      categoriesRoutes(app, categories);
      locationsRoutes(app, locations);
      stockRoutes(app, stock);
      reservationsRoutes(app, reservations);
    },
    start() {
      kernel.start();
      sweeper.start();
      return Promise.resolve();
    },
    async stop() {
      await sweeper.stop();
      await kernel.stop();
    },
    seedDemo: (ctx) => seedDemoData(ctx, { products, categories, locations, stock }),
  };
}
