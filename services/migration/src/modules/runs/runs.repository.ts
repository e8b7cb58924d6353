import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { executor, type Database } from '@only/platform/db';
import type { RunSnapshot } from './runs.dto.ts';
import { runs, type RunRow, type RunStatus } from './runs.table.ts';

export function snapshotOf(row: RunRow): RunSnapshot {
  return {
    id: row.id,
    tenantId: row.tenantId,
    status: row.status,
    dryRun: false,
    mappingName: row.mappingName,
    mappingHash: row.mappingHash,
    sourceUrl: row.sourceUrl,
    counts: row.counts,
    error: row.error,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

/** Stored migration runs; every query is scoped to one tenant. */
export class RunsRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  async find(tenantId: string, id: string): Promise<RunRow | undefined> {
    const [row] = await executor(this.db)
      .select()
      .from(runs)
      .where(and(eq(runs.tenantId, tenantId), eq(runs.id, id)));
    return row;
  }

  /** The tenant's newest running run, if any. */
  async findRunning(tenantId: string): Promise<RunRow | undefined> {
    const [row] = await executor(this.db)
      .select()
      .from(runs)
      .where(and(eq(runs.tenantId, tenantId), eq(runs.status, 'running')))
      .orderBy(desc(runs.id))
      .limit(1);
    return row;
  }

  /** Newest first, keyset-paginated by id; `limit + 1` rows tell whether a next page exists. */
  list(tenantId: string, page: { limit: number; beforeId?: string; status?: RunStatus }): Promise<RunRow[]> {
    return executor(this.db)
      .select()
      .from(runs)
      .where(
        and(
          eq(runs.tenantId, tenantId),
          page.beforeId === undefined ? undefined : lt(runs.id, page.beforeId),
          page.status === undefined ? undefined : eq(runs.status, page.status),
        ),
      )
      .orderBy(desc(runs.id))
      .limit(page.limit + 1);
  }

  /** Ends a running run as failed with `error`; undefined when it was no longer running. */
  async markFailed(tenantId: string, id: string, error: string): Promise<RunRow | undefined> {
    const [row] = await executor(this.db)
      .update(runs)
      .set({ status: 'failed', error, finishedAt: sql`now()` })
      .where(and(eq(runs.tenantId, tenantId), eq(runs.id, id), eq(runs.status, 'running')))
      .returning();
    return row;
  }

  /** Status and error of a run, whatever its tenant (the executor's check for a stop from elsewhere). */
  async statusOf(id: string): Promise<{ status: RunStatus; error: string | null } | undefined> {
    const [row] = await executor(this.db)
      .select({ status: runs.status, error: runs.error })
      .from(runs)
      .where(eq(runs.id, id));
    return row;
  }
}
