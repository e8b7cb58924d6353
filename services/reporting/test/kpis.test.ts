// Key figures: orders per status now, live customers, and today's orders and gross sales.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerEvents, OrderEvents } from './support/events.ts';
import { startReportingApi, type ReportingApi } from './support/reporting-api.ts';

let api: ReportingApi;

beforeAll(async () => {
  api = await startReportingApi();
});

afterAll(async () => {
  await api.close();
});

const counts = (
  figures: Partial<Record<'pending' | 'confirmed' | 'fulfilled' | 'completed' | 'cancelled', number>>,
) => ({
  pending: 0,
  confirmed: 0,
  fulfilled: 0,
  completed: 0,
  cancelled: 0,
  ...figures,
});

describe('GET /reports/kpis', () => {
  it('is all zeros for a tenant without events', async () => {
    const t = api.newTenant();
    api.clock.set('2026-03-02T12:00:00.000Z');
    expect(await t.kpis()).toEqual({
      ordersByStatus: counts({}),
      customers: 0,
      today: { day: '2026-03-02', orders: 0, gross: [] },
    });
  });

  it('moves an order from status to status as it goes through its lifecycle', async () => {
    const t = api.newTenant();
    const order = new OrderEvents(t.tenantId);
    const other = new OrderEvents(t.tenantId);
    await api.publish(order.placed(), other.placed());
    expect((await t.kpis()).ordersByStatus).toEqual(counts({ pending: 2 }));

    await api.publish(order.moved('pending', 'confirmed'));
    expect((await t.kpis()).ordersByStatus).toEqual(counts({ pending: 1, confirmed: 1 }));

    await api.publish(order.moved('confirmed', 'fulfilled'));
    expect((await t.kpis()).ordersByStatus).toEqual(counts({ pending: 1, fulfilled: 1 }));

    await api.publish(order.moved('fulfilled', 'completed'), other.cancelled('2026-03-03T10:00:00.000Z'));
    expect((await t.kpis()).ordersByStatus).toEqual(counts({ completed: 1, cancelled: 1 }));
  });

  it('counts customers created minus deleted, and ignores updates', async () => {
    const t = api.newTenant();
    const [a, b, c] = [
      new CustomerEvents(t.tenantId),
      new CustomerEvents(t.tenantId),
      new CustomerEvents(t.tenantId),
    ];
    await api.publish(a.created(), b.created(), c.created(), b.updated());
    expect((await t.kpis()).customers).toBe(3);

    await api.publish(b.deleted());
    expect((await t.kpis()).customers).toBe(2);
  });

  it("sums today's orders over currencies and gives gross per currency, by the clock's UTC day", async () => {
    const t = api.newTenant();
    api.clock.set('2026-04-10T23:30:00.000Z');
    await api.publish(
      new OrderEvents(t.tenantId, {
        currency: 'USD',
        subtotal: 1000,
        tax: 80,
        placedAt: '2026-04-10T01:00:00.000Z',
      }).placed(),
      new OrderEvents(t.tenantId, {
        currency: 'EUR',
        subtotal: 2000,
        tax: 380,
        placedAt: '2026-04-10T02:00:00.000Z',
      }).placed(),
      new OrderEvents(t.tenantId, {
        currency: 'EUR',
        subtotal: 100,
        tax: 19,
        placedAt: '2026-04-10T23:00:00.000Z',
      }).placed(),
      new OrderEvents(t.tenantId, {
        currency: 'GBP',
        subtotal: 700,
        tax: 0,
        placedAt: '2026-04-09T12:00:00.000Z',
      }).placed(),
    );
    // A cancellation today of an order placed yesterday: no gross today in that currency.
    const yesterday = new OrderEvents(t.tenantId, { currency: 'CHF', placedAt: '2026-04-09T12:00:00.000Z' });
    await api.publish(yesterday.placed(), yesterday.cancelled('2026-04-10T09:00:00.000Z'));

    expect((await t.kpis()).today).toEqual({
      day: '2026-04-10',
      orders: 3,
      gross: [
        { currency: 'EUR', amount: 2380 + 119 },
        { currency: 'USD', amount: 1080 },
      ],
    });

    api.clock.set('2026-04-11T00:00:00.000Z');
    expect((await t.kpis()).today).toEqual({ day: '2026-04-11', orders: 0, gross: [] });
  });
});
