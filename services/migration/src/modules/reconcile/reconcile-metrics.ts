import { counter, gauge, histogram } from '@only/platform/metrics';
import { DISCREPANCY_KINDS, type EntityReconciliation } from './reconcile.table.ts';

/** How a run ended, for metrics: `clean` (no discrepancies), `discrepancies`, or `failed`. */
export type ReconcileOutcome = 'clean' | 'discrepancies' | 'failed';

/** Reconciliation instruments, registered once per process. */
export const reconcileMetrics = {
  discrepancies: gauge(
    'only_migration_reconcile_discrepancies',
    'Rows of the last completed reconciliation of a tenant, per entity and kind (missing, extra, changed; quarantined is not a discrepancy).',
    ['tenant', 'entity', 'kind'],
  ),
  runs: counter('only_migration_reconcile_runs_total', 'Reconciliation runs by outcome.', ['outcome']),
  duration: histogram(
    'only_migration_reconcile_duration_seconds',
    'Time a reconciliation run took, by outcome.',
    ['outcome'],
    [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
  ),
  lastRun: gauge(
    'only_migration_reconcile_last_run_timestamp_seconds',
    'When the last reconciliation of a tenant ended (alert when it is too long ago).',
    ['tenant', 'outcome'],
  ),
};

/** Records a finished run: per-entity gauges only when it completed (a failed run measured nothing). */
export function recordReconcileRun(
  tenantId: string,
  outcome: ReconcileOutcome,
  seconds: number,
  entities: readonly EntityReconciliation[],
): void {
  reconcileMetrics.runs.inc({ outcome });
  reconcileMetrics.duration.observe({ outcome }, seconds);
  reconcileMetrics.lastRun.set({ tenant: tenantId, outcome }, Date.now() / 1000);
  if (outcome === 'failed') return;
  for (const entity of entities) {
    for (const kind of DISCREPANCY_KINDS) {
      reconcileMetrics.discrepancies.set(
        { tenant: tenantId, entity: entity.entity, kind },
        entity.counts[kind],
      );
    }
  }
}
