/**
 * Bulk migration: extract → transform → validate → load into the owning services' tables, with
 * checkpoints, an id map and a quarantine.
 * @module
 */
export {
  runMigration,
  type MigrateOptions,
  type MigrateProgress,
  type MigrateResult,
  type EntityOutcome,
} from './migrate-run.ts';
export { migrateFromFiles, resolveTenant, type MigrateFromFilesOptions } from './migrate-command.ts';
export { TARGET_WRITERS, type TargetWriter, type WriteRow, type Validated } from './target-writers.ts';
export {
  barsDisplay,
  jsonLinesDisplay,
  summaryLines,
  type ProgressDisplay,
  type LineWriter,
} from './progress-display.ts';
