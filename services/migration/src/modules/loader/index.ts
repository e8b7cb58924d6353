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
export {
  migrateFromFiles,
  migrateFromSource,
  prepareMapping,
  prepareMappingFile,
  resolveTenant,
  withOpenedSource,
  type MigrateFromFilesOptions,
  type OpenedSource,
  type MigrateFromSourceOptions,
  type PreparedMapping,
} from './migrate-command.ts';
export {
  TARGET_WRITERS,
  type TargetWriter,
  type WriteRow,
  type Validated,
  type StoredShape,
  type StoredColumn,
  type StoredType,
} from './target-writers.ts';
export {
  mapSourceRow,
  wantedKeys,
  lookupIds,
  idKey,
  type MappedRow,
  type UnresolvedRef,
  type WantedKeys,
} from './map-rows.ts';
export {
  barsDisplay,
  jsonLinesDisplay,
  summaryLines,
  type ProgressDisplay,
  type LineWriter,
} from './progress-display.ts';
