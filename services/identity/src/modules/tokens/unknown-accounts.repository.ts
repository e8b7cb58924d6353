import { createHash } from 'node:crypto';
import { eq, lt, sql } from 'drizzle-orm';
import { executor, type Database } from '@only/platform/db';
import { unknownAccountFailures } from './tokens.table.ts';

/** The key of an account that does not exist: a hash, so the table never holds a username. */
export function unknownAccountKey(tenantSlug: string, email: string): string {
  return createHash('sha256').update(`${tenantSlug.trim().toLowerCase()}\n${email}`).digest('base64url');
}

/** Failure counts and locks of sign-ins to accounts that do not exist. */
export class UnknownAccountsRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  async lockedUntil(keyHash: string): Promise<Date | null> {
    const [row] = await executor(this.db)
      .select({ lockedUntil: unknownAccountFailures.lockedUntil })
      .from(unknownAccountFailures)
      .where(eq(unknownAccountFailures.keyHash, keyHash));
    return row?.lockedUntil ?? null;
  }

  /** Counts one more failure (atomically, as for a real account) and returns the new count. */
  async countFailure(keyHash: string, at: Date): Promise<number> {
    const [row] = await executor(this.db)
      .insert(unknownAccountFailures)
      .values({ keyHash, failures: 1, lastFailedAt: at })
      .onConflictDoUpdate({
        target: unknownAccountFailures.keyHash,
        set: { failures: sql`${unknownAccountFailures.failures} + 1`, lastFailedAt: at },
      })
      .returning({ failures: unknownAccountFailures.failures });
    if (!row) throw new Error('upsert returned no row');
    return row.failures;
  }

  async lock(keyHash: string, until: Date): Promise<void> {
    await executor(this.db)
      .update(unknownAccountFailures)
      .set({ lockedUntil: until })
      .where(eq(unknownAccountFailures.keyHash, keyHash));
  }

  /** Forgets keys whose last failure is older than `before` (locks last an hour at most). */
  async deleteStale(before: Date): Promise<number> {
    const rows = await executor(this.db)
      .delete(unknownAccountFailures)
      .where(lt(unknownAccountFailures.lastFailedAt, before))
      .returning({ keyHash: unknownAccountFailures.keyHash });
    return rows.length;
  }
}
