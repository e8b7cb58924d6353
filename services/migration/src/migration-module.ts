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
import { QuarantineRepository } from './modules/quarantine/quarantine.repository.ts';
import { quarantineRoutes } from './modules/quarantine/quarantine.routes.ts';
import { reconcileRoutes } from './modules/reconcile/reconcile.routes.ts';
import {
  startReconcileSchedule,
  type ReconcileSchedule,
  type ReconcileScheduleOptions,
} from './modules/reconcile/reconcile-schedule.ts';
import { QuarantineService } from './modules/quarantine/quarantine.service.ts';
import { OpenStreams } from './modules/runs/run-events.ts';
import { RunExecutor } from './modules/runs/run-executor.ts';
import { RunsRepository } from './modules/runs/runs.repository.ts';
import { runsRoutes } from './modules/runs/runs.routes.ts';
import { RunsService } from './modules/runs/runs.service.ts';
import { SourceCatalog, type NamedSource } from './modules/runs/source-catalog.ts';
import { syncRoutes } from './modules/sync/sync.routes.ts';
import { SyncService } from './modules/sync/sync.service.ts';

/** Settings of the migration service beyond what every service gets; each has a default. */
export interface MigrationSettings {
  /** The sources runs started through the API may read, by name (`MIGRATION_SOURCES`); none by default. */
  readonly sources?: readonly NamedSource[];
  /** Directory of the mapping files runs may name; none by default (mappings are sent inline). */
  readonly mappingsDir?: string;
  /** Accept source URLs in requests, not only named sources; false by default. */
  readonly allowSourceUrls?: boolean;
  /** Runs (dry runs included) one process executes at a time; 2 by default. */
  readonly maxRuns?: number;
  /** Interval of the keep-alive comments on run event streams; 5 s by default. */
  readonly streamHeartbeatMs?: number;
  /** How often a stream re-reads a run executed by another process; 1 s by default. */
  readonly streamPollIntervalMs?: number;
  /** How often a running run checks whether another process stopped it; 1 s by default. */
  readonly stopCheckIntervalMs?: number;
  /** How long a stop waits for the run's current batch before answering 202; 10 s by default. */
  readonly stopWaitMs?: number;
  /** How long a finished dry run stays readable; an hour by default. */
  readonly dryRunRetentionMs?: number;
  /** Periodic reconciliation during dual operation (`MIGRATION_RECONCILE_*`); off when null or absent. */
  readonly reconcileSchedule?: Omit<ReconcileScheduleOptions, 'db' | 'logger'> | null;
}

/** What the migration service needs from its host. */
export type MigrationDependencies = ServiceDependencies & MigrationSettings;

/** The migration service as a module; `migrate` runs a bulk migration on the host's database. */
export interface MigrationModule extends ServiceModule {
  readonly kernel: ServiceKernel;
  readonly runs: RunsService;
  readonly quarantine: QuarantineService;
  /** Sync state and conflicts (`only sync`). */
  readonly sync: SyncService;
  /** The runs this process executes. */
  readonly executor: RunExecutor;
  migrate(options: Omit<MigrateFromFilesOptions, 'db'>): Promise<MigrateResult>;
}

/**
 * Builds the migration service: runs (started by `only migrate` or through the API, executed in
 * the background, watched live, stopped between batches), checkpoints, the legacy-key id map and
 * the quarantine. Bulk loads emit no events.
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
  const { db } = deps;
  const stopWaitMs = deps.stopWaitMs ?? 10_000;
  const runsRepository = new RunsRepository(db);
  const executor = new RunExecutor({
    db,
    repository: runsRepository,
    logger,
    maxRuns: deps.maxRuns ?? 2,
    stopCheckIntervalMs: deps.stopCheckIntervalMs ?? 1_000,
    dryRunRetentionMs: deps.dryRunRetentionMs ?? 3_600_000,
  });
  const runs = new RunsService({
    repository: runsRepository,
    executor,
    sources: new SourceCatalog(deps.sources ?? [], db),
    mappingsDir: deps.mappingsDir,
    allowSourceUrls: deps.allowSourceUrls ?? false,
    stopWaitMs,
  });
  const quarantine = new QuarantineService({ repository: new QuarantineRepository(db), runs });
  const sync = new SyncService({ db });
  const streams = new OpenStreams();
  let schedule: ReconcileSchedule | undefined;
  const stopRuns = () =>
    executor.stopAll(
      'Interrupted: the migration service stopped; resume the run with "resume": true',
      stopWaitMs,
    );

  return {
    name: 'migration',
    description:
      'Migration from legacy systems: runs started, watched and stopped through the API, checkpoints, id map, quarantine.',
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
    runs,
    quarantine,
    sync,
    executor,
    migrate: (options) => migrateFromFiles({ ...options, db }),
    registerRoutes(app) {
      // Live streams never end by themselves: end them before the server waits for open requests.
      app.addHook('preClose', (done) => {
        streams.closeAll();
        done();
      });
      runsRoutes(app, runs, {
        streams,
        heartbeatMs: deps.streamHeartbeatMs ?? 5_000,
        pollIntervalMs: deps.streamPollIntervalMs ?? 1_000,
      });
      quarantineRoutes(app, quarantine);
      reconcileRoutes(app, db);
      syncRoutes(app, sync);
    },
    start() {
      kernel.start();
      if (deps.reconcileSchedule)
        schedule = startReconcileSchedule({ ...deps.reconcileSchedule, db, logger });
      return Promise.resolve();
    },
    async stop() {
      streams.closeAll();
      await schedule?.stop();
      await stopRuns();
      await kernel.stop();
    },
  };
}
