import { index, integer, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { identitySchema } from '../../db/identity-schema.ts';

/**
 * Refresh tokens, stored as SHA-256 hashes. Each is used once: using it issues its child in the
 * same family. Presenting a used token again means it leaked, and revokes the whole family.
 */
export const refreshTokens = identitySchema.table(
  'refresh_tokens',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    familyId: text('family_id').notNull(),
    parentId: text('parent_id'),
    tokenHash: text('token_hash').notNull(),
    userId: text('user_id').notNull(),
    clientId: text('client_id').notNull(),
    /** Scopes granted with the family, space-separated (empty for none). */
    scope: text('scope').notNull().default(''),
    issuedAt: timestamptz('issued_at').notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
    revokedAt: timestamptz('revoked_at'),
    revokedReason: text('revoked_reason'),
  },
  (t) => [
    uniqueIndex('refresh_tokens_token_hash_key').on(t.tokenHash),
    index('refresh_tokens_family_idx').on(t.familyId),
    index('refresh_tokens_user_idx').on(t.tenantId, t.userId),
    index('refresh_tokens_expires_at_idx').on(t.expiresAt),
  ],
);

export type RefreshTokenRow = typeof refreshTokens.$inferSelect;

/**
 * Failed sign-ins for accounts that do not exist, keyed by a hash of tenant slug and username: they
 * lock exactly like real accounts do, so the 429 of a lockout never tells an attacker that an
 * account exists. Holds no tenant id (the tenant may not exist either) and no username.
 */
export const unknownAccountFailures = identitySchema.table(
  'unknown_account_failures',
  {
    keyHash: text('key_hash').primaryKey(),
    failures: integer('failures').notNull(),
    lockedUntil: timestamptz('locked_until'),
    lastFailedAt: timestamptz('last_failed_at').notNull(),
  },
  (t) => [index('unknown_account_failures_last_failed_at_idx').on(t.lastFailedAt)],
);
