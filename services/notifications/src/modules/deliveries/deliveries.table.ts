import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, text, unique, uuid } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { notificationsSchema } from '../../db/notifications-schema.ts';

/** Where a delivery stands: waiting (or retrying), delivered, given up, or turned off by the user. */
export const DELIVERY_STATUSES = ['queued', 'sent', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * The delivery log: one message to one recipient on one channel. Queued rows are the send queue:
 * `next_attempt_at` says when the dispatcher may (re)try it.
 */
export const deliveries = notificationsSchema.table(
  'deliveries',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    kind: text('kind').notNull(),
    channel: text('channel').notNull(),
    recipientType: text('recipient_type').notNull(),
    recipientId: text('recipient_id').notNull(),
    /** Email address, phone number, or user id (in-app). */
    address: text('address').notNull(),
    locale: text('locale').notNull(),
    fromName: text('from_name'),
    subject: text('subject'),
    bodyText: text('body_text'),
    bodyHtml: text('body_html'),
    status: text('status').$type<DeliveryStatus>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    nextAttemptAt: timestamptz('next_attempt_at'),
    lastError: text('last_error'),
    providerMessageId: text('provider_message_id'),
    providerResponse: text('provider_response'),
    sourceEventId: uuid('source_event_id').notNull(),
    sourceEventType: text('source_event_type').notNull(),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
    sentAt: timestamptz('sent_at'),
  },
  (t) => [
    // One message per event, channel and recipient, however often the event comes.
    unique('deliveries_source_key').on(t.tenantId, t.sourceEventId, t.channel, t.recipientId),
    // What the dispatcher claims: small, since finished rows leave it.
    index('deliveries_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'queued'`),
    index('deliveries_tenant_idx').on(t.tenantId, t.id),
    check('deliveries_status_check', sql`${t.status} in ('queued', 'sent', 'failed', 'skipped')`),
    check('deliveries_channel_check', sql`${t.channel} in ('email', 'sms', 'in_app')`),
  ],
);

/** Every attempt to hand a delivery to its provider, with what the provider answered. */
export const deliveryAttempts = notificationsSchema.table(
  'delivery_attempts',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    deliveryId: text('delivery_id').notNull(),
    attempt: integer('attempt').notNull(),
    outcome: text('outcome').$type<'sent' | 'failed'>().notNull(),
    /** Whether a failure is worth retrying (timeouts, 4xx SMTP replies, 5xx HTTP answers). */
    transient: boolean('transient'),
    error: text('error'),
    providerMessageId: text('provider_message_id'),
    providerResponse: text('provider_response'),
    startedAt: timestamptz('started_at').notNull(),
    finishedAt: timestamptz('finished_at').notNull(),
  },
  (t) => [unique('delivery_attempts_delivery_attempt_key').on(t.tenantId, t.deliveryId, t.attempt)],
);

export type DeliveryRow = typeof deliveries.$inferSelect;
export type DeliveryAttemptRow = typeof deliveryAttempts.$inferSelect;
