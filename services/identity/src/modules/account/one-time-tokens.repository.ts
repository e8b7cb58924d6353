import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import { executor, type Database } from '@only/platform/db';
import { oneTimeTokens, type OneTimeTokenPurpose, type OneTimeTokenRow } from './account.table.ts';

/** Stored one-time tokens (their hashes). */
export class OneTimeTokensRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  async insert(row: OneTimeTokenRow): Promise<void> {
    await executor(this.db).insert(oneTimeTokens).values(row);
  }

  /** The token with this hash and purpose, locked: two requests cannot both use it. */
  async findForUse(tokenHash: string, purpose: OneTimeTokenPurpose): Promise<OneTimeTokenRow | undefined> {
    const [row] = await executor(this.db)
      .select()
      .from(oneTimeTokens)
      .where(and(eq(oneTimeTokens.tokenHash, tokenHash), eq(oneTimeTokens.purpose, purpose)))
      .for('update');
    return row;
  }

  async markUsed(id: string, at: Date): Promise<void> {
    await executor(this.db).update(oneTimeTokens).set({ usedAt: at }).where(eq(oneTimeTokens.id, id));
  }

  /** Ends every still-usable token of the user for `purpose`: only the newest one works. */
  async supersede(tenantId: string, userId: string, purpose: OneTimeTokenPurpose, at: Date): Promise<void> {
    await executor(this.db)
      .update(oneTimeTokens)
      .set({ usedAt: at })
      .where(
        and(
          eq(oneTimeTokens.tenantId, tenantId),
          eq(oneTimeTokens.userId, userId),
          eq(oneTimeTokens.purpose, purpose),
          isNull(oneTimeTokens.usedAt),
          gt(oneTimeTokens.expiresAt, at),
        ),
      );
  }

  /** Deletes tokens that expired before `before`: used or not, they can do nothing any more. */
  async deleteExpired(before: Date): Promise<number> {
    const rows = await executor(this.db)
      .delete(oneTimeTokens)
      .where(lt(oneTimeTokens.expiresAt, before))
      .returning({ id: oneTimeTokens.id });
    return rows.length;
  }
}
