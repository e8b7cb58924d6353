// Two replicas of orders, both serving and both relaying: no event lost, and duplicates (if any)
// absorbed by the consumers' inbox.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  aCustomer,
  call,
  inParallel,
  infrastructureAvailable,
  orderBody,
  reportedOrders,
  startTestCluster,
  type TestCluster,
} from '../support/test-cluster.ts';

const ORDERS = 300;

/** A counter's total over every label set, from a Prometheus text page. */
function counterTotal(metrics: string, name: string, labelFilter = ''): number {
  return metrics
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) && line.includes(labelFilter))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe.skipIf(!infrastructureAvailable)('two replicas of orders', () => {
  let deployment: TestCluster;
  let api: string;

  beforeAll(async () => {
    deployment = await startTestCluster({ replicas: { orders: 2 } });
    api = `${deployment.url}/api`;
  });
  afterAll(async () => {
    await deployment.stop();
  });

  it('share the requests and the relaying, and every event takes effect once', async () => {
    const customerId = await aCustomer(api);
    await inParallel(
      Array.from({ length: ORDERS }, (_, i) => i),
      16,
      async () => {
        await call(`${api}/orders/orders`, { body: orderBody(customerId) });
      },
    );
    await vi.waitFor(
      async () => {
        expect(await reportedOrders(api)).toBe(ORDERS);
      },
      { timeout: 60_000, interval: 500 },
    );

    const replicas = deployment.cluster.serviceUrls.orders ?? [];
    expect(replicas).toHaveLength(2);
    let published = 0;
    for (const url of replicas) {
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(
        counterTotal(metrics, 'http_requests_total', 'route="/orders",status_code="201"'),
      ).toBeGreaterThan(0);
      const relayed = counterTotal(metrics, 'only_outbox_published_total');
      expect(relayed).toBeGreaterThan(0);
      published += relayed;
    }
    // Every outbox row published (at least) once, none left behind.
    const [outbox] = await deployment.query<{ total: number; pending: number }>(
      sql`select count(*)::int as total, count(*) filter (where published_at is null)::int as pending from orders.outbox`,
    );
    expect(outbox?.pending).toBe(0);
    expect(published).toBeGreaterThanOrEqual(outbox?.total ?? 0);
    const [inbox] = await deployment.query<{ count: number }>(
      sql`select count(*)::int as count from reporting.processed_messages where type = 'orders.order.placed'`,
    );
    expect(inbox?.count).toBe(ORDERS);
  });
});
