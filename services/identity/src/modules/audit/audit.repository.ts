import { and, desc, eq, lt } from 'drizzle-orm';
import { executor, type Database } from '@only/platform/db';
import { auditLog, type AuditRow } from './audit.table.ts';

/** The stored audit log; every read is scoped to one tenant. */
export class AuditRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  async insert(row: AuditRow): Promise<void> {
    await executor(this.db).insert(auditLog).values(row);
  }

  /** Newest first, keyset-paginated by id; `limit + 1` rows tell whether a next page exists. */
  async list(
    tenantId: string,
    options: { limit: number; afterId?: string; action?: string; targetId?: string },
  ): Promise<AuditRow[]> {
    return executor(this.db)
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.tenantId, tenantId),
          options.action === undefined ? undefined : eq(auditLog.action, options.action),
          options.targetId === undefined ? undefined : eq(auditLog.targetId, options.targetId),
          options.afterId === undefined ? undefined : lt(auditLog.id, options.afterId),
        ),
      )
      .orderBy(desc(auditLog.id))
      .limit(options.limit + 1);
  }
}
