import { and, asc, desc, eq, inArray, lt } from 'drizzle-orm';
import { executor, type Database } from '@only/platform/db';
import type { PaymentStatus } from './payment-state-machine.ts';
import { paymentOperations, payments, type PaymentOperationRow, type PaymentRow } from './payments.table.ts';

/** Stored payments and their operations; every query is scoped to one tenant. */
export class PaymentsRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  async insertPayment(row: typeof payments.$inferInsert): Promise<PaymentRow> {
    const [created] = await executor(this.db).insert(payments).values(row).returning();
    if (!created) throw new Error('insert returned no payment');
    return created;
  }

  async findPayment(
    tenantId: string,
    id: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<PaymentRow | undefined> {
    const query = executor(this.db)
      .select()
      .from(payments)
      .where(and(eq(payments.tenantId, tenantId), eq(payments.id, id)));
    const [row] = options.forUpdate ? await query.for('update') : await query;
    return row;
  }

  async updatePayment(
    tenantId: string,
    id: string,
    patch: Partial<typeof payments.$inferInsert>,
  ): Promise<PaymentRow> {
    const [row] = await executor(this.db)
      .update(payments)
      .set(patch)
      .where(and(eq(payments.tenantId, tenantId), eq(payments.id, id)))
      .returning();
    if (!row) throw new Error(`payment ${id} vanished`);
    return row;
  }

  /** Newest first, keyset-paginated by id. */
  async listPayments(
    tenantId: string,
    filter: { orderId?: string; statuses?: readonly PaymentStatus[] },
    page: { limit: number; afterId?: string },
  ): Promise<PaymentRow[]> {
    return executor(this.db)
      .select()
      .from(payments)
      .where(
        and(
          eq(payments.tenantId, tenantId),
          filter.orderId === undefined ? undefined : eq(payments.orderId, filter.orderId),
          filter.statuses === undefined ? undefined : inArray(payments.status, [...filter.statuses]),
          page.afterId === undefined ? undefined : lt(payments.id, page.afterId),
        ),
      )
      .orderBy(desc(payments.id))
      .limit(page.limit + 1);
  }

  /**
   * Stores a new operation; undefined when the tenant already has one with its idempotency key (a
   * concurrent insert of the same key waits for the other transaction, then finds it taken).
   */
  async insertOperation(
    row: typeof paymentOperations.$inferInsert,
  ): Promise<PaymentOperationRow | undefined> {
    const [created] = await executor(this.db)
      .insert(paymentOperations)
      .values(row)
      .onConflictDoNothing({ target: [paymentOperations.tenantId, paymentOperations.idempotencyKey] })
      .returning();
    return created;
  }

  async findOperationByKey(
    tenantId: string,
    idempotencyKey: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<PaymentOperationRow | undefined> {
    const query = executor(this.db)
      .select()
      .from(paymentOperations)
      .where(
        and(eq(paymentOperations.tenantId, tenantId), eq(paymentOperations.idempotencyKey, idempotencyKey)),
      );
    const [row] = options.forUpdate ? await query.for('update') : await query;
    return row;
  }

  async findOperation(
    tenantId: string,
    id: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<PaymentOperationRow | undefined> {
    const query = executor(this.db)
      .select()
      .from(paymentOperations)
      .where(and(eq(paymentOperations.tenantId, tenantId), eq(paymentOperations.id, id)));
    const [row] = options.forUpdate ? await query.for('update') : await query;
    return row;
  }

  async updateOperation(
    tenantId: string,
    id: string,
    patch: Partial<typeof paymentOperations.$inferInsert>,
  ): Promise<PaymentOperationRow> {
    const [row] = await executor(this.db)
      .update(paymentOperations)
      .set(patch)
      .where(and(eq(paymentOperations.tenantId, tenantId), eq(paymentOperations.id, id)))
      .returning();
    if (!row) throw new Error(`payment operation ${id} vanished`);
    return row;
  }

  /** Every operation of a payment, oldest first. */
  async operationsOf(tenantId: string, paymentId: string): Promise<PaymentOperationRow[]> {
    return executor(this.db)
      .select()
      .from(paymentOperations)
      .where(and(eq(paymentOperations.tenantId, tenantId), eq(paymentOperations.paymentId, paymentId)))
      .orderBy(asc(paymentOperations.id));
  }

  /** Succeeded refunds of some payments, oldest first. */
  async refundsOf(tenantId: string, paymentIds: readonly string[]): Promise<PaymentOperationRow[]> {
    if (paymentIds.length === 0) return [];
    return executor(this.db)
      .select()
      .from(paymentOperations)
      .where(
        and(
          eq(paymentOperations.tenantId, tenantId),
          inArray(paymentOperations.paymentId, [...paymentIds]),
          eq(paymentOperations.kind, 'refund'),
          eq(paymentOperations.outcome, 'succeeded'),
        ),
      )
      .orderBy(asc(paymentOperations.id));
  }

  /** Operations by id (for the kind of pending ones). */
  async operationsById(tenantId: string, ids: readonly string[]): Promise<PaymentOperationRow[]> {
    if (ids.length === 0) return [];
    return executor(this.db)
      .select()
      .from(paymentOperations)
      .where(and(eq(paymentOperations.tenantId, tenantId), inArray(paymentOperations.id, [...ids])));
  }
}
