// Order placement end to end through the gateway in distributed mode: every service its own
// process on PostgreSQL and RabbitMQ, internal calls over gRPC, mails to a real SMTP server (the
// embedded twin of this file is apps/cli/test/order-placement.test.ts).
import { TestSmtpServer } from '@only/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  expectApprovedOrder,
  expectCancelledOrder,
  expectDeclinedOrder,
  openShop,
  type Shop,
} from '../support/order-placement.ts';
import { infrastructureAvailable, startTestCluster, type TestCluster } from '../support/test-cluster.ts';

describe.skipIf(!infrastructureAvailable)('order placement through the gateway (distributed mode)', () => {
  let smtp: TestSmtpServer;
  let deployment: TestCluster | undefined;
  let shop: Shop;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    deployment = await startTestCluster({
      env: {
        NOTIFICATIONS_SMTP_HOST: '127.0.0.1',
        NOTIFICATIONS_SMTP_PORT: String(smtp.port),
        NOTIFICATIONS_DISPATCH_INTERVAL_MS: '100',
      },
    });
    shop = await openShop(`${deployment.url}/api`, 10);
  });
  afterAll(async () => {
    await deployment?.stop();
    await smtp.close();
  });

  it('pays, cancels and declines as a shop expects', async () => {
    try {
      const order = await expectApprovedOrder(shop, smtp);
      await expectDeclinedOrder(shop, order);
      await expectCancelledOrder(shop, order);
    } catch (error) {
      // What the processes said is the first thing to read when this fails.
      process.stderr.write(`${deployment?.logs() ?? ''}\n`);
      throw error;
    }
  });
});
