import { and, desc, eq, ilike, lt, or, sql } from 'drizzle-orm';
import { executor, insertOne, type Database } from '@only/platform/db';
import { users, type UserRow } from './users.table.ts';

/** Escapes LIKE wildcards so that user text matches literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Columns a change may set. */
export type UserChanges = Partial<
  Pick<
    UserRow,
    | 'name'
    | 'roles'
    | 'status'
    | 'emailVerifiedAt'
    | 'passwordHash'
    | 'passwordChangedAt'
    | 'failedLoginCount'
    | 'lockedUntil'
    | 'lastLoginAt'
  >
>;

/** Stored users; every query is scoped to one tenant. */
export class UsersRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  insert(row: typeof users.$inferInsert): Promise<UserRow> {
    return insertOne(this.db, users, row);
  }

  async find(
    tenantId: string,
    id: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<UserRow | undefined> {
    const query = executor(this.db)
      .select()
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.id, id)));
    const [row] = options.forUpdate ? await query.for('update') : await query;
    return row;
  }

  async findByEmail(tenantId: string, email: string): Promise<UserRow | undefined> {
    const [row] = await executor(this.db)
      .select()
      .from(users)
      .where(and(eq(users.tenantId, tenantId), sql`lower(${users.email}) = lower(${email})`));
    return row;
  }

  async emailTaken(tenantId: string, email: string): Promise<boolean> {
    return (await this.findByEmail(tenantId, email)) !== undefined;
  }

  /**
   * Changes a user. `touch` (default) counts it as a change of the user (`updated_at`, `version`);
   * sign-in bookkeeping (failure counters, last sign-in) is not.
   */
  async update(
    tenantId: string,
    id: string,
    changes: UserChanges,
    at: Date,
    options: { touch?: boolean } = {},
  ): Promise<UserRow> {
    const touch = options.touch ?? true;
    const [row] = await executor(this.db)
      .update(users)
      .set(touch ? { ...changes, updatedAt: at, version: sql`${users.version} + 1` } : changes)
      .where(and(eq(users.tenantId, tenantId), eq(users.id, id)))
      .returning();
    if (!row) throw new Error(`user ${id} vanished during update`);
    return row;
  }

  /**
   * Counts one more failed sign-in atomically (concurrent failures each count) and returns the
   * new count.
   */
  async countFailure(tenantId: string, id: string): Promise<number> {
    const [row] = await executor(this.db)
      .update(users)
      .set({ failedLoginCount: sql`${users.failedLoginCount} + 1` })
      .where(and(eq(users.tenantId, tenantId), eq(users.id, id)))
      .returning({ count: users.failedLoginCount });
    return row?.count ?? 0;
  }

  /**
   * Serializes changes of roles and status within a tenant for the rest of the open transaction
   * (a PostgreSQL advisory lock): two owners demoting each other at once must not both succeed,
   * and must not deadlock on each other's rows either.
   */
  async lockRoleChanges(tenantId: string): Promise<void> {
    await executor(this.db).execute(
      sql`select pg_advisory_xact_lock(hashtext(${`identity.user_roles:${tenantId}`}))`,
    );
  }

  /** Active owners of the tenant other than `exceptId`. */
  async otherActiveOwners(tenantId: string, exceptId: string): Promise<number> {
    const rows = await executor(this.db)
      .select({ id: users.id })
      .from(users)
      .where(
        and(
          eq(users.tenantId, tenantId),
          eq(users.status, 'active'),
          sql`'owner' = any(${users.roles})`,
          sql`${users.id} <> ${exceptId}`,
        ),
      );
    return rows.length;
  }

  /** Newest first, keyset-paginated by id; `limit + 1` rows tell whether a next page exists. */
  async list(
    tenantId: string,
    options: { limit: number; afterId?: string; text?: string; status?: UserRow['status'] },
  ): Promise<UserRow[]> {
    const pattern = options.text === undefined ? undefined : likePattern(options.text);
    return executor(this.db)
      .select()
      .from(users)
      .where(
        and(
          eq(users.tenantId, tenantId),
          options.status === undefined ? undefined : eq(users.status, options.status),
          options.afterId === undefined ? undefined : lt(users.id, options.afterId),
          pattern === undefined ? undefined : or(ilike(users.name, pattern), ilike(users.email, pattern)),
        ),
      )
      .orderBy(desc(users.id))
      .limit(options.limit + 1);
  }
}
