import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { executor, insertOne, type Database } from '@only/platform/db';
import { apiClients } from '../clients/clients.table.ts';
import { users } from '../users/users.table.ts';
import { roles, type RoleRow } from './roles.table.ts';

/** Stored custom roles; every query is scoped to one tenant. */
export class RolesRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  insert(row: typeof roles.$inferInsert): Promise<RoleRow> {
    return insertOne(this.db, roles, row);
  }

  async find(
    tenantId: string,
    id: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<RoleRow | undefined> {
    const query = executor(this.db)
      .select()
      .from(roles)
      .where(and(eq(roles.tenantId, tenantId), eq(roles.id, id)));
    const [row] = options.forUpdate ? await query.for('update') : await query;
    return row;
  }

  async list(tenantId: string): Promise<RoleRow[]> {
    return executor(this.db)
      .select()
      .from(roles)
      .where(eq(roles.tenantId, tenantId))
      .orderBy(asc(roles.name));
  }

  /** The tenant's custom roles with these names. */
  async findByNames(tenantId: string, names: readonly string[]): Promise<RoleRow[]> {
    if (names.length === 0) return [];
    return executor(this.db)
      .select()
      .from(roles)
      .where(and(eq(roles.tenantId, tenantId), inArray(roles.name, [...names])));
  }

  async nameTaken(tenantId: string, name: string, exceptId?: string): Promise<boolean> {
    const rows = await executor(this.db)
      .select({ id: roles.id })
      .from(roles)
      .where(
        and(
          eq(roles.tenantId, tenantId),
          eq(roles.name, name),
          exceptId === undefined ? undefined : sql`${roles.id} <> ${exceptId}`,
        ),
      )
      .limit(1);
    return rows.length > 0;
  }

  async update(
    tenantId: string,
    id: string,
    changes: Partial<Pick<RoleRow, 'name' | 'description' | 'permissions'>>,
    updatedAt: Date,
  ): Promise<RoleRow> {
    const [row] = await executor(this.db)
      .update(roles)
      .set({ ...changes, updatedAt, version: sql`${roles.version} + 1` })
      .where(and(eq(roles.tenantId, tenantId), eq(roles.id, id)))
      .returning();
    if (!row) throw new Error(`role ${id} vanished during update`);
    return row;
  }

  async delete(tenantId: string, id: string): Promise<void> {
    await executor(this.db)
      .delete(roles)
      .where(and(eq(roles.tenantId, tenantId), eq(roles.id, id)));
  }

  /** How many users and live API clients of the tenant hold the role. */
  async assignments(tenantId: string, name: string): Promise<{ users: number; clients: number }> {
    const q = executor(this.db);
    const [userCount, clientCount] = await Promise.all([
      q.$count(users, and(eq(users.tenantId, tenantId), sql`${name} = any(${users.roles})`)),
      q.$count(
        apiClients,
        and(
          eq(apiClients.tenantId, tenantId),
          isNull(apiClients.revokedAt),
          sql`${name} = any(${apiClients.roles})`,
        ),
      ),
    ]);
    return { users: userCount, clients: clientCount };
  }

  /** Renames the role wherever it is assigned, in the same transaction as the rename. */
  async renameAssignments(tenantId: string, from: string, to: string, at: Date): Promise<void> {
    const q = executor(this.db);
    await q
      .update(users)
      .set({ roles: sql`array_replace(${users.roles}, ${from}, ${to})`, updatedAt: at })
      .where(and(eq(users.tenantId, tenantId), sql`${from} = any(${users.roles})`));
    await q
      .update(apiClients)
      .set({ roles: sql`array_replace(${apiClients.roles}, ${from}, ${to})` })
      .where(and(eq(apiClients.tenantId, tenantId), sql`${from} = any(${apiClients.roles})`));
  }
}
