import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceDependencies, ServiceModule } from '@only/platform/service';
import { catalogMigrations, createCatalogModule } from '@only/catalog';
import { createIdentityModule, identityMigrations } from '@only/identity';
import { createInvoicesModule, invoicesConsumers, invoicesMigrations } from '@only/invoices';
import {
  appUrlFromIssuer,
  createNotificationsModule,
  notificationsChannelConfigSchema,
  notificationsConsumers,
  notificationsMigrations,
  notificationsSettingsFrom,
} from '@only/notifications';
import { loadConfig } from '@only/platform/config';
import {
  createMigrationModule,
  migrationMigrations,
  migrationRunsConfigSchema,
  migrationSettingsFrom,
} from '@only/migration';
import { createOrdersModule, ordersMigrations } from '@only/orders';
import { createPaymentsModule, paymentsMigrations } from '@only/payments';
import { createReportingModule, reportingConsumers, reportingMigrations } from '@only/reporting';
import type { ClusterService } from './cluster/cluster.ts';

/** What a host knows that some services need beyond their dependencies. */
export interface HostSettings {
  /** Issuer of access tokens: `<gateway URL>/api/identity`. */
  readonly issuer: string;
  /** Embedded mode's data directory (absent in memory): mails without an SMTP server go below it. */
  readonly dataDir?: string;
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
    name: 'catalog',
    migrations: catalogMigrations,
    create: createCatalogModule,
    entry: entry('@only/catalog/main'),
    portVariable: 'CATALOG_PORT',
    defaultPort: 3002,
    rpcPortVariable: 'CATALOG_RPC_PORT',
    defaultRpcPort: 4002,
    consumers: [],
  },
  {
    name: 'payments',
    migrations: paymentsMigrations,
    create: createPaymentsModule,
    entry: entry('@only/payments/main'),
    portVariable: 'PAYMENTS_PORT',
    defaultPort: 3003,
    rpcPortVariable: 'PAYMENTS_RPC_PORT',
    defaultRpcPort: 4003,
    consumers: [],
  },
  {
    name: 'orders',
    migrations: ordersMigrations,
    create: createOrdersModule,
    entry: entry('@only/orders/main'),
    portVariable: 'ORDERS_PORT',
    defaultPort: 3001,
    rpcPortVariable: 'ORDERS_RPC_PORT',
    defaultRpcPort: 4001,
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
  {
    name: 'invoices',
    migrations: invoicesMigrations,
    create: createInvoicesModule,
    entry: entry('@only/invoices/main'),
    portVariable: 'INVOICES_PORT',
    defaultPort: 3004,
    consumers: invoicesConsumers,
  },
  {
    name: 'notifications',
    migrations: notificationsMigrations,
    // Embedded mode reads the same NOTIFICATIONS_* variables as the service's own process; without
    // an SMTP server, mails are written as .eml files to <data dir>/mail.
    create: (deps, host) =>
      createNotificationsModule({
        ...deps,
        ...notificationsSettingsFrom(loadConfig('notifications', notificationsChannelConfigSchema), {
          appUrl: appUrlFromIssuer(host.issuer),
          ...(host.dataDir === undefined ? {} : { mailDir: join(host.dataDir, 'mail') }),
        }),
      }),
    entry: entry('@only/notifications/main'),
    portVariable: 'NOTIFICATIONS_PORT',
    defaultPort: 3006,
    consumers: notificationsConsumers,
  },
  {
    name: 'migration',
    // After the services it loads into: their tables exist before its runs write them.
    migrations: migrationMigrations,
    // Embedded mode reads the same MIGRATION_* variables (sources, mapping directory) as the
    // service's own process.
    create: (deps) =>
      createMigrationModule({
        ...deps,
        ...migrationSettingsFrom(loadConfig('migration', migrationRunsConfigSchema)),
      }),
    entry: entry('@only/migration/main'),
    portVariable: 'MIGRATION_PORT',
    defaultPort: 3000,
    consumers: [],
  },
];
