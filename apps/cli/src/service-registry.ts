import { fileURLToPath } from 'node:url';
import type { ServiceDependencies, ServiceModule } from '@only/platform/service';
import { createOrdersModule, ordersMigrations } from '@only/orders';
import { createReportingModule, reportingConsumers, reportingMigrations } from '@only/reporting';
import type { ClusterService } from './cluster/cluster.ts';

/** A service the CLI can run: in this process (embedded) or as its own process (distributed). */
export interface RegisteredService extends ClusterService {
  readonly create: (deps: ServiceDependencies) => ServiceModule;
}

const entry = (specifier: string) => fileURLToPath(import.meta.resolve(specifier));

/** Every service of the platform, in dependency order (migrations run in this order). */
export const SERVICES: readonly RegisteredService[] = [
  {
    name: 'orders',
    migrations: ordersMigrations,
    create: createOrdersModule,
    entry: entry('@only/orders/main'),
    portVariable: 'ORDERS_PORT',
    defaultPort: 3001,
    consumers: [],
  },
  {
    name: 'reporting',
    migrations: reportingMigrations,
    create: createReportingModule,
    entry: entry('@only/reporting/main'),
    portVariable: 'REPORTING_PORT',
    defaultPort: 3007,
    consumers: reportingConsumers,
  },
];
