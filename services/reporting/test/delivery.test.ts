// At-least-once delivery, exactly-once effect: a redelivered event counts once, events about one
// order or customer may arrive in any order and the read models converge, and none of this
// depends on events being handled one at a time.
import type { EventEnvelope } from '@only/contracts/envelope';
import { inTransaction } from '@only/platform/db';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processedMessages } from '../src/db/schema.ts';
import { REPORTING_CONSUMER } from '../src/events/subscriptions.ts';
import { CustomerEvents, OrderEvents } from './support/events.ts';
import { salesItem } from './support/expectations.ts';
import { startReportingApi, type ReportingApi } from './support/reporting-api.ts';
import type { TenantClient } from './support/tenant-client.ts';

let api: ReportingApi;

beforeAll(async () => {
  api = await startReportingApi();
});

afterAll(async () => {
  await api.close();
});

const NO_ORDERS = { pending: 0, confirmed: 0, fulfilled: 0, completed: 0, cancelled: 0 };

/** Everything the reports show a tenant, to compare two histories in one assertion. */
async function snapshot(t: TenantClient) {
  const kpis = await t.kpis();
  return {
    sales: await t.salesItems('2026-01-01', '2026-12-31'),
    ordersByStatus: kpis.ordersByStatus,
    customers: kpis.customers,
  };
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  // A small deterministic generator: the same "random" order on every run.
  let state = seed;
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('the same event delivered twice', () => {
  it('counts once, whether redelivered at once or later', async () => {
    const t = api.newTenant();
    const order = new OrderEvents(t.tenantId, { placedAt: '2026-03-02T10:00:00.000Z' });
    const customer = new CustomerEvents(t.tenantId);
    const placed = order.placed();
    const confirmed = order.moved('pending', 'confirmed');
    const cancelled = order.cancelled('2026-03-03T10:00:00.000Z', 'confirmed');
    const created = customer.created();

    await api.publish(placed, placed, created, created, confirmed);
    await api.publish(confirmed, placed, created, cancelled, cancelled);
    await api.publish(cancelled, confirmed);

    expect(await snapshot(t)).toEqual({
      sales: [
        salesItem('2026-03-02', 'EUR', { ordersPlaced: 1, grossSales: 6450, tax: 640 }),
        salesItem('2026-03-03', 'EUR', { cancelledOrders: 1, cancelledAmount: 6450 }),
      ],
      ordersByStatus: { ...NO_ORDERS, cancelled: 1 },
      customers: 1,
    });
  });

  it('still counts once as another event with the same content (e.g. replayed after the inbox forgot it)', async () => {
    const t = api.newTenant();
    const order = new OrderEvents(t.tenantId, { placedAt: '2026-03-02T10:00:00.000Z' });
    const customer = new CustomerEvents(t.tenantId);

    // Each call builds a new envelope id, so the inbox cannot dedupe these: the model must.
    await api.publish(order.placed(), order.placed(), order.moved('pending', 'confirmed'));
    await api.publish(
      order.moved('pending', 'confirmed'),
      order.cancelled('2026-03-02T11:00:00.000Z', 'confirmed'),
    );
    await api.publish(order.cancelled('2026-03-02T11:00:00.000Z', 'confirmed'));
    await api.publish(customer.created(), customer.created(), customer.deleted(), customer.deleted());

    expect(await snapshot(t)).toEqual({
      sales: [
        salesItem('2026-03-02', 'EUR', {
          ordersPlaced: 1,
          grossSales: 6450,
          tax: 640,
          cancelledOrders: 1,
          cancelledAmount: 6450,
        }),
      ],
      ordersByStatus: { ...NO_ORDERS, cancelled: 1 },
      customers: 0,
    });
  });
});

describe('where events are published from', () => {
  it('handles an event published inside a transaction, as the outbox relay publishes', async () => {
    const t = api.newTenant();
    const order = new OrderEvents(t.tenantId, { placedAt: '2026-03-02T10:00:00.000Z' });

    await inTransaction(api.db, () => api.bus.publish(order.placed()));
    await api.settle();

    expect((await t.kpis()).ordersByStatus).toEqual({ ...NO_ORDERS, pending: 1 });
  });
});

describe('events out of order', () => {
  it('a status change before the placement counts the order once, in its later status', async () => {
    const t = api.newTenant();
    const order = new OrderEvents(t.tenantId, { placedAt: '2026-03-02T10:00:00.000Z' });

    await api.publish(order.moved('confirmed', 'fulfilled'));
    expect((await t.kpis()).ordersByStatus).toEqual({ ...NO_ORDERS, fulfilled: 1 });
    expect(await t.salesItems('2026-03-01', '2026-03-31')).toEqual([]);

    await api.publish(order.moved('pending', 'confirmed'), order.placed());

    expect(await snapshot(t)).toEqual({
      sales: [salesItem('2026-03-02', 'EUR', { ordersPlaced: 1, grossSales: 6450, tax: 640 })],
      ordersByStatus: { ...NO_ORDERS, fulfilled: 1 },
      customers: 0,
    });
  });

  it('a cancellation before the placement: counted once as cancelled, on its own day', async () => {
    const t = api.newTenant();
    const order = new OrderEvents(t.tenantId, { placedAt: '2026-03-02T10:00:00.000Z' });

    await api.publish(order.cancelled('2026-03-04T09:00:00.000Z'));
    expect(await snapshot(t)).toEqual({
      sales: [salesItem('2026-03-04', 'EUR', { cancelledOrders: 1, cancelledAmount: 6450 })],
      ordersByStatus: { ...NO_ORDERS, cancelled: 1 },
      customers: 0,
    });

    await api.publish(order.placed());
    expect(await snapshot(t)).toEqual({
      sales: [
        salesItem('2026-03-02', 'EUR', { ordersPlaced: 1, grossSales: 6450, tax: 640 }),
        salesItem('2026-03-04', 'EUR', { cancelledOrders: 1, cancelledAmount: 6450 }),
      ],
      ordersByStatus: { ...NO_ORDERS, cancelled: 1 },
      customers: 0,
    });
  });

  it('a customer deleted before created never counts, nor goes below zero', async () => {
    const t = api.newTenant();
    const customer = new CustomerEvents(t.tenantId);

    await api.publish(customer.deleted());
    expect((await t.kpis()).customers).toBe(0);
    await api.publish(customer.created());
    expect((await t.kpis()).customers).toBe(0);
  });

  it('every order of delivery of a lifecycle ends with the same reports', async () => {
    const tenants: TenantClient[] = [];
    const histories: EventEnvelope[][] = [];
    // Six orders of delivery of the same history, each in a tenant of its own.
    for (let seed = 1; seed <= 6; seed++) {
      const t = api.newTenant();
      const completed = new OrderEvents(t.tenantId, { placedAt: '2026-03-02T10:00:00.000Z' });
      const cancelled = new OrderEvents(t.tenantId, {
        currency: 'USD',
        placedAt: '2026-03-02T11:00:00.000Z',
      });
      const customer = new CustomerEvents(t.tenantId);
      const history = [
        completed.placed(),
        completed.moved('pending', 'confirmed'),
        completed.moved('confirmed', 'fulfilled'),
        completed.moved('fulfilled', 'completed'),
        cancelled.placed(),
        cancelled.moved('pending', 'confirmed'),
        cancelled.cancelled('2026-03-05T00:00:00.000Z', 'confirmed'),
        customer.created(),
        customer.deleted(),
      ];
      tenants.push(t);
      histories.push(seed === 1 ? history : shuffled(history, seed));
    }
    // One at a time, so that each tenant's events really are handled in the shuffled order.
    for (const history of histories) for (const event of history) await api.publish(event);

    const expected = {
      sales: [
        salesItem('2026-03-02', 'EUR', { ordersPlaced: 1, grossSales: 6450, tax: 640 }),
        salesItem('2026-03-02', 'USD', { ordersPlaced: 1, grossSales: 6450, tax: 640 }),
        salesItem('2026-03-05', 'USD', { cancelledOrders: 1, cancelledAmount: 6450 }),
      ],
      ordersByStatus: { ...NO_ORDERS, completed: 1, cancelled: 1 },
      customers: 0,
    };
    for (const t of tenants) expect(await snapshot(t)).toEqual(expected);
  });
});

describe('exactly once under concurrency', () => {
  it('200 events, then the same 200 again, concurrently: the totals of one delivery', async () => {
    const t = api.newTenant();
    const events: EventEnvelope[] = [];
    // 40 orders placed and confirmed (80); the odd ones cancelled (20), the even ones fulfilled
    // (20) and 5 of those completed; 50 customers created, 25 of them deleted.
    const orders = Array.from(
      { length: 40 },
      (_, i) =>
        new OrderEvents(t.tenantId, {
          currency: i % 4 === 0 ? 'USD' : 'EUR',
          subtotal: 1000 + i,
          tax: i,
          placedAt: `2026-05-${String(1 + (i % 3)).padStart(2, '0')}T12:00:00.000Z`,
        }),
    );
    for (const [i, order] of orders.entries()) {
      events.push(order.placed(), order.moved('pending', 'confirmed'));
      if (i % 2 === 1) events.push(order.cancelled('2026-05-10T08:00:00.000Z', 'confirmed'));
      else events.push(order.moved('confirmed', 'fulfilled'));
      if (i % 8 === 0) events.push(order.moved('fulfilled', 'completed'));
    }
    const customers = Array.from({ length: 50 }, () => new CustomerEvents(t.tenantId));
    for (const [i, customer] of customers.entries()) {
      events.push(customer.created());
      if (i % 2 === 0) events.push(customer.deleted());
    }
    expect(events).toHaveLength(200);

    // Not awaited one by one: the bus hands them to concurrent handlers, duplicates included.
    await Promise.all([...events, ...shuffled(events, 7)].map((event) => api.bus.publish(event)));
    await api.settle();

    const expectedDay = (day: number, currency: string) => {
      const placed = orders.filter((o, i) => 1 + (i % 3) === day && o.currency === currency);
      return salesItem(`2026-05-0${day}`, currency, {
        ordersPlaced: placed.length,
        grossSales: placed.reduce((sum, o) => sum + o.totals.grandTotal, 0),
        tax: placed.reduce((sum, o) => sum + o.totals.tax, 0),
      });
    };
    const cancelledOf = (currency: string) => orders.filter((o, i) => i % 2 === 1 && o.currency === currency);
    // Orders with i % 4 === 0 are USD and i is then even: no USD order is cancelled.
    expect(cancelledOf('USD')).toEqual([]);
    const eurCancelled = cancelledOf('EUR');
    expect(await snapshot(t)).toEqual({
      sales: [
        expectedDay(1, 'EUR'),
        expectedDay(1, 'USD'),
        expectedDay(2, 'EUR'),
        expectedDay(2, 'USD'),
        expectedDay(3, 'EUR'),
        expectedDay(3, 'USD'),
        salesItem('2026-05-10', 'EUR', {
          cancelledOrders: eurCancelled.length,
          cancelledAmount: eurCancelled.reduce((sum, o) => sum + o.totals.grandTotal, 0),
        }),
      ],
      ordersByStatus: { ...NO_ORDERS, fulfilled: 15, completed: 5, cancelled: 20 },
      customers: 25,
    });
    // One inbox row per distinct event: the duplicates were recognised as such.
    const ids = new Set(events.map((e) => e.id));
    const processed = await api.db.$count(
      processedMessages,
      and(eq(processedMessages.consumer, REPORTING_CONSUMER), inArray(processedMessages.messageId, [...ids])),
    );
    expect(processed).toBe(200);
  });
});

describe('what reporting does not understand', () => {
  it('an event version it does not know is retried, then dead-lettered, with no effect', async () => {
    const t = api.newTenant();
    const order = new OrderEvents(t.tenantId);
    const v2 = { ...order.placed(), version: 2 };

    await api.bus.publish(v2);
    await api.bus.drain();

    const dead = api.takeDeadLetters();
    expect(dead.map((d) => [d.event.id, d.attempts])).toEqual([[v2.id, 3]]);
    expect(dead[0]?.error).toMatch(/v1, not v2/);
    expect(await snapshot(t)).toEqual({ sales: [], ordersByStatus: NO_ORDERS, customers: 0 });
  });
});
