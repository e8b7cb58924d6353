// One entity's sync pass: read the legacy rows changed since the watermark (or every row, for a
// diff), map them with the loader's code, compare with what Only holds, and apply — inserts and
// updates through the loader's writers, conflicts by the entity's policy — one transaction per
// batch together with where the pass got to. Then deletions, found by comparing keys.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { syncConflictDetectedV1, syncFailedV1 } from '@only/contracts/migration';
import type { RequestContext } from '@only/platform/context';
import { inTransaction, queryRows, type Database } from '@only/platform/db';
import { newId } from '@only/platform/ids';
import type { Outbox } from '@only/platform/outbox';
import { sql, type SQL } from 'drizzle-orm';
import type { SourceConnector, SourceRow, SourceSpec } from '../connectors/index.ts';
import {
  idKey,
  lookupIds,
  mapSourceRow,
  wantedKeys,
  type TargetWriter,
  type WriteRow,
} from '../loader/index.ts';
import { decodeLegacyKey, type CompiledEntity } from '../mapping/index.ts';
import { canonicalValues, displayValue, storedTextSql } from '../reconcile/index.ts';
import type { QuarantineError } from '../runs/runs.table.ts';
import { syncMetrics } from './sync-metrics.ts';
import {
  addCounts,
  completePass,
  ensureSyncState,
  findSyncState,
  savePass,
  zeroCounts,
} from './sync.repository.ts';
import type { SyncCounts, SyncPass, SyncResolution, SyncValue } from './sync.table.ts';
import { applyDeletes, changedAtSql } from './target-changes.ts';
import { compareWatermarks, watermarkCondition, watermarkInstant, watermarkText } from './watermark.ts';

/** What {@link syncEntity} needs. */
export interface SyncEntityJob {
  readonly db: Database;
  readonly tenantId: string;
  /** Id of this sync run: names the id-map entries it adds. */
  readonly runId: string;
  readonly entity: CompiledEntity;
  readonly writer: TargetWriter;
  readonly source: SourceConnector;
  readonly outbox: Outbox;
  readonly ctx: RequestContext;
  readonly batchSize?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** A legacy row sync could not apply. */
export interface RejectedRow {
  readonly legacyKey: string | null;
  readonly errors: readonly QuarantineError[];
}

/** What one entity's pass did. */
export interface EntitySyncResult {
  readonly entity: string;
  readonly mode: 'watermark' | 'diff';
  readonly counts: SyncCounts;
  /** The watermark after the pass (null for a diff, or when no row carried one). */
  readonly watermark: string | null;
  /** Whether it continued a pass an earlier sync left unfinished. */
  readonly resumed: boolean;
  /** Ids of the conflicts found (resolved by policy or parked). */
  readonly conflicts: readonly string[];
  /** The first 100 rows that no longer map. */
  readonly rejected: readonly RejectedRow[];
}

interface StoredForSync {
  readonly onlyId: string;
  readonly live: boolean;
  /** Only changed the row after it was last in step with the legacy system. */
  readonly changedSince: boolean;
  readonly changedAt: string | null;
  readonly values: readonly (string | null)[];
}

/** A mapped row that differs from Only's. */
interface Candidate {
  readonly legacyKey: string;
  readonly row: unknown;
  readonly id: string;
  readonly watermark: string | null;
}

const MAX_REJECTED_LISTED = 100;
const WRITE_CHUNK = 2000;

/** Runs (or resumes) the sync pass of one entity of a tenant. */
export async function syncEntity(job: SyncEntityJob): Promise<EntitySyncResult> {
  const { db, tenantId, entity } = job;
  const mark = entity.sync.watermark;
  const mode = mark === null ? 'diff' : 'watermark';
  await ensureSyncState(db, tenantId, entity.name, mode);
  const state = await findSyncState(db, tenantId, entity.name);
  const low = mode === 'watermark' ? (state?.watermark ?? null) : null;
  const lowKeys = new Set(mode === 'watermark' ? (state?.watermarkKeys ?? []) : []);
  const resumedPass = state?.pass ?? null;
  const counts = resumedPass?.counts ?? zeroCounts();
  let high = resumedPass?.high ?? low;
  let highKeys = new Set(resumedPass?.highKeys ?? [...lowKeys]);
  const conflicts: string[] = [];
  const rejected: RejectedRow[] = [];

  const spec = readSpec(job, low);
  const reads = job.source.read(spec, {
    batchSize: job.batchSize ?? entity.batchSize,
    ...(resumedPass === null ? {} : { after: resumedPass.after }),
  });
  for await (const batch of reads) {
    await nextTurn();
    job.signal?.throwIfAborted();
    const rows: SourceRow[] = [];
    for (const row of batch.rows) {
      const w = mark === null ? null : watermarkText(row[mark.column], mark.type);
      let key: string | null = null;
      try {
        key = entity.legacyKey(row);
      } catch {
        // A row without its key is rejected by its transform below.
      }
      if (mark !== null && w !== null && low !== null) {
        const order = compareWatermarks(w, low, mark.type);
        // Before the watermark (CSV reads everything), or applied already at exactly it.
        if (order < 0 || (order === 0 && key !== null && lowKeys.has(key))) continue;
      }
      if (mark !== null && w !== null && key !== null) {
        const order = high === null ? 1 : compareWatermarks(w, high, mark.type);
        if (order > 0) {
          high = w;
          highKeys = new Set([key]);
        } else if (order === 0) {
          highKeys.add(key);
        }
      }
      rows.push(row);
    }
    const batchCounts = zeroCounts();
    batchCounts.read = rows.length;
    await applyBatch(job, rows, batchCounts, conflicts, rejected);
    const pass: SyncPass = {
      after: (batch.lastKey ?? []).map((v) =>
        v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v,
      ),
      high,
      highKeys: [...highKeys],
      counts: addCounts(counts, batchCounts),
    };
    Object.assign(counts, pass.counts);
    // CSV batches have no key to resume after: such a pass restarts from the watermark.
    if (batch.lastKey !== null) await savePass(db, tenantId, entity.name, pass);
  }
  await inTransaction(db, async (tx) => {
    if (entity.sync.deletes === 'apply') {
      const deleted = await applyDeletes({ ...job, db: tx }, await legacyKeys(job));
      counts.deleted += deleted.deleted;
      counts.deletesSkipped += deleted.skipped;
      syncMetrics.rows.inc({ entity: entity.name, outcome: 'deleted' }, deleted.deleted);
    }
    await completePass(tx, {
      tenantId,
      entity: entity.name,
      runId: job.runId,
      watermark: high,
      watermarkKeys: [...highKeys],
      counts,
    });
  });
  return {
    entity: entity.name,
    mode,
    counts,
    watermark: high,
    resumed: resumedPass !== null,
    conflicts,
    rejected,
  };
}

/** The entity's source, reading only rows at or after the watermark where the source can filter. */
function readSpec(job: SyncEntityJob, low: string | null): SourceSpec {
  const { entity } = job;
  const mark = entity.sync.watermark;
  if (mark === null || low === null) return entity.source;
  const condition = watermarkCondition(job.source.kind, mark.column, low, mark.type);
  if (condition === null) return entity.source;
  const filter =
    entity.source.filter === undefined ? condition : `(${entity.source.filter}) AND ${condition}`;
  return { ...entity.source, filter };
}

/** Every legacy key of the entity, read by keyset pages of the key columns only. */
async function legacyKeys(job: SyncEntityJob): Promise<Set<string>> {
  const keys = new Set<string>();
  const reads = job.source.read(job.entity.source, {
    batchSize: Math.max(job.batchSize ?? job.entity.batchSize, 5000),
    columns: job.entity.key,
  });
  for await (const batch of reads) {
    job.signal?.throwIfAborted();
    for (const row of batch.rows) {
      try {
        keys.add(job.entity.legacyKey(row));
      } catch {
        // Without a key the row cannot be in Only either.
      }
    }
  }
  return keys;
}

/** Maps, compares and applies one batch in one transaction (with the pass's progress). */
async function applyBatch(
  job: SyncEntityJob,
  rows: readonly SourceRow[],
  counts: SyncCounts,
  conflictIds: string[],
  rejectedList: RejectedRow[],
): Promise<void> {
  const { db, tenantId, entity, writer } = job;
  const mark = entity.sync.watermark;
  const ids = await lookupIds(db, tenantId, wantedKeys(entity, rows, true));
  const accepted: Candidate[] = [];
  const rejected: (RejectedRow & { row: SourceRow })[] = [];
  for (const row of rows) {
    const mapped = mapSourceRow(entity, writer, row, (target, key) => ids.get(idKey(target, key)));
    if (!mapped.ok) {
      rejected.push({ legacyKey: mapped.legacyKey, errors: mapped.errors, row });
      continue;
    }
    const known = ids.get(idKey(entity.name, mapped.legacyKey));
    accepted.push({
      legacyKey: mapped.legacyKey,
      row: mapped.row,
      id: writer.idFor(mapped.row, known),
      watermark: mark === null ? null : watermarkText(row[mark.column], mark.type),
    });
  }
  const stored = await fetchStoredForSync(
    job,
    accepted.map((a) => a.legacyKey),
  );
  const differing: { candidate: Candidate; stored: StoredForSync | undefined; legacy: (string | null)[] }[] =
    [];
  for (const candidate of accepted) {
    const current = stored.get(candidate.legacyKey);
    const legacy = canonicalValues(writer.stored, candidate.row);
    if (current !== undefined && !current.live) {
      // Deleted in Only (a soft-deleted customer): Only's deletion stands.
      counts.unchanged++;
      continue;
    }
    if (current !== undefined && sameValues(job, legacy, current.values)) {
      counts.unchanged++;
      continue;
    }
    differing.push({ candidate, stored: current, legacy });
  }
  const keys = differing.map((d) => d.candidate.legacyKey);
  const open = await openConflictKeys(db, tenantId, entity.name, keys);
  const keptModern = await keptModernValues(db, tenantId, entity.name, keys);

  const writes: WriteRow<unknown>[] = [];
  const newIds: { key: string; id: string }[] = [];
  const parked: ConflictRecord[] = [];
  for (const { candidate, stored: current, legacy } of differing) {
    if (current === undefined) {
      writes.push({ id: candidate.id, row: candidate.row });
      newIds.push({ key: candidate.legacyKey, id: candidate.id });
      counts.inserted++;
      continue;
    }
    // Kept Only's values for exactly this legacy state before: the legacy row has not changed since.
    if (sameAsKept(job, legacy, keptModern.get(candidate.legacyKey))) {
      counts.unchanged++;
      continue;
    }
    const isConflict = open.has(candidate.legacyKey) || current.changedSince;
    if (!isConflict) {
      writes.push({ id: candidate.id, row: candidate.row });
      counts.updated++;
      continue;
    }
    counts.conflicts++;
    const resolution: SyncResolution | null = open.has(candidate.legacyKey)
      ? null
      : resolve(entity, candidate.watermark, current.changedAt);
    if (resolution === 'legacy') {
      writes.push({ id: candidate.id, row: candidate.row });
      counts.updated++;
    }
    parked.push({ candidate, stored: current, legacy, resolution, reopen: open.has(candidate.legacyKey) });
  }

  await inTransaction(db, async (tx) => {
    for (let i = 0; i < writes.length; i += WRITE_CHUNK) {
      await writer.upsert(tx, tenantId, writes.slice(i, i + WRITE_CHUNK));
    }
    await saveIds(tx, job, newIds);
    for (const record of parked) {
      const id = await saveConflict(tx, job, record);
      if (record.reopen) continue;
      conflictIds.push(id);
      await job.outbox.emit(syncConflictDetectedV1, conflictEvent(job, id, record), {
        ctx: job.ctx,
        aggregateId: id,
      });
    }
    const alreadyQuarantined = await quarantinedKeys(tx, job, rejected);
    for (const r of rejected) {
      counts.rejected++;
      if (rejectedList.length < MAX_REJECTED_LISTED)
        rejectedList.push({ legacyKey: r.legacyKey, errors: r.errors });
      // Rows the migration quarantined already were alerted then; a newly broken row is alerted now.
      if (r.legacyKey !== null && alreadyQuarantined.has(r.legacyKey)) continue;
      syncMetrics.failures.inc({ tenant: tenantId, entity: entity.name, scope: 'row' });
      await job.outbox.emit(
        syncFailedV1,
        {
          scope: 'row',
          entity: entity.name,
          legacyKey: r.legacyKey === null ? null : decodeLegacyKey(r.legacyKey),
          message: 'The legacy row no longer maps',
          errors: r.errors.map((e) => ({ field: e.field, rule: e.rule, message: e.message })),
          failedAt: new Date().toISOString(),
        },
        { ctx: job.ctx, aggregateId: `${entity.name}:${r.legacyKey ?? ''}` },
      );
    }
  });
  for (const record of parked) {
    if (record.reopen) continue;
    syncMetrics.conflicts.inc({
      tenant: tenantId,
      entity: entity.name,
      policy: entity.sync.conflicts,
      resolution: record.resolution ?? 'open',
    });
  }
  syncMetrics.rows.inc({ entity: entity.name, outcome: 'inserted' }, counts.inserted);
  syncMetrics.rows.inc({ entity: entity.name, outcome: 'updated' }, counts.updated);
  syncMetrics.rows.inc({ entity: entity.name, outcome: 'unchanged' }, counts.unchanged);
}

/** Whether the mapped row equals the stored one; time columns filled with now() for null are not compared. */
function sameValues(
  job: SyncEntityJob,
  legacy: readonly (string | null)[],
  stored: readonly (string | null)[],
) {
  return job.writer.stored.columns.every((column, i) => {
    if (column.nowWhenNull === true && legacy[i] === null) return true;
    return legacy[i] === stored[i];
  });
}

/** What the entity's policy does with a conflict; null: park it (manual). */
function resolve(
  entity: CompiledEntity,
  legacyWatermark: string | null,
  onlyChangedAt: string | null,
): SyncResolution | null {
  switch (entity.sync.conflicts) {
    case 'legacy-wins':
      return 'legacy';
    case 'modern-wins':
      return 'modern';
    case 'manual':
      return null;
    case 'newest-wins': {
      const legacyAt =
        legacyWatermark === null ? null : watermarkInstant(legacyWatermark, entity.sync.timeZone);
      const onlyAt = onlyChangedAt === null ? null : new Date(onlyChangedAt);
      if (legacyAt === null) return 'modern';
      if (onlyAt === null) return 'legacy';
      return legacyAt.getTime() > onlyAt.getTime() ? 'legacy' : 'modern';
    }
  }
}

interface ConflictRecord {
  readonly candidate: Candidate;
  readonly stored: StoredForSync;
  readonly legacy: readonly (string | null)[];
  readonly resolution: SyncResolution | null;
  /** An open conflict of the row exists: its legacy side is replaced, no new conflict. */
  readonly reopen: boolean;
}

function displayed(job: SyncEntityJob, values: readonly (string | null)[]): Record<string, SyncValue> {
  const out: Record<string, SyncValue> = {};
  job.writer.stored.columns.forEach((column, i) => {
    out[column.field] = displayValue(column, values[i] ?? null);
  });
  return out;
}

function differingFields(job: SyncEntityJob, record: ConflictRecord): string[] {
  return job.writer.stored.columns
    .filter((column, i) => {
      if (column.nowWhenNull === true && record.legacy[i] === null) return false;
      return record.legacy[i] !== record.stored.values[i];
    })
    .map((column) => column.field);
}

async function saveConflict(db: Database, job: SyncEntityJob, record: ConflictRecord): Promise<string> {
  const legacyValues = JSON.stringify(displayed(job, record.legacy));
  const legacyRow = JSON.stringify(record.candidate.row);
  const fields = JSON.stringify(differingFields(job, record));
  if (record.reopen) {
    const [row] = await queryRows<{ id: string }>(
      db,
      sql`update migration.sync_conflicts set legacy_values = ${legacyValues}::jsonb, legacy_row = ${legacyRow}::jsonb,
          fields = ${fields}::jsonb, legacy_watermark = ${record.candidate.watermark}
        where tenant_id = ${job.tenantId} and entity = ${job.entity.name}
          and legacy_key = ${record.candidate.legacyKey} and status = 'open'
        returning id`,
    );
    return row?.id ?? '';
  }
  const id = newId('msc');
  await queryRows(
    db,
    sql`insert into migration.sync_conflicts (id, tenant_id, entity, target, legacy_key, only_id, policy, fields,
        legacy_values, only_values, legacy_row, legacy_watermark, only_changed_at, status, resolution, resolved_by, resolved_at)
      values (${id}, ${job.tenantId}, ${job.entity.name}, ${job.entity.target}, ${record.candidate.legacyKey}, ${record.stored.onlyId},
        ${job.entity.sync.conflicts}, ${fields}::jsonb, ${legacyValues}::jsonb,
        ${JSON.stringify(displayed(job, record.stored.values))}::jsonb, ${legacyRow}::jsonb,
        ${record.candidate.watermark}, ${record.stored.changedAt}::timestamptz,
        ${record.resolution === null ? 'open' : 'resolved'}, ${record.resolution},
        ${record.resolution === null ? null : `policy:${job.entity.sync.conflicts}`},
        ${record.resolution === null ? null : sql`now()`})`,
  );
  return id;
}

function conflictEvent(job: SyncEntityJob, id: string, record: ConflictRecord) {
  return {
    conflictId: id,
    entity: job.entity.name,
    legacyKey: decodeLegacyKey(record.candidate.legacyKey),
    onlyId: record.stored.onlyId,
    policy: job.entity.sync.conflicts,
    resolution: record.resolution,
    fields: differingFields(job, record),
    legacyValues: displayed(job, record.legacy),
    onlyValues: displayed(job, record.stored.values),
    detectedAt: new Date().toISOString(),
  };
}

const jsonList = (keys: readonly string[]): SQL =>
  sql`(select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb))`;

/**
 * Only's rows of these legacy keys: canonical values, whether they count as present, and whether
 * Only changed them after the entity was last in step — after the last completed sync pass, or,
 * before any, after the tenant's last completed migration run.
 */
async function fetchStoredForSync(
  job: SyncEntityJob,
  keys: readonly string[],
): Promise<Map<string, StoredForSync>> {
  const out = new Map<string, StoredForSync>();
  if (keys.length === 0) return out;
  const { shape } = { shape: job.writer.stored };
  const changedAt = changedAtSql(job.writer.target);
  const columns = shape.columns.map((column, i) => sql`, ${storedTextSql(column)} as ${sql.raw(`c${i}`)}`);
  const baseline = sql`coalesce(
    (select s.synced_at from migration.sync_state s where s.tenant_id = ${job.tenantId} and s.entity = ${job.entity.name}),
    (select max(r.finished_at) from migration.runs r where r.tenant_id = ${job.tenantId} and r.status = 'completed'))`;
  const rows = await queryRows<Record<string, string | boolean | null>>(
    job.db,
    sql`select m.legacy_key, m.only_id, ${shape.live ?? sql`true`} as live,
        ${changedAt === null ? sql`false` : sql`coalesce(${changedAt} > ${baseline}, false)`} as changed_since,
        ${changedAt === null ? sql`null::text` : sql`to_char(${changedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`} as changed_at
        ${sql.join(columns, sql``)}
      from migration.id_map m, ${shape.from}
      where m.tenant_id = ${job.tenantId} and m.entity = ${job.entity.name} and m.legacy_key in ${jsonList(keys)}
        and ${shape.matchesIdMap} and ${shape.tenantId} = ${job.tenantId}`,
  );
  for (const row of rows) {
    out.set(String(row.legacy_key), {
      onlyId: String(row.only_id),
      live: row.live === true,
      changedSince: row.changed_since === true,
      changedAt: typeof row.changed_at === 'string' ? row.changed_at : null,
      values: shape.columns.map((_, i) => {
        const value = row[`c${i}`];
        return value === null || value === undefined ? null : String(value);
      }),
    });
  }
  return out;
}

async function openConflictKeys(db: Database, tenantId: string, entity: string, keys: readonly string[]) {
  if (keys.length === 0) return new Set<string>();
  const rows = await queryRows<{ legacy_key: string }>(
    db,
    sql`select legacy_key from migration.sync_conflicts
      where tenant_id = ${tenantId} and entity = ${entity} and status = 'open' and legacy_key in ${jsonList(keys)}`,
  );
  return new Set(rows.map((r) => r.legacy_key));
}

/**
 * The legacy values of each key whose latest resolved conflict kept Only's values: while the legacy
 * row still maps to them, it has not changed since, and Only's values stay.
 */
async function keptModernValues(db: Database, tenantId: string, entity: string, keys: readonly string[]) {
  const out = new Map<string, Record<string, SyncValue>>();
  if (keys.length === 0) return out;
  const rows = await queryRows<{
    legacy_key: string;
    resolution: string | null;
    legacy_values: Record<string, SyncValue>;
  }>(
    db,
    sql`select distinct on (legacy_key) legacy_key, resolution, legacy_values from migration.sync_conflicts
      where tenant_id = ${tenantId} and entity = ${entity} and status = 'resolved' and legacy_key in ${jsonList(keys)}
      order by legacy_key, id desc`,
  );
  for (const row of rows) if (row.resolution === 'modern') out.set(row.legacy_key, row.legacy_values);
  return out;
}

/** Whether the legacy row maps to the values a conflict kept Only's row against. */
function sameAsKept(
  job: SyncEntityJob,
  legacy: readonly (string | null)[],
  kept: Record<string, SyncValue> | undefined,
) {
  if (kept === undefined) return false;
  const now = displayed(job, legacy);
  return Object.keys(now).every((field) => now[field] === kept[field]);
}

async function quarantinedKeys(
  db: Database,
  job: SyncEntityJob,
  rows: readonly RejectedRow[],
): Promise<Set<string>> {
  const keys = rows.map((r) => r.legacyKey).filter((k): k is string => k !== null);
  if (keys.length === 0) return new Set();
  const found = await queryRows<{ legacy_key: string }>(
    db,
    sql`select distinct legacy_key from migration.quarantine
      where tenant_id = ${job.tenantId} and entity = ${job.entity.name} and legacy_key in ${jsonList(keys)}`,
  );
  return new Set(found.map((r) => r.legacy_key));
}

async function saveIds(db: Database, job: SyncEntityJob, rows: readonly { key: string; id: string }[]) {
  if (rows.length === 0) return;
  await queryRows(
    db,
    sql`insert into migration.id_map (tenant_id, entity, legacy_key, only_id, run_id)
      values ${sql.join(
        rows.map((r) => sql`(${job.tenantId}, ${job.entity.name}, ${r.key}, ${r.id}, ${job.runId})`),
        sql`, `,
      )}
      on conflict (tenant_id, entity, legacy_key) do update set only_id = excluded.only_id,
        run_id = excluded.run_id, updated_at = now()
      where id_map.only_id is distinct from excluded.only_id`,
  );
}
