import { and, eq, sql } from 'drizzle-orm';
import { executor, type Database } from '@only/platform/db';
import { customerCounts, customerStates } from './customers.table.ts';

/** What reporting knows of one customer. */
export interface CustomerState {
  readonly createdAt: Date | null;
  readonly deletedAt: Date | null;
}

/** Per-customer states and per-tenant customer counts; every query is scoped to one tenant. */
export class CustomersRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /** Stores a customer seen for the first time and returns true; false (nothing written) when known. */
  async insertIfAbsent(tenantId: string, customerId: string, state: CustomerState): Promise<boolean> {
    const inserted = await executor(this.db)
      .insert(customerStates)
      .values({ tenantId, customerId, ...state })
      .onConflictDoNothing()
      .returning({ customerId: customerStates.customerId });
    return inserted.length > 0;
  }

  /** The state of a customer, locked until the transaction ends. */
  async findForUpdate(tenantId: string, customerId: string): Promise<CustomerState | undefined> {
    const [row] = await executor(this.db)
      .select({ createdAt: customerStates.createdAt, deletedAt: customerStates.deletedAt })
      .from(customerStates)
      .where(and(eq(customerStates.tenantId, tenantId), eq(customerStates.customerId, customerId)))
      .for('update');
    return row;
  }

  async update(tenantId: string, customerId: string, state: CustomerState): Promise<void> {
    await executor(this.db)
      .update(customerStates)
      .set(state)
      .where(and(eq(customerStates.tenantId, tenantId), eq(customerStates.customerId, customerId)));
  }

  /** Adds `delta` (+1 or −1) to the tenant's count of live customers. */
  async addToCount(tenantId: string, delta: 1 | -1): Promise<void> {
    const q = executor(this.db);
    if (delta === 1) {
      await q
        .insert(customerCounts)
        .values({ tenantId, customers: 1 })
        .onConflictDoUpdate({
          target: customerCounts.tenantId,
          set: { customers: sql`${customerCounts.customers} + 1` },
        });
      return;
    }
    // Only a customer counted before stops being live, so the row exists.
    const [row] = await q
      .update(customerCounts)
      .set({ customers: sql`${customerCounts.customers} - 1` })
      .where(eq(customerCounts.tenantId, tenantId))
      .returning({ tenantId: customerCounts.tenantId });
    if (!row) throw new Error(`no customer count of tenant ${tenantId} to take one from`);
  }

  /** Live customers of the tenant. */
  async count(tenantId: string): Promise<number> {
    const [row] = await executor(this.db)
      .select({ customers: customerCounts.customers })
      .from(customerCounts)
      .where(eq(customerCounts.tenantId, tenantId));
    return row?.customers ?? 0;
  }
}
