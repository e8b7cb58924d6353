import { toSettings } from '../settings/settings.dto.ts';
import type { SettingsRepository } from '../settings/settings.repository.ts';
import type { TenantProfilesRepository } from '../tenants/tenant-profiles.repository.ts';

/** What issuing a document for a tenant depends on: its settings and what invoices know of it. */
export interface IssuingTerms {
  /** The tenant's name as identity last said; empty if no tenant event was seen yet. */
  readonly sellerName: string;
  /** Where issue dates are reckoned; UTC until a tenant event said otherwise. */
  readonly timezone: string;
  readonly invoiceNumberFormat: string;
  readonly creditNoteNumberFormat: string;
  readonly paymentTermsDays: number;
}

/** Reads a tenant's {@link IssuingTerms}. */
export class IssuingTermsReader {
  private readonly settings: SettingsRepository;
  private readonly tenants: TenantProfilesRepository;

  constructor(deps: { settings: SettingsRepository; tenants: TenantProfilesRepository }) {
    this.settings = deps.settings;
    this.tenants = deps.tenants;
  }

  async of(tenantId: string): Promise<IssuingTerms> {
    const settings = await this.settings.find(tenantId);
    const profile = await this.tenants.find(tenantId);
    const effective = toSettings(settings);
    return {
      sellerName: profile?.name ?? '',
      timezone: profile?.timezone ?? 'UTC',
      invoiceNumberFormat: effective.invoiceNumberFormat,
      creditNoteNumberFormat: effective.creditNoteNumberFormat,
      paymentTermsDays: effective.paymentTermsDays,
    };
  }
}
