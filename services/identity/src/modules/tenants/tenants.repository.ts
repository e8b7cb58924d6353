import { eq, sql } from 'drizzle-orm';
import { executor, insertOne, type Database } from '@only/platform/db';
import { tenants, type TenantRow } from './tenants.table.ts';

/** Stored tenants. */
export class TenantsRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  insert(row: typeof tenants.$inferInsert): Promise<TenantRow> {
    return insertOne(this.db, tenants, row);
  }

  async find(id: string, options: { forUpdate?: boolean } = {}): Promise<TenantRow | undefined> {
    const query = executor(this.db).select().from(tenants).where(eq(tenants.id, id));
    const [row] = options.forUpdate ? await query.for('update') : await query;
    return row;
  }

  async findBySlug(slug: string): Promise<TenantRow | undefined> {
    const [row] = await executor(this.db)
      .select()
      .from(tenants)
      .where(sql`lower(${tenants.slug}) = lower(${slug})`);
    return row;
  }

  async update(
    id: string,
    changes: Partial<Omit<TenantRow, 'id' | 'createdAt' | 'updatedAt' | 'version'>>,
    updatedAt: Date,
  ): Promise<TenantRow> {
    const [row] = await executor(this.db)
      .update(tenants)
      .set({ ...changes, updatedAt, version: sql`${tenants.version} + 1` })
      .where(eq(tenants.id, id))
      .returning();
    if (!row) throw new Error(`tenant ${id} vanished during update`);
    return row;
  }

  /** Every allowed origin of every active tenant, without duplicates. */
  async activeOrigins(): Promise<string[]> {
    const rows = await executor(this.db)
      .selectDistinct({ origin: sql<string>`unnest(${tenants.allowedOrigins})` })
      .from(tenants)
      .where(eq(tenants.status, 'active'));
    return rows.map((row) => row.origin).sort();
  }
}
