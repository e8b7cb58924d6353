import { pageQuerySchema, pageSchema } from '@only/platform/http';
import { z } from 'zod';
import type { AuditRow } from './audit.table.ts';

/** Every action the audit log records. */
export const AUDIT_ACTIONS = [
  'login_succeeded',
  'login_failed',
  'account_locked',
  'token_refreshed',
  'refresh_token_reuse',
  'token_revoked',
  'logout',
  'client_token_issued',
  'client_authentication_failed',
  'password_reset_requested',
  'password_reset',
  'email_verified',
  'user_invited',
  'user_created',
  'user_updated',
  'role_created',
  'role_updated',
  'role_deleted',
  'client_created',
  'client_revoked',
  'tenant_created',
  'tenant_updated',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const listAuditQuery = pageQuerySchema.extend({
  action: z.enum(AUDIT_ACTIONS).optional().describe('Only entries of this action.'),
  targetId: z.string().min(1).max(64).optional().describe('Only entries about this user, role or client.'),
});
export type ListAuditQuery = z.output<typeof listAuditQuery>;

export const auditEntrySchema = z
  .object({
    id: z.string(),
    action: z.string(),
    actor: z.object({ type: z.enum(['user', 'client', 'system', 'anonymous']), id: z.string().nullable() }),
    target: z.object({ type: z.string(), id: z.string() }).nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    occurredAt: z.iso.datetime(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.output<typeof auditEntrySchema>;

export const auditPageSchema = pageSchema(auditEntrySchema).meta({ id: 'AuditPage' });

export function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    action: row.action,
    actor: { type: row.actorType, id: row.actorId },
    target:
      row.targetType === null || row.targetId === null ? null : { type: row.targetType, id: row.targetId },
    ip: row.ip,
    userAgent: row.userAgent,
    details: row.details,
    occurredAt: row.occurredAt.toISOString(),
  };
}
