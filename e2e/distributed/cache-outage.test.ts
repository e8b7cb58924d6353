// Redis stopped: reads are still served; Redis started again: the cache is used again.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  aCustomer,
  call,
  infrastructureAvailable,
  orderBody,
  startTestCluster,
  type TestCluster,
} from '../support/test-cluster.ts';

describe.skipIf(!infrastructureAvailable)('the cache away', () => {
  let deployment: TestCluster;
  let api: string;

  beforeAll(async () => {
    deployment = await startTestCluster();
    api = `${deployment.url}/api`;
  });
  afterAll(async () => {
    await deployment.stop();
  });

  async function cachedOrderKeys(): Promise<string[]> {
    const client = new Redis(deployment.redis.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    try {
      return await client.keys(`${deployment.namespace}:*order*`);
    } finally {
      client.disconnect();
    }
  }

  it('serves reads without Redis, and uses Redis again once it is back', async () => {
    const customerId = await aCustomer(api);
    const order = await call<{ id: string }>(`${api}/orders/orders`, { body: orderBody(customerId) });
    await call(`${api}/orders/orders/${order.id}`);
    // The cache stores the value just after answering.
    await vi.waitFor(async () => {
      expect((await cachedOrderKeys()).some((key) => key.endsWith(order.id))).toBe(true);
    });

    await deployment.redis.kill();
    for (let i = 0; i < 10; i++) {
      const read = await call<{ id: string; status: string }>(`${api}/orders/orders/${order.id}`);
      expect(read.id).toBe(order.id);
    }
    // Writes go on too, and their reads are fresh.
    await call(`${api}/orders/orders/${order.id}/confirm`, { method: 'POST' });
    expect((await call<{ status: string }>(`${api}/orders/orders/${order.id}`)).status).toBe('confirmed');
    const second = await call<{ id: string }>(`${api}/orders/orders`, { body: orderBody(customerId) });

    await deployment.redis.start();
    await vi.waitFor(
      async () => {
        await call(`${api}/orders/orders/${second.id}`);
        expect((await cachedOrderKeys()).some((key) => key.endsWith(second.id))).toBe(true);
      },
      { timeout: 30_000, interval: 500 },
    );
    expect((await call<{ status: string }>(`${api}/orders/orders/${order.id}`)).status).toBe('confirmed');
  });
});
