import { newId } from '@only/platform/ids';
import { hashSecret, newSecret } from '../../security/secrets.ts';
import type { OneTimeTokenPurpose, OneTimeTokenRow } from './account.table.ts';
import type { OneTimeTokensRepository } from './one-time-tokens.repository.ts';

/** How long a token of each purpose can be used. */
export const ONE_TIME_TOKEN_TTL_MS: Readonly<Record<OneTimeTokenPurpose, number>> = {
  // An invitation may sit in an inbox over a long weekend.
  email_verification: 7 * 24 * 60 * 60 * 1000,
  password_reset: 30 * 60 * 1000,
};

/** Why a presented one-time token cannot be used. */
export type OneTimeTokenProblem = 'unknown' | 'used' | 'expired';

/**
 * Single-use tokens sent by email: issued as 256 random bits, kept only as SHA-256 hashes, used
 * at most once, and superseded when a newer one of the same purpose is issued.
 */
export class OneTimeTokens {
  private readonly repository: OneTimeTokensRepository;

  constructor(repository: OneTimeTokensRepository) {
    this.repository = repository;
  }

  /** Issues a token (in the caller's transaction); the plain token is returned, never stored. */
  async issue(
    tenantId: string,
    userId: string,
    purpose: OneTimeTokenPurpose,
    now: Date,
  ): Promise<{ token: string; expiresAt: Date }> {
    await this.repository.supersede(tenantId, userId, purpose, now);
    const token = newSecret();
    const expiresAt = new Date(now.getTime() + ONE_TIME_TOKEN_TTL_MS[purpose]);
    await this.repository.insert({
      id: newId('ott'),
      tenantId,
      userId,
      purpose,
      tokenHash: hashSecret(token),
      expiresAt,
      usedAt: null,
      createdAt: now,
    });
    return { token, expiresAt };
  }

  /**
   * Uses a token (in the caller's transaction, which must commit for the use to count): its row
   * if it was usable, else why not.
   */
  async use(
    token: string,
    purpose: OneTimeTokenPurpose,
    now: Date,
  ): Promise<{ row: OneTimeTokenRow } | { problem: OneTimeTokenProblem }> {
    const row = await this.repository.findForUse(hashSecret(token), purpose);
    if (!row) return { problem: 'unknown' };
    if (row.usedAt !== null) return { problem: 'used' };
    if (row.expiresAt.getTime() <= now.getTime()) return { problem: 'expired' };
    await this.repository.markUsed(row.id, now);
    return { row };
  }
}
