// One entity of a reconciliation. Stage 1: counts and money sums on both sides by SQL aggregates.
// Stage 2: the source is read once, page by page (keyset batches); each page is mapped exactly as
// `only migrate` maps it and compared with Only by checksums over the page's keys, split down to
// small ranges where they differ (range-search.ts), whose rows are then compared field by field.
// Extra rows in Only are located by key buckets (key-buckets.ts). Memory: a few pages.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Database } from '@only/platform/db';
import type { SourceConnector, SourceRow } from '../connectors/index.ts';
import { idKey, lookupIds, mapSourceRow, wantedKeys } from '../loader/map-rows.ts';
import type { TargetWriter } from '../loader/target-writers.ts';
import type { CompiledEntity, CompiledMapping } from '../mapping/index.ts';
import type { QuarantineError } from '../runs/runs.table.ts';
import {
  canonicalValues,
  displayValue,
  keyFingerprint,
  rowHash,
  rowText,
  type Digest,
} from './canonical-row.ts';
import { bucketBitsFor, KeyBuckets } from './key-buckets.ts';
import { legacyAggregates, moneyFieldsOf } from './legacy-side.ts';
import {
  fetchStored,
  keysInBuckets,
  mappedKeyCount,
  onlyAggregates,
  storedDigests,
  type OnlyTarget,
  type StoredRow,
} from './only-side.ts';
import { searchDifferences, type PositionRange } from './range-search.ts';
import type { NewDiscrepancy } from './reconcile.repository.ts';
import type {
  DiscrepancyCounts,
  DiscrepancyKind,
  EntityReconciliation,
  FieldDiff,
  RangeSearchStats,
} from './reconcile.table.ts';

/** Progress of one entity, for displays. */
export type EntityProgress =
  | { readonly kind: 'entity_start'; readonly entity: string; readonly total: number }
  | {
      readonly kind: 'page';
      readonly entity: string;
      readonly compared: number;
      readonly counts: DiscrepancyCounts;
    }
  | { readonly kind: 'entity_done'; readonly entity: string; readonly summary: EntityReconciliation };

/** What {@link reconcileEntity} needs. */
export interface EntityJob {
  /** The database of the migration schema and the target services' schemas. */
  readonly db: Database;
  readonly tenantId: string;
  readonly mapping: CompiledMapping;
  readonly entity: CompiledEntity;
  readonly writer: TargetWriter;
  readonly source: SourceConnector;
  /** Rows per source page. */
  readonly batchSize: number;
  /** Pages compared at once. */
  readonly parallelism: number;
  /** Ranges of at most this many keys are compared row by row. */
  readonly leafSize: number;
  /** Parts a differing range is split into. */
  readonly fanout: number;
  readonly signal?: AbortSignal | undefined;
  /** Takes each discrepancy as it is found (the run stores them). */
  readonly report: (discrepancy: NewDiscrepancy) => Promise<void>;
  readonly onProgress?: ((progress: EntityProgress) => void) | undefined;
}

/** A mapped source row, reduced to what the comparison needs. */
interface MappedKey {
  readonly key: string;
  readonly values: readonly (string | null)[];
  readonly hash: bigint;
}

/** Running totals of one entity. */
interface EntityState {
  readonly counts: DiscrepancyCounts;
  readonly search: RangeSearchStats;
  compared: number;
  matched: number;
  /** Source keys whose row Only holds (mapped or not). */
  present: number;
  /** Those keys, by key bucket. */
  readonly buckets: KeyBuckets;
}

/** Runs `work` over the items with at most `limit` at once; the first failure stops the loop. */
async function forEachConcurrently<T>(
  items: AsyncIterable<T>,
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  for await (const item of items) {
    if (failure !== undefined) break;
    const task: Promise<void> = work(item).then(
      () => {
        running.delete(task);
      },
      (error: unknown) => {
        running.delete(task);
        failure ??= { error };
      },
    );
    running.add(task);
    if (running.size >= limit) await Promise.race(running);
  }
  await Promise.all(running);
  if (failure !== undefined) throw failure.error;
}

/** Reconciles one entity; discrepancies go to `job.report` as they are found. */
export async function reconcileEntity(job: EntityJob): Promise<EntityReconciliation> {
  const { entity, writer } = job;
  const target: OnlyTarget = {
    db: job.db,
    tenantId: job.tenantId,
    entity: entity.name,
    shape: writer.stored,
  };
  const money = moneyFieldsOf(job.mapping, entity.name, writer.stored);
  const moneySql = money.flatMap((m) => {
    const column = writer.stored.columns.find((c) => c.field === m.field);
    return column === undefined ? [] : [{ field: m.field, sql: column.sql }];
  });
  // Stage 1 (both sides' sizes first: they size the key buckets Only's aggregate fills).
  const [legacy, mappedKeys] = await Promise.all([
    legacyAggregates(job.source, entity, money),
    mappedKeyCount(target),
  ]);
  const bits = bucketBitsFor(Math.max(legacy.rows, mappedKeys));
  const { buckets: onlyBuckets, ...only } = await onlyAggregates(target, moneySql, bits);
  job.onProgress?.({ kind: 'entity_start', entity: entity.name, total: legacy.rows });

  // Stage 2.
  const state: EntityState = {
    counts: { missing: 0, extra: 0, changed: 0, quarantined: 0 },
    search: { pages: 0, rangesCompared: 0, roundTrips: 0, keysReread: 0, rowsFetched: 0, bucketScan: false },
    compared: 0,
    matched: 0,
    present: 0,
    buckets: new KeyBuckets(bits),
  };
  const report = async (discrepancy: Omit<NewDiscrepancy, 'entity'>) => {
    state.counts[discrepancy.kind]++;
    await job.report({ ...discrepancy, entity: entity.name });
  };
  const pages = job.source.read(entity.source, {
    batchSize: job.batchSize,
    // Files have no column selection worth having; SQL sources read only what the mapping needs.
    ...(job.source.supportsKeyset ? { columns: entity.sourceColumns } : {}),
    ...(job.signal === undefined ? {} : { signal: job.signal }),
  });
  await forEachConcurrently(pages, job.parallelism, async (batch) => {
    // Embedded drivers (PGlite, node:sqlite) resolve without yielding to I/O: let the process's
    // other work run between pages, then stop here if asked.
    await nextTurn();
    job.signal?.throwIfAborted();
    await comparePage(job, target, batch.rows, state, report);
    job.onProgress?.({
      kind: 'page',
      entity: entity.name,
      compared: state.compared,
      counts: { ...state.counts },
    });
  });
  // Keys Only holds that no page found: rows the legacy system no longer has.
  if (only.rows > state.present) {
    state.search.bucketScan = true;
    await findExtras(job, target, state, onlyBuckets, report);
  }
  const summary: EntityReconciliation = {
    entity: entity.name,
    target: entity.target,
    status: 'compared',
    legacy,
    only,
    compared: state.compared,
    matched: state.matched,
    counts: state.counts,
    search: state.search,
  };
  job.onProgress?.({ kind: 'entity_done', entity: entity.name, summary });
  return summary;
}

type Report = (discrepancy: Omit<NewDiscrepancy, 'entity'>) => Promise<void>;

// Extra rows fetched per query.
const EXTRAS_CHUNK = 1000;

/** Maps one page, settles its unmappable rows, and compares the rest by range checksums. */
async function comparePage(
  job: EntityJob,
  target: OnlyTarget,
  rows: readonly SourceRow[],
  state: EntityState,
  report: Report,
): Promise<void> {
  const { entity, writer } = job;
  state.search.pages++;
  // References resolve through the id map, as when the rows were loaded.
  const ids = await lookupIds(job.db, job.tenantId, wantedKeys(entity, rows, false));
  const mapped: MappedKey[] = [];
  const failed: { key: string | null; errors: readonly QuarantineError[] }[] = [];
  for (const row of rows) {
    const out = mapSourceRow(entity, writer, row, (name, key) => ids.get(idKey(name, key)));
    if (out.legacyKey !== null) state.buckets.add(out.legacyKey);
    if (!out.ok) {
      failed.push({ key: out.legacyKey, errors: out.errors });
      continue;
    }
    const values = canonicalValues(writer.stored, out.row);
    mapped.push({ key: out.legacyKey, values, hash: rowHash(out.legacyKey, rowText(values)) });
  }
  state.compared += mapped.length;
  await settleUnmappable(target, failed, state, report);

  // Local digests of any range from prefix sums.
  const prefix = new Array<bigint>(mapped.length + 1);
  prefix[0] = 0n;
  mapped.forEach((m, i) => (prefix[i + 1] = (prefix[i] ?? 0n) + m.hash));
  const local = (range: PositionRange): Digest => ({
    count: range.to - range.from,
    sum: (prefix[range.to] ?? 0n) - (prefix[range.from] ?? 0n),
  });
  const result = await searchDifferences({
    size: mapped.length,
    leafSize: job.leafSize,
    fanout: job.fanout,
    local,
    remote: (ranges) => {
      const keys: string[] = [];
      const starts: number[] = [];
      for (const range of ranges) {
        starts.push(keys.length);
        for (let i = range.from; i < range.to; i++) keys.push(mapped[i]?.key ?? '');
      }
      return storedDigests(target, keys, starts);
    },
  });
  state.present += result.whole.count;
  state.search.roundTrips += result.roundTrips;
  state.search.rangesCompared += result.rangesCompared;
  state.search.keysReread += result.keysReread;

  const suspects = result.leaves.flatMap((range) => mapped.slice(range.from, range.to));
  state.matched += mapped.length - suspects.length;
  if (suspects.length === 0) return;
  state.search.rowsFetched += suspects.length;
  const stored = await fetchStored(
    target,
    suspects.map((s) => s.key),
    { values: true },
  );
  for (const suspect of suspects) {
    const only = stored.get(suspect.key);
    if (only?.present !== true) {
      state.buckets.remove(suspect.key);
      await report({
        kind: 'missing',
        legacyKey: suspect.key,
        onlyId: only?.onlyId ?? null,
        fields: rowFields(job.writer, suspect.values, null),
        errors: null,
      });
      continue;
    }
    const fields = changedFields(job.writer, suspect.values, only);
    if (fields.length === 0) {
      state.matched++;
      continue;
    }
    await report({ kind: 'changed', legacyKey: suspect.key, onlyId: only.onlyId, fields, errors: null });
  }
}

/**
 * Legacy rows that do not map (or not validate): in Only → changed (the legacy row is no longer
 * loadable); not in Only → quarantined when the migration quarantined the key, else missing.
 */
async function settleUnmappable(
  target: OnlyTarget,
  failed: readonly { key: string | null; errors: readonly QuarantineError[] }[],
  state: EntityState,
  report: Report,
): Promise<void> {
  if (failed.length === 0) return;
  const keys = failed.flatMap((f) => (f.key === null ? [] : [f.key]));
  const stored = await fetchStored(target, keys, { quarantine: true });
  for (const { key, errors } of failed) {
    const only: StoredRow | undefined = key === null ? undefined : stored.get(key);
    let kind: DiscrepancyKind;
    if (only?.present === true) {
      kind = 'changed';
      state.present++;
    } else {
      if (key !== null) state.buckets.remove(key);
      // A row without its key cannot have been loaded: the migration quarantined it too.
      kind = key === null || only?.quarantined === true ? 'quarantined' : 'missing';
    }
    await report({ kind, legacyKey: key, onlyId: only?.onlyId ?? null, fields: [], errors });
  }
}

/** Every column of a row, from one side (missing rows: legacy values; extra rows: Only's). */
function rowFields(
  writer: TargetWriter,
  legacy: readonly (string | null)[] | null,
  only: readonly (string | null)[] | null,
): FieldDiff[] {
  return writer.stored.columns.map((column, i) => ({
    field: column.field,
    legacy: legacy === null ? null : displayValue(column, legacy[i] ?? null),
    only: only === null ? null : displayValue(column, only[i] ?? null),
  }));
}

/** Fields whose canonical texts differ; a time Only set itself (legacy null) is not a difference. */
function changedFields(
  writer: TargetWriter,
  legacy: readonly (string | null)[],
  only: StoredRow,
): FieldDiff[] {
  const out: FieldDiff[] = [];
  writer.stored.columns.forEach((column, i) => {
    const a = legacy[i] ?? null;
    const b = only.values[i] ?? null;
    if (a === b || (a === null && column.nowWhenNull === true)) return;
    out.push({ field: column.field, legacy: displayValue(column, a), only: displayValue(column, b) });
  });
  return out;
}

/**
 * Locates Only's rows whose legacy key no page had: the key buckets where Only has more keys than
 * the pages found, then those buckets' keys. A bucket with one surplus key gives it away by its
 * hash; otherwise the source's keys are read once more (key columns only) to rule candidates out.
 */
async function findExtras(
  job: EntityJob,
  target: OnlyTarget,
  state: EntityState,
  onlyBuckets: ReadonlyMap<number, Digest>,
  report: Report,
) {
  const { bits } = state.buckets;
  const surplus = state.buckets.surplusOf(onlyBuckets);
  if (surplus.length === 0) return;
  const candidates = await keysInBuckets(
    target,
    bits,
    surplus.map((s) => s.bucket),
  );
  const byBucket = new Map<number, string[]>();
  for (const c of candidates) byBucket.set(c.bucket, [...(byBucket.get(c.bucket) ?? []), c.legacyKey]);
  const extras: string[] = [];
  const unresolved = new Set<string>();
  for (const { bucket, count, sum } of surplus) {
    const keys = byBucket.get(bucket) ?? [];
    const match = count === 1 ? keys.find((key) => keyFingerprint(key).hash === sum) : undefined;
    if (match !== undefined) extras.push(match);
    else for (const key of keys) unresolved.add(key);
  }
  if (unresolved.size > 0) {
    const keyReads = job.source.read(job.entity.source, {
      batchSize: Math.max(job.batchSize, 5000),
      ...(job.source.supportsKeyset ? { columns: job.entity.key } : {}),
      ...(job.signal === undefined ? {} : { signal: job.signal }),
    });
    for await (const batch of keyReads) {
      for (const row of batch.rows) {
        try {
          unresolved.delete(job.entity.legacyKey(row));
        } catch {
          // A row without its key is no candidate.
        }
      }
    }
    extras.push(...unresolved);
  }
  extras.sort();
  state.search.rowsFetched += extras.length;
  for (let i = 0; i < extras.length; i += EXTRAS_CHUNK) {
    const chunk = extras.slice(i, i + EXTRAS_CHUNK);
    const stored = await fetchStored(target, chunk, { values: true });
    for (const key of chunk) {
      const only = stored.get(key);
      await report({
        kind: 'extra',
        legacyKey: key,
        onlyId: only?.onlyId ?? null,
        fields: rowFields(job.writer, null, only?.values ?? null),
        errors: null,
      });
    }
  }
}
