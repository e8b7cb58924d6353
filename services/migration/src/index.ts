/**
 * The migration service: legacy source connectors, mapping files, bulk migration, and its HTTP API
 * to start, watch and stop runs and read the quarantine.
 * @module
 */
export * from './modules/connectors/index.ts';
export * from './modules/mapping/index.ts';
export * from './modules/loader/index.ts';
export * from './modules/reconcile/index.ts';
export * from './modules/sync/index.ts';
export {
  createMigrationModule,
  type MigrationDependencies,
  type MigrationModule,
  type MigrationSettings,
} from './migration-module.ts';
export { buildApp } from './app.ts';
export {
  migrationConfigSchema,
  migrationRunsConfigSchema,
  migrationSettingsFrom,
  type MigrationConfig,
} from './config.ts';
export { migrationErrors } from './errors.ts';
export type { NamedSource } from './modules/runs/source-catalog.ts';
export type { Run } from './modules/runs/runs.dto.ts';
export type { QuarantinedRow } from './modules/quarantine/quarantine.dto.ts';
export { migrationMigrations } from './migrations.ts';
export type { EntityCounts, QuarantineError, RunStatus } from './modules/runs/runs.table.ts';
