import type { RequestContext } from '@only/platform/context';
import { decodeCursor, toPage } from '@only/platform/http';
import { z } from 'zod';
import { notificationsErrors } from '../../errors.ts';
import {
  toAttempt,
  toDelivery,
  type Delivery,
  type DeliveryDetail,
  type ListDeliveriesQuery,
} from './deliveries.dto.ts';
import type { DeliveriesRepository } from './deliveries.repository.ts';

const cursorSchema = z.object({ id: z.string() });

/** The delivery log as the tenant's administrators read it. */
export class DeliveriesService {
  private readonly repository: DeliveriesRepository;

  constructor(deps: { repository: DeliveriesRepository }) {
    this.repository = deps.repository;
  }

  async list(
    ctx: RequestContext,
    query: ListDeliveriesQuery,
  ): Promise<{ items: Delivery[]; nextCursor: string | null }> {
    const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor, cursorSchema).id;
    const rows = await this.repository.list(
      ctx.tenantId,
      { statuses: query.status, channels: query.channel, kinds: query.kind },
      { limit: query.limit, beforeId: before },
    );
    return toPage(rows, query.limit, toDelivery, (row) => ({ id: row.id }));
  }

  async get(ctx: RequestContext, id: string): Promise<DeliveryDetail> {
    const row = await this.repository.find(ctx.tenantId, id);
    if (!row) throw notificationsErrors.delivery_not_found(`No delivery ${id}`);
    const attempts = await this.repository.attemptsOf(ctx.tenantId, id);
    return { ...toDelivery(row), attemptLog: attempts.map(toAttempt) };
  }
}
