import { counter, gauge } from '@only/platform/metrics';

/** Sync instruments, registered once per process. Alert on conflicts and failures. */
export const syncMetrics = {
  conflicts: counter(
    'only_migration_sync_conflicts_total',
    'Rows changed in both the legacy system and Only since the last sync, by entity, policy and resolution (open: parked).',
    ['tenant', 'entity', 'policy', 'resolution'],
  ),
  failures: counter(
    'only_migration_sync_failures_total',
    'Sync failures: scope run (an entity pass stopped) or row (a legacy row no longer maps).',
    ['tenant', 'entity', 'scope'],
  ),
  rows: counter(
    'only_migration_sync_rows_total',
    'Rows sync applied or looked at, by entity and outcome (inserted, updated, deleted, unchanged).',
    ['entity', 'outcome'],
  ),
  lastRun: gauge(
    'only_migration_sync_last_run_timestamp_seconds',
    'When the last sync of a tenant ended, by outcome (alert when it is too long ago).',
    ['tenant', 'outcome'],
  ),
};
