/**
 * Reconciliation (`only reconcile`): per entity counts and money sums, checksums over key ranges
 * split down to the differing rows, field-level diffs after the same mapping as `only migrate`;
 * stored runs, reports (JSON, CSV, HTML), metrics and a periodic schedule.
 * @module
 */
export {
  runReconciliation,
  selectEntities,
  discrepancyTotal,
  ReconcileUsageError,
  DEFAULT_FANOUT,
  DEFAULT_LEAF_SIZE,
  type ReconcileOptions,
  type ReconcileProgress,
  type ReconcileResult,
} from './reconcile-run.ts';
export {
  reconcileFromFiles,
  reconcileFromSource,
  type ReconcileFromFilesOptions,
  type ReconcileFromSourceOptions,
} from './reconcile-command.ts';
export type { EntityProgress } from './reconcile-entity.ts';
export {
  listReconcileRuns,
  findReconcileRun,
  getReconcileRun,
  listDiscrepancies,
  allDiscrepancies,
  type ReconcileRun,
  type Discrepancy,
  type DiscrepancyQuery,
  type Page,
} from './reconcile.repository.ts';
export {
  writeReconcileReports,
  parseReportFormats,
  csvLine,
  escapeHtml,
  htmlDiscrepancy,
  htmlSummary,
  REPORT_FORMATS,
  CSV_COLUMNS,
  type ReportFormat,
  type WriteReportsOptions,
} from './reconcile-report.ts';
export {
  startReconcileSchedule,
  reconcileScheduleConfigSchema,
  reconcileScheduleFrom,
  type ReconcileSchedule,
  type ReconcileScheduleOptions,
} from './reconcile-schedule.ts';
export { reconcileMetrics, type ReconcileOutcome } from './reconcile-metrics.ts';
export {
  searchDifferences,
  splitRange,
  type PositionRange,
  type RangeSearch,
  type RangeSearchResult,
} from './range-search.ts';
export { canonicalValues, displayValue, storedTextSql } from './canonical-row.ts';
export {
  DISCREPANCY_KINDS,
  RECONCILE_STATUSES,
  RECONCILE_TRIGGERS,
  type DiscrepancyKind,
  type DiscrepancyCounts,
  type DiffValue,
  type EntityReconciliation,
  type FieldDiff,
  type RangeSearchStats,
  type ReconcileStatus,
  type ReconcileTrigger,
} from './reconcile.table.ts';
