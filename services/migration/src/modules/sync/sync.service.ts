// Sync state and conflicts as the API shows them, and resolving a parked conflict.
import { AsyncResource } from 'node:async_hooks';
import type { RequestContext } from '@only/platform/context';
import { inTransaction, queryRows, type Database } from '@only/platform/db';
import { defineErrors } from '@only/platform/errors';
import { decodeCursor, toPage } from '@only/platform/http';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { TARGET_WRITERS, type TargetWriter } from '../loader/index.ts';
import { decodeLegacyKey } from '../mapping/index.ts';
import type { ListConflictsQuery, SyncConflict, SyncEntityState } from './sync.dto.ts';
import { findConflict, listConflicts, listSyncStates, markResolved } from './sync.repository.ts';
import type { SyncConflictRow, SyncResolution } from './sync.table.ts';

/** Errors of the sync API (`migration.<name>`). */
export const syncErrors = defineErrors('migration', {
  sync_conflict_not_found: {
    status: 404,
    title: 'Sync conflict not found',
    description: 'No sync conflict with this id in the tenant.',
  },
  sync_conflict_resolved: {
    status: 409,
    title: 'The sync conflict is resolved already',
    description: 'A conflict is resolved once; `resolution` tells how it was.',
  },
});

const cursorSchema = z.object({ id: z.string() });

function actorName(ctx: RequestContext): string {
  return ctx.actor.id === null ? ctx.actor.type : `${ctx.actor.type} ${ctx.actor.id}`;
}

function toConflict(row: SyncConflictRow): SyncConflict {
  return {
    id: row.id,
    entity: row.entity,
    legacyKey: decodeLegacyKey(row.legacyKey),
    onlyId: row.onlyId,
    policy: row.policy,
    fields: row.fields,
    legacyValues: row.legacyValues,
    onlyValues: row.onlyValues,
    legacyWatermark: row.legacyWatermark,
    onlyChangedAt: row.onlyChangedAt?.toISOString() ?? null,
    status: row.status,
    resolution: row.resolution,
    resolvedBy: row.resolvedBy,
    detectedAt: row.detectedAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
  };
}

/** The mapped legacy row as stored in the conflict, back in its writer's terms (times as Dates). */
function writerRow(target: string, stored: Record<string, unknown>): { row: unknown; writer: TargetWriter } {
  const writer = TARGET_WRITERS.get(target);
  if (writer === undefined) throw new Error(`no writer for ${target}`);
  const row: Record<string, unknown> = { ...stored };
  for (const column of writer.stored.columns) {
    const value = row[column.field];
    if (column.type === 'timestamptz' && typeof value === 'string') row[column.field] = new Date(value);
  }
  return { row, writer };
}

/** Sync state and conflicts of the caller's tenant. */
export class SyncService {
  private readonly db: Database;
  /** The context the service was made in (at boot: no request, no tenant scope, no transaction). */
  private readonly root = new AsyncResource('migration-sync');

  constructor(deps: { db: Database }) {
    this.db = deps.db;
  }

  /** Every synced entity of the tenant with its watermark, last run and open conflicts. */
  async state(ctx: RequestContext): Promise<SyncEntityState[]> {
    const states = await listSyncStates(this.db, ctx.tenantId);
    const open = await queryRows<{ entity: string; n: number }>(
      this.db,
      sql`select entity, count(*)::int as n from migration.sync_conflicts
        where tenant_id = ${ctx.tenantId} and status = 'open' group by entity`,
    );
    const openBy = new Map(open.map((o) => [o.entity, o.n]));
    return states.map((s) => ({
      entity: s.entity,
      mode: s.mode,
      watermark: s.watermark,
      syncedAt: s.syncedAt?.toISOString() ?? null,
      inProgress: s.pass !== null,
      lastRunId: s.lastRunId,
      lastRunAt: s.lastRunAt?.toISOString() ?? null,
      lastStatus: s.lastStatus,
      lastError: s.lastError,
      lastCounts: s.lastCounts,
      totals: s.totals,
      openConflicts: openBy.get(s.entity) ?? 0,
    }));
  }

  /** A page of conflicts, oldest first. */
  async conflicts(
    ctx: RequestContext,
    query: ListConflictsQuery,
  ): Promise<{ items: SyncConflict[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, cursorSchema).id;
    const rows = await listConflicts(this.db, ctx.tenantId, {
      limit: query.limit,
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.entity === undefined ? {} : { entity: query.entity }),
      ...(after === undefined ? {} : { afterId: after }),
    });
    return toPage(rows, query.limit, toConflict, (row) => ({ id: row.id }));
  }

  /**
   * Resolves an open conflict: `legacy` writes the legacy values into Only (through the loader's
   * writer, as sync would have), `modern` keeps Only's. 404 for another tenant's, 409 if resolved.
   */
  async resolve(ctx: RequestContext, id: string, resolution: SyncResolution): Promise<SyncConflict> {
    const tenantId = ctx.tenantId;
    const by = actorName(ctx);
    // Like sync itself, the write runs as the service's own user (it writes other services'
    // tables and may move the order-number sequence); every statement names the tenant.
    const resolved = await this.root.runInAsyncScope(() =>
      inTransaction(this.db, async (tx) => {
        const conflict = await findConflict(tx, tenantId, id, true);
        if (conflict === undefined) throw syncErrors.sync_conflict_not_found(`No sync conflict ${id}`);
        if (conflict.status !== 'open') {
          throw syncErrors.sync_conflict_resolved(`Sync conflict ${id} was resolved already`, {
            resolution: conflict.resolution,
          });
        }
        if (resolution === 'legacy') {
          const { row, writer } = writerRow(conflict.target, conflict.legacyRow);
          await writer.upsert(tx, tenantId, [{ id: conflict.onlyId, row }]);
        }
        return markResolved(tx, tenantId, id, resolution, by);
      }),
    );
    if (resolved === undefined) throw syncErrors.sync_conflict_not_found(`No sync conflict ${id}`);
    return toConflict(resolved);
  }
}
