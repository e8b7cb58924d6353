// One reporting API per test file: the standalone app on a throw-away database (PGlite in memory,
// or a fresh PostgreSQL database when DATABASE_URL is set), an in-memory bus it consumes from, and
// a manual clock. Tests isolate themselves by working in a fresh tenant rather than a fresh database.
import type { EventEnvelope } from '@only/contracts/envelope';
import { InMemoryBus, type DeadLetter } from '@only/platform/bus';
import type { Database } from '@only/platform/db';
import type { HttpApp } from '@only/platform/http';
import { newId } from '@only/platform/ids';
import { startModules } from '@only/platform/service';
import { createTestDatabase, ManualClock, silentLogger, type TestDatabase, TestIssuer } from '@only/testing';
import { buildApp } from '../../src/app.ts';
import { REPORTING_CONSUMER } from '../../src/events/subscriptions.ts';
import type { ReportingModule } from '../../src/reporting-module.ts';
import { TenantClient } from './tenant-client.ts';

/** What a test file gets from {@link startReportingApi}. */
export interface ReportingApi {
  readonly app: HttpApp;
  readonly module: ReportingModule;
  readonly testDb: TestDatabase;
  /** The drizzle database the app writes to. */
  readonly db: Database;
  readonly bus: InMemoryBus;
  /** What "today" is for the KPIs. */
  readonly clock: ManualClock;
  /** Publishes the events (in this order) and waits until reporting handled every one. */
  publish(...events: EventEnvelope[]): Promise<void>;
  /** Waits until the bus delivered everything; fails if an event ended in the dead-letter queue. */
  settle(): Promise<void>;
  /** Events reporting dead-lettered since the last call; {@link settle} no longer fails on them. */
  takeDeadLetters(): DeadLetter[];
  /** A client for a brand-new tenant, with a token of the given roles (owner by default). */
  newTenant(roles?: readonly string[]): TenantClient;
  close(): Promise<void>;
}

/** Starts the reporting service for one test file, consuming; call `close` in `afterAll`. */
export async function startReportingApi(options: { clock?: ManualClock } = {}): Promise<ReportingApi> {
  const logger = silentLogger();
  const testDb = await createTestDatabase();
  // Quick retries: a failing handler shows up as a dead letter within the test, not seconds later.
  const bus = new InMemoryBus({ logger, retry: { delaysMs: [10, 50] } });
  const clock = options.clock ?? new ManualClock('2026-03-02T12:00:00.000Z');
  const db = testDb.handle.db;
  const issuer = await TestIssuer.create();
  const { app, module } = await buildApp(
    { db, pingDatabase: testDb.handle.ping, bus, logger, clock },
    issuer.verifier(),
  );
  await testDb.handle.migrate(module.migrations);
  await startModules([module]);
  await app.ready();

  let deadLettersTaken = 0;
  const newDeadLetters = () => bus.deadLetters(REPORTING_CONSUMER).slice(deadLettersTaken);
  const settle = async (): Promise<void> => {
    await bus.drain();
    const dead = newDeadLetters();
    if (dead.length > 0) {
      throw new Error(
        `reporting dead-lettered ${dead.length} event(s): ${dead.map((d) => d.error).join('; ')}`,
      );
    }
  };

  const api: ReportingApi = {
    app,
    module,
    testDb,
    db,
    bus,
    clock,
    async publish(...events) {
      for (const event of events) await bus.publish(event);
      await settle();
    },
    settle,
    takeDeadLetters() {
      const dead = newDeadLetters();
      deadLettersTaken += dead.length;
      return dead;
    },
    newTenant: (roles) => new TenantClient(app, issuer, newId('ten'), roles),
    async close() {
      await app.close();
      await module.stop();
      await bus.close();
      await testDb.close();
    },
  };
  return api;
}
