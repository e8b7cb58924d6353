// One payments API per test file: the standalone app on a throw-away database (PGlite in memory,
// or a fresh PostgreSQL database when DATABASE_URL is set), an in-memory bus with an event
// recorder, and a manual clock. Tests isolate themselves by working in a fresh tenant.
import type { EventEnvelope } from '@only/contracts/envelope';
import { InMemoryBus } from '@only/platform/bus';
import type { Database } from '@only/platform/db';
import type { HttpApp } from '@only/platform/http';
import { newId } from '@only/platform/ids';
import type { Logger } from '@only/platform/log';
import { createTestDatabase, EventRecorder, ManualClock, silentLogger, TestIssuer } from '@only/testing';
import { buildApp } from '../../src/app.ts';
import type { PaymentsModule, PaymentsSettings } from '../../src/payments-module.ts';
import { TestPaymentProvider } from '../../src/modules/providers/test-provider.ts';
import { TenantClient, type ClientIdentity } from './tenant-client.ts';

/** What a test file gets from {@link startPaymentsApi}. */
export interface PaymentsApi {
  readonly app: HttpApp;
  readonly module: PaymentsModule;
  /** The drizzle database the app writes to, for asserting stored rows. */
  readonly db: Database;
  readonly dbKind: 'pglite' | 'postgres';
  readonly bus: InMemoryBus;
  readonly recorder: EventRecorder;
  readonly clock: ManualClock;
  /** The built-in test provider of this app: its calls and ledger. */
  readonly provider: TestPaymentProvider;
  /** Publishes every outbox row that is due and waits until the bus delivered it. */
  settle(): Promise<void>;
  /** Published events of one tenant, after {@link settle}. */
  eventsOf(tenantId: string, type?: string): Promise<EventEnvelope[]>;
  readonly issuer: TestIssuer;
  /** A client for a brand-new tenant, with tokens of the given roles (owner by default). */
  newTenant(identity?: ClientIdentity): TenantClient;
  close(): Promise<void>;
}

/** Short timeouts, so that the timeout card and webhook retries take no noticeable time. */
export const TEST_SETTINGS: PaymentsSettings = {
  providerTimeoutMs: 150,
  webhooks: { timeoutMs: 2_000, maxAttempts: 4, retryBaseMs: 10_000, retryMaxMs: 60_000, batchSize: 20 },
};

/** Starts the payments service for one test file; call `close` in `afterAll`. */
export async function startPaymentsApi(
  options: { clock?: ManualClock; settings?: PaymentsSettings; logger?: Logger } = {},
): Promise<PaymentsApi> {
  const logger = options.logger ?? silentLogger();
  const testDb = await createTestDatabase();
  const bus = new InMemoryBus({ logger });
  // Attached before anything can be published, so that no event is missed.
  const recorder = await EventRecorder.attach(bus);
  const clock = options.clock ?? new ManualClock();
  const db = testDb.handle.db;
  const issuer = await TestIssuer.create();
  const { app, module } = await buildApp(
    { db, pingDatabase: testDb.handle.ping, bus, logger, clock, ...TEST_SETTINGS, ...options.settings },
    issuer.verifier(),
  );
  await testDb.handle.migrate(module.migrations);
  await app.ready();
  const provider = module.providers.of('test');
  if (!(provider instanceof TestPaymentProvider)) throw new Error('the test provider is not registered');

  const settle = async (): Promise<void> => {
    await module.kernel.relay.flush();
    await bus.drain();
  };

  const api: PaymentsApi = {
    app,
    module,
    db,
    dbKind: testDb.kind,
    bus,
    recorder,
    clock,
    provider,
    settle,
    async eventsOf(tenantId, type) {
      await settle();
      return recorder.events(type).filter((event) => event.tenantId === tenantId);
    },
    issuer,
    newTenant: (identity) => new TenantClient(api, newId('ten'), identity),
    async close() {
      await app.close();
      await module.stop();
      await bus.close();
      await testDb.close();
    },
  };
  return api;
}
