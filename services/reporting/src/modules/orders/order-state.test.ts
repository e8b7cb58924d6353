import type { OrderStatus } from '@only/contracts/orders';
import { describe, expect, it } from 'vitest';
import { applyOrderFact, type OrderFact, type OrderState, type SalesDelta } from './order-state.ts';

const amounts = { currency: 'EUR', grandTotal: 6450, tax: 640 };
const placedAt = new Date('2026-03-01T23:30:00Z');
const placed: OrderFact = { kind: 'placed', status: 'pending', at: placedAt, amounts };
const to = (status: OrderStatus): OrderFact => ({ kind: 'status_changed', status });
const cancelled: OrderFact = { kind: 'cancelled', at: new Date('2026-03-02T00:15:00Z'), amounts };

/** What a sequence of facts does to one order: final state, status counts and sales per day. */
function replay(facts: readonly OrderFact[]) {
  let state: OrderState | undefined;
  const counts: Partial<Record<OrderStatus, number>> = {};
  const sales: Record<string, Omit<SalesDelta, 'day' | 'currency'>> = {};
  for (const fact of facts) {
    const change = applyOrderFact(state, fact);
    if (change.next) state = change.next;
    if (change.statusMove) {
      const { from, to: target } = change.statusMove;
      if (from) counts[from] = (counts[from] ?? 0) - 1;
      counts[target] = (counts[target] ?? 0) + 1;
    }
    if (change.sales) {
      const { day, currency, ...delta } = change.sales;
      const key = `${day} ${currency}`;
      const sum = sales[key] ?? {
        ordersPlaced: 0,
        grossSales: 0,
        tax: 0,
        cancelledOrders: 0,
        cancelledAmount: 0,
      };
      sales[key] = {
        ordersPlaced: sum.ordersPlaced + delta.ordersPlaced,
        grossSales: sum.grossSales + delta.grossSales,
        tax: sum.tax + delta.tax,
        cancelledOrders: sum.cancelledOrders + delta.cancelledOrders,
        cancelledAmount: sum.cancelledAmount + delta.cancelledAmount,
      };
    }
  }
  return { state, counts: Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== 0)), sales };
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('applyOrderFact', () => {
  it('counts a placement on its UTC day, with the amounts of the event', () => {
    const change = applyOrderFact(undefined, placed);
    expect(change.statusMove).toEqual({ from: undefined, to: 'pending' });
    expect(change.sales).toEqual({
      day: '2026-03-01',
      currency: 'EUR',
      ordersPlaced: 1,
      grossSales: 6450,
      tax: 640,
      cancelledOrders: 0,
      cancelledAmount: 0,
    });
  });

  it('counts a cancellation on the day it happened', () => {
    const change = applyOrderFact(applyOrderFact(undefined, placed).next, cancelled);
    expect(change.statusMove).toEqual({ from: 'pending', to: 'cancelled' });
    expect(change.sales).toMatchObject({ day: '2026-03-02', cancelledOrders: 1, cancelledAmount: 6450 });
  });

  it('changes nothing when a fact is applied again', () => {
    for (const facts of [[placed], [placed, to('confirmed')], [placed, cancelled], [to('fulfilled')]]) {
      const { state } = replay(facts);
      for (const fact of facts) {
        expect(applyOrderFact(state, fact)).toEqual({
          next: undefined,
          statusMove: undefined,
          sales: undefined,
        });
      }
    }
  });

  it('never moves a status backwards', () => {
    const { state } = replay([to('fulfilled')]);
    expect(applyOrderFact(state, to('confirmed')).statusMove).toBeUndefined();
    expect(applyOrderFact(state, placed).statusMove).toBeUndefined();
    expect(applyOrderFact(state, placed).next?.status).toBe('fulfilled');
  });

  it.each([
    ['completed', [placed, to('confirmed'), to('fulfilled'), to('completed')]],
    ['cancelled while pending', [placed, cancelled]],
    ['cancelled once confirmed', [placed, to('confirmed'), cancelled]],
  ] as const)(
    'converges to the same result in every order of delivery, with duplicates (%s)',
    (_name, facts) => {
      const expected = replay(facts);
      for (const order of permutations(facts)) {
        expect(replay([...order, ...order.slice(0, 2)])).toEqual(expected);
      }
      // The order counts once, in its last status.
      expect(Object.values(expected.counts)).toEqual([1]);
      expect(expected.state?.placedAt).toEqual(placedAt);
    },
  );
});
