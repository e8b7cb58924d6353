import { sql } from 'drizzle-orm';
import { integer, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { identitySchema } from '../../db/identity-schema.ts';

/** Users of a tenant: who signs in, with which roles. */
export const users = identitySchema.table(
  'users',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    /** argon2id in PHC string format; invited users get the hash of a random, never-shown password. */
    passwordHash: text('password_hash').notNull(),
    /** Role names: built-in or the tenant's custom roles. */
    roles: text('roles').array().notNull(),
    status: text('status', { enum: ['active', 'disabled'] })
      .notNull()
      .default('active'),
    emailVerifiedAt: timestamptz('email_verified_at'),
    /** Consecutive failed sign-ins since the last success; drives the lockout backoff. */
    failedLoginCount: integer('failed_login_count').notNull().default(0),
    lockedUntil: timestamptz('locked_until'),
    lastLoginAt: timestamptz('last_login_at'),
    passwordChangedAt: timestamptz('password_changed_at'),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_tenant_email_key').on(t.tenantId, sql`lower(${t.email})`)],
);

export type UserRow = typeof users.$inferSelect;
