import { and, arrayContains, asc, desc, eq, inArray, lt, lte, sql } from 'drizzle-orm';
import { executor, type Database } from '@only/platform/db';
import {
  webhookAttempts,
  webhookDeliveries,
  webhookEndpoints,
  type DeliveryStatus,
  type WebhookAttemptRow,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from './webhooks.table.ts';

/** A delivery claimed for an attempt, with where and how to send it. */
export interface ClaimedDelivery {
  readonly delivery: WebhookDeliveryRow;
  readonly url: string;
  readonly signingSecret: string;
}

/** Webhook endpoints, deliveries and their attempts; all but the poller's claim are per tenant. */
export class WebhooksRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  async insertEndpoint(row: typeof webhookEndpoints.$inferInsert): Promise<WebhookEndpointRow> {
    const [created] = await executor(this.db).insert(webhookEndpoints).values(row).returning();
    if (!created) throw new Error('insert returned no endpoint');
    return created;
  }

  async findEndpoint(tenantId: string, id: string): Promise<WebhookEndpointRow | undefined> {
    const [row] = await executor(this.db)
      .select()
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id)));
    return row;
  }

  async listEndpoints(tenantId: string): Promise<WebhookEndpointRow[]> {
    return executor(this.db)
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.tenantId, tenantId))
      .orderBy(desc(webhookEndpoints.id));
  }

  async updateEndpoint(
    tenantId: string,
    id: string,
    patch: Partial<typeof webhookEndpoints.$inferInsert>,
  ): Promise<WebhookEndpointRow | undefined> {
    const [row] = await executor(this.db)
      .update(webhookEndpoints)
      .set(patch)
      .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id)))
      .returning();
    return row;
  }

  /** Deletes an endpoint with its deliveries and their log; false when there was none. */
  async deleteEndpoint(tenantId: string, id: string): Promise<boolean> {
    const deleted = await executor(this.db)
      .delete(webhookEndpoints)
      .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id)))
      .returning({ id: webhookEndpoints.id });
    return deleted.length > 0;
  }

  /** The tenant's enabled endpoints subscribed to `eventType`. */
  async subscribers(tenantId: string, eventType: string): Promise<WebhookEndpointRow[]> {
    return executor(this.db)
      .select()
      .from(webhookEndpoints)
      .where(
        and(
          eq(webhookEndpoints.tenantId, tenantId),
          eq(webhookEndpoints.enabled, true),
          arrayContains(webhookEndpoints.eventTypes, [eventType]),
        ),
      );
  }

  async insertDeliveries(rows: (typeof webhookDeliveries.$inferInsert)[]): Promise<void> {
    if (rows.length === 0) return;
    await executor(this.db).insert(webhookDeliveries).values(rows).onConflictDoNothing();
  }

  /** Newest first, keyset-paginated by id, with their attempts. */
  async listDeliveries(
    tenantId: string,
    endpointId: string,
    filter: { status?: DeliveryStatus },
    page: { limit: number; afterId?: string },
  ): Promise<{ deliveries: WebhookDeliveryRow[]; attempts: WebhookAttemptRow[] }> {
    const deliveries = await executor(this.db)
      .select()
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.tenantId, tenantId),
          eq(webhookDeliveries.endpointId, endpointId),
          filter.status === undefined ? undefined : eq(webhookDeliveries.status, filter.status),
          page.afterId === undefined ? undefined : lt(webhookDeliveries.id, page.afterId),
        ),
      )
      .orderBy(desc(webhookDeliveries.id))
      .limit(page.limit + 1);
    const ids = deliveries.map((d) => d.id);
    const attempts =
      ids.length === 0
        ? []
        : await executor(this.db)
            .select()
            .from(webhookAttempts)
            .where(and(eq(webhookAttempts.tenantId, tenantId), inArray(webhookAttempts.deliveryId, ids)))
            .orderBy(asc(webhookAttempts.deliveryId), asc(webhookAttempts.attempt));
    return { deliveries, attempts };
  }

  /**
   * Claims up to `limit` due deliveries of any tenant's enabled endpoints for an attempt: counts
   * the attempt and pushes their due time to `leaseUntil`, so that no other poller takes them while
   * this one sends (nor after a crash, until the lease lapses). SKIP LOCKED lets replicas claim
   * side by side without waiting for each other. Must run in a transaction across tenants.
   */
  async claimDue(now: Date, limit: number, leaseUntil: Date): Promise<ClaimedDelivery[]> {
    const enabledEndpoints = executor(this.db)
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.enabled, true));
    const due = await executor(this.db)
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.status, 'pending'),
          lte(webhookDeliveries.nextAttemptAt, now),
          inArray(webhookDeliveries.endpointId, enabledEndpoints),
        ),
      )
      .orderBy(asc(webhookDeliveries.nextAttemptAt))
      .limit(limit)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    const claimed = await executor(this.db)
      .update(webhookDeliveries)
      .set({
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        lastAttemptAt: now,
        nextAttemptAt: leaseUntil,
      })
      .where(
        inArray(
          webhookDeliveries.id,
          due.map((row) => row.id),
        ),
      )
      .returning();
    const endpoints = new Map(
      (
        await executor(this.db)
          .select()
          .from(webhookEndpoints)
          .where(
            inArray(
              webhookEndpoints.id,
              claimed.map((delivery) => delivery.endpointId),
            ),
          )
      ).map((endpoint) => [endpoint.id, endpoint]),
    );
    return claimed.flatMap((delivery) => {
      const endpoint = endpoints.get(delivery.endpointId);
      return endpoint === undefined
        ? []
        : [{ delivery, url: endpoint.url, signingSecret: endpoint.signingSecret }];
    });
  }

  /** Records an attempt and the delivery's new state, unless another poller took it over since. */
  async recordAttempt(
    attempt: typeof webhookAttempts.$inferInsert,
    claimedAttempts: number,
    patch: Partial<typeof webhookDeliveries.$inferInsert>,
  ): Promise<WebhookDeliveryRow | undefined> {
    const [delivery] = await executor(this.db)
      .update(webhookDeliveries)
      .set(patch)
      .where(
        and(eq(webhookDeliveries.id, attempt.deliveryId), eq(webhookDeliveries.attempts, claimedAttempts)),
      )
      .returning();
    if (delivery === undefined) return undefined;
    await executor(this.db).insert(webhookAttempts).values(attempt).onConflictDoNothing();
    return delivery;
  }
}
