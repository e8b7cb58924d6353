import { jsonb, text } from 'drizzle-orm/pg-core';
import type { JWK } from 'jose';
import { timestamptz } from '@only/platform/db';
import { identitySchema } from '../../db/identity-schema.ts';

/**
 * Keys that sign access tokens. The newest key without `active_until` signs; an older one stays
 * published in the JWKS until `retire_after`, when every token it signed has expired.
 * Platform-wide, so not tenant-scoped.
 */
export const signingKeys = identitySchema.table('signing_keys', {
  kid: text('kid').primaryKey(),
  algorithm: text('algorithm').notNull(),
  publicJwk: jsonb('public_jwk').$type<JWK>().notNull(),
  privateJwk: jsonb('private_jwk').$type<JWK>().notNull(),
  createdAt: timestamptz('created_at').notNull(),
  /** When it stopped signing; null while it is the active key. */
  activeUntil: timestamptz('active_until'),
  /** When it leaves the JWKS; null while it is the active key. */
  retireAfter: timestamptz('retire_after'),
});

export type SigningKeyRow = typeof signingKeys.$inferSelect;
