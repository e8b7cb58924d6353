// One notifications API per test file: the standalone app on a throw-away database (PGlite in
// memory, or a fresh PostgreSQL database when DATABASE_URL is set), an in-memory bus it consumes
// from, a manual clock, a real SMTP server and a stand-in SMS provider. The dispatcher is not
// started: tests send what is due by calling it, at the clock's time.
import type { EventEnvelope } from '@only/contracts/envelope';
import { InMemoryBus } from '@only/platform/bus';
import type { Database } from '@only/platform/db';
import type { HttpApp } from '@only/platform/http';
import type { Logger } from '@only/platform/log';
import { createTestDatabase, ManualClock, silentLogger, TestIssuer } from '@only/testing';
import { buildApp } from '../../src/app.ts';
import { NOTIFICATIONS_CONSUMER } from '../../src/events/subscriptions.ts';
import type { NotificationsModule, NotificationsSettings } from '../../src/notifications-module.ts';
import { TestSmsProvider } from './sms-provider.ts';
import { TestSmtpServer } from '@only/testing';
import { TenantClient } from './tenant-client.ts';

export const SMTP_LOGIN = { user: 'only-mailer', password: 'smtp-pa55word-never-logged' };
export const SMS_API_KEY = 'sms-api-key-never-logged-0123456789';
export const APP_URL = 'https://shop.example.com';

/** What a test file gets from {@link startNotificationsApi}. */
export interface NotificationsApi {
  readonly app: HttpApp;
  readonly module: NotificationsModule;
  readonly db: Database;
  readonly bus: InMemoryBus;
  readonly clock: ManualClock;
  readonly smtp: TestSmtpServer;
  readonly sms: TestSmsProvider;
  readonly issuer: TestIssuer;
  /** Publishes the events (in this order) and waits until every one was handled. */
  publish(...events: EventEnvelope[]): Promise<void>;
  /** Publishes what the outbox holds (live-stream announcements) and waits for the bus. */
  settle(): Promise<void>;
  /** Sends every delivery due at the clock's time; returns how many were attempted. */
  dispatch(): Promise<number>;
  /** A client of the tenant of `tenantId`, acting as user `userId` (owner by default). */
  client(tenantId: string, userId: string, roles?: readonly string[]): TenantClient;
  close(): Promise<void>;
}

export async function startNotificationsApi(
  options: { logger?: Logger; settings?: NotificationsSettings } = {},
): Promise<NotificationsApi> {
  const logger = options.logger ?? silentLogger();
  const testDb = await createTestDatabase();
  const bus = new InMemoryBus({ logger, retry: { delaysMs: [10, 50] } });
  const clock = new ManualClock('2026-01-15T10:00:00.000Z');
  const smtp = await TestSmtpServer.start(SMTP_LOGIN);
  const sms = await TestSmsProvider.start();
  const issuer = await TestIssuer.create();
  const db = testDb.handle.db;
  const { app, module } = await buildApp(
    {
      db,
      pingDatabase: testDb.handle.ping,
      bus,
      logger,
      clock,
      appUrl: APP_URL,
      email: {
        kind: 'smtp',
        from: 'Only <no-reply@only.test>',
        smtp: { host: '127.0.0.1', port: smtp.port, secure: false, ...SMTP_LOGIN, timeoutMs: 5_000 },
      },
      sms: { url: sms.url, apiKey: SMS_API_KEY, sender: 'ONLY' },
      retry: { maxAttempts: 4, baseDelayMs: 60_000, maxDelayMs: 10 * 60_000 },
      streamHeartbeatMs: 1_000,
      ...options.settings,
    },
    issuer.verifier(),
  );
  await testDb.handle.migrate(module.migrations);
  await module.subscribe?.();
  // The relay runs (live streams get their announcements); the dispatcher does not (see dispatch).
  module.kernel.start();
  await app.ready();

  const settle = async () => {
    await module.kernel.relay.flush();
    await bus.drain();
    const dead = bus.deadLetters(NOTIFICATIONS_CONSUMER);
    if (dead.length > 0) throw new Error(`dead-lettered: ${dead.map((d) => d.error).join('; ')}`);
  };

  const api: NotificationsApi = {
    app,
    module,
    db,
    bus,
    clock,
    smtp,
    sms,
    issuer,
    async publish(...events) {
      for (const event of events) await bus.publish(event);
      await bus.drain();
      await settle();
    },
    settle,
    dispatch: () => module.dispatcher.drain(),
    client: (tenantId, userId, roles) => new TenantClient(api, tenantId, userId, roles),
    async close() {
      await app.close();
      await module.stop();
      await bus.close();
      await testDb.close();
      await smtp.close();
      await sms.close();
    },
  };
  return api;
}
