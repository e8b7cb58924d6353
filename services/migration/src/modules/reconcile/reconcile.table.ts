import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { migrationSchema } from '../../db/migration-schema.ts';
import type { QuarantineError } from '../runs/runs.table.ts';

export const RECONCILE_STATUSES = ['running', 'completed', 'failed'] as const;
/** `failed` covers runs stopped before the end (the error says why). */
export type ReconcileStatus = (typeof RECONCILE_STATUSES)[number];

export const RECONCILE_TRIGGERS = ['cli', 'schedule', 'api'] as const;
/** What started a reconciliation run. */
export type ReconcileTrigger = (typeof RECONCILE_TRIGGERS)[number];

export const DISCREPANCY_KINDS = ['missing', 'extra', 'changed', 'quarantined'] as const;
/**
 * - `missing`: in the legacy system (after mapping) but not in Only;
 * - `extra`: in Only under a legacy key the legacy system no longer has;
 * - `changed`: in both, with different values (or the legacy row no longer maps);
 * - `quarantined`: not in Only because it was rejected at migration and still is — reported, but
 *   not counted as a discrepancy.
 */
export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];

/** A field value as reports show it: text, a whole number, or null. */
export type DiffValue = string | number | boolean | null;

/** One field that differs: its value after mapping the legacy row, and the value Only holds. */
export interface FieldDiff {
  readonly field: string;
  readonly legacy: DiffValue;
  readonly only: DiffValue;
}

/** Discrepancy counts of a run or an entity. */
export interface DiscrepancyCounts {
  missing: number;
  extra: number;
  changed: number;
  quarantined: number;
}

/** How the key-range search of one entity went (stage 2). */
export interface RangeSearchStats {
  /** Source pages (keyset batches) compared. */
  pages: number;
  /** Ranges whose checksums were compared on both sides. */
  rangesCompared: number;
  /** Queries of checksums on the Only side (one per page, plus one per split level). */
  roundTrips: number;
  /** Keys whose Only-side rows were read again to split a differing range. */
  keysReread: number;
  /** Rows fetched and compared field by field. */
  rowsFetched: number;
  /** Whether extra rows had to be located by key buckets (Only had rows the pages did not match). */
  bucketScan: boolean;
}

/** The summary of one entity in a run: stage 1 aggregates, stage 2 outcome. */
export interface EntityReconciliation {
  readonly entity: string;
  readonly target: string;
  /** `pending`: its target cannot be loaded (nor compared) yet. */
  readonly status: 'compared' | 'pending';
  readonly reason?: string;
  /** Stage 1, by SQL aggregates on the source: rows (the mapping's filter applied), money sums in minor units. */
  readonly legacy: { readonly rows: number; readonly sums: Readonly<Record<string, string | null>> };
  /**
   * Stage 1 on Only: rows with a legacy key in the id map, their money sums, and the tenant's rows
   * with no legacy key (`native`: created in Only; never counted as extra).
   */
  readonly only: {
    readonly rows: number;
    readonly native: number;
    readonly sums: Readonly<Record<string, string | null>>;
  };
  /** Source rows that mapped and were compared; `matched` of them are equal in Only. */
  readonly compared: number;
  readonly matched: number;
  readonly counts: DiscrepancyCounts;
  readonly search: RangeSearchStats;
}

/** One `only reconcile` run of a mapping against one tenant. */
export const reconcileRuns = migrationSchema.table(
  'reconcile_runs',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    mappingName: text('mapping_name').notNull(),
    mappingHash: text('mapping_hash').notNull(),
    /** The source URL with any password removed. */
    sourceUrl: text('source_url').notNull(),
    trigger: text('trigger', { enum: RECONCILE_TRIGGERS }).notNull(),
    status: text('status', { enum: RECONCILE_STATUSES }).notNull(),
    /** Entities asked for (null: every entity of the mapping). */
    entityFilter: jsonb('entity_filter').$type<string[]>(),
    entities: jsonb('entities').$type<EntityReconciliation[]>().notNull().default([]),
    missing: integer('missing').notNull().default(0),
    extra: integer('extra').notNull().default(0),
    changed: integer('changed').notNull().default(0),
    quarantined: integer('quarantined').notNull().default(0),
    error: text('error'),
    startedAt: timestamptz('started_at').notNull().defaultNow(),
    finishedAt: timestamptz('finished_at'),
  },
  (t) => [
    check('reconcile_runs_status_check', sql`${t.status} in ('running', 'completed', 'failed')`),
    check('reconcile_runs_trigger_check', sql`${t.trigger} in ('cli', 'schedule', 'api')`),
    index('reconcile_runs_tenant_idx').on(t.tenantId, t.id.desc()),
  ],
);

/** One row that differs between the legacy system and Only, found by a run. */
export const reconcileDiscrepancies = migrationSchema.table(
  'reconcile_discrepancies',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    runId: text('run_id')
      .notNull()
      .references(() => reconcileRuns.id, { onDelete: 'cascade' }),
    entity: text('entity').notNull(),
    kind: text('kind', { enum: DISCREPANCY_KINDS }).notNull(),
    /** Encoded legacy key (`["100001","2"]`); null only for a legacy row without its key. */
    legacyKey: text('legacy_key'),
    /** The Only id, when Only has (or had) the row. */
    onlyId: text('only_id'),
    fields: jsonb('fields').$type<FieldDiff[]>().notNull().default([]),
    /** Why the legacy row does not map (changed, missing or quarantined rows). */
    errors: jsonb('errors').$type<QuarantineError[]>(),
  },
  (t) => [
    check(
      'reconcile_discrepancies_kind_check',
      sql`${t.kind} in ('missing', 'extra', 'changed', 'quarantined')`,
    ),
    index('reconcile_discrepancies_run_idx').on(t.runId, t.id),
    index('reconcile_discrepancies_run_entity_idx').on(t.runId, t.entity, t.kind, t.id),
  ],
);

export type ReconcileRunRow = typeof reconcileRuns.$inferSelect;
export type ReconcileDiscrepancyRow = typeof reconcileDiscrepancies.$inferSelect;
