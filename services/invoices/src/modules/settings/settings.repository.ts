import { eq, sql } from 'drizzle-orm';
import { executor, type Database } from '@only/platform/db';
import { invoiceSettings, type InvoiceSettingsRow } from './settings.table.ts';

/** Stored invoicing settings, one row per tenant that changed the defaults. */
export class SettingsRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  async find(tenantId: string): Promise<InvoiceSettingsRow | undefined> {
    const [row] = await executor(this.db)
      .select()
      .from(invoiceSettings)
      .where(eq(invoiceSettings.tenantId, tenantId));
    return row;
  }

  /** Stores the settings, bumping the version of an existing row. */
  async save(
    row: Pick<
      InvoiceSettingsRow,
      'tenantId' | 'invoiceNumberFormat' | 'creditNoteNumberFormat' | 'paymentTermsDays' | 'updatedAt'
    >,
  ): Promise<InvoiceSettingsRow> {
    const [saved] = await executor(this.db)
      .insert(invoiceSettings)
      .values(row)
      .onConflictDoUpdate({
        target: invoiceSettings.tenantId,
        set: {
          invoiceNumberFormat: row.invoiceNumberFormat,
          creditNoteNumberFormat: row.creditNoteNumberFormat,
          paymentTermsDays: row.paymentTermsDays,
          updatedAt: row.updatedAt,
          version: sql`${invoiceSettings.version} + 1`,
        },
      })
      .returning();
    if (saved === undefined) throw new Error('settings upsert returned no row');
    return saved;
  }
}
