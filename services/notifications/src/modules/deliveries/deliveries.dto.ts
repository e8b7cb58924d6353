import { pageQuerySchema, pageSchema } from '@only/platform/http';
import { idSchema } from '@only/platform/ids';
import { z } from 'zod';
import { CHANNELS, NOTIFICATION_KINDS } from '../templates/notification-kinds.ts';
import { DELIVERY_STATUSES, type DeliveryAttemptRow, type DeliveryRow } from './deliveries.table.ts';

const list = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z
    .string()
    .transform((value) => value.split(',').map((v) => v.trim()))
    .pipe(z.array(z.enum(values)).min(1))
    .optional()
    .describe(`Only these ${what}, comma-separated.`);

export const deliveryIdParams = z.object({ id: idSchema('dlv') });

export const listDeliveriesQuery = pageQuerySchema
  .extend({
    status: list(DELIVERY_STATUSES, 'statuses'),
    channel: list(CHANNELS, 'channels'),
    kind: list(NOTIFICATION_KINDS, 'kinds'),
  })
  .strict();
export type ListDeliveriesQuery = z.output<typeof listDeliveriesQuery>;

export const deliverySchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    channel: z.enum(CHANNELS),
    recipient: z.object({
      type: z.enum(['customer', 'user']),
      id: z.string(),
      address: z.string().describe('Email address, phone number, or user id (in-app).'),
    }),
    locale: z.string(),
    subject: z.string().nullable(),
    status: z
      .enum(DELIVERY_STATUSES)
      .describe(
        '`queued` (waiting, or retrying at `nextAttemptAt`), `sent`, `failed` (given up), `skipped` (turned off by the user).',
      ),
    attempts: z.number().int(),
    maxAttempts: z.number().int(),
    nextAttemptAt: z.iso.datetime().nullable(),
    lastError: z.string().nullable(),
    providerMessageId: z.string().nullable(),
    providerResponse: z.string().nullable(),
    sourceEvent: z.object({ id: z.string(), type: z.string() }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    sentAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Delivery' });
export type Delivery = z.output<typeof deliverySchema>;

export const deliveryAttemptSchema = z
  .object({
    attempt: z.number().int(),
    outcome: z.enum(['sent', 'failed']),
    transient: z.boolean().nullable().describe('For a failure: whether it was worth retrying.'),
    error: z.string().nullable(),
    providerMessageId: z.string().nullable(),
    providerResponse: z.string().nullable(),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime(),
  })
  .meta({ id: 'DeliveryAttempt' });

export const deliveryDetailSchema = deliverySchema
  .extend({ attemptLog: z.array(deliveryAttemptSchema).describe('Every attempt, first first.') })
  .meta({ id: 'DeliveryDetail' });
export type DeliveryDetail = z.output<typeof deliveryDetailSchema>;

export const deliveryPageSchema = pageSchema(deliverySchema).meta({ id: 'DeliveryPage' });

// Bodies are never returned: a password-reset mail's link would let whoever reads the log in.
export function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    kind: row.kind,
    channel: row.channel as Delivery['channel'],
    recipient: { type: row.recipientType as 'customer' | 'user', id: row.recipientId, address: row.address },
    locale: row.locale,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    lastError: row.lastError,
    providerMessageId: row.providerMessageId,
    providerResponse: row.providerResponse,
    sourceEvent: { id: row.sourceEventId, type: row.sourceEventType },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
  };
}

export function toAttempt(row: DeliveryAttemptRow) {
  return {
    attempt: row.attempt,
    outcome: row.outcome,
    transient: row.transient,
    error: row.error,
    providerMessageId: row.providerMessageId,
    providerResponse: row.providerResponse,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt.toISOString(),
  };
}
