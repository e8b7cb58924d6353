/**
 * Continuous sync (`only sync`): per entity incrementally by a watermark column or by comparing
 * every row, conflicts resolved by policy or parked for the API, deletions applied where the
 * target can; resumable passes, alerts (outbox events, metrics) and a schedule.
 * @module
 */
export {
  runSync,
  selectSyncEntities,
  SyncUsageError,
  type SyncOptions,
  type SyncProgress,
  type SyncResult,
} from './sync-run.ts';
export {
  syncFromFiles,
  syncFromSource,
  type SyncFromFilesOptions,
  type SyncFromSourceOptions,
} from './sync-command.ts';
export type { EntitySyncResult, RejectedRow } from './sync-entity.ts';
export {
  startSyncSchedule,
  parseInterval,
  type SyncSchedule,
  type SyncScheduleOptions,
} from './sync-schedule.ts';
export { syncMetrics } from './sync-metrics.ts';
export {
  listSyncStates,
  findSyncState,
  listConflicts,
  findConflict,
  type ConflictQuery,
} from './sync.repository.ts';
export { SyncService, syncErrors } from './sync.service.ts';
export type { SyncEntityState, SyncConflict } from './sync.dto.ts';
export {
  SYNC_CONFLICT_STATUSES,
  type SyncCounts,
  type SyncConflictStatus,
  type SyncResolution,
  type SyncStateRow,
  type SyncConflictRow,
} from './sync.table.ts';
export { deleteSupport, type DeleteSupport } from './target-changes.ts';
