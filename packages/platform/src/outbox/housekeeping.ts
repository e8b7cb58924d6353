import { and, isNotNull, lt } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import type { PlatformTables } from '../db/platform-tables.ts';

/** How long the platform keeps what it stores for delivery guarantees. */
export interface RetentionPolicy {
  /** Published outbox rows, counted from when the event occurred: the log `only events replay` re-publishes. */
  readonly outboxMs: number;
  /** Inbox rows: a redelivery older than this would be processed again. */
  readonly inboxMs: number;
  /** Stored idempotent responses: a key reused after this runs the request again. */
  readonly idempotencyMs: number;
}

const DAY = 24 * 60 * 60 * 1000;

/** Defaults: a week of event log and inbox, a day of idempotency keys. */
export const DEFAULT_RETENTION: RetentionPolicy = { outboxMs: 7 * DAY, inboxMs: 7 * DAY, idempotencyMs: DAY };

/** Deletes what outlived its retention; returns how many rows of each kind went. */
export async function pruneExpired(
  db: Database,
  tables: PlatformTables,
  policy: RetentionPolicy = DEFAULT_RETENTION,
  now: Date = new Date(),
): Promise<{ outbox: number; inbox: number; idempotency: number }> {
  const before = (ms: number) => new Date(now.getTime() - ms);
  const outbox = await db
    .delete(tables.outbox)
    // Event-log retention counts from when the event occurred (indexed); unpublished rows stay.
    .where(and(lt(tables.outbox.occurredAt, before(policy.outboxMs)), isNotNull(tables.outbox.publishedAt)))
    .returning({ id: tables.outbox.id });
  const inbox = await db
    .delete(tables.processedMessages)
    .where(lt(tables.processedMessages.processedAt, before(policy.inboxMs)))
    .returning({ id: tables.processedMessages.messageId });
  const idempotency = await db
    .delete(tables.idempotencyKeys)
    .where(lt(tables.idempotencyKeys.createdAt, before(policy.idempotencyMs)))
    .returning({ key: tables.idempotencyKeys.key });
  return { outbox: outbox.length, inbox: inbox.length, idempotency: idempotency.length };
}
