// RabbitMQ stopped for 10 s while orders keep being placed: no request fails because of it, no
// event is lost, all are delivered once it is back.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  aCustomer,
  authorization,
  infrastructureAvailable,
  orderBody,
  reportedOrders,
  startTestCluster,
  type TestCluster,
} from '../support/test-cluster.ts';

const run = promisify(execFile);

async function rabbitmqctl(...args: string[]): Promise<void> {
  await run('rabbitmqctl', ['-q', ...args], { timeout: 120_000 });
}

describe.skipIf(!infrastructureAvailable)('the broker away for 10 seconds', () => {
  let deployment: TestCluster;
  let api: string;

  beforeAll(async () => {
    deployment = await startTestCluster();
    api = `${deployment.url}/api`;
  });
  afterAll(async () => {
    // Whatever happened, leave the broker running for the next suite.
    await rabbitmqctl('start_app').catch(() => undefined);
    await deployment.stop();
  });

  it('loses no request and no event', async () => {
    const customerId = await aCustomer(api);
    const statuses: number[] = [];
    const stopPlacing = new AbortController();
    const placer = (async () => {
      while (!stopPlacing.signal.aborted) {
        const response = await fetch(`${api}/orders/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...authorization() },
          body: JSON.stringify(orderBody(customerId)),
        });
        await response.body?.cancel();
        statuses.push(response.status);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();

    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await rabbitmqctl('stop_app');
    const stoppedAt = Date.now();
    const placedBeforeStop = statuses.length;
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const placedDuringOutage = statuses.length - placedBeforeStop;
    await rabbitmqctl('start_app');
    const outageMs = Date.now() - stoppedAt;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    stopPlacing.abort();
    await placer;

    expect(outageMs).toBeGreaterThanOrEqual(10_000);
    expect(placedDuringOutage).toBeGreaterThan(20);
    expect(
      statuses.filter((status) => status !== 201),
      deployment.logs(),
    ).toEqual([]);
    await vi.waitFor(
      async () => {
        expect(await reportedOrders(api)).toBe(statuses.length);
      },
      { timeout: 90_000, interval: 500 },
    );
  });
});
