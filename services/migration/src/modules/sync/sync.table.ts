// Tables of `only sync`: where each entity of a tenant got to, and the conflicts it found.
import { sql } from 'drizzle-orm';
import { check, index, jsonb, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { migrationSchema } from '../../db/migration-schema.ts';

/** What one sync of an entity did, row by row. */
export interface SyncCounts {
  /** Legacy rows read (changed since the watermark, or every row for a diff). */
  read: number;
  inserted: number;
  updated: number;
  /** Read but equal to what Only holds. */
  unchanged: number;
  /** Rows gone from the legacy system whose deletion was applied in Only. */
  deleted: number;
  /** Rows gone from the legacy system that Only keeps (the target cannot delete, or `deletes: ignore`). */
  deletesSkipped: number;
  /** Rows changed on both sides (resolved by policy or parked). */
  conflicts: number;
  /** Legacy rows that no longer map (see the run's `rejected`). */
  rejected: number;
}

/** A sync pass interrupted mid-way: resumed after `after` with the same low watermark. */
export interface SyncPass {
  /** Legacy key values of the last committed batch. */
  readonly after: (string | number | boolean | null)[];
  /** Highest watermark seen so far in the pass, and the keys read at exactly that value. */
  readonly high: string | null;
  readonly highKeys: string[];
  readonly counts: SyncCounts;
}

export const SYNC_STATUSES = ['completed', 'failed'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

/** Per tenant and entity: the watermark reached, when Only was last in step, the last run. */
export const syncState = migrationSchema.table(
  'sync_state',
  {
    tenantId: text('tenant_id').notNull(),
    entity: text('entity').notNull(),
    mode: text('mode', { enum: ['watermark', 'diff'] }).notNull(),
    /** Last watermark applied (source text: local time or a version); null before the first pass. */
    watermark: text('watermark'),
    /** Legacy keys already applied at exactly `watermark` (re-read with `>=`, then skipped). */
    watermarkKeys: jsonb('watermark_keys').$type<string[]>().notNull().default([]),
    /** A pass in progress (null when none): what a resumed sync continues from. */
    pass: jsonb('pass').$type<SyncPass>(),
    /** When the last pass ended: a row Only changed after this is a conflict if legacy changed it too. */
    syncedAt: timestamptz('synced_at'),
    lastRunId: text('last_run_id'),
    lastRunAt: timestamptz('last_run_at'),
    lastStatus: text('last_status', { enum: SYNC_STATUSES }),
    lastError: text('last_error'),
    /** What the last completed pass did. */
    lastCounts: jsonb('last_counts').$type<SyncCounts>(),
    /** Sums over every pass. */
    totals: jsonb('totals').$type<SyncCounts>().notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.entity] }),
    check('sync_state_mode_check', sql`${t.mode} in ('watermark', 'diff')`),
  ],
);

export const SYNC_CONFLICT_STATUSES = ['open', 'resolved'] as const;
export type SyncConflictStatus = (typeof SYNC_CONFLICT_STATUSES)[number];
/** Whose values a resolved conflict kept. */
export type SyncResolution = 'legacy' | 'modern';
/** A field value as conflicts show it. */
export type SyncValue = string | number | boolean | null;

/** A row changed in both systems since the last sync. */
export const syncConflicts = migrationSchema.table(
  'sync_conflicts',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    entity: text('entity').notNull(),
    /** The entity's target (`orders.customers`): whose writer applies the legacy values. */
    target: text('target').notNull(),
    /** Encoded legacy key (`["42"]`). */
    legacyKey: text('legacy_key').notNull(),
    onlyId: text('only_id').notNull(),
    /** The policy in force when it was found. */
    policy: text('policy').notNull(),
    /** Fields that differ. */
    fields: jsonb('fields').$type<string[]>().notNull(),
    /** The legacy row after mapping, and Only's, as canonical values per field. */
    legacyValues: jsonb('legacy_values').$type<Record<string, SyncValue>>().notNull(),
    onlyValues: jsonb('only_values').$type<Record<string, SyncValue>>().notNull(),
    /** The mapped legacy row as its writer takes it (times as ISO text): applied on `legacy`. */
    legacyRow: jsonb('legacy_row').$type<Record<string, unknown>>().notNull(),
    /** The legacy watermark (as read) and Only's last change. */
    legacyWatermark: text('legacy_watermark'),
    onlyChangedAt: timestamptz('only_changed_at'),
    status: text('status', { enum: SYNC_CONFLICT_STATUSES }).notNull(),
    resolution: text('resolution', { enum: ['legacy', 'modern'] }),
    /** `policy:<name>`, or the user or client that resolved it through the API. */
    resolvedBy: text('resolved_by'),
    detectedAt: timestamptz('detected_at').notNull().defaultNow(),
    resolvedAt: timestamptz('resolved_at'),
  },
  (t) => [
    check('sync_conflicts_status_check', sql`${t.status} in ('open', 'resolved')`),
    check(
      'sync_conflicts_resolution_check',
      sql`${t.resolution} is null or ${t.resolution} in ('legacy', 'modern')`,
    ),
    // At most one open conflict per row: a newer legacy change replaces the parked values.
    uniqueIndex('sync_conflicts_open_key')
      .on(t.tenantId, t.entity, t.legacyKey)
      .where(sql`${t.status} = 'open'`),
    index('sync_conflicts_tenant_idx').on(t.tenantId, t.status, t.id),
  ],
);

export type SyncStateRow = typeof syncState.$inferSelect;
export type SyncConflictRow = typeof syncConflicts.$inferSelect;
