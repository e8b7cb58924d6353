import { index, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { identitySchema } from '../../db/identity-schema.ts';

/** What a one-time token lets its holder do. */
export type OneTimeTokenPurpose = 'email_verification' | 'password_reset';

/**
 * Single-use tokens sent to users by email (verification, password reset). Only the SHA-256 hash
 * of a token is stored: a copy of this table lets nobody verify an email or reset a password.
 */
export const oneTimeTokens = identitySchema.table(
  'one_time_tokens',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    userId: text('user_id').notNull(),
    purpose: text('purpose', { enum: ['email_verification', 'password_reset'] }).notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
    /** When it was used, or superseded by a newer token of the same purpose. */
    usedAt: timestamptz('used_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('one_time_tokens_token_hash_key').on(t.tokenHash),
    index('one_time_tokens_user_idx').on(t.tenantId, t.userId, t.purpose),
  ],
);

export type OneTimeTokenRow = typeof oneTimeTokens.$inferSelect;
