import { index, jsonb, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { identitySchema } from '../../db/identity-schema.ts';

/** Security events of a tenant: sign-ins, lockouts, token reuse, changes to users and roles. */
export const auditLog = identitySchema.table(
  'audit_log',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    actorType: text('actor_type', { enum: ['user', 'client', 'system', 'anonymous'] }).notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    /** Context of the event; never a password, secret or token. */
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: timestamptz('occurred_at').notNull(),
  },
  (t) => [
    index('audit_log_tenant_idx').on(t.tenantId, t.id),
    index('audit_log_tenant_action_idx').on(t.tenantId, t.action, t.id),
  ],
);

export type AuditRow = typeof auditLog.$inferSelect;
