// `only sync`: every syncable entity of the mapping in dependency order (customers before their
// orders), each pass resumable; a failure is recorded, alerted, and stops the run.
import { syncFailedV1 } from '@only/contracts/migration';
import { systemContext } from '@only/platform/context';
import { inTransaction, type Database } from '@only/platform/db';
import { newId } from '@only/platform/ids';
import { Outbox } from '@only/platform/outbox';
import { migrationPlatformTables } from '../../db/schema.ts';
import type { SourceConnector } from '../connectors/index.ts';
import { TARGET_WRITERS } from '../loader/index.ts';
import { pendingEntities } from '../loader/migrate-run.ts';
import type { CompiledMapping } from '../mapping/index.ts';
import { syncEntity, type EntitySyncResult } from './sync-entity.ts';
import { syncMetrics } from './sync-metrics.ts';
import { addCounts, failPass, zeroCounts } from './sync.repository.ts';
import type { SyncCounts } from './sync.table.ts';

/** A request that cannot run as given (unknown entity): a usage error. */
export class SyncUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyncUsageError';
  }
}

/** Progress of a run, for displays. */
export type SyncProgress =
  | { readonly kind: 'entity_start'; readonly entity: string; readonly mode: 'watermark' | 'diff' }
  | { readonly kind: 'entity_done'; readonly entity: string; readonly result: EntitySyncResult }
  | { readonly kind: 'entity_pending'; readonly entity: string; readonly reason: string };

/** Options of {@link runSync}. */
export interface SyncOptions {
  /** The database holding the migration schema and the target services' schemas. */
  readonly db: Database;
  readonly mapping: CompiledMapping;
  readonly source: SourceConnector;
  readonly tenantId: string;
  /** Only these entities (default: every syncable entity of the mapping). */
  readonly entities?: readonly string[];
  /** Overrides the mapping's batch sizes. */
  readonly batchSize?: number;
  /** Stops the run between batches; the entity's pass is resumed by the next sync. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: SyncProgress) => void;
}

/** Outcome of a completed run. */
export interface SyncResult {
  readonly runId: string;
  readonly tenantId: string;
  readonly entities: readonly EntitySyncResult[];
  readonly totals: SyncCounts;
}

/** The entities a run syncs, checked against the mapping. */
export function selectSyncEntities(
  mapping: CompiledMapping,
  entities: readonly string[] | undefined,
): string[] {
  const known = new Set(mapping.order);
  const unknown = (entities ?? []).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new SyncUsageError(
      `Unknown entity ${unknown.join(', ')}; the mapping has ${mapping.order.join(', ')}`,
    );
  }
  return entities === undefined
    ? [...mapping.order]
    : mapping.order.filter((name) => entities.includes(name));
}

/** Syncs a tenant from the legacy source: entity by entity, each from where it got to. */
export async function runSync(options: SyncOptions): Promise<SyncResult> {
  const { db, mapping, tenantId } = options;
  const selected = selectSyncEntities(mapping, options.entities);
  const pending = pendingEntities(mapping);
  const runId = newId('msyn');
  const ctx = systemContext(tenantId, runId);
  const outbox = new Outbox(db, migrationPlatformTables.outbox, 'migration');
  const results: EntitySyncResult[] = [];
  try {
    for (const name of selected) {
      options.signal?.throwIfAborted();
      const entity = mapping.entity(name);
      const reason = pending.get(name);
      const writer = TARGET_WRITERS.get(entity.target);
      if (reason !== undefined || writer === undefined) {
        options.onProgress?.({ kind: 'entity_pending', entity: name, reason: reason ?? 'no writer' });
        continue;
      }
      options.onProgress?.({
        kind: 'entity_start',
        entity: name,
        mode: entity.sync.watermark === null ? 'diff' : 'watermark',
      });
      try {
        const result = await syncEntity({
          db,
          tenantId,
          runId,
          entity,
          writer,
          source: options.source,
          outbox,
          ctx,
          batchSize: options.batchSize,
          signal: options.signal,
        });
        results.push(result);
        options.onProgress?.({ kind: 'entity_done', entity: name, result });
      } catch (error) {
        await recordFailure(db, outbox, ctx, runId, name, error);
        throw error;
      }
    }
  } catch (error) {
    syncMetrics.lastRun.set({ tenant: tenantId, outcome: 'failed' }, Date.now() / 1000);
    throw error;
  }
  syncMetrics.lastRun.set({ tenant: tenantId, outcome: 'completed' }, Date.now() / 1000);
  return {
    runId,
    tenantId,
    entities: results,
    totals: results.reduce((sum, r) => addCounts(sum, r.counts), zeroCounts()),
  };
}

/** Stores, counts and announces a failed pass; never throws over the original error. */
async function recordFailure(
  db: Database,
  outbox: Outbox,
  ctx: ReturnType<typeof systemContext>,
  runId: string,
  entity: string,
  error: unknown,
): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  syncMetrics.failures.inc({ tenant: ctx.tenantId, entity, scope: 'run' });
  await inTransaction(db, async (tx) => {
    await failPass(tx, ctx.tenantId, entity, runId, message);
    await outbox.emit(
      syncFailedV1,
      { scope: 'run', entity, legacyKey: null, message, errors: [], failedAt: new Date().toISOString() },
      { ctx, aggregateId: `${entity}:${runId}` },
    );
  }).catch(() => undefined);
}
