import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { executor, insertOne, type Database } from '@only/platform/db';
import { locations, type LocationRow } from './locations.table.ts';

/** Stored stock locations; every query is scoped to one tenant. */
export class LocationsRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  insert(row: typeof locations.$inferInsert): Promise<LocationRow> {
    return insertOne(this.db, locations, row);
  }

  async find(
    tenantId: string,
    id: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<LocationRow | undefined> {
    const query = executor(this.db)
      .select()
      .from(locations)
      .where(and(eq(locations.tenantId, tenantId), eq(locations.id, id)));
    const [row] = options.forUpdate ? await query.for('update') : await query;
    return row;
  }

  async findDefault(tenantId: string): Promise<LocationRow | undefined> {
    const [row] = await executor(this.db)
      .select()
      .from(locations)
      .where(and(eq(locations.tenantId, tenantId), eq(locations.isDefault, true)));
    return row;
  }

  async update(
    tenantId: string,
    id: string,
    changes: Partial<Pick<LocationRow, 'code' | 'name' | 'isDefault' | 'active'>>,
    updatedAt: Date,
  ): Promise<LocationRow> {
    const [row] = await executor(this.db)
      .update(locations)
      .set({ ...changes, updatedAt, version: sql`${locations.version} + 1` })
      .where(and(eq(locations.tenantId, tenantId), eq(locations.id, id)))
      .returning();
    if (!row) throw new Error(`location ${id} vanished during update`);
    return row;
  }

  /** Takes the default flag from whichever location has it (before another one gets it). */
  async clearDefault(tenantId: string, updatedAt: Date): Promise<void> {
    await executor(this.db)
      .update(locations)
      .set({ isDefault: false, updatedAt, version: sql`${locations.version} + 1` })
      .where(and(eq(locations.tenantId, tenantId), eq(locations.isDefault, true)));
  }

  /** Oldest first, keyset-paginated by id; `limit + 1` rows tell whether a next page exists. */
  list(tenantId: string, page: { limit: number; afterId?: string }): Promise<LocationRow[]> {
    return executor(this.db)
      .select()
      .from(locations)
      .where(
        and(
          eq(locations.tenantId, tenantId),
          page.afterId === undefined ? undefined : gt(locations.id, page.afterId),
        ),
      )
      .orderBy(asc(locations.id))
      .limit(page.limit + 1);
  }
}
