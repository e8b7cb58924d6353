import { sql } from 'drizzle-orm';
import { index, integer, jsonb, primaryKey, type PgSchema, smallint, text, uuid } from 'drizzle-orm/pg-core';
import type { EventEnvelope } from '@only/contracts/envelope';
import { timestamptz } from './columns.ts';

/**
 * The tables the platform keeps inside every service's schema: the transactional outbox (also the
 * event log), the inbox of processed messages, and stored idempotent responses. A service exports
 * them from its schema file so that drizzle-kit generates them into its own migrations.
 */
export function platformTables(schema: PgSchema) {
  const outbox = schema.table(
    'outbox',
    {
      id: uuid('id').primaryKey(),
      tenantId: text('tenant_id').notNull(),
      type: text('type').notNull(),
      version: integer('version').notNull(),
      aggregateId: text('aggregate_id').notNull(),
      envelope: jsonb('envelope').$type<EventEnvelope>().notNull(),
      headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
      occurredAt: timestamptz('occurred_at').notNull(),
      publishedAt: timestamptz('published_at'),
      attempts: integer('attempts').notNull().default(0),
      nextAttemptAt: timestamptz('next_attempt_at').notNull().defaultNow(),
      lastError: text('last_error'),
    },
    (t) => [
      // What the relay claims: small, since published rows leave it.
      index('outbox_pending_idx')
        .on(t.id)
        .where(sql`${t.publishedAt} is null`),
      // Replay (`--type … --since …`) and retention both range over time.
      index('outbox_occurred_at_idx').on(t.occurredAt),
    ],
  );

  const processedMessages = schema.table(
    'processed_messages',
    {
      consumer: text('consumer').notNull(),
      messageId: uuid('message_id').notNull(),
      type: text('type').notNull(),
      processedAt: timestamptz('processed_at').notNull().defaultNow(),
    },
    (t) => [
      primaryKey({ columns: [t.consumer, t.messageId] }),
      index('processed_messages_processed_at_idx').on(t.processedAt),
    ],
  );

  const idempotencyKeys = schema.table(
    'idempotency_keys',
    {
      tenantId: text('tenant_id').notNull(),
      key: text('key').notNull(),
      fingerprint: text('fingerprint').notNull(),
      method: text('method').notNull(),
      path: text('path').notNull(),
      statusCode: smallint('status_code'),
      responseBody: jsonb('response_body'),
      responseHeaders: jsonb('response_headers').$type<Record<string, string>>().notNull().default({}),
      createdAt: timestamptz('created_at').notNull().defaultNow(),
    },
    (t) => [
      primaryKey({ columns: [t.tenantId, t.key] }),
      index('idempotency_keys_created_at_idx').on(t.createdAt),
    ],
  );

  return { outbox, processedMessages, idempotencyKeys };
}

/** The platform tables of one service schema. */
export type PlatformTables = ReturnType<typeof platformTables>;
