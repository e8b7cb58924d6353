// Order placement end to end through the gateway in embedded mode: every service in this process
// on PGlite and the in-process bus, mails to a real SMTP server (the distributed twin of this file
// is e2e/distributed/order-placement.test.ts).
import { passwordLogin, silentLogger, TestSmtpServer } from '@only/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  expectApprovedOrder,
  expectCancelledOrder,
  expectDeclinedOrder,
  openShop,
  type Shop,
} from '../../../e2e/support/order-placement.ts';
import { useAccessToken } from '../../../e2e/support/test-cluster.ts';
import { startEmbedded, type EmbeddedPlatform } from '../src/embedded.ts';

describe('order placement through the gateway (embedded mode)', () => {
  let smtp: TestSmtpServer;
  let platform: EmbeddedPlatform | undefined;
  let shop: Shop;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    // Embedded mode reads the notifications settings from the environment, as `only start` does.
    process.env.NOTIFICATIONS_SMTP_HOST = '127.0.0.1';
    process.env.NOTIFICATIONS_SMTP_PORT = String(smtp.port);
    process.env.NOTIFICATIONS_DISPATCH_INTERVAL_MS = '100';
    platform = await startEmbedded({
      dataDir: 'memory',
      port: 0,
      host: '127.0.0.1',
      seedDemoData: true,
      logger: silentLogger(),
    });
    const { url } = platform;
    useAccessToken(await passwordLogin(url));
    shop = await openShop(`${url}/api`, 10);
  });
  afterAll(async () => {
    await platform?.stop();
    await smtp.close();
  });

  it('pays, cancels and declines as a shop expects', async () => {
    const order = await expectApprovedOrder(shop, smtp);
    await expectDeclinedOrder(shop, order);
    await expectCancelledOrder(shop, order);
  });
});
