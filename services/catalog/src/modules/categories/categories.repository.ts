import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { executor, insertOne, queryRows, type Database } from '@only/platform/db';
import { categories, type CategoryRow } from './categories.table.ts';

/** Stored categories; every query is scoped to one tenant. */
export class CategoriesRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  insert(row: typeof categories.$inferInsert): Promise<CategoryRow> {
    return insertOne(this.db, categories, row);
  }

  async find(
    tenantId: string,
    id: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<CategoryRow | undefined> {
    const query = executor(this.db)
      .select()
      .from(categories)
      .where(and(eq(categories.tenantId, tenantId), eq(categories.id, id)));
    const [row] = options.forUpdate ? await query.for('update') : await query;
    return row;
  }

  /** Which of `ids` are categories of the tenant. */
  async existing(tenantId: string, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await executor(this.db)
      .select({ id: categories.id })
      .from(categories)
      .where(and(eq(categories.tenantId, tenantId), inArray(categories.id, [...ids])));
    return new Set(rows.map((row) => row.id));
  }

  /** `id` and every category above it, nearest first. */
  async ancestorsOf(tenantId: string, id: string): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      this.db,
      sql`with recursive up(id, parent_id, depth) as (
        select id, parent_id, 0 from ${categories} where tenant_id = ${tenantId} and id = ${id}
        union all
        select c.id, c.parent_id, up.depth + 1 from ${categories} c
        join up on c.tenant_id = ${tenantId} and c.id = up.parent_id
        where up.depth < 100
      ) select id from up order by depth`,
    );
    return rows.map((row) => row.id);
  }

  async hasChildren(tenantId: string, id: string): Promise<boolean> {
    const rows = await executor(this.db)
      .select({ id: categories.id })
      .from(categories)
      .where(and(eq(categories.tenantId, tenantId), eq(categories.parentId, id)))
      .limit(1);
    return rows.length > 0;
  }

  async update(
    tenantId: string,
    id: string,
    changes: Partial<Pick<CategoryRow, 'name' | 'description' | 'parentId'>>,
    updatedAt: Date,
  ): Promise<CategoryRow> {
    const [row] = await executor(this.db)
      .update(categories)
      .set({ ...changes, updatedAt, version: sql`${categories.version} + 1` })
      .where(and(eq(categories.tenantId, tenantId), eq(categories.id, id)))
      .returning();
    if (!row) throw new Error(`category ${id} vanished during update`);
    return row;
  }

  async delete(tenantId: string, id: string): Promise<void> {
    await executor(this.db)
      .delete(categories)
      .where(and(eq(categories.tenantId, tenantId), eq(categories.id, id)));
  }

  /** Oldest first, keyset-paginated by id; `limit + 1` rows tell whether a next page exists. */
  list(
    tenantId: string,
    filter: { parentId?: string | null },
    page: { limit: number; afterId?: string },
  ): Promise<CategoryRow[]> {
    return executor(this.db)
      .select()
      .from(categories)
      .where(
        and(
          eq(categories.tenantId, tenantId),
          filter.parentId === undefined
            ? undefined
            : filter.parentId === null
              ? isNull(categories.parentId)
              : eq(categories.parentId, filter.parentId),
          page.afterId === undefined ? undefined : gt(categories.id, page.afterId),
        ),
      )
      .orderBy(asc(categories.id))
      .limit(page.limit + 1);
  }
}
