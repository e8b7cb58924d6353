import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { executor, insertOne, type Database } from '@only/platform/db';
import {
  invoiceLines,
  invoices,
  invoiceTaxes,
  type InvoiceLineRow,
  type InvoiceRow,
  type InvoiceTaxRow,
} from './invoices.table.ts';

/** Filters of the invoice list. */
export interface InvoiceFilters {
  readonly statuses?: readonly InvoiceRow['status'][];
  readonly orderId?: string;
  readonly customerId?: string;
}

/** Stored invoices with their lines and tax summaries; every query is scoped to one tenant. */
export class InvoicesRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  async insert(
    invoice: typeof invoices.$inferInsert,
    lines: readonly InvoiceLineRow[],
    taxes: readonly InvoiceTaxRow[],
  ): Promise<InvoiceRow> {
    const row = await insertOne(this.db, invoices, invoice);
    await executor(this.db)
      .insert(invoiceLines)
      .values([...lines]);
    if (taxes.length > 0)
      await executor(this.db)
        .insert(invoiceTaxes)
        .values([...taxes]);
    return row;
  }

  async find(
    tenantId: string,
    id: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<InvoiceRow | undefined> {
    const query = executor(this.db)
      .select()
      .from(invoices)
      .where(and(eq(invoices.tenantId, tenantId), eq(invoices.id, id)));
    const [row] = options.forUpdate ? await query.for('update') : await query;
    return row;
  }

  async findByOrder(
    tenantId: string,
    orderId: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<InvoiceRow | undefined> {
    const query = executor(this.db)
      .select()
      .from(invoices)
      .where(and(eq(invoices.tenantId, tenantId), eq(invoices.orderId, orderId)));
    const [row] = options.forUpdate ? await query.for('update') : await query;
    return row;
  }

  linesOf(tenantId: string, invoiceId: string): Promise<InvoiceLineRow[]> {
    return executor(this.db)
      .select()
      .from(invoiceLines)
      .where(and(eq(invoiceLines.tenantId, tenantId), eq(invoiceLines.invoiceId, invoiceId)))
      .orderBy(asc(invoiceLines.position));
  }

  taxesOf(tenantId: string, invoiceId: string): Promise<InvoiceTaxRow[]> {
    return executor(this.db)
      .select()
      .from(invoiceTaxes)
      .where(and(eq(invoiceTaxes.tenantId, tenantId), eq(invoiceTaxes.invoiceId, invoiceId)))
      .orderBy(asc(invoiceTaxes.rateBps));
  }

  /** Changes what payments and credit notes change on an issued invoice. */
  async update(
    tenantId: string,
    id: string,
    changes: Partial<
      Pick<InvoiceRow, 'status' | 'amountPaid' | 'amountCredited' | 'paymentId' | 'paidAt' | 'creditedAt'>
    >,
    updatedAt: Date,
  ): Promise<InvoiceRow> {
    const [row] = await executor(this.db)
      .update(invoices)
      .set({ ...changes, updatedAt, version: sql`${invoices.version} + 1` })
      .where(and(eq(invoices.tenantId, tenantId), eq(invoices.id, id)))
      .returning();
    if (!row) throw new Error(`invoice ${id} vanished during update`);
    return row;
  }

  /** Newest first, keyset-paginated by id; `limit + 1` rows tell whether a next page exists. */
  list(
    tenantId: string,
    filters: InvoiceFilters,
    page: { limit: number; beforeId?: string },
  ): Promise<InvoiceRow[]> {
    return executor(this.db)
      .select()
      .from(invoices)
      .where(
        and(
          eq(invoices.tenantId, tenantId),
          filters.statuses === undefined ? undefined : inArray(invoices.status, [...filters.statuses]),
          filters.orderId === undefined ? undefined : eq(invoices.orderId, filters.orderId),
          filters.customerId === undefined ? undefined : eq(invoices.customerId, filters.customerId),
          page.beforeId === undefined ? undefined : lt(invoices.id, page.beforeId),
        ),
      )
      .orderBy(desc(invoices.id))
      .limit(page.limit + 1);
  }
}
