/**
 * The migration service: legacy source connectors, mapping files and bulk migration.
 * @module
 */
export * from './modules/connectors/index.ts';
export * from './modules/mapping/index.ts';
export * from './modules/loader/index.ts';
export {
  createMigrationModule,
  type MigrationDependencies,
  type MigrationModule,
} from './migration-module.ts';
export { migrationMigrations } from './migrations.ts';
export type { EntityCounts, QuarantineError, RunStatus } from './modules/runs/runs.table.ts';
