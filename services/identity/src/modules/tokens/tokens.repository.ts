import { and, eq, isNull, lt } from 'drizzle-orm';
import { executor, type Database } from '@only/platform/db';
import { refreshTokens, type RefreshTokenRow } from './tokens.table.ts';

/** Why a refresh token family was revoked. */
export type RevokeReason =
  'reuse_detected' | 'logout' | 'revoked' | 'password_reset' | 'user_disabled' | 'invalid_user';

/** Stored refresh tokens (their hashes). */
export class RefreshTokensRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  async insert(row: RefreshTokenRow): Promise<void> {
    await executor(this.db).insert(refreshTokens).values(row);
  }

  /** The token with this hash, locked: two refreshes with one token are decided one after the other. */
  async findByHash(
    tokenHash: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<RefreshTokenRow | undefined> {
    const query = executor(this.db)
      .select()
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, tokenHash));
    const [row] = options.forUpdate ? await query.for('update') : await query;
    return row;
  }

  async markUsed(id: string, at: Date): Promise<void> {
    await executor(this.db).update(refreshTokens).set({ usedAt: at }).where(eq(refreshTokens.id, id));
  }

  /** Revokes every token of a family, the newest included; returns how many were still live. */
  async revokeFamily(familyId: string, at: Date, reason: RevokeReason): Promise<number> {
    const rows = await executor(this.db)
      .update(refreshTokens)
      .set({ revokedAt: at, revokedReason: reason })
      .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)))
      .returning({ id: refreshTokens.id });
    return rows.length;
  }

  /** Revokes every refresh token of a user: all their sessions end. */
  async revokeAllOfUser(tenantId: string, userId: string, at: Date, reason: RevokeReason): Promise<number> {
    const rows = await executor(this.db)
      .update(refreshTokens)
      .set({ revokedAt: at, revokedReason: reason })
      .where(
        and(
          eq(refreshTokens.tenantId, tenantId),
          eq(refreshTokens.userId, userId),
          isNull(refreshTokens.revokedAt),
        ),
      )
      .returning({ id: refreshTokens.id });
    return rows.length;
  }

  /** Deletes tokens that expired before `before`: they can never be used, or reused, again. */
  async deleteExpired(before: Date): Promise<number> {
    const rows = await executor(this.db)
      .delete(refreshTokens)
      .where(lt(refreshTokens.expiresAt, before))
      .returning({ id: refreshTokens.id });
    return rows.length;
  }
}
