import {
  createServiceKernel,
  type ServiceDependencies,
  type ServiceKernel,
  type ServiceModule,
} from '@only/platform/service';
import { migrationPlatformTables } from './db/schema.ts';
import { migrationMigrations } from './migrations.ts';
import { migrateFromFiles, type MigrateFromFilesOptions } from './modules/loader/migrate-command.ts';
import type { MigrateResult } from './modules/loader/migrate-run.ts';

/** What the migration service needs from its host. */
export type MigrationDependencies = ServiceDependencies;

/** The migration service as a module; `migrate` runs a bulk migration on the host's database. */
export interface MigrationModule extends ServiceModule {
  readonly kernel: ServiceKernel;
  migrate(options: Omit<MigrateFromFilesOptions, 'db'>): Promise<MigrateResult>;
}

/**
 * Builds the migration service: runs, checkpoints, the legacy-key id map and the quarantine.
 * It has no HTTP routes yet (runs are started by `only migrate`), and bulk loads emit no events.
 */
export function createMigrationModule(deps: MigrationDependencies): MigrationModule {
  const logger = deps.logger.child({ module: 'migration' });
  const kernel = createServiceKernel({
    name: 'migration',
    db: deps.db,
    bus: deps.bus,
    logger,
    tables: migrationPlatformTables,
  });
  return {
    name: 'migration',
    description: 'Bulk migration from legacy systems: runs, checkpoints, id map, quarantine.',
    migrations: migrationMigrations,
    readinessChecks: [
      {
        name: 'migration.database',
        check: async () => {
          await deps.pingDatabase();
          return true;
        },
      },
    ],
    kernel,
    migrate: (options) => migrateFromFiles({ ...options, db: deps.db }),
    registerRoutes() {
      // No routes yet: see the service README.
    },
    start() {
      kernel.start();
      return Promise.resolve();
    },
    stop: () => kernel.stop(),
  };
}
