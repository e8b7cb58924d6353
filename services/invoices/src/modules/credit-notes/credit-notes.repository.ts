import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import { executor, insertOne, type Database } from '@only/platform/db';
import {
  creditNoteLines,
  creditNotes,
  type CreditNoteLineRow,
  type CreditNoteRow,
} from './credit-notes.table.ts';

/** Filters of the credit note list. */
export interface CreditNoteFilters {
  readonly invoiceId?: string;
  readonly orderId?: string;
  readonly customerId?: string;
}

/** Stored credit notes and their lines; every query is scoped to one tenant. */
export class CreditNotesRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  async insert(note: CreditNoteRow, lines: readonly CreditNoteLineRow[]): Promise<CreditNoteRow> {
    const row = await insertOne(this.db, creditNotes, note);
    await executor(this.db)
      .insert(creditNoteLines)
      .values([...lines]);
    return row;
  }

  async find(tenantId: string, id: string): Promise<CreditNoteRow | undefined> {
    const [row] = await executor(this.db)
      .select()
      .from(creditNotes)
      .where(and(eq(creditNotes.tenantId, tenantId), eq(creditNotes.id, id)));
    return row;
  }

  /** Lines of the given credit notes. */
  linesOf(tenantId: string, creditNoteIds: readonly string[]): Promise<CreditNoteLineRow[]> {
    if (creditNoteIds.length === 0) return Promise.resolve([]);
    return executor(this.db)
      .select()
      .from(creditNoteLines)
      .where(
        and(
          eq(creditNoteLines.tenantId, tenantId),
          inArray(creditNoteLines.creditNoteId, [...creditNoteIds]),
        ),
      );
  }

  /** Every line of every credit note of an invoice: what was credited so far, per rate. */
  async creditedLinesOf(tenantId: string, invoiceId: string): Promise<CreditNoteLineRow[]> {
    const notes = await executor(this.db)
      .select({ id: creditNotes.id })
      .from(creditNotes)
      .where(and(eq(creditNotes.tenantId, tenantId), eq(creditNotes.invoiceId, invoiceId)));
    return this.linesOf(
      tenantId,
      notes.map((note) => note.id),
    );
  }

  /** Newest first, keyset-paginated by id; `limit + 1` rows tell whether a next page exists. */
  list(
    tenantId: string,
    filters: CreditNoteFilters,
    page: { limit: number; beforeId?: string },
  ): Promise<CreditNoteRow[]> {
    return executor(this.db)
      .select()
      .from(creditNotes)
      .where(
        and(
          eq(creditNotes.tenantId, tenantId),
          filters.invoiceId === undefined ? undefined : eq(creditNotes.invoiceId, filters.invoiceId),
          filters.orderId === undefined ? undefined : eq(creditNotes.orderId, filters.orderId),
          filters.customerId === undefined ? undefined : eq(creditNotes.customerId, filters.customerId),
          page.beforeId === undefined ? undefined : lt(creditNotes.id, page.beforeId),
        ),
      )
      .orderBy(desc(creditNotes.id))
      .limit(page.limit + 1);
  }
}
