import { and, eq, inArray } from 'drizzle-orm';
import { executor, type Database } from '@only/platform/db';
import { preferences, type PreferencesRow } from './preferences.table.ts';

/** Users' notification preferences; every query is scoped to one tenant. */
export class PreferencesRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  async find(tenantId: string, userId: string): Promise<PreferencesRow | undefined> {
    const [row] = await executor(this.db)
      .select()
      .from(preferences)
      .where(and(eq(preferences.tenantId, tenantId), eq(preferences.userId, userId)));
    return row;
  }

  async findMany(tenantId: string, userIds: readonly string[]): Promise<PreferencesRow[]> {
    if (userIds.length === 0) return [];
    return executor(this.db)
      .select()
      .from(preferences)
      .where(and(eq(preferences.tenantId, tenantId), inArray(preferences.userId, [...userIds])));
  }

  async upsert(row: PreferencesRow): Promise<PreferencesRow> {
    const [stored] = await executor(this.db)
      .insert(preferences)
      .values(row)
      .onConflictDoUpdate({
        target: [preferences.tenantId, preferences.userId],
        set: { locale: row.locale, channels: row.channels, updatedAt: row.updatedAt },
      })
      .returning();
    if (!stored) throw new Error('preferences upsert returned no row');
    return stored;
  }
}
