// kill -9 a consuming service in the middle of 1,000 events: after it is restarted, all 1,000 have
// had their effect exactly once.
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

const ORDERS = 1_000;

describe.skipIf(!infrastructureAvailable)('a consumer killed in the middle of 1,000 events', () => {
  let deployment: TestCluster;
  let api: string;

  beforeAll(async () => {
    deployment = await startTestCluster();
    api = `${deployment.url}/api`;
  });
  afterAll(async () => {
    await deployment.stop();
  });

  it('has every event take effect exactly once after its restart', async () => {
    const customerId = await aCustomer(api);
    const reporting = deployment.cluster.process('reporting');
    let killedAt: number | undefined;

    // Watch reporting's progress and kill it with SIGKILL once it is well into the stream.
    const watcher = (async () => {
      while (killedAt === undefined) {
        const counted = await reportedOrders(api).catch(() => 0);
        if (counted >= 150) {
          killedAt = counted;
          reporting.kill('SIGKILL');
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    await inParallel(
      Array.from({ length: ORDERS }, (_, i) => i),
      16,
      async () => {
        await call(`${api}/orders/orders`, { body: orderBody(customerId) });
      },
    );
    await watcher;
    expect(killedAt).toBeLessThan(ORDERS);

    await vi.waitFor(
      async () => {
        expect(await reportedOrders(api)).toBe(ORDERS);
      },
      { timeout: 90_000, interval: 500 },
    );
    expect(reporting.starts).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await reportedOrders(api)).toBe(ORDERS);
    const [inbox] = await deployment.query<{ count: number }>(
      sql`select count(*)::int as count from reporting.processed_messages where type = 'orders.order.placed'`,
    );
    expect(inbox?.count, deployment.logs()).toBe(ORDERS);
  });
});
