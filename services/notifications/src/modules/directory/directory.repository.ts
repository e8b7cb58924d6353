import { BUILT_IN_ROLES, isBuiltInRole } from '@only/contracts/auth';
import { and, arrayOverlaps, eq, sql } from 'drizzle-orm';
import { executor, type Database } from '@only/platform/db';
import {
  customerContacts,
  orderSummaries,
  staffRoles,
  staffUsers,
  tenantProfiles,
  type CustomerContactRow,
  type OrderSummaryRow,
  type StaffUserRow,
  type TenantProfileRow,
} from './directory.table.ts';

/**
 * What notifications knows about tenants, users, roles, customers and orders, kept from their
 * services' events. Each upsert keeps the newer state, so events arriving out of order converge.
 */
export class DirectoryRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  async upsertTenant(row: TenantProfileRow): Promise<void> {
    await executor(this.db)
      .insert(tenantProfiles)
      .values(row)
      .onConflictDoUpdate({
        target: tenantProfiles.tenantId,
        set: {
          slug: sql`excluded.slug`,
          name: sql`excluded.name`,
          locale: sql`excluded.locale`,
          timezone: sql`excluded.timezone`,
          branding: sql`excluded.branding`,
          updatedAt: sql`excluded.updated_at`,
        },
        setWhere: sql`${tenantProfiles.updatedAt} <= excluded.updated_at`,
      });
  }

  async tenant(tenantId: string): Promise<TenantProfileRow | undefined> {
    const [row] = await executor(this.db)
      .select()
      .from(tenantProfiles)
      .where(eq(tenantProfiles.tenantId, tenantId));
    return row;
  }

  async upsertUser(row: StaffUserRow): Promise<void> {
    await executor(this.db)
      .insert(staffUsers)
      .values(row)
      .onConflictDoUpdate({
        target: [staffUsers.tenantId, staffUsers.userId],
        set: {
          email: sql`excluded.email`,
          name: sql`excluded.name`,
          roles: sql`excluded.roles`,
          status: sql`excluded.status`,
          updatedAt: sql`excluded.updated_at`,
        },
        setWhere: sql`${staffUsers.updatedAt} <= excluded.updated_at`,
      });
  }

  async user(tenantId: string, userId: string): Promise<StaffUserRow | undefined> {
    const [row] = await executor(this.db)
      .select()
      .from(staffUsers)
      .where(and(eq(staffUsers.tenantId, tenantId), eq(staffUsers.userId, userId)));
    return row;
  }

  async upsertRole(row: typeof staffRoles.$inferInsert): Promise<void> {
    await executor(this.db)
      .insert(staffRoles)
      .values(row)
      .onConflictDoUpdate({
        target: [staffRoles.tenantId, staffRoles.roleId],
        set: {
          name: sql`excluded.name`,
          permissions: sql`excluded.permissions`,
          updatedAt: sql`excluded.updated_at`,
        },
        setWhere: sql`${staffRoles.updatedAt} <= excluded.updated_at`,
      });
  }

  async deleteRole(tenantId: string, roleId: string): Promise<void> {
    await executor(this.db)
      .delete(staffRoles)
      .where(and(eq(staffRoles.tenantId, tenantId), eq(staffRoles.roleId, roleId)));
  }

  /**
   * Active users holding `permission` through a built-in role or one of the tenant's custom roles,
   * oldest user id first.
   */
  async usersWithPermission(tenantId: string, permission: string): Promise<StaffUserRow[]> {
    const builtIn = Object.entries(BUILT_IN_ROLES)
      .filter(([, role]) => (role.permissions as readonly string[]).includes(permission))
      .map(([name]) => name);
    const custom = await executor(this.db)
      .select({ name: staffRoles.name })
      .from(staffRoles)
      .where(and(eq(staffRoles.tenantId, tenantId), sql`${permission} = any(${staffRoles.permissions})`));
    const roles = [...builtIn, ...custom.map((r) => r.name).filter((name) => !isBuiltInRole(name))];
    if (roles.length === 0) return [];
    return executor(this.db)
      .select()
      .from(staffUsers)
      .where(
        and(
          eq(staffUsers.tenantId, tenantId),
          eq(staffUsers.status, 'active'),
          arrayOverlaps(staffUsers.roles, roles),
        ),
      )
      .orderBy(staffUsers.userId);
  }

  async upsertCustomer(row: typeof customerContacts.$inferInsert): Promise<void> {
    await executor(this.db)
      .insert(customerContacts)
      .values(row)
      .onConflictDoUpdate({
        target: [customerContacts.tenantId, customerContacts.customerId],
        set: {
          email: sql`excluded.email`,
          name: sql`excluded.name`,
          phone: sql`excluded.phone`,
          updatedAt: sql`excluded.updated_at`,
        },
        setWhere: sql`${customerContacts.updatedAt} <= excluded.updated_at`,
      });
  }

  /** Marks a customer deleted; remembered even when their creation has not been seen yet. */
  async deleteCustomer(tenantId: string, customerId: string, deletedAt: Date): Promise<void> {
    await executor(this.db)
      .insert(customerContacts)
      .values({ tenantId, customerId, email: '', name: '', updatedAt: new Date(0), deletedAt })
      .onConflictDoUpdate({
        target: [customerContacts.tenantId, customerContacts.customerId],
        set: { deletedAt },
      });
  }

  async customer(tenantId: string, customerId: string): Promise<CustomerContactRow | undefined> {
    const [row] = await executor(this.db)
      .select()
      .from(customerContacts)
      .where(and(eq(customerContacts.tenantId, tenantId), eq(customerContacts.customerId, customerId)));
    return row;
  }

  async upsertOrder(row: OrderSummaryRow): Promise<void> {
    await executor(this.db).insert(orderSummaries).values(row).onConflictDoNothing();
  }

  async order(tenantId: string, orderId: string): Promise<OrderSummaryRow | undefined> {
    const [row] = await executor(this.db)
      .select()
      .from(orderSummaries)
      .where(and(eq(orderSummaries.tenantId, tenantId), eq(orderSummaries.orderId, orderId)));
    return row;
  }
}
