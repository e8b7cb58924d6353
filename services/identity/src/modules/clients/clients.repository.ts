import { and, desc, eq, isNull } from 'drizzle-orm';
import { executor, insertOne, type Database } from '@only/platform/db';
import {
  apiClients,
  firstPartyClients,
  type ApiClientRow,
  type FirstPartyClientRow,
} from './clients.table.ts';

/** Stored API clients (tenant-scoped) and first-party apps (platform-wide). */
export class ClientsRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  insert(row: typeof apiClients.$inferInsert): Promise<ApiClientRow> {
    return insertOne(this.db, apiClients, row);
  }

  /** A live (not revoked) client of the tenant. */
  async findLive(
    tenantId: string,
    id: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<ApiClientRow | undefined> {
    const query = executor(this.db)
      .select()
      .from(apiClients)
      .where(and(eq(apiClients.tenantId, tenantId), eq(apiClients.id, id), isNull(apiClients.revokedAt)));
    const [row] = options.forUpdate ? await query.for('update') : await query;
    return row;
  }

  /** A client by id alone, whatever its tenant: the token endpoint learns the tenant from it. */
  async findForAuthentication(id: string): Promise<ApiClientRow | undefined> {
    const [row] = await executor(this.db).select().from(apiClients).where(eq(apiClients.id, id));
    return row;
  }

  async listLive(tenantId: string): Promise<ApiClientRow[]> {
    return executor(this.db)
      .select()
      .from(apiClients)
      .where(and(eq(apiClients.tenantId, tenantId), isNull(apiClients.revokedAt)))
      .orderBy(desc(apiClients.id));
  }

  async revoke(tenantId: string, id: string, at: Date): Promise<void> {
    await executor(this.db)
      .update(apiClients)
      .set({ revokedAt: at })
      .where(and(eq(apiClients.tenantId, tenantId), eq(apiClients.id, id)));
  }

  async touch(id: string, at: Date): Promise<void> {
    await executor(this.db).update(apiClients).set({ lastUsedAt: at }).where(eq(apiClients.id, id));
  }

  async findFirstParty(id: string): Promise<FirstPartyClientRow | undefined> {
    const [row] = await executor(this.db)
      .select()
      .from(firstPartyClients)
      .where(eq(firstPartyClients.id, id));
    return row;
  }

  /** Registers a first-party app unless it exists (idempotent). */
  async ensureFirstParty(row: typeof firstPartyClients.$inferInsert): Promise<void> {
    await executor(this.db).insert(firstPartyClients).values(row).onConflictDoNothing();
  }
}
