// The CSV export: the same report as the JSON one, byte for byte what a spreadsheet gets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderEvents } from './support/events.ts';
import { expectValidationProblem } from './support/expectations.ts';
import { startReportingApi, type ReportingApi } from './support/reporting-api.ts';

let api: ReportingApi;

beforeAll(async () => {
  api = await startReportingApi();
});

afterAll(async () => {
  await api.close();
});

const HEADER =
  'day,currency,orders_placed,gross_sales,tax,cancelled_orders,cancelled_amount,net_sales,gross_sales_minor,tax_minor,cancelled_amount_minor,net_sales_minor';

describe('GET /reports/daily-sales.csv', () => {
  it('is RFC 4180 CSV with a header, exact decimal amounts per currency and the minor units', async () => {
    const t = api.newTenant();
    const eur = new OrderEvents(t.tenantId, {
      currency: 'EUR',
      subtotal: 5810,
      tax: 640,
      placedAt: '2026-03-02T09:00:00.000Z',
    });
    const eurCancelled = new OrderEvents(t.tenantId, {
      currency: 'EUR',
      subtotal: 100,
      tax: 7,
      placedAt: '2026-03-02T10:00:00.000Z',
    });
    const jpy = new OrderEvents(t.tenantId, {
      currency: 'JPY',
      subtotal: 1500,
      tax: 150,
      placedAt: '2026-03-02T11:00:00.000Z',
    });
    const kwd = new OrderEvents(t.tenantId, {
      currency: 'KWD',
      subtotal: 12345,
      tax: 0,
      placedAt: '2026-03-03T11:00:00.000Z',
    });
    await api.publish(
      eur.placed(),
      eurCancelled.placed(),
      jpy.placed(),
      kwd.placed(),
      eurCancelled.cancelled('2026-03-02T12:00:00.000Z'),
      eur.cancelled('2026-03-04T08:00:00.000Z'),
    );

    const response = await t.get('/reports/daily-sales.csv', { from: '2026-03-01', to: '2026-03-31' });

    expect(response.status).toBe(200);
    expect(response.header('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(response.header('content-disposition')).toBe(
      'attachment; filename="daily-sales_2026-03-01_2026-03-31.csv"',
    );
    expect(response.text).toBe(
      [
        HEADER,
        '2026-03-02,EUR,2,65.57,6.47,1,1.07,64.50,6557,647,107,6450',
        '2026-03-02,JPY,1,1650,150,0,0,1650,1650,150,0,1650',
        '2026-03-03,KWD,1,12.345,0.000,0,0.000,12.345,12345,0,0,12345',
        '2026-03-04,EUR,0,0.00,0.00,1,64.50,-64.50,0,0,6450,-6450',
        '',
      ].join('\r\n'),
    );
  });

  it('filters by currency like the JSON report, and is only the header when there is nothing', async () => {
    const t = api.newTenant();
    await api.publish(
      new OrderEvents(t.tenantId, {
        currency: 'USD',
        subtotal: 1999,
        tax: 0,
        placedAt: '2026-03-02T09:00:00.000Z',
      }).placed(),
      new OrderEvents(t.tenantId, { currency: 'EUR', placedAt: '2026-03-02T09:00:00.000Z' }).placed(),
    );

    const usd = await t.get('/reports/daily-sales.csv', {
      from: '2026-03-02',
      to: '2026-03-02',
      currency: 'USD',
    });
    expect(usd.text).toBe(`${HEADER}\r\n2026-03-02,USD,1,19.99,0.00,0,0.00,19.99,1999,0,0,1999\r\n`);

    const none = await t.get('/reports/daily-sales.csv', { from: '2026-01-01', to: '2026-01-31' });
    expect(none.status).toBe(200);
    expect(none.text).toBe(`${HEADER}\r\n`);
  });

  it('rejects a bad query with the same problem as the JSON report', async () => {
    const t = api.newTenant();
    const response = await t.get('/reports/daily-sales.csv', { from: '2026-03-10', to: '2026-03-01' });
    expectValidationProblem(response, { field: 'to', in: 'query', rule: 'not_before_from' });
  });
});
