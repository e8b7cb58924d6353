// An order placed through the gateway has its event's effect exactly once at each consumer.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  aCustomer,
  call,
  infrastructureAvailable,
  orderBody,
  reportedOrders,
  startTestCluster,
  type TestCluster,
} from '../support/test-cluster.ts';

describe.skipIf(!infrastructureAvailable)('one order through the distributed platform', () => {
  let deployment: TestCluster;
  let api: string;

  beforeAll(async () => {
    deployment = await startTestCluster();
    api = `${deployment.url}/api`;
  });
  afterAll(async () => {
    await deployment.stop();
  });

  it('is placed through the gateway, published once, and counted once by reporting', async () => {
    const customerId = await aCustomer(api);
    const order = await call<{ id: string; totals: { grandTotal: number } }>(`${api}/orders/orders`, {
      body: orderBody(customerId),
      headers: { 'idempotency-key': `e2e-${customerId}` },
    });

    await vi.waitFor(
      async () => {
        expect(await reportedOrders(api)).toBe(1);
      },
      { timeout: 15_000 },
    );
    // Give a duplicate every chance to arrive before looking again.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await reportedOrders(api)).toBe(1);

    const [placed] = await deployment.query<{ id: string; published: boolean }>(
      sql`select id::text, published_at is not null as published from orders.outbox where type = 'orders.order.placed' and aggregate_id = ${order.id}`,
    );
    expect(placed?.published).toBe(true);
    const processed = await deployment.query<{ count: number }>(
      sql`select count(*)::int as count from reporting.processed_messages where message_id::text = ${placed?.id ?? ''}`,
    );
    expect(processed).toEqual([{ count: 1 }]);

    const today = new Date().toISOString().slice(0, 10);
    const sales = await call<{ items: { ordersPlaced: number; grossSales: number }[] }>(
      `${api}/reporting/reports/daily-sales?from=${today}&to=${today}&currency=EUR`,
    );
    expect(sales.items).toMatchObject([{ ordersPlaced: 1, grossSales: order.totals.grandTotal }]);
  });

  it('answers ready only with its database, broker and services up', async () => {
    const ready = await call<{ status: string; checks: Record<string, { status: string }> }>(
      `${deployment.url}/health/ready`,
    );
    expect(ready.status).toBe('ready');
    for (const urls of Object.values(deployment.cluster.serviceUrls)) {
      const service = await call<{ checks: Record<string, { status: string }> }>(
        `${urls[0] ?? ''}/health/ready`,
      );
      expect(Object.values(service.checks).every((check) => check.status === 'up')).toBe(true);
    }
  });
});
