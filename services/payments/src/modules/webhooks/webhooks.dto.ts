import {
  paymentAuthorizedV1,
  paymentCapturedV1,
  paymentFailedV1,
  paymentRefundedV1,
  paymentVoidedV1,
} from '@only/contracts/payments';
import { pageQuerySchema, pageSchema } from '@only/platform/http';
import { idSchema } from '@only/platform/ids';
import { z } from 'zod';
import {
  DELIVERY_STATUSES,
  type WebhookAttemptRow,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from './webhooks.table.ts';

/** The events an endpoint can subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  paymentAuthorizedV1.type,
  paymentCapturedV1.type,
  paymentVoidedV1.type,
  paymentRefundedV1.type,
  paymentFailedV1.type,
] as const;

export const webhookEndpointIdParams = z.object({ id: idSchema('whe') });

const urlSchema = z
  .url({ protocol: /^https?$/ })
  .max(2_000)
  .describe('Where events are POSTed (http or https).');

const eventTypesSchema = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length)
  .refine((types) => new Set(types).size === types.length, {
    message: 'Each event type once',
    params: { rule: 'unique' },
  })
  .describe('The payment events sent to this endpoint.');

const descriptionSchema = z.string().trim().max(500);

export const createEndpointBody = z
  .object({
    url: urlSchema,
    eventTypes: eventTypesSchema,
    description: descriptionSchema.optional(),
    enabled: z.boolean().default(true),
  })
  .strict()
  .meta({ id: 'CreateWebhookEndpoint' });
export type CreateEndpointInput = z.output<typeof createEndpointBody>;

export const updateEndpointBody = z
  .object({
    url: urlSchema.optional(),
    eventTypes: eventTypesSchema.optional(),
    description: descriptionSchema.nullable().optional(),
    enabled: z
      .boolean()
      .optional()
      .describe('A disabled endpoint gets no new deliveries; pending ones wait until it is enabled again.'),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'Nothing to change',
    params: { rule: 'not_empty' },
  })
  .meta({ id: 'UpdateWebhookEndpoint' });
export type UpdateEndpointInput = z.output<typeof updateEndpointBody>;

export const webhookEndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    eventTypes: z.array(z.string()),
    enabled: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'WebhookEndpoint' });
export type WebhookEndpoint = z.output<typeof webhookEndpointSchema>;

export const webhookEndpointWithSecretSchema = webhookEndpointSchema
  .extend({
    secret: z
      .string()
      .describe(
        'Key of the HMAC-SHA256 signatures. Shown only now: store it where the receiver can read it.',
      ),
  })
  .meta({ id: 'WebhookEndpointWithSecret' });

export const webhookEndpointListSchema = z
  .object({ items: z.array(webhookEndpointSchema) })
  .meta({ id: 'WebhookEndpoints' });

export const listDeliveriesQuery = pageQuerySchema.extend({
  status: z.enum(DELIVERY_STATUSES).optional(),
});
export type ListDeliveriesQuery = z.output<typeof listDeliveriesQuery>;

export const webhookDeliverySchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    nextAttemptAt: z.iso.datetime().nullable().describe('When it is tried again, while pending.'),
    lastAttemptAt: z.iso.datetime().nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    log: z
      .array(
        z.object({
          attempt: z.number().int(),
          attemptedAt: z.iso.datetime(),
          statusCode: z.number().int().nullable(),
          error: z.string().nullable(),
          succeeded: z.boolean(),
        }),
      )
      .describe('Every attempt, oldest first.'),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDelivery = z.output<typeof webhookDeliverySchema>;

export const webhookDeliveryPageSchema = pageSchema(webhookDeliverySchema).meta({
  id: 'WebhookDeliveryPage',
});

export function toEndpoint(row: WebhookEndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: [...row.eventTypes],
    enabled: row.enabled,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toDelivery(row: WebhookDeliveryRow, attempts: readonly WebhookAttemptRow[]): WebhookDelivery {
  return {
    id: row.id,
    eventId: row.eventId,
    eventType: row.eventType,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
    lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    log: attempts
      .filter((attempt) => attempt.deliveryId === row.id)
      .sort((a, b) => a.attempt - b.attempt)
      .map((attempt) => ({
        attempt: attempt.attempt,
        attemptedAt: attempt.attemptedAt.toISOString(),
        statusCode: attempt.statusCode,
        error: attempt.error,
        succeeded: attempt.succeeded,
      })),
  };
}
