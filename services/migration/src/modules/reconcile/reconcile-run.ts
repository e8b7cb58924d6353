// `only reconcile`: compares a legacy source, after the mapping, with what Only holds, entity by
// entity, and stores the run with every discrepancy found. All database work runs in the tenant's
// scope (row-level security).
import { withTenantScope, type Database } from '@only/platform/db';
import type { SourceConnector } from '../connectors/index.ts';
import { pendingEntities } from '../loader/migrate-run.ts';
import { TARGET_WRITERS } from '../loader/target-writers.ts';
import type { CompiledMapping } from '../mapping/index.ts';
import { refreshStatistics } from '../../db/statistics.ts';
import { reconcileEntity, type EntityProgress } from './reconcile-entity.ts';
import { recordReconcileRun, type ReconcileOutcome } from './reconcile-metrics.ts';
import {
  createReconcileRun,
  finishReconcileRun,
  insertDiscrepancies,
  type NewDiscrepancy,
} from './reconcile.repository.ts';
import type { DiscrepancyCounts, EntityReconciliation, ReconcileTrigger } from './reconcile.table.ts';

/** Defaults of the range search: 16-way splits down to 32 keys. */
export const DEFAULT_FANOUT = 16;
export const DEFAULT_LEAF_SIZE = 32;

/** A request that cannot run as given (unknown entity, bad option): a usage error. */
export class ReconcileUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReconcileUsageError';
  }
}

/** Progress of a run, for displays. */
export type ReconcileProgress =
  EntityProgress | { readonly kind: 'entity_pending'; readonly entity: string; readonly reason: string };

/** Options of {@link runReconciliation}. */
export interface ReconcileOptions {
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
  /** Only these entities (default: every entity of the mapping). */
  readonly entities?: readonly string[];
  readonly trigger?: ReconcileTrigger;
  /** Overrides the mapping's batch sizes (rows per source page). */
  readonly batchSize?: number;
  /** Overrides the mapping's parallelism (pages compared at once). */
  readonly parallelism?: number;
  /** Range search: parts per split (2 = bisection) and the size compared row by row. */
  readonly fanout?: number;
  readonly leafSize?: number;
  /** Stops the run between pages; it is then stored as failed with the reason. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ReconcileProgress) => void;
  /** Called once the run is stored, before the first entity. */
  readonly onOpened?: (runId: string) => void;
}

/** Outcome of a completed run. */
export interface ReconcileResult {
  readonly runId: string;
  readonly tenantId: string;
  /** Missing + extra + changed (quarantined rows are not discrepancies). */
  readonly discrepancies: number;
  readonly counts: DiscrepancyCounts;
  readonly entities: readonly EntityReconciliation[];
}

// Discrepancies are stored in chunks as they are found, so memory does not grow with them.
const FLUSH_EVERY = 500;

const emptyStats = () => ({
  pages: 0,
  rangesCompared: 0,
  roundTrips: 0,
  keysReread: 0,
  rowsFetched: 0,
  bucketScan: false,
});

/** Missing + extra + changed. */
export function discrepancyTotal(counts: DiscrepancyCounts): number {
  return counts.missing + counts.extra + counts.changed;
}

/** Checks the entity names and returns those to reconcile, in the mapping's order. */
export function selectEntities(mapping: CompiledMapping, wanted: readonly string[] | undefined): string[] {
  if (wanted === undefined || wanted.length === 0) return [...mapping.order];
  const unknown = wanted.filter((name) => !mapping.entities.has(name));
  if (unknown.length > 0) {
    throw new ReconcileUsageError(
      `unknown entit${unknown.length === 1 ? 'y' : 'ies'} ${unknown.join(', ')}: the mapping has ${mapping.order.join(', ')}`,
    );
  }
  return mapping.order.filter((name) => wanted.includes(name));
}

function positive(name: string, value: number | undefined, fallback: number, min: number): number {
  const chosen = value ?? fallback;
  if (!Number.isSafeInteger(chosen) || chosen < min) {
    throw new ReconcileUsageError(`${name} must be a whole number ≥ ${min}, got ${chosen}`);
  }
  return chosen;
}

/** Runs a reconciliation of the mapping's entities against one tenant and stores it. */
export async function runReconciliation(options: ReconcileOptions): Promise<ReconcileResult> {
  const { db, mapping, tenantId } = options;
  const names = selectEntities(mapping, options.entities);
  const fanout = positive('fanout', options.fanout, DEFAULT_FANOUT, 2);
  const leafSize = positive('leafSize', options.leafSize, DEFAULT_LEAF_SIZE, 1);
  if (options.batchSize !== undefined) positive('batchSize', options.batchSize, 1, 1);
  if (options.parallelism !== undefined) positive('parallelism', options.parallelism, 1, 1);
  options.signal?.throwIfAborted();
  const started = performance.now();
  const runId = await createReconcileRun(db, {
    tenantId,
    mappingName: options.mappingName,
    mappingHash: options.mappingHash,
    sourceUrl: options.sourceUrl,
    trigger: options.trigger ?? 'cli',
    entityFilter: options.entities === undefined || options.entities.length === 0 ? null : names,
  });
  options.onOpened?.(runId);
  const pending = pendingEntities(mapping);
  const tables = names.flatMap(
    (name) => TARGET_WRITERS.get(mapping.entity(name).target)?.stored.tables ?? [],
  );
  await refreshStatistics(db, ['migration.id_map', 'migration.quarantine', ...tables]);
  const entities: EntityReconciliation[] = [];
  const counts: DiscrepancyCounts = { missing: 0, extra: 0, changed: 0, quarantined: 0 };
  let buffer: NewDiscrepancy[] = [];
  const flush = async () => {
    const chunk = buffer;
    buffer = [];
    await insertDiscrepancies(db, tenantId, runId, chunk);
  };
  const report = async (discrepancy: NewDiscrepancy) => {
    counts[discrepancy.kind]++;
    buffer.push(discrepancy);
    if (buffer.length >= FLUSH_EVERY) await flush();
  };
  try {
    await withTenantScope(tenantId, async () => {
      for (const name of names) {
        options.signal?.throwIfAborted();
        const entity = mapping.entity(name);
        const reason = pending.get(name);
        const writer = TARGET_WRITERS.get(entity.target);
        if (reason !== undefined || writer === undefined) {
          const why = reason ?? `no loader for ${entity.target} yet`;
          options.onProgress?.({ kind: 'entity_pending', entity: name, reason: why });
          entities.push({
            entity: name,
            target: entity.target,
            status: 'pending',
            reason: why,
            legacy: { rows: 0, sums: {} },
            only: { rows: 0, native: 0, sums: {} },
            compared: 0,
            matched: 0,
            counts: { missing: 0, extra: 0, changed: 0, quarantined: 0 },
            search: emptyStats(),
          });
          continue;
        }
        entities.push(
          await reconcileEntity({
            db,
            tenantId,
            mapping,
            entity,
            writer,
            source: options.source,
            batchSize: options.batchSize ?? entity.batchSize,
            parallelism: options.parallelism ?? entity.parallelism,
            leafSize,
            fanout,
            signal: options.signal,
            report,
            onProgress: options.onProgress,
          }),
        );
      }
      await flush();
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await flush().catch(() => undefined);
    await finishReconcileRun(db, tenantId, runId, {
      status: 'failed',
      entities,
      counts,
      error: message,
    }).catch(() => undefined);
    recordReconcileRun(tenantId, 'failed', (performance.now() - started) / 1000, entities);
    throw error;
  }
  await finishReconcileRun(db, tenantId, runId, { status: 'completed', entities, counts, error: null });
  const outcome: ReconcileOutcome = discrepancyTotal(counts) === 0 ? 'clean' : 'discrepancies';
  recordReconcileRun(tenantId, outcome, (performance.now() - started) / 1000, entities);
  return { runId, tenantId, discrepancies: discrepancyTotal(counts), counts, entities };
}
