import type { EventEnvelope } from '@only/contracts/envelope';
import type { Clock } from '@only/platform/clock';
import type { RequestContext } from '@only/platform/context';
import { inTransaction, type Database } from '@only/platform/db';
import { decodeCursor, toPage } from '@only/platform/http';
import { newId } from '@only/platform/ids';
import { z } from 'zod';
import { paymentsErrors } from '../../errors.ts';
import type { WebhookSink } from '../payments/payment-events.ts';
import { newSigningSecret } from './webhook-signature.ts';
import {
  toDelivery,
  toEndpoint,
  type CreateEndpointInput,
  type ListDeliveriesQuery,
  type UpdateEndpointInput,
  type WebhookDelivery,
  type WebhookEndpoint,
} from './webhooks.dto.ts';
import type { WebhooksRepository } from './webhooks.repository.ts';

const cursorSchema = z.object({ id: z.string() });

function notFound(id: string) {
  return paymentsErrors.webhook_endpoint_not_found(`No webhook endpoint ${id}`);
}

/** The body a webhook delivers: the event, without the platform's internal tracing fields. */
export function webhookPayloadOf(envelope: EventEnvelope): Record<string, unknown> {
  return {
    id: envelope.id,
    type: envelope.type,
    version: envelope.version,
    occurredAt: envelope.occurredAt,
    data: envelope.data,
  };
}

/**
 * A tenant's webhook endpoints (URL, subscribed events, secret shown once) and the queue of
 * deliveries: {@link enqueue} runs in the transaction that emits a payment event, so a delivery
 * exists exactly when its event does; {@link WebhookDeliverer} sends them.
 */
export class WebhooksService implements WebhookSink {
  private readonly db: Database;
  private readonly repository: WebhooksRepository;
  private readonly clock: Clock;

  constructor(deps: { db: Database; repository: WebhooksRepository; clock: Clock }) {
    this.db = deps.db;
    this.repository = deps.repository;
    this.clock = deps.clock;
  }

  /** Creates an endpoint; the answer carries its signing secret, which is never shown again. */
  async create(
    ctx: RequestContext,
    input: CreateEndpointInput,
  ): Promise<WebhookEndpoint & { secret: string }> {
    const now = this.clock.now();
    const secret = newSigningSecret();
    const row = await this.repository.insertEndpoint({
      id: newId('whe'),
      tenantId: ctx.tenantId,
      url: input.url,
      description: input.description ?? null,
      eventTypes: [...input.eventTypes],
      enabled: input.enabled,
      signingSecret: secret,
      createdAt: now,
      updatedAt: now,
    });
    return { ...toEndpoint(row), secret };
  }

  async list(ctx: RequestContext): Promise<{ items: WebhookEndpoint[] }> {
    return { items: (await this.repository.listEndpoints(ctx.tenantId)).map(toEndpoint) };
  }

  async get(ctx: RequestContext, id: string): Promise<WebhookEndpoint> {
    const row = await this.repository.findEndpoint(ctx.tenantId, id);
    if (!row) throw notFound(id);
    return toEndpoint(row);
  }

  async update(ctx: RequestContext, id: string, input: UpdateEndpointInput): Promise<WebhookEndpoint> {
    const row = await this.repository.updateEndpoint(ctx.tenantId, id, {
      ...(input.url === undefined ? {} : { url: input.url }),
      ...(input.eventTypes === undefined ? {} : { eventTypes: [...input.eventTypes] }),
      ...(input.description === undefined ? {} : { description: input.description }),
      ...(input.enabled === undefined ? {} : { enabled: input.enabled }),
      updatedAt: this.clock.now(),
    });
    if (!row) throw notFound(id);
    return toEndpoint(row);
  }

  /** Replaces the signing secret (shown once); deliveries from now on are signed with the new one. */
  async rotateSecret(ctx: RequestContext, id: string): Promise<WebhookEndpoint & { secret: string }> {
    const secret = newSigningSecret();
    const row = await this.repository.updateEndpoint(ctx.tenantId, id, {
      signingSecret: secret,
      updatedAt: this.clock.now(),
    });
    if (!row) throw notFound(id);
    return { ...toEndpoint(row), secret };
  }

  /** Deletes an endpoint, its pending deliveries and their log. */
  async delete(ctx: RequestContext, id: string): Promise<void> {
    if (!(await this.repository.deleteEndpoint(ctx.tenantId, id))) throw notFound(id);
  }

  async deliveries(
    ctx: RequestContext,
    endpointId: string,
    query: ListDeliveriesQuery,
  ): Promise<{ items: WebhookDelivery[]; nextCursor: string | null }> {
    if (!(await this.repository.findEndpoint(ctx.tenantId, endpointId))) throw notFound(endpointId);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, cursorSchema).id;
    const { deliveries, attempts } = await this.repository.listDeliveries(
      ctx.tenantId,
      endpointId,
      query.status === undefined ? {} : { status: query.status },
      { limit: query.limit, afterId: after },
    );
    return toPage(
      deliveries,
      query.limit,
      (row) => toDelivery(row, attempts),
      (row) => ({ id: row.id }),
    );
  }

  /**
   * Queues a delivery of `envelope` to each enabled endpoint of its tenant subscribed to its type,
   * due at once. Runs in the caller's transaction (the one that emitted the event).
   */
  async enqueue(envelope: EventEnvelope): Promise<void> {
    await inTransaction(this.db, async () => {
      const endpoints = await this.repository.subscribers(envelope.tenantId, envelope.type);
      const now = this.clock.now();
      await this.repository.insertDeliveries(
        endpoints.map((endpoint) => ({
          id: newId('whd'),
          tenantId: envelope.tenantId,
          endpointId: endpoint.id,
          eventId: envelope.id,
          eventType: envelope.type,
          payload: webhookPayloadOf(envelope),
          status: 'pending' as const,
          attempts: 0,
          nextAttemptAt: now,
          createdAt: now,
        })),
      );
    });
  }
}
