import { fileURLToPath } from 'node:url';
import type { ServiceDependencies, ServiceModule } from '@only/platform/service';
import { createIdentityModule, identityMigrations } from '@only/identity';
import { createOrdersModule, ordersMigrations } from '@only/orders';
import { createReportingModule, reportingConsumers, reportingMigrations } from '@only/reporting';
import type { ClusterService } from './cluster/cluster.ts';

/** What a host knows that some services need beyond their dependencies. */
export interface HostSettings {
  /** Issuer of access tokens: `<gateway URL>/api/identity`. */
  readonly issuer: string;
}

/** A service the CLI can run: in this process (embedded) or as its own process (distributed). */
export interface RegisteredService extends ClusterService {
  readonly create: (deps: ServiceDependencies, host: HostSettings) => ServiceModule;
}

const entry = (specifier: string) => fileURLToPath(import.meta.resolve(specifier));

/** Every service of the platform, in dependency order (migrations run in this order). */
export const SERVICES: readonly RegisteredService[] = [
  {
    name: 'identity',
    migrations: identityMigrations,
    create: (deps, host) => createIdentityModule({ ...deps, issuer: host.issuer }),
    entry: entry('@only/identity/main'),
    portVariable: 'IDENTITY_PORT',
    defaultPort: 3005,
    consumers: [],
  },
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
