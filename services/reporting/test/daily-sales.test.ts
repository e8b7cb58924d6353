// Daily sales from order events: placements on the UTC day of placement, cancellations on the day
// of cancellation, one row per currency, and only the caller's tenant.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderEvents } from './support/events.ts';
import { salesItem } from './support/expectations.ts';
import { startReportingApi, type ReportingApi } from './support/reporting-api.ts';

let api: ReportingApi;

beforeAll(async () => {
  api = await startReportingApi();
});

afterAll(async () => {
  await api.close();
});

describe('GET /reports/daily-sales', () => {
  it('sums the orders placed on a day: count, gross (grand totals) and tax', async () => {
    const t = api.newTenant();
    const a = new OrderEvents(t.tenantId, { subtotal: 5810, tax: 640, placedAt: '2026-03-02T08:00:00.000Z' });
    const b = new OrderEvents(t.tenantId, { subtotal: 1000, tax: 190, placedAt: '2026-03-02T17:45:00.000Z' });

    await api.publish(a.placed(), b.placed());

    expect(await t.dailySales('2026-03-01', '2026-03-31')).toEqual({
      from: '2026-03-01',
      to: '2026-03-31',
      currency: null,
      items: [salesItem('2026-03-02', 'EUR', { ordersPlaced: 2, grossSales: 7640, tax: 830 })],
    });
  });

  it('counts a cancellation on the day it happened, and net is gross minus cancelled', async () => {
    const t = api.newTenant();
    const kept = new OrderEvents(t.tenantId, {
      subtotal: 2000,
      tax: 380,
      placedAt: '2026-03-02T09:00:00.000Z',
    });
    const sameDay = new OrderEvents(t.tenantId, {
      subtotal: 500,
      tax: 35,
      placedAt: '2026-03-02T10:00:00.000Z',
    });
    const nextDay = new OrderEvents(t.tenantId, {
      subtotal: 3000,
      tax: 570,
      placedAt: '2026-03-02T11:00:00.000Z',
    });

    await api.publish(
      kept.placed(),
      sameDay.placed(),
      nextDay.placed(),
      sameDay.cancelled('2026-03-02T10:30:00.000Z'),
      nextDay.moved('pending', 'confirmed'),
      nextDay.cancelled('2026-03-03T08:00:00.000Z', 'confirmed'),
    );

    expect(await t.salesItems('2026-03-01', '2026-03-04')).toEqual([
      salesItem('2026-03-02', 'EUR', {
        ordersPlaced: 3,
        grossSales: 2380 + 535 + 3570,
        tax: 380 + 35 + 570,
        cancelledOrders: 1,
        cancelledAmount: 535,
      }),
      // Only a cancellation that day: the net is negative, the day of placement keeps its sales.
      salesItem('2026-03-03', 'EUR', { cancelledOrders: 1, cancelledAmount: 3570 }),
    ]);
    expect((await t.salesItems('2026-03-03', '2026-03-03'))[0]?.netSales).toBe(-3570);
  });

  it('keeps one row per currency, sorted by day then currency, and filters by currency', async () => {
    const t = api.newTenant();
    const orders = [
      new OrderEvents(t.tenantId, {
        currency: 'USD',
        subtotal: 1000,
        tax: 0,
        placedAt: '2026-03-05T12:00:00.000Z',
      }),
      new OrderEvents(t.tenantId, {
        currency: 'EUR',
        subtotal: 2000,
        tax: 100,
        placedAt: '2026-03-05T13:00:00.000Z',
      }),
      new OrderEvents(t.tenantId, {
        currency: 'JPY',
        subtotal: 1500,
        tax: 150,
        placedAt: '2026-03-04T01:00:00.000Z',
      }),
      new OrderEvents(t.tenantId, {
        currency: 'EUR',
        subtotal: 300,
        tax: 57,
        placedAt: '2026-03-04T02:00:00.000Z',
      }),
      new OrderEvents(t.tenantId, {
        currency: 'USD',
        subtotal: 999,
        tax: 1,
        placedAt: '2026-03-05T23:59:59.999Z',
      }),
    ];

    await api.publish(...orders.map((o) => o.placed()));

    expect(await t.salesItems('2026-03-01', '2026-03-31')).toEqual([
      salesItem('2026-03-04', 'EUR', { ordersPlaced: 1, grossSales: 357, tax: 57 }),
      salesItem('2026-03-04', 'JPY', { ordersPlaced: 1, grossSales: 1650, tax: 150 }),
      salesItem('2026-03-05', 'EUR', { ordersPlaced: 1, grossSales: 2100, tax: 100 }),
      salesItem('2026-03-05', 'USD', { ordersPlaced: 2, grossSales: 2000, tax: 1 }),
    ]);
    const usd = await t.dailySales('2026-03-01', '2026-03-31', 'USD');
    expect(usd.currency).toBe('USD');
    expect(usd.items).toEqual([
      salesItem('2026-03-05', 'USD', { ordersPlaced: 2, grossSales: 2000, tax: 1 }),
    ]);
  });

  it('uses the UTC date of placedAt, and includes both ends of the range', async () => {
    const t = api.newTenant();
    const lateEvening = new OrderEvents(t.tenantId, { placedAt: '2026-03-09T23:59:59.999Z' });
    const midnight = new OrderEvents(t.tenantId, { placedAt: '2026-03-10T00:00:00.000Z' });
    const after = new OrderEvents(t.tenantId, { placedAt: '2026-03-11T00:00:00.000Z' });

    await api.publish(lateEvening.placed(), midnight.placed(), after.placed());

    expect((await t.salesItems('2026-03-09', '2026-03-10')).map((i) => [i.day, i.ordersPlaced])).toEqual([
      ['2026-03-09', 1],
      ['2026-03-10', 1],
    ]);
    expect((await t.salesItems('2026-03-10', '2026-03-10')).map((i) => i.day)).toEqual(['2026-03-10']);
    expect(await t.salesItems('2026-02-01', '2026-02-28')).toEqual([]);
  });

  it('shows a tenant nothing of another tenant', async () => {
    const a = api.newTenant();
    const b = api.newTenant();
    const order = new OrderEvents(a.tenantId, { placedAt: '2026-03-02T10:00:00.000Z' });
    await api.publish(order.placed(), order.cancelled('2026-03-02T11:00:00.000Z'));
    // Tenant B has sales of its own, so that an empty answer is not empty by accident.
    await api.publish(
      new OrderEvents(b.tenantId, { currency: 'USD', placedAt: '2026-03-02T10:00:00.000Z' }).placed(),
    );

    expect((await b.salesItems('2026-03-01', '2026-03-31')).map((i) => i.currency)).toEqual(['USD']);
    expect((await a.salesItems('2026-03-01', '2026-03-31')).map((i) => i.currency)).toEqual(['EUR']);
    expect((await b.kpis()).ordersByStatus).toEqual({
      pending: 1,
      confirmed: 0,
      fulfilled: 0,
      completed: 0,
      cancelled: 0,
    });
  });
});
