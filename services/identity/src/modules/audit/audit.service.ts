import type { Clock } from '@only/platform/clock';
import type { Actor } from '@only/platform/context';
import type { Database } from '@only/platform/db';
import { decodeCursor, toPage } from '@only/platform/http';
import { newId } from '@only/platform/ids';
import { z } from 'zod';
import type { RequestMeta } from '../../request-meta.ts';
import { toAuditEntry, type AuditAction, type AuditEntry, type ListAuditQuery } from './audit.dto.ts';
import type { AuditRepository } from './audit.repository.ts';

const cursorSchema = z.object({ id: z.string() });

/** One audit log entry to record. */
export interface AuditRecord {
  readonly tenantId: string;
  readonly actor: Actor;
  readonly action: AuditAction;
  readonly target?: { readonly type: 'user' | 'role' | 'client' | 'tenant'; readonly id: string };
  readonly meta: RequestMeta;
  /** Context; never a password, secret or token. */
  readonly details?: Record<string, unknown>;
}

/**
 * The security audit log. `record` joins the caller's open transaction, so an entry about a change
 * exists exactly when the change does; failures (a wrong password) are recorded on their own.
 */
export class AuditService {
  private readonly repository: AuditRepository;
  private readonly clock: Clock;

  constructor(deps: { db: Database; repository: AuditRepository; clock: Clock }) {
    this.repository = deps.repository;
    this.clock = deps.clock;
  }

  async record(entry: AuditRecord): Promise<void> {
    await this.repository.insert({
      id: newId('aud'),
      tenantId: entry.tenantId,
      actorType: entry.actor.type,
      actorId: entry.actor.id,
      action: entry.action,
      targetType: entry.target?.type ?? null,
      targetId: entry.target?.id ?? null,
      ip: entry.meta.ip,
      userAgent: entry.meta.userAgent,
      details: entry.details ?? {},
      occurredAt: this.clock.now(),
    });
  }

  async list(
    tenantId: string,
    query: ListAuditQuery,
  ): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, cursorSchema).id;
    const rows = await this.repository.list(tenantId, {
      limit: query.limit,
      afterId: after,
      action: query.action,
      targetId: query.targetId,
    });
    return toPage(rows, query.limit, toAuditEntry, (row) => ({ id: row.id }));
  }
}
