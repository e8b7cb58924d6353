import { and, desc, eq, ilike, isNull, lt, or, sql } from 'drizzle-orm';
import { executor, insertOne, type Database } from '@only/platform/db';
import { customers, type CustomerRow } from './customers.table.ts';

/** Escapes LIKE wildcards so that user text matches literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Stored customers of the orders service; every query is scoped to one tenant. */
export class CustomersRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  insert(row: typeof customers.$inferInsert): Promise<CustomerRow> {
    return insertOne(this.db, customers, row);
  }

  /** A live (not deleted) customer of the tenant. */
  async findLive(
    tenantId: string,
    id: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<CustomerRow | undefined> {
    const query = executor(this.db)
      .select()
      .from(customers)
      .where(and(eq(customers.tenantId, tenantId), eq(customers.id, id), isNull(customers.deletedAt)));
    const [row] = options.forUpdate ? await query.for('update') : await query;
    return row;
  }

  /** Whether a live customer of the tenant other than `exceptId` has this email. */
  async emailTaken(tenantId: string, email: string, exceptId?: string): Promise<boolean> {
    const rows = await executor(this.db)
      .select({ id: customers.id })
      .from(customers)
      .where(
        and(
          eq(customers.tenantId, tenantId),
          sql`lower(${customers.email}) = lower(${email})`,
          isNull(customers.deletedAt),
          exceptId === undefined ? undefined : sql`${customers.id} <> ${exceptId}`,
        ),
      )
      .limit(1);
    return rows.length > 0;
  }

  async update(
    tenantId: string,
    id: string,
    changes: Partial<Pick<CustomerRow, 'email' | 'name' | 'phone' | 'deletedAt'>>,
    updatedAt: Date,
  ): Promise<CustomerRow> {
    const [row] = await executor(this.db)
      .update(customers)
      .set({ ...changes, updatedAt, version: sql`${customers.version} + 1` })
      .where(and(eq(customers.tenantId, tenantId), eq(customers.id, id)))
      .returning();
    if (!row) throw new Error(`customer ${id} vanished during update`);
    return row;
  }

  /** Newest first, keyset-paginated by id; `limit + 1` rows tell whether a next page exists. */
  async list(
    tenantId: string,
    options: { limit: number; afterId?: string; text?: string },
  ): Promise<CustomerRow[]> {
    const pattern = options.text === undefined ? undefined : likePattern(options.text);
    return executor(this.db)
      .select()
      .from(customers)
      .where(
        and(
          eq(customers.tenantId, tenantId),
          isNull(customers.deletedAt),
          options.afterId === undefined ? undefined : lt(customers.id, options.afterId),
          pattern === undefined
            ? undefined
            : or(ilike(customers.name, pattern), ilike(customers.email, pattern)),
        ),
      )
      .orderBy(desc(customers.id))
      .limit(options.limit + 1);
  }
}
