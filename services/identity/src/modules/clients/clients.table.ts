import { index, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { identitySchema } from '../../db/identity-schema.ts';

/** API clients of a tenant: machine credentials for the client-credentials grant. */
export const apiClients = identitySchema.table(
  'api_clients',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    name: text('name').notNull(),
    roles: text('roles').array().notNull(),
    /** SHA-256 of the secret: it has 256 bits of entropy, so a slow hash would add nothing. */
    secretHash: text('secret_hash').notNull(),
    createdBy: text('created_by'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    lastUsedAt: timestamptz('last_used_at'),
    revokedAt: timestamptz('revoked_at'),
  },
  (t) => [index('api_clients_tenant_idx').on(t.tenantId, t.id)],
);

export type ApiClientRow = typeof apiClients.$inferSelect;

/**
 * First-party apps (public OAuth clients without a secret, such as the web app `only-web`) that
 * may sign users of any tenant in with their password. Platform-wide, so not tenant-scoped.
 */
export const firstPartyClients = identitySchema.table('first_party_clients', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  grantTypes: text('grant_types').array().notNull(),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

export type FirstPartyClientRow = typeof firstPartyClients.$inferSelect;
