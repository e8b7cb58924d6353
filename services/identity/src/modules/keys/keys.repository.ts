import { and, desc, eq, gt, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { executor, type Database } from '@only/platform/db';
import { signingKeys, type SigningKeyRow } from './keys.table.ts';

/** Stored signing keys (platform-wide). */
export class SigningKeysRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /**
   * Serializes key rotation across replicas for the rest of the open transaction (a PostgreSQL
   * advisory lock), so that two replicas finding the key old at once make one new key, not two.
   */
  async lockRotation(): Promise<void> {
    await executor(this.db).execute(sql`select pg_advisory_xact_lock(hashtext('identity.signing_keys'))`);
  }

  /** The key that signs now: the newest one not yet replaced. */
  async findActive(): Promise<SigningKeyRow | undefined> {
    const [row] = await executor(this.db)
      .select()
      .from(signingKeys)
      .where(isNull(signingKeys.activeUntil))
      .orderBy(desc(signingKeys.createdAt), desc(signingKeys.kid))
      .limit(1);
    return row;
  }

  async insert(row: SigningKeyRow): Promise<void> {
    await executor(this.db).insert(signingKeys).values(row);
  }

  /** Ends signing with every key but `exceptKid`; they stay published until `retireAfter`. */
  async deactivateOthers(exceptKid: string, activeUntil: Date, retireAfter: Date): Promise<void> {
    await executor(this.db)
      .update(signingKeys)
      .set({ activeUntil, retireAfter })
      .where(and(isNull(signingKeys.activeUntil), sql`${signingKeys.kid} <> ${exceptKid}`));
  }

  /** Keys still published at `now`: the active one and those whose tokens may not have expired. */
  async findPublished(now: Date): Promise<SigningKeyRow[]> {
    return executor(this.db)
      .select()
      .from(signingKeys)
      .where(or(isNull(signingKeys.retireAfter), gt(signingKeys.retireAfter, now)))
      .orderBy(desc(signingKeys.createdAt), desc(signingKeys.kid));
  }

  /** Deletes keys retired before `before`: no token they signed can still be valid. */
  async deleteRetired(before: Date): Promise<number> {
    const rows = await executor(this.db)
      .delete(signingKeys)
      .where(and(isNotNull(signingKeys.retireAfter), lt(signingKeys.retireAfter, before)))
      .returning({ kid: signingKeys.kid });
    return rows.length;
  }

  async find(kid: string): Promise<SigningKeyRow | undefined> {
    const [row] = await executor(this.db).select().from(signingKeys).where(eq(signingKeys.kid, kid));
    return row;
  }
}
