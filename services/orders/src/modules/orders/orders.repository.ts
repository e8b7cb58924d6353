import { and, asc, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { executor, queryRows, type Database } from '@only/platform/db';
import { customers } from '../customers/customers.table.ts';
import type { AnyOrderStatus } from '@only/contracts/orders';
import {
  orderLines,
  orderStatusHistory,
  orders,
  type OrderLineRow,
  type OrderRow,
  type OrderStatusHistoryRow,
} from './orders.table.ts';

/** Filters of the order list. */
export interface OrderFilter {
  readonly statuses?: readonly AnyOrderStatus[];
  readonly customerId?: string;
  readonly placedFrom?: Date;
  readonly placedTo?: Date;
}

/** Stored orders, their lines and status history; every query is scoped to one tenant. */
export class OrdersRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /**
   * Inserts an order with its lines and first history entry in one statement, and only if its
   * customer is a live customer of the tenant (`undefined` otherwise, and nothing is written).
   * One statement instead of four: round trips are most of the cost of placing an order. With
   * `anyCustomer`, a deleted customer does too: a failed placement is recorded whatever happened
   * to its customer meanwhile.
   */
  async insertForLiveCustomer(
    order: Omit<OrderRow, 'number' | 'version'>,
    lines: readonly OrderLineRow[],
    history: OrderStatusHistoryRow,
    options: { anyCustomer?: boolean } = {},
  ): Promise<OrderRow | undefined> {
    const live = options.anyCustomer === true ? sql`true` : sql`c.deleted_at is null`;
    const lineValues = sql.join(
      lines.map(
        (l) =>
          sql`(${l.id}, ${l.tenantId}, ${l.orderId}, ${l.position}::int, ${l.sku}, ${l.name}, ${l.quantity}::int, ${l.unitPrice}::bigint, ${l.taxRateBps}::int, ${l.subtotal}::bigint, ${l.tax}::bigint, ${l.total}::bigint)`,
      ),
      sql`, `,
    );
    const [placed] = await queryRows<{ number: string; version: number }>(
      this.db,
      sql`with placed as (
        insert into ${orders} (id, tenant_id, number, customer_id, status, currency, subtotal, tax_total,
                               grand_total, notes, payment_id, failure, placed_at, updated_at)
        select ${order.id}, ${order.tenantId}, nextval('"orders"."order_number_seq"')::text, c.id,
               ${order.status}, ${order.currency}, ${order.subtotal}::bigint, ${order.taxTotal}::bigint,
               ${order.grandTotal}::bigint, ${order.notes}::text, ${order.paymentId}::text,
               ${order.failure === null ? null : JSON.stringify(order.failure)}::jsonb,
               ${order.placedAt.toISOString()}::timestamptz, ${order.updatedAt.toISOString()}::timestamptz
        from ${customers} c
        where c.tenant_id = ${order.tenantId} and c.id = ${order.customerId} and ${live}
        returning number, version
      ), placed_lines as (
        insert into ${orderLines} (id, tenant_id, order_id, position, sku, name, quantity, unit_price,
                                   tax_rate_bps, subtotal, tax, total)
        select * from (values ${lineValues}) as v where exists (select 1 from placed)
      ), placed_history as (
        insert into ${orderStatusHistory} (id, tenant_id, order_id, from_status, to_status, actor_type,
                                           actor_id, reason, occurred_at)
        select ${history.id}, ${history.tenantId}, ${history.orderId}, ${history.fromStatus}::text,
               ${history.toStatus}, ${history.actorType}, ${history.actorId}::text, ${history.reason}::text,
               ${history.occurredAt.toISOString()}::timestamptz
        where exists (select 1 from placed)
      )
      select number, version from placed`,
    );
    return placed && { ...order, number: placed.number, version: placed.version };
  }

  async find(
    tenantId: string,
    id: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<OrderRow | undefined> {
    const query = executor(this.db)
      .select()
      .from(orders)
      .where(and(eq(orders.tenantId, tenantId), eq(orders.id, id)));
    const [row] = options.forUpdate ? await query.for('update') : await query;
    return row;
  }

  /**
   * An order with its lines and status history in one statement (one round trip matters on
   * PGlite, where each statement has a fixed cost).
   */
  async findWithDetails(
    tenantId: string,
    id: string,
  ): Promise<{ order: OrderRow; lines: OrderLineRow[]; history: OrderStatusHistoryRow[] } | undefined> {
    const lines = sql<OrderLineRow[]>`coalesce((
      select json_agg(json_build_object(
        'id', l.id, 'tenantId', l.tenant_id, 'orderId', l.order_id, 'position', l.position, 'sku', l.sku,
        'name', l.name, 'quantity', l.quantity, 'unitPrice', l.unit_price, 'taxRateBps', l.tax_rate_bps,
        'subtotal', l.subtotal, 'tax', l.tax, 'total', l.total) order by l.position)
      from "orders"."order_lines" l where l.tenant_id = "orders"."orders"."tenant_id" and l.order_id = "orders"."orders"."id"
    ), '[]'::json)`;
    const history = sql<(Omit<OrderStatusHistoryRow, 'occurredAt'> & { occurredAt: string })[]>`coalesce((
      select json_agg(json_build_object(
        'id', h.id, 'tenantId', h.tenant_id, 'orderId', h.order_id, 'fromStatus', h.from_status,
        'toStatus', h.to_status, 'actorType', h.actor_type, 'actorId', h.actor_id, 'reason', h.reason,
        'occurredAt', h.occurred_at) order by h.id)
      from "orders"."order_status_history" h where h.tenant_id = "orders"."orders"."tenant_id" and h.order_id = "orders"."orders"."id"
    ), '[]'::json)`;
    const [row] = await executor(this.db)
      .select({ order: orders, lines, history })
      .from(orders)
      .where(and(eq(orders.tenantId, tenantId), eq(orders.id, id)));
    if (!row) return undefined;
    return {
      order: row.order,
      lines: row.lines,
      history: row.history.map((entry) => ({ ...entry, occurredAt: new Date(entry.occurredAt) })),
    };
  }

  async historyOf(tenantId: string, orderId: string): Promise<OrderStatusHistoryRow[]> {
    return executor(this.db)
      .select()
      .from(orderStatusHistory)
      .where(and(eq(orderStatusHistory.tenantId, tenantId), eq(orderStatusHistory.orderId, orderId)))
      .orderBy(asc(orderStatusHistory.id));
  }

  /** Moves an order to `status` and records who, when and why. */
  async changeStatus(
    tenantId: string,
    id: string,
    status: AnyOrderStatus,
    history: OrderStatusHistoryRow,
  ): Promise<OrderRow> {
    const q = executor(this.db);
    const [order] = await q
      .update(orders)
      .set({ status, updatedAt: history.occurredAt, version: sql`${orders.version} + 1` })
      .where(and(eq(orders.tenantId, tenantId), eq(orders.id, id)))
      .returning();
    if (!order) throw new Error(`order ${id} vanished during a status change`);
    await q.insert(orderStatusHistory).values(history);
    return order;
  }

  /** Newest first, keyset-paginated by id; `limit + 1` rows tell whether a next page exists. */
  async list(
    tenantId: string,
    filter: OrderFilter,
    page: { limit: number; afterId?: string },
  ): Promise<(OrderRow & { lineCount: number })[]> {
    // Correlated count: only the page's rows are counted, through the (order_id, position) index.
    const lineCount = sql<number>`(select count(*)::int from "orders"."order_lines" l where l.order_id = "orders"."orders"."id")`;
    const rows = await executor(this.db)
      .select({ order: orders, lineCount })
      .from(orders)
      .where(
        and(
          eq(orders.tenantId, tenantId),
          filter.statuses && filter.statuses.length > 0
            ? inArray(orders.status, [...filter.statuses])
            : undefined,
          filter.customerId === undefined ? undefined : eq(orders.customerId, filter.customerId),
          filter.placedFrom === undefined ? undefined : gte(orders.placedAt, filter.placedFrom),
          filter.placedTo === undefined ? undefined : lt(orders.placedAt, filter.placedTo),
          page.afterId === undefined ? undefined : lt(orders.id, page.afterId),
        ),
      )
      .orderBy(desc(orders.id))
      .limit(page.limit + 1);
    return rows.map((row) => ({ ...row.order, lineCount: row.lineCount }));
  }
}
