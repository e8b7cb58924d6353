// Sync state and conflicts in the migration schema; every query names its tenant.
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { executor, queryRows, type Database } from '@only/platform/db';
import {
  syncConflicts,
  syncState,
  type SyncConflictRow,
  type SyncConflictStatus,
  type SyncCounts,
  type SyncPass,
  type SyncStateRow,
} from './sync.table.ts';

/** Counts of nothing done. */
export const zeroCounts = (): SyncCounts => ({
  read: 0,
  inserted: 0,
  updated: 0,
  unchanged: 0,
  deleted: 0,
  deletesSkipped: 0,
  conflicts: 0,
  rejected: 0,
});

/** `a + b`, field by field. */
export function addCounts(a: SyncCounts, b: SyncCounts): SyncCounts {
  const out = zeroCounts();
  for (const key of Object.keys(out) as (keyof SyncCounts)[]) out[key] = a[key] + b[key];
  return out;
}

/** The state of one entity of a tenant; undefined before its first sync. */
export async function findSyncState(
  db: Database,
  tenantId: string,
  entity: string,
): Promise<SyncStateRow | undefined> {
  const [row] = await executor(db)
    .select()
    .from(syncState)
    .where(and(eq(syncState.tenantId, tenantId), eq(syncState.entity, entity)));
  return row;
}

/** Every entity's state of a tenant, by entity name. */
export function listSyncStates(db: Database, tenantId: string): Promise<SyncStateRow[]> {
  return executor(db)
    .select()
    .from(syncState)
    .where(eq(syncState.tenantId, tenantId))
    .orderBy(asc(syncState.entity));
}

/** Creates the state row when missing (inside the caller's transaction, if any). */
export async function ensureSyncState(
  db: Database,
  tenantId: string,
  entity: string,
  mode: 'watermark' | 'diff',
): Promise<void> {
  await queryRows(
    db,
    sql`insert into migration.sync_state (tenant_id, entity, mode, totals)
      values (${tenantId}, ${entity}, ${mode}, ${JSON.stringify(zeroCounts())}::jsonb)
      on conflict (tenant_id, entity) do update set mode = excluded.mode`,
  );
}

/** Saves a pass in progress: called in the transaction of each batch. */
export async function savePass(
  db: Database,
  tenantId: string,
  entity: string,
  pass: SyncPass,
): Promise<void> {
  await queryRows(
    db,
    sql`update migration.sync_state set pass = ${JSON.stringify(pass)}::jsonb, updated_at = now()
      where tenant_id = ${tenantId} and entity = ${entity}`,
  );
}

/** Ends a pass: the new watermark, Only in step as of now, the counts. */
export async function completePass(
  db: Database,
  options: {
    readonly tenantId: string;
    readonly entity: string;
    readonly runId: string;
    readonly watermark: string | null;
    readonly watermarkKeys: readonly string[];
    readonly counts: SyncCounts;
  },
): Promise<void> {
  const counts = JSON.stringify(options.counts);
  await queryRows(
    db,
    sql`update migration.sync_state set watermark = ${options.watermark},
        watermark_keys = ${JSON.stringify(options.watermarkKeys)}::jsonb, pass = null,
        synced_at = clock_timestamp(), last_run_id = ${options.runId}, last_run_at = clock_timestamp(),
        last_status = 'completed', last_error = null, last_counts = ${counts}::jsonb,
        totals = (select jsonb_object_agg(k, coalesce((totals ->> k)::bigint, 0) + v::bigint)
          from jsonb_each_text(${counts}::jsonb) as c(k, v)),
        updated_at = now()
      where tenant_id = ${options.tenantId} and entity = ${options.entity}`,
  );
}

/** Records a failed pass (its `pass` stays, so the next sync resumes it). */
export async function failPass(
  db: Database,
  tenantId: string,
  entity: string,
  runId: string,
  message: string,
): Promise<void> {
  await queryRows(
    db,
    sql`update migration.sync_state set last_run_id = ${runId}, last_run_at = clock_timestamp(),
        last_status = 'failed', last_error = ${message}, updated_at = now()
      where tenant_id = ${tenantId} and entity = ${entity}`,
  );
}

/** Filters and page of {@link listConflicts}. */
export interface ConflictQuery {
  readonly status?: SyncConflictStatus;
  readonly entity?: string;
  readonly afterId?: string;
  readonly limit: number;
}

/** Conflicts of a tenant in the order they were found; `limit + 1` rows tell whether more exist. */
export function listConflicts(
  db: Database,
  tenantId: string,
  query: ConflictQuery,
): Promise<SyncConflictRow[]> {
  return executor(db)
    .select()
    .from(syncConflicts)
    .where(
      and(
        eq(syncConflicts.tenantId, tenantId),
        query.status === undefined ? undefined : eq(syncConflicts.status, query.status),
        query.entity === undefined ? undefined : eq(syncConflicts.entity, query.entity),
        query.afterId === undefined ? undefined : gt(syncConflicts.id, query.afterId),
      ),
    )
    .orderBy(asc(syncConflicts.id))
    .limit(query.limit + 1);
}

/** One conflict of a tenant (locked for update when in a transaction and `lock` is set). */
export async function findConflict(
  db: Database,
  tenantId: string,
  id: string,
  lock = false,
): Promise<SyncConflictRow | undefined> {
  const query = executor(db)
    .select()
    .from(syncConflicts)
    .where(and(eq(syncConflicts.tenantId, tenantId), eq(syncConflicts.id, id)));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

/** Marks a conflict resolved. */
export async function markResolved(
  db: Database,
  tenantId: string,
  id: string,
  resolution: 'legacy' | 'modern',
  resolvedBy: string,
): Promise<SyncConflictRow | undefined> {
  const [row] = await executor(db)
    .update(syncConflicts)
    .set({ status: 'resolved', resolution, resolvedBy, resolvedAt: sql`now()` })
    .where(and(eq(syncConflicts.tenantId, tenantId), eq(syncConflicts.id, id)))
    .returning();
  return row;
}
