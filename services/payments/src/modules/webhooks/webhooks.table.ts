import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  smallint,
  text,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { paymentsSchema } from '../../db/payments-schema.ts';

/** Where a delivery stands: retried while `pending`, until `delivered` or, out of attempts, `failed`. */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** A tenant's URL that receives payment events, signed with its own secret. */
export const webhookEndpoints = paymentsSchema.table(
  'webhook_endpoints',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    url: text('url').notNull(),
    description: text('description'),
    /** Event types sent to it (`payments.payment.captured`…). */
    eventTypes: text('event_types').array().notNull(),
    enabled: boolean('enabled').notNull().default(true),
    /** HMAC key of the signatures; shown to the tenant once, never logged. */
    signingSecret: text('signing_secret').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    unique('webhook_endpoints_tenant_id_id_key').on(t.tenantId, t.id),
    check('webhook_endpoints_url_check', sql`${t.url} ~ '^https?://'`),
    index('webhook_endpoints_tenant_idx').on(t.tenantId, t.id.desc()),
  ],
);

/** One event to one endpoint, retried with exponential backoff until delivered or out of attempts. */
export const webhookDeliveries = paymentsSchema.table(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    endpointId: text('endpoint_id').notNull(),
    eventId: uuid('event_id').notNull(),
    eventType: text('event_type').notNull(),
    /** The body sent, byte for byte the same on every attempt. */
    payload: jsonb('payload').notNull(),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull().default('pending'),
    /** Attempts started so far (counted when claimed, so a crash mid-send counts too). */
    attempts: integer('attempts').notNull().default(0),
    /** When the next attempt is due; while one is in flight, when its claim lapses. */
    nextAttemptAt: timestamptz('next_attempt_at').notNull().defaultNow(),
    lastAttemptAt: timestamptz('last_attempt_at'),
    lastStatusCode: smallint('last_status_code'),
    lastError: text('last_error'),
    deliveredAt: timestamptz('delivered_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    unique('webhook_deliveries_tenant_id_id_key').on(t.tenantId, t.id),
    unique('webhook_deliveries_endpoint_event_key').on(t.endpointId, t.eventId),
    foreignKey({
      name: 'webhook_deliveries_endpoint_fk',
      columns: [t.tenantId, t.endpointId],
      foreignColumns: [webhookEndpoints.tenantId, webhookEndpoints.id],
    }).onDelete('cascade'),
    check('webhook_deliveries_status_check', sql`${t.status} in ('pending', 'delivered', 'failed')`),
    // What the poller scans: only pending deliveries, by due time.
    index('webhook_deliveries_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_endpoint_idx').on(t.tenantId, t.endpointId, t.id.desc()),
  ],
);

/** The delivery log: one row per attempt, with what the endpoint answered. */
export const webhookAttempts = paymentsSchema.table(
  'webhook_attempts',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    deliveryId: text('delivery_id').notNull(),
    attempt: integer('attempt').notNull(),
    attemptedAt: timestamptz('attempted_at').notNull(),
    /** The endpoint's HTTP status; null when no answer came (timeout, refused connection). */
    statusCode: smallint('status_code'),
    error: text('error'),
    succeeded: boolean('succeeded').notNull(),
  },
  (t) => [
    unique('webhook_attempts_delivery_attempt_key').on(t.deliveryId, t.attempt),
    foreignKey({
      name: 'webhook_attempts_delivery_fk',
      columns: [t.tenantId, t.deliveryId],
      foreignColumns: [webhookDeliveries.tenantId, webhookDeliveries.id],
    }).onDelete('cascade'),
  ],
);

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type WebhookAttemptRow = typeof webhookAttempts.$inferSelect;
