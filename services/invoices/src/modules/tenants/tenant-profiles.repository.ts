import { eq, sql } from 'drizzle-orm';
import { executor, type Database } from '@only/platform/db';
import { tenantProfiles, type TenantProfileRow } from './tenant-profiles.table.ts';

/** The local copy of each tenant's name, time zone and branding. */
export class TenantProfilesRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  async find(tenantId: string): Promise<TenantProfileRow | undefined> {
    const [row] = await executor(this.db)
      .select()
      .from(tenantProfiles)
      .where(eq(tenantProfiles.tenantId, tenantId));
    return row;
  }

  /** Stores the profile unless a newer state of the tenant is already stored (events may arrive out of order). */
  async upsertIfNewer(row: TenantProfileRow): Promise<void> {
    await executor(this.db)
      .insert(tenantProfiles)
      .values(row)
      .onConflictDoUpdate({
        target: tenantProfiles.tenantId,
        set: {
          slug: row.slug,
          name: row.name,
          branding: row.branding,
          locale: row.locale,
          timezone: row.timezone,
          sourceUpdatedAt: row.sourceUpdatedAt,
        },
        setWhere: sql`${tenantProfiles.sourceUpdatedAt} <= ${row.sourceUpdatedAt}`,
      });
  }
}
