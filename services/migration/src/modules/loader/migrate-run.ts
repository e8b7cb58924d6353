// `only migrate`: extract → transform → validate → bulk load, entity by entity in dependency order,
// one transaction per batch with its checkpoint, so a crash resumes exactly after the last commit.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { inTransaction, queryRows, type Database } from '@only/platform/db';
import { newId } from '@only/platform/ids';
import { sql } from 'drizzle-orm';
import type { SourceConnector, SourceRow, SourceValue } from '../connectors/index.ts';
import type { CompiledEntity, CompiledMapping } from '../mapping/index.ts';
import type { EntityCounts, QuarantineError } from '../runs/runs.table.ts';
import { idKey, lookupIds, mapSourceRow, wantedKeys } from './map-rows.ts';
import { refreshStatistics } from '../../db/statistics.ts';
import { TARGET_WRITERS, type TargetWriter, type WriteRow } from './target-writers.ts';

/** What the progress display is told. */
export type MigrateProgress =
  | {
      readonly kind: 'entity_start';
      readonly entity: string;
      readonly total: number;
      readonly counts: EntityCounts;
    }
  | { readonly kind: 'batch'; readonly entity: string; readonly counts: EntityCounts }
  | { readonly kind: 'entity_done'; readonly entity: string; readonly counts: EntityCounts }
  | { readonly kind: 'entity_pending'; readonly entity: string; readonly reason: string };

/** Options of {@link runMigration}. */
export interface MigrateOptions {
  /** The database holding the migration schema and the target services' schemas. */
  readonly db: Database;
  readonly mapping: CompiledMapping;
  /** Name and content hash of the mapping file, kept with the run. */
  readonly mappingName: string;
  readonly mappingHash: string;
  readonly source: SourceConnector;
  /** The source URL as stored: without its password. */
  readonly sourceUrl: string;
  readonly tenantId: string;
  /** Extract, transform and validate only: nothing is written. */
  readonly dryRun?: boolean;
  /** Continue the tenant's last unfinished run of this mapping from its checkpoints. */
  readonly resume?: boolean;
  /** Overrides the mapping's batch sizes. */
  readonly batchSize?: number;
  readonly onProgress?: (progress: MigrateProgress) => void;
  /** Called after each committed batch (tests use it to interrupt a run). */
  readonly afterBatch?: (entity: string, batchNumber: number) => void | Promise<void>;
  /**
   * Stops the run between batches: once aborted, the next batch is not started and the run ends
   * as `failed` with the abort reason's message as its error (its checkpoints stay, so `resume`
   * continues it).
   */
  readonly signal?: AbortSignal;
  /** Called once the run is stored (its id known; null for a dry run), before the first batch. */
  readonly onOpened?: (run: { readonly runId: string | null; readonly resumed: boolean }) => void;
}

/** One entity's outcome. */
export interface EntityOutcome {
  readonly entity: string;
  readonly target: string;
  /** `pending`: its target service cannot be loaded yet (or it references such an entity). */
  readonly status: 'loaded' | 'pending';
  readonly counts: EntityCounts;
}

/** Outcome of a run. */
export interface MigrateResult {
  /** Null for a dry run (nothing stored). */
  readonly runId: string | null;
  readonly resumed: boolean;
  readonly entities: readonly EntityOutcome[];
}

const zero = (): EntityCounts => ({ read: 0, loaded: 0, quarantined: 0, skipped: 0 });
// Keeps every multi-row statement well under PostgreSQL's 65 535 bind parameters.
const WRITE_CHUNK = 2000;

/** A JSON-safe copy of a source row (binary values as base64). */
function jsonRow(row: SourceRow): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [column, value] of Object.entries(row)) out[column] = jsonValue(value);
  return out;
}
function jsonValue(value: SourceValue): string | number | boolean | null {
  return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;
}

/** Runs (or resumes) a migration of every loadable entity of the mapping into one tenant. */
export async function runMigration(options: MigrateOptions): Promise<MigrateResult> {
  const { db, mapping } = options;
  const dryRun = options.dryRun ?? false;
  const pending = pendingEntities(mapping);
  options.signal?.throwIfAborted();
  const run = dryRun ? null : await openRun(options);
  // A dry run may meet a database the migration schema was never applied to: nothing mapped yet.
  const [schema] = await queryRows<{ present: boolean }>(
    db,
    sql`select to_regclass('migration.id_map') is not null as present`,
  );
  const stored = schema?.present === true;
  const runId = run?.id ?? null;
  const checkpoints = run?.checkpoints ?? new Map<string, Checkpoint>();
  // Ids a dry run would have assigned, so later entities' references resolve as in a real run.
  const dryIds = new Map<string, string>();
  const dryRejected = new Set<string>();
  const outcomes: EntityOutcome[] = [];
  try {
    options.onOpened?.({ runId, resumed: run?.resumed ?? false });
    for (const name of mapping.order) {
      options.signal?.throwIfAborted();
      const entity = mapping.entity(name);
      const reason = pending.get(name);
      if (reason !== undefined) {
        options.onProgress?.({ kind: 'entity_pending', entity: name, reason });
        outcomes.push({ entity: name, target: entity.target, status: 'pending', counts: zero() });
        continue;
      }
      const writer = TARGET_WRITERS.get(entity.target);
      if (writer === undefined) throw new Error(`no writer for ${entity.target}`);
      const counts = await loadEntity({
        ...options,
        dryRun,
        runId,
        entity,
        writer,
        checkpoint: checkpoints.get(name),
        dryIds,
        dryRejected,
        stored,
      });
      outcomes.push({ entity: name, target: entity.target, status: 'loaded', counts });
    }
    if (runId !== null) {
      await queryRows(
        db,
        sql`update migration.runs set status = 'completed', finished_at = now(), error = null
          where id = ${runId}`,
      );
    }
  } catch (error) {
    if (runId !== null) {
      const message = error instanceof Error ? error.message : String(error);
      await queryRows(
        db,
        sql`update migration.runs set status = 'failed', finished_at = now(), error = ${message}
          where id = ${runId}`,
      ).catch(() => undefined);
    }
    throw error;
  }
  return { runId, resumed: run?.resumed ?? false, entities: outcomes };
}

/** Entities that cannot be loaded yet, with why: no writer for the target, or a pending reference. */
export function pendingEntities(mapping: CompiledMapping): Map<string, string> {
  const pending = new Map<string, string>();
  for (const name of mapping.order) {
    const entity = mapping.entity(name);
    if (!TARGET_WRITERS.has(entity.target)) {
      pending.set(name, `no loader for ${entity.target} yet`);
      continue;
    }
    const blocked = entity.dependsOn.find((dependency) => pending.has(dependency));
    if (blocked !== undefined) pending.set(name, `references ${blocked}, which is pending`);
  }
  return pending;
}

interface Checkpoint {
  readonly lastKey: readonly SourceValue[] | null;
  readonly done: boolean;
  readonly counts: EntityCounts;
}

async function openRun(
  options: MigrateOptions,
): Promise<{ id: string; resumed: boolean; checkpoints: Map<string, Checkpoint> }> {
  const { db, tenantId } = options;
  if (options.resume === true) {
    const [last] = await queryRows<{ id: string }>(
      db,
      sql`select id from migration.runs
        where tenant_id = ${tenantId} and mapping_name = ${options.mappingName} and status <> 'completed'
        order by id desc limit 1`,
    );
    if (last !== undefined) {
      const rows = await queryRows<{
        entity: string;
        last_key: SourceValue[] | null;
        done: boolean;
        counts: EntityCounts;
      }>(db, sql`select entity, last_key, done, counts from migration.checkpoints where run_id = ${last.id}`);
      await queryRows(
        db,
        sql`update migration.runs set status = 'running', error = null, finished_at = null,
          mapping_hash = ${options.mappingHash}, source_url = ${options.sourceUrl} where id = ${last.id}`,
      );
      return {
        id: last.id,
        resumed: true,
        checkpoints: new Map(
          rows.map((r) => [r.entity, { lastKey: r.last_key, done: r.done, counts: r.counts }] as const),
        ),
      };
    }
  }
  const id = newId('mrun');
  await queryRows(
    db,
    sql`insert into migration.runs (id, tenant_id, mapping_name, mapping_hash, source_url, status)
      values (${id}, ${tenantId}, ${options.mappingName}, ${options.mappingHash}, ${options.sourceUrl}, 'running')`,
  );
  return { id, resumed: false, checkpoints: new Map() };
}

interface EntityJob extends MigrateOptions {
  readonly dryRun: boolean;
  readonly runId: string | null;
  readonly entity: CompiledEntity;
  readonly writer: TargetWriter;
  readonly checkpoint: Checkpoint | undefined;
  readonly dryIds: Map<string, string>;
  readonly dryRejected: Set<string>;
  /** Whether the migration tables exist (only a dry run runs without them). */
  readonly stored: boolean;
}

interface Quarantined {
  readonly legacyKey: string | null;
  readonly row: SourceRow;
  readonly errors: readonly QuarantineError[];
}

async function loadEntity(job: EntityJob): Promise<EntityCounts> {
  const { db, entity, writer, tenantId } = job;
  const counts = { ...(job.checkpoint?.counts ?? zero()) };
  if (job.checkpoint?.done === true) {
    job.onProgress?.({ kind: 'entity_done', entity: entity.name, counts });
    return counts;
  }
  const after = job.checkpoint?.lastKey ?? undefined;
  const total = counts.read + (await job.source.count(entity.source, after === undefined ? {} : { after }));
  job.onProgress?.({ kind: 'entity_start', entity: entity.name, total, counts: { ...counts } });
  let batchNumber = 0;
  let analyzeAt = counts.read + 1;
  const reads = job.source.read(entity.source, {
    batchSize: job.batchSize ?? entity.batchSize,
    ...(after === undefined ? {} : { after }),
  });
  for await (const batch of reads) {
    // Between batches: let the process's other work run (embedded drivers — PGlite, node:sqlite —
    // resolve without ever yielding to I/O), then stop here if asked; what is committed stays.
    await nextTurn();
    job.signal?.throwIfAborted();
    batchNumber++;
    const refIds = await prefetchIds(job, batch.rows);
    const accepted: WriteRow<unknown>[] = [];
    const acceptedKeys: string[] = [];
    const quarantined: Quarantined[] = [];
    const unresolved: { index: number; refEntity: string; refKey: string }[] = [];
    for (const row of batch.rows) {
      const mapped = mapSourceRow(entity, writer, row, (target, legacyKey) =>
        refIds.get(idKey(target, legacyKey)),
      );
      if (!mapped.ok) {
        for (const u of mapped.unresolved) {
          unresolved.push({ index: quarantined.length, refEntity: u.entity, refKey: u.legacyKey });
        }
        quarantined.push({ legacyKey: mapped.legacyKey, row, errors: mapped.errors });
        continue;
      }
      const known = refIds.get(idKey(entity.name, mapped.legacyKey));
      accepted.push({ id: writer.idFor(mapped.row, known), row: mapped.row });
      acceptedKeys.push(mapped.legacyKey);
    }
    const relabelled = await markRejectedReferences(job, quarantined, unresolved);
    counts.read += batch.rows.length;
    counts.quarantined += relabelled.length;
    if (job.dryRun) {
      counts.loaded += accepted.length;
      accepted.forEach((row, i) => job.dryIds.set(`${entity.name}\u0000${acceptedKeys[i] ?? ''}`, row.id));
      for (const q of relabelled)
        if (q.legacyKey !== null) job.dryRejected.add(`${entity.name}\u0000${q.legacyKey}`);
    } else {
      const runId = job.runId ?? '';
      await inTransaction(db, async (tx) => {
        let written = 0;
        for (let i = 0; i < accepted.length; i += WRITE_CHUNK) {
          written += await writer.upsert(tx, tenantId, accepted.slice(i, i + WRITE_CHUNK));
          await saveIds(tx, job, accepted.slice(i, i + WRITE_CHUNK), acceptedKeys.slice(i, i + WRITE_CHUNK));
        }
        for (let i = 0; i < relabelled.length; i += WRITE_CHUNK) {
          await saveQuarantine(tx, job, relabelled.slice(i, i + WRITE_CHUNK));
        }
        // Accepted rows identical to what is stored already are skipped (an idempotent re-run).
        counts.loaded += written;
        counts.skipped += accepted.length - written;
        await saveCheckpoint(tx, runId, tenantId, entity.name, batch.lastKey, false, counts);
      });
      await job.afterBatch?.(entity.name, batchNumber);
      // Each time the entity's rows have doubled, the planner learns how big the tables now are;
      // otherwise every id-map lookup of later batches is planned as a scan of an "empty" table.
      if (counts.read >= analyzeAt) {
        await refreshStatistics(db, ['migration.id_map', ...writer.stored.tables]);
        analyzeAt = counts.read * 2;
      }
    }
    job.onProgress?.({ kind: 'batch', entity: entity.name, counts: { ...counts } });
  }
  if (!job.dryRun) {
    await saveCheckpoint(db, job.runId ?? '', tenantId, entity.name, null, true, counts);
  }
  job.onProgress?.({ kind: 'entity_done', entity: entity.name, counts: { ...counts } });
  return counts;
}

/** Only ids of this batch's own legacy keys and of every row it references, one query per entity. */
async function prefetchIds(job: EntityJob, rows: readonly SourceRow[]): Promise<Map<string, string>> {
  const wanted = wantedKeys(job.entity, rows, true);
  const ids = job.stored ? await lookupIds(job.db, job.tenantId, wanted) : new Map<string, string>();
  if (job.dryRun) {
    for (const [entity, keys] of wanted) {
      for (const key of keys) {
        const id = job.dryIds.get(idKey(entity, key));
        if (id !== undefined) ids.set(idKey(entity, key), id);
      }
    }
  }
  return ids;
}

/**
 * A reference that did not resolve because its row was itself quarantined is `reference_rejected`,
 * not a missing row (`ref`): the fix is in the referenced row.
 */
async function markRejectedReferences(
  job: EntityJob,
  quarantined: readonly Quarantined[],
  unresolved: readonly { index: number; refEntity: string; refKey: string }[],
): Promise<Quarantined[]> {
  if (unresolved.length === 0) return [...quarantined];
  const rejected = new Set<string>();
  const byEntity = new Map<string, string[]>();
  for (const u of unresolved) byEntity.set(u.refEntity, [...(byEntity.get(u.refEntity) ?? []), u.refKey]);
  for (const [entity, keys] of byEntity) {
    if (job.dryRun) {
      for (const key of keys)
        if (job.dryRejected.has(`${entity}\u0000${key}`)) rejected.add(`${entity}\u0000${key}`);
    }
    if (!job.stored) continue;
    const found = await queryRows<{ legacy_key: string }>(
      job.db,
      sql`select distinct legacy_key from migration.quarantine
        where tenant_id = ${job.tenantId} and entity = ${entity} and legacy_key in (select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb))`,
    );
    for (const row of found) rejected.add(`${entity}\u0000${row.legacy_key}`);
  }
  const refs = new Map(unresolved.map((u) => [u.index, `${u.refEntity}\u0000${u.refKey}`] as const));
  return quarantined.map((q, index) => {
    const ref = refs.get(index);
    if (ref === undefined || !rejected.has(ref)) return q;
    return {
      ...q,
      errors: q.errors.map((e) =>
        e.rule === 'ref'
          ? {
              ...e,
              rule: 'reference_rejected',
              message: `The referenced ${ref.split('\u0000')[0] ?? ''} row was rejected`,
            }
          : e,
      ),
    };
  });
}

async function saveIds(
  db: Database,
  job: EntityJob,
  rows: readonly WriteRow<unknown>[],
  keys: readonly string[],
) {
  if (rows.length === 0) return;
  await queryRows(
    db,
    sql`insert into migration.id_map (tenant_id, entity, legacy_key, only_id, run_id)
      values ${sql.join(
        rows.map(
          (row, i) =>
            sql`(${job.tenantId}, ${job.entity.name}, ${keys[i] ?? ''}, ${row.id}, ${job.runId ?? ''})`,
        ),
        sql`, `,
      )}
      on conflict (tenant_id, entity, legacy_key) do update set only_id = excluded.only_id,
        run_id = excluded.run_id, updated_at = now()
      where id_map.only_id is distinct from excluded.only_id`,
  );
}

async function saveQuarantine(db: Database, job: EntityJob, rows: readonly Quarantined[]) {
  if (rows.length === 0) return;
  await queryRows(
    db,
    sql`insert into migration.quarantine (id, tenant_id, run_id, entity, legacy_key, source_row, errors)
      values ${sql.join(
        rows.map(
          (q) =>
            sql`(${newId('mqr')}, ${job.tenantId}, ${job.runId ?? ''}, ${job.entity.name}, ${q.legacyKey},
              ${JSON.stringify(jsonRow(q.row))}::jsonb, ${JSON.stringify(q.errors)}::jsonb)`,
        ),
        sql`, `,
      )}
      on conflict (run_id, entity, legacy_key) do update set source_row = excluded.source_row,
        errors = excluded.errors, quarantined_at = now()`,
  );
}

async function saveCheckpoint(
  db: Database,
  runId: string,
  tenantId: string,
  entity: string,
  lastKey: readonly SourceValue[] | null,
  done: boolean,
  counts: EntityCounts,
) {
  const key = lastKey === null ? null : JSON.stringify(lastKey.map(jsonValue));
  const countsJson = JSON.stringify(counts);
  await queryRows(
    db,
    sql`insert into migration.checkpoints (tenant_id, run_id, entity, last_key, done, counts)
      values (${tenantId}, ${runId}, ${entity}, ${key}::jsonb, ${done}, ${countsJson}::jsonb)
      on conflict (run_id, entity) do update set
        last_key = coalesce(excluded.last_key, checkpoints.last_key), done = excluded.done,
        counts = excluded.counts, updated_at = now()`,
  );
  await queryRows(
    db,
    sql`update migration.runs set counts = counts || jsonb_build_object(${entity}::text, ${countsJson}::jsonb)
      where id = ${runId}`,
  );
}
