import { and, asc, eq, gt } from 'drizzle-orm';
import { executor, type Database } from '@only/platform/db';
import { quarantine, type QuarantineRow } from '../runs/runs.table.ts';

/** Quarantined source rows; every query is scoped to one tenant. */
export class QuarantineRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /** In the order they were quarantined, keyset-paginated by id; `limit + 1` rows tell whether a next page exists. */
  list(
    tenantId: string,
    filter: { runId?: string; entity?: string },
    page: { limit: number; afterId?: string },
  ): Promise<QuarantineRow[]> {
    return executor(this.db)
      .select()
      .from(quarantine)
      .where(
        and(
          eq(quarantine.tenantId, tenantId),
          filter.runId === undefined ? undefined : eq(quarantine.runId, filter.runId),
          filter.entity === undefined ? undefined : eq(quarantine.entity, filter.entity),
          page.afterId === undefined ? undefined : gt(quarantine.id, page.afterId),
        ),
      )
      .orderBy(asc(quarantine.id))
      .limit(page.limit + 1);
  }
}
