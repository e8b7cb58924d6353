import {
  anyOrderStatusSchema,
  orderCancelledV1,
  orderFailedV1,
  orderPlacedV1,
  orderStatusChangedV1,
  orderStatusSchema,
  type AnyOrderStatus,
  type FailedOrderStatus,
  type OrderFailure,
} from '@only/contracts/orders';
import type { Clock } from '@only/platform/clock';
import type { Actor, RequestContext } from '@only/platform/context';
import { inTransaction, type Database } from '@only/platform/db';
import { decodeCursor, toPage } from '@only/platform/http';
import { newId } from '@only/platform/ids';
import type { Outbox } from '@only/platform/outbox';
import { z } from 'zod';
import { ordersErrors } from '../../errors.ts';
import { orderKey, type ReadCache } from '../../read-cache.ts';
import { allowedActions, nextStatus, type OrderAction } from './order-state-machine.ts';
import { computeTotals } from './order-totals.ts';
import {
  dateRange,
  toHistoryEntry,
  toOrderLine,
  toOrderSummary,
  type ListOrdersQuery,
  type Order,
  type OrderInput,
  type OrderSummary,
} from './orders.dto.ts';
import type { OrdersRepository } from './orders.repository.ts';
import type { OrderLineRow, OrderRow, OrderStatusHistoryRow } from './orders.table.ts';

const cursorSchema = z.object({ id: z.string() });

function toOrder(row: OrderRow, lines: OrderLineRow[], history: OrderStatusHistoryRow[]): Order {
  return {
    ...toOrderSummary({ ...row, lineCount: lines.length }),
    lines: lines.map(toOrderLine),
    allowedActions: allowedActions(row.status),
    history: history.map(toHistoryEntry),
  };
}

function orderNotFound(id: string) {
  return ordersErrors.order_not_found(`No order ${id}`);
}

function unknownCustomer(id: string) {
  return ordersErrors.unknown_customer(`No customer ${id} in this tenant`, { field: 'customerId' });
}

/** Orders: placement with server-computed totals, reads, and the lifecycle state machine. */
export class OrdersService {
  private readonly db: Database;
  private readonly orders: OrdersRepository;
  private readonly outbox: Outbox;
  private readonly clock: Clock;
  private readonly cache: ReadCache;

  constructor(deps: {
    db: Database;
    orders: OrdersRepository;
    outbox: Outbox;
    clock: Clock;
    cache: ReadCache;
  }) {
    this.db = deps.db;
    this.orders = deps.orders;
    this.outbox = deps.outbox;
    this.clock = deps.clock;
    this.cache = deps.cache;
  }

  /** Places an order in status `pending` and emits `orders.order.placed`. */
  async place(ctx: RequestContext, input: OrderInput): Promise<Order> {
    return inTransaction(this.db, async () => {
      const order = await this.insert(ctx, newId('ord'), input, { status: 'pending' });
      if (!order) throw unknownCustomer(input.customerId);
      await this.emitPlaced(ctx, order);
      return order;
    });
  }

  /**
   * Records a paid order the order saga placed — stock reserved, payment authorized — in status
   * `confirmed`, with `orders.order.placed`. Joins the caller's transaction (the saga's step);
   * `undefined`, and nothing written, when its customer is no longer a live customer.
   */
  async placeConfirmed(
    ctx: RequestContext,
    placement: { orderId: string; input: OrderInput; paymentId: string; actor: Actor; placedAt: Date },
  ): Promise<Order | undefined> {
    return inTransaction(this.db, async () => {
      const order = await this.insert(ctx, placement.orderId, placement.input, {
        status: 'confirmed',
        paymentId: placement.paymentId,
        actor: placement.actor,
        placedAt: placement.placedAt,
      });
      if (order) await this.emitPlaced(ctx, order);
      return order;
    });
  }

  /**
   * Records an order whose placement failed, in its failed status with the reason, and emits
   * `orders.order.failed`. Joins the caller's transaction; recorded whatever became of the
   * customer since the order was sent.
   */
  async recordFailed(
    ctx: RequestContext,
    placement: {
      orderId: string;
      input: OrderInput;
      status: FailedOrderStatus;
      failure: OrderFailure;
      paymentId: string | null;
      actor: Actor;
      placedAt: Date;
    },
  ): Promise<Order> {
    return inTransaction(this.db, async () => {
      const order = await this.insert(ctx, placement.orderId, placement.input, {
        status: placement.status,
        failure: placement.failure,
        paymentId: placement.paymentId,
        actor: placement.actor,
        placedAt: placement.placedAt,
        anyCustomer: true,
      });
      if (!order) throw unknownCustomer(placement.input.customerId);
      await this.outbox.emit(
        orderFailedV1,
        {
          orderId: order.id,
          number: order.number,
          customerId: order.customerId,
          status: placement.status,
          failure: placement.failure,
          currency: order.currency,
          totals: order.totals,
          failedAt: this.clock.now().toISOString(),
        },
        { ctx, aggregateId: order.id },
      );
      return order;
    });
  }

  /** Writes an order with server-computed totals; `undefined` when its customer does not qualify. */
  private async insert(
    ctx: RequestContext,
    orderId: string,
    input: OrderInput,
    options: {
      status: AnyOrderStatus;
      paymentId?: string | null;
      failure?: OrderFailure;
      actor?: Actor;
      placedAt?: Date;
      anyCustomer?: boolean;
    },
  ): Promise<Order | undefined> {
    const computed = computeTotals(input.lines);
    const now = this.clock.now();
    const lines: OrderLineRow[] = input.lines.map((line, index) => {
      const amounts = computed.lines[index];
      if (!amounts) throw new Error('line amounts missing');
      return {
        id: newId('oln'),
        tenantId: ctx.tenantId,
        orderId,
        position: index + 1,
        sku: line.sku,
        name: line.name,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        taxRateBps: line.taxRateBps,
        ...amounts,
      };
    });
    const history = {
      ...this.historyEntry(ctx, orderId, null, options.status, options.failure?.message ?? null, now),
      ...(options.actor === undefined ? {} : { actorType: options.actor.type, actorId: options.actor.id }),
    };
    const order = await this.orders.insertForLiveCustomer(
      {
        id: orderId,
        tenantId: ctx.tenantId,
        customerId: input.customerId,
        status: options.status,
        currency: input.currency,
        subtotal: computed.totals.subtotal,
        taxTotal: computed.totals.tax,
        grandTotal: computed.totals.grandTotal,
        notes: input.notes,
        paymentId: options.paymentId ?? null,
        failure: options.failure ?? null,
        placedAt: options.placedAt ?? now,
        updatedAt: now,
      },
      lines,
      history,
      { anyCustomer: options.anyCustomer === true },
    );
    return order && toOrder(order, lines, [history]);
  }

  private async emitPlaced(ctx: RequestContext, order: Order): Promise<void> {
    const status = orderStatusSchema.parse(order.status);
    await this.outbox.emit(
      orderPlacedV1,
      {
        order: {
          id: order.id,
          number: order.number,
          customerId: order.customerId,
          status,
          currency: order.currency,
          lines: order.lines,
          totals: order.totals,
          notes: order.notes,
          placedAt: order.placedAt,
        },
      },
      { ctx, aggregateId: order.id },
    );
  }

  /** A status history entry: who moved the order from where to where, when and why. */
  private historyEntry(
    ctx: RequestContext,
    orderId: string,
    from: AnyOrderStatus | null,
    to: AnyOrderStatus,
    reason: string | null,
    at: Date,
  ): OrderStatusHistoryRow {
    return {
      id: newId('osh'),
      tenantId: ctx.tenantId,
      orderId,
      fromStatus: from,
      toStatus: to,
      actorType: ctx.actor.type,
      actorId: ctx.actor.id,
      reason,
      occurredAt: at,
    };
  }

  /** An order with lines and history; served from the read cache unless `fresh`. */
  async get(ctx: RequestContext, id: string, options: { fresh?: boolean } = {}): Promise<Order> {
    const order = await this.cache.read(
      orderKey(ctx.tenantId, id),
      async () => {
        const found = await this.orders.findWithDetails(ctx.tenantId, id);
        return found && toOrder(found.order, found.lines, found.history);
      },
      options.fresh,
    );
    if (!order) throw orderNotFound(id);
    return order;
  }

  async history(ctx: RequestContext, id: string): Promise<{ items: Order['history'] }> {
    const row = await this.orders.find(ctx.tenantId, id);
    if (!row) throw orderNotFound(id);
    const history = await this.orders.historyOf(ctx.tenantId, id);
    return { items: history.map(toHistoryEntry) };
  }

  async list(
    ctx: RequestContext,
    query: ListOrdersQuery,
  ): Promise<{ items: OrderSummary[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, cursorSchema).id;
    const range = dateRange(query);
    const rows = await this.orders.list(
      ctx.tenantId,
      { statuses: query.status, customerId: query.customerId, placedFrom: range.from, placedTo: range.to },
      { limit: query.limit, afterId: after },
    );
    return toPage(rows, query.limit, toOrderSummary, (row) => ({ id: row.id }));
  }

  /**
   * Applies a lifecycle action. The order row is locked for the transition, so two concurrent
   * actions cannot both succeed from the same state; an illegal one is a 409 naming the state.
   * Cancelling emits `orders.order.cancelled`; every other action `orders.order.status_changed`.
   */
  async transition(
    ctx: RequestContext,
    id: string,
    action: OrderAction,
    reason: string | undefined,
  ): Promise<Order> {
    return inTransaction(this.db, async () => {
      const current = await this.orders.find(ctx.tenantId, id, { forUpdate: true });
      if (!current) throw orderNotFound(id);
      const status = anyOrderStatusSchema.parse(current.status);
      const next = nextStatus(status, action);
      if (next === undefined) {
        throw ordersErrors.invalid_transition(`Order ${id} is ${status}; it cannot ${action}.`, {
          currentState: status,
          action,
          allowedActions: allowedActions(status),
        });
      }
      // Actions start and end in the lifecycle only (failed placements allow none).
      const from = orderStatusSchema.parse(status);
      const to = orderStatusSchema.parse(next);
      const now = this.clock.now();
      const order = await this.orders.changeStatus(
        ctx.tenantId,
        id,
        to,
        this.historyEntry(ctx, id, from, to, reason ?? null, now),
      );
      this.cache.invalidateAfterCommit(orderKey(ctx.tenantId, id));
      const meta = { ctx, aggregateId: id };
      if (to === 'cancelled') {
        await this.outbox.emit(
          orderCancelledV1,
          {
            orderId: id,
            customerId: order.customerId,
            from,
            reason: reason ?? '',
            actor: ctx.actor,
            currency: order.currency,
            totals: { subtotal: order.subtotal, tax: order.taxTotal, grandTotal: order.grandTotal },
            cancelledAt: now.toISOString(),
          },
          meta,
        );
      } else {
        await this.outbox.emit(
          orderStatusChangedV1,
          { orderId: id, from, to, reason: reason ?? null, actor: ctx.actor, changedAt: now.toISOString() },
          meta,
        );
      }
      const found = await this.orders.findWithDetails(ctx.tenantId, id);
      if (!found) throw orderNotFound(id);
      return toOrder(order, found.lines, found.history);
    });
  }
}
