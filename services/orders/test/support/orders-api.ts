// One orders API per test file: the standalone app on a throw-away database (PGlite in memory, or a
// fresh PostgreSQL database when DATABASE_URL is set), an in-memory bus with an event recorder, and
// a manual clock. Tests isolate themselves by working in a fresh tenant rather than a fresh database.
import type { EventEnvelope } from '@only/contracts/envelope';
import { InMemoryBus } from '@only/platform/bus';
import type { Database } from '@only/platform/db';
import type { HttpApp } from '@only/platform/http';
import { newId } from '@only/platform/ids';
import { createTestDatabase, EventRecorder, ManualClock, silentLogger } from '@only/testing';
import { buildApp } from '../../src/app.ts';
import type { OrdersModule } from '../../src/orders-module.ts';
import { rowCounts, type RowCounts } from './db.ts';
import { TenantClient } from './tenant-client.ts';

/** What a test file gets from {@link startOrdersApi}. */
export interface OrdersApi {
  readonly app: HttpApp;
  readonly module: OrdersModule;
  /** The drizzle database the app writes to, for asserting stored rows. */
  readonly db: Database;
  readonly dbKind: 'pglite' | 'postgres';
  readonly bus: InMemoryBus;
  /** Every event published on the bus since the app started. */
  readonly recorder: EventRecorder;
  /** The app's clock: `placedAt`, `createdAt`, history `at` and the like come from it. */
  readonly clock: ManualClock;
  /** Publishes every outbox row that is due and waits until the bus delivered it (no background relay runs). */
  settle(): Promise<void>;
  /** Published events of one tenant, after {@link settle}. */
  eventsOf(tenantId: string, type?: string): Promise<EventEnvelope[]>;
  /** Rows stored for one tenant in every table of the orders schema. */
  counts(tenantId: string): Promise<RowCounts>;
  /** A client for a brand-new tenant (sent as `x-tenant-id`). */
  newTenant(): TenantClient;
  /** A client that sends no `x-tenant-id`: it works in the demo tenant. */
  demoTenant(): TenantClient;
  close(): Promise<void>;
}

/** Starts the orders service for one test file; call `close` in `afterAll`. */
export async function startOrdersApi(options: { clock?: ManualClock } = {}): Promise<OrdersApi> {
  const logger = silentLogger();
  const testDb = await createTestDatabase();
  const bus = new InMemoryBus({ logger });
  // Attached before anything can be published, so that no event is missed.
  const recorder = await EventRecorder.attach(bus);
  const clock = options.clock ?? new ManualClock();
  const db = testDb.handle.db;
  const { app, module } = await buildApp({ db, pingDatabase: testDb.handle.ping, bus, logger, clock });
  await testDb.handle.migrate(module.migrations);
  await app.ready();

  const settle = async (): Promise<void> => {
    await module.kernel.relay.flush();
    await bus.drain();
  };

  const api: OrdersApi = {
    app,
    module,
    db,
    dbKind: testDb.kind,
    bus,
    recorder,
    clock,
    settle,
    async eventsOf(tenantId, type) {
      await settle();
      return recorder.events(type).filter((event) => event.tenantId === tenantId);
    },
    counts: (tenantId) => rowCounts(db, tenantId),
    newTenant: () => new TenantClient(api, newId('ten')),
    demoTenant: () => new TenantClient(api, undefined),
    async close() {
      await app.close();
      // The background relay was never started; stop() is still the proper way to release it.
      await module.stop();
      await bus.close();
      await testDb.close();
    },
  };
  return api;
}
