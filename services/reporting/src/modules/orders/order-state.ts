import { orderStatusSchema, type OrderStatus } from '@only/contracts/orders';
import { utcDay } from '../../utc-day.ts';

/** Every order status, in lifecycle order. */
export const ORDER_STATUSES: readonly OrderStatus[] = orderStatusSchema.options;

/**
 * How far along its lifecycle a status is. Orders only move forward (pending → confirmed →
 * fulfilled → completed, or → cancelled from pending or confirmed, and no order is both completed
 * and cancelled), so the furthest status seen is the current one, whatever order the events come
 * in. Should orders ever move backwards, events will need a per-order sequence to order by.
 */
const RANK: Readonly<Record<OrderStatus, number>> = {
  pending: 0,
  confirmed: 1,
  fulfilled: 2,
  completed: 3,
  cancelled: 4,
};

/** What reporting knows of one order (see the `order_states` table). */
export interface OrderState {
  readonly status: OrderStatus;
  readonly currency: string | null;
  readonly grandTotal: number | null;
  readonly taxTotal: number | null;
  /** Set once the placement counted in daily sales. */
  readonly placedAt: Date | null;
  /** Set once the cancellation counted in daily sales. */
  readonly cancelledAt: Date | null;
}

/** An order's amounts as placed and cancelled events carry them, in minor units. */
export interface OrderAmounts {
  readonly currency: string;
  readonly grandTotal: number;
  readonly tax: number;
}

/** What one event tells about an order. */
export type OrderFact =
  | {
      readonly kind: 'placed';
      readonly status: OrderStatus;
      readonly at: Date;
      readonly amounts: OrderAmounts;
    }
  | { readonly kind: 'status_changed'; readonly status: OrderStatus }
  | { readonly kind: 'cancelled'; readonly at: Date; readonly amounts: OrderAmounts };

/** A contribution to one row of daily sales. */
export interface SalesDelta {
  readonly day: string;
  readonly currency: string;
  readonly ordersPlaced: number;
  readonly grossSales: number;
  readonly tax: number;
  readonly cancelledOrders: number;
  readonly cancelledAmount: number;
}

/** What applying a fact changes: the new state, a status move, and a sales contribution. */
export interface OrderChange {
  /** The state to store; `undefined` when nothing changed. */
  readonly next: OrderState | undefined;
  /** The status count to take one from (none for an order seen for the first time) and the one to add one to. */
  readonly statusMove: { readonly from: OrderStatus | undefined; readonly to: OrderStatus } | undefined;
  readonly sales: SalesDelta | undefined;
}

const NO_CHANGE: OrderChange = { next: undefined, statusMove: undefined, sales: undefined };

function furthest(current: OrderStatus | undefined, seen: OrderStatus): OrderStatus {
  return current === undefined || RANK[seen] > RANK[current] ? seen : current;
}

function factStatus(fact: OrderFact): OrderStatus {
  return fact.kind === 'cancelled' ? 'cancelled' : fact.status;
}

/**
 * Applies one fact to what is known of an order (`undefined`: nothing yet). The result depends
 * only on the set of facts applied, not on their order, and applying a fact twice changes
 * nothing: a placement or a cancellation counts in daily sales only the first time it is seen,
 * and the status only moves forward.
 */
export function applyOrderFact(current: OrderState | undefined, fact: OrderFact): OrderChange {
  const status = furthest(current?.status, factStatus(fact));
  const amounts = fact.kind === 'status_changed' ? undefined : fact.amounts;
  let sales: SalesDelta | undefined;
  let placedAt = current?.placedAt ?? null;
  let cancelledAt = current?.cancelledAt ?? null;
  if (fact.kind === 'placed' && placedAt === null) {
    placedAt = fact.at;
    sales = {
      day: utcDay(fact.at),
      currency: fact.amounts.currency,
      ordersPlaced: 1,
      grossSales: fact.amounts.grandTotal,
      tax: fact.amounts.tax,
      cancelledOrders: 0,
      cancelledAmount: 0,
    };
  }
  if (fact.kind === 'cancelled' && cancelledAt === null) {
    cancelledAt = fact.at;
    // The day of cancellation, whatever the day of placement: net sales of past days stay put.
    sales = {
      day: utcDay(fact.at),
      currency: fact.amounts.currency,
      ordersPlaced: 0,
      grossSales: 0,
      tax: 0,
      cancelledOrders: 1,
      cancelledAmount: fact.amounts.grandTotal,
    };
  }
  const next: OrderState = {
    status,
    currency: current?.currency ?? amounts?.currency ?? null,
    grandTotal: current?.grandTotal ?? amounts?.grandTotal ?? null,
    taxTotal: current?.taxTotal ?? amounts?.tax ?? null,
    placedAt,
    cancelledAt,
  };
  const statusMove = status === current?.status ? undefined : { from: current?.status, to: status };
  if (current !== undefined && statusMove === undefined && sales === undefined && sameState(current, next)) {
    return NO_CHANGE;
  }
  return { next, statusMove, sales };
}

function sameState(a: OrderState, b: OrderState): boolean {
  return (
    a.status === b.status &&
    a.currency === b.currency &&
    a.grandTotal === b.grandTotal &&
    a.taxTotal === b.taxTotal &&
    a.placedAt?.getTime() === b.placedAt?.getTime() &&
    a.cancelledAt?.getTime() === b.cancelledAt?.getTime()
  );
}
