import type { TenantSnapshot } from '@only/contracts/identity';
import type { TenantProfilesRepository } from './tenant-profiles.repository.ts';

/** Keeps the local tenant profiles up to date with identity's tenant events. */
export class TenantProfilesProjection {
  private readonly repository: TenantProfilesRepository;

  constructor(deps: { repository: TenantProfilesRepository }) {
    this.repository = deps.repository;
  }

  /** Applies a tenant's state as an event carries it. */
  async apply(tenant: TenantSnapshot): Promise<void> {
    await this.repository.upsertIfNewer({
      tenantId: tenant.id,
      slug: tenant.slug,
      name: tenant.name,
      branding: tenant.branding,
      locale: tenant.locale,
      timezone: tenant.timezone,
      sourceUpdatedAt: new Date(tenant.updatedAt),
    });
  }
}
