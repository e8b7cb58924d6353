// The orders service's internal RPC (`only.orders.v1.OrdersService`): what other services need to
// know about one order — invoices issuing one. Reads through the same service layer as the
// HTTP API, so tenant scoping, the read cache and `orders.order_not_found` behave alike.
import type { AnyOrderStatus as OrderStatusName } from '@only/contracts/orders';
import { toMoney } from '@only/contracts/rpc';
import { OrdersService as OrdersRpcService, OrderStatus } from '@only/contracts/rpc/orders';
import type { RequestContext } from '@only/platform/context';
import { executor, type Database } from '@only/platform/db';
import { defineRpcService, type RpcService } from '@only/platform/rpc';
import { and, eq } from 'drizzle-orm';
import { customers } from './modules/customers/customers.table.ts';
import type { Order as OrderView } from './modules/orders/orders.dto.ts';
import type { OrdersService } from './modules/orders/orders.service.ts';

const STATUSES: Record<OrderStatusName, OrderStatus> = {
  pending: OrderStatus.PENDING,
  confirmed: OrderStatus.CONFIRMED,
  fulfilled: OrderStatus.FULFILLED,
  completed: OrderStatus.COMPLETED,
  cancelled: OrderStatus.CANCELLED,
  out_of_stock: OrderStatus.FAILED,
  payment_failed: OrderStatus.FAILED,
  failed: OrderStatus.FAILED,
};

type Timestamp = { seconds: bigint; nanos: number };

function timestamp(iso: string): Timestamp {
  const ms = Date.parse(iso);
  const seconds = Math.floor(ms / 1000);
  return { seconds: BigInt(seconds), nanos: (ms - seconds * 1000) * 1_000_000 };
}

/** When the order last entered `status`, from its history. */
function enteredAt(order: OrderView, status: OrderStatusName): Timestamp | undefined {
  const entry = order.history.findLast((change) => change.to === status);
  return entry === undefined ? undefined : timestamp(entry.at);
}

/** Lines grouped by tax rate: net and tax per rate, ascending. */
function taxBreakdown(order: OrderView) {
  const byRate = new Map<number, { taxable: number; tax: number }>();
  for (const line of order.lines) {
    const sum = byRate.get(line.taxRateBps) ?? { taxable: 0, tax: 0 };
    byRate.set(line.taxRateBps, { taxable: sum.taxable + line.subtotal, tax: sum.tax + line.tax });
  }
  return [...byRate.entries()]
    .sort(([a], [b]) => a - b)
    .map(([rateBps, sum]) => ({
      rateBps,
      taxable: toMoney(sum.taxable, order.currency),
      tax: toMoney(sum.tax, order.currency),
    }));
}

/**
 * The order's customer, deleted or not: deleting a customer keeps their orders, and an invoice of
 * such an order still names who it is for.
 */
async function customerOf(db: Database, ctx: RequestContext, id: string) {
  const [row] = await executor(db)
    .select()
    .from(customers)
    .where(and(eq(customers.tenantId, ctx.tenantId), eq(customers.id, id)));
  return row;
}

/** The order as the contract carries it (every amount as Money in the order's currency). */
function toOrderMessage(
  order: OrderView,
  customer: { name: string; email: string; phone: string | null } | undefined,
) {
  const money = (amount: number) => toMoney(amount, order.currency);
  const confirmedAt = enteredAt(order, 'confirmed');
  const cancelledAt = enteredAt(order, 'cancelled');
  return {
    id: order.id,
    number: order.number,
    status: STATUSES[order.status],
    // As the contract names failures: the failed status, or for plain `failed` its reason (`interrupted`…).
    ...(order.failure === null
      ? {}
      : { failureReason: order.status === 'failed' ? order.failure.reason : order.status }),
    ...(order.paymentId === null ? {} : { paymentId: order.paymentId }),
    currency: order.currency,
    customer: {
      id: order.customerId,
      name: customer?.name ?? '',
      email: customer?.email ?? '',
      ...(customer?.phone == null ? {} : { phone: customer.phone }),
    },
    lines: order.lines.map((line) => ({
      id: line.id,
      sku: line.sku,
      name: line.name,
      quantity: line.quantity,
      unitPrice: money(line.unitPrice),
      taxRateBps: line.taxRateBps,
      subtotal: money(line.subtotal),
      tax: money(line.tax),
      total: money(line.total),
    })),
    totals: {
      subtotal: money(order.totals.subtotal),
      tax: money(order.totals.tax),
      grandTotal: money(order.totals.grandTotal),
    },
    taxBreakdown: taxBreakdown(order),
    ...(order.notes === null ? {} : { notes: order.notes }),
    placedAt: timestamp(order.placedAt),
    updatedAt: timestamp(order.updatedAt),
    ...(confirmedAt === undefined ? {} : { confirmedAt }),
    ...(cancelledAt === undefined ? {} : { cancelledAt }),
  };
}

/** `OrdersService` served from the orders module: `GetOrder` needs `orders:read`. */
export function ordersRpc(deps: { db: Database; orders: OrdersService }): RpcService {
  return defineRpcService(OrdersRpcService, {
    getOrder: {
      permission: 'orders:read',
      handle: async (request, call) => {
        const order = await deps.orders.get(call.ctx, request.orderId);
        return { order: toOrderMessage(order, await customerOf(deps.db, call.ctx, order.customerId)) };
      },
    },
  });
}
