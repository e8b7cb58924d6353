import type { Clock } from '@only/platform/clock';
import type { RequestContext } from '@only/platform/context';
import { inTransaction, type Database } from '@only/platform/db';
import { toSettings, type InvoiceSettings, type UpdateSettingsInput } from './settings.dto.ts';
import type { SettingsRepository } from './settings.repository.ts';

/** A tenant's invoicing settings: number formats and payment terms, with defaults. */
export class SettingsService {
  private readonly db: Database;
  private readonly repository: SettingsRepository;
  private readonly clock: Clock;

  constructor(deps: { db: Database; repository: SettingsRepository; clock: Clock }) {
    this.db = deps.db;
    this.repository = deps.repository;
    this.clock = deps.clock;
  }

  async get(ctx: RequestContext): Promise<InvoiceSettings> {
    return toSettings(await this.repository.find(ctx.tenantId));
  }

  /** Changes some settings; the others keep their values (or defaults). Affects documents issued from now on. */
  async update(ctx: RequestContext, input: UpdateSettingsInput): Promise<InvoiceSettings> {
    return inTransaction(this.db, async () => {
      const current = toSettings(await this.repository.find(ctx.tenantId));
      const saved = await this.repository.save({
        tenantId: ctx.tenantId,
        invoiceNumberFormat: input.invoiceNumberFormat ?? current.invoiceNumberFormat,
        creditNoteNumberFormat: input.creditNoteNumberFormat ?? current.creditNoteNumberFormat,
        paymentTermsDays: input.paymentTermsDays ?? current.paymentTermsDays,
        updatedAt: this.clock.now(),
      });
      return toSettings(saved);
    });
  }
}
