// One invoices API per test file: the standalone app on a throw-away database (PGlite in memory,
// or a fresh PostgreSQL database when DATABASE_URL is set), next to a real orders module on the
// same database and bus. Invoices reads orders through the RPC kernel's in-process registry with
// a machine token signed by the test issuer — the same path as embedded mode. Tests isolate
// themselves by working in a fresh tenant.
import { SERVICE_PERMISSIONS } from '@only/contracts/auth';
import type { EventEnvelope } from '@only/contracts/envelope';
import { createOrdersModule, ordersMigrations, type OrdersModule } from '@only/orders';
import { InMemoryBus, type DeadLetter } from '@only/platform/bus';
import { systemContext, type RequestContext } from '@only/platform/context';
import type { Database } from '@only/platform/db';
import type { HttpApp } from '@only/platform/http';
import { newId } from '@only/platform/ids';
import { createRpcConnector, RpcRegistry } from '@only/platform/rpc';
import { createTestDatabase, EventRecorder, ManualClock, silentLogger, TestIssuer } from '@only/testing';
import { buildApp } from '../../src/app.ts';
import { INVOICES_CONSUMER } from '../../src/events/subscriptions.ts';
import type { InvoicesModule, InvoicesSettings } from '../../src/invoices-module.ts';
import { TenantClient } from './tenant-client.ts';

/** An order line as the orders API takes it. */
export interface LineSpec {
  readonly sku?: string;
  readonly name?: string;
  readonly quantity?: number;
  readonly unitPrice?: number;
  readonly taxRateBps?: number;
}

/** What a test file gets from {@link startInvoicesApi}. */
export interface InvoicesApi {
  readonly app: HttpApp;
  readonly module: InvoicesModule;
  readonly orders: OrdersModule;
  readonly db: Database;
  readonly dbKind: 'pglite' | 'postgres';
  readonly bus: InMemoryBus;
  readonly recorder: EventRecorder;
  readonly clock: ManualClock;
  readonly issuer: TestIssuer;
  /** Publishes what both outboxes hold until nothing is left and every event was handled. */
  settle(): Promise<void>;
  /** Publishes events (as other services would) and settles. */
  publish(...events: EventEnvelope[]): Promise<void>;
  /** Events invoices dead-lettered since the last call; {@link settle} does not fail on them. */
  takeDeadLetters(): DeadLetter[];
  /** Published events of a tenant (after settling). */
  eventsOf(tenantId: string, type?: string): Promise<EventEnvelope[]>;
  /** A client of the invoices API for a brand-new tenant (owner by default). */
  newTenant(roles?: readonly string[]): TenantClient;
  /** Places an order for a new customer through the orders service; its id. */
  placeOrder(tenantId: string, lines?: readonly LineSpec[], currency?: string): Promise<string>;
  /** Moves an order through the orders service (`confirm`, `cancel`…), then settles. */
  transition(
    tenantId: string,
    orderId: string,
    action: 'confirm' | 'fulfill' | 'complete' | 'cancel',
  ): Promise<void>;
  /** Places and confirms an order, settles, and returns its id. */
  confirmedOrder(tenantId: string, lines?: readonly LineSpec[], currency?: string): Promise<string>;
  close(): Promise<void>;
}

const DEFAULT_LINES: readonly LineSpec[] = [
  { sku: 'COF-ESP-250', name: 'Espresso beans 250 g', quantity: 2, unitPrice: 1290, taxRateBps: 700 },
  { sku: 'MUG-BLK', name: 'Black mug', quantity: 1, unitPrice: 1500, taxRateBps: 1900 },
];

/** Starts invoices (and orders beside it) for one test file; call `close` in `afterAll`. */
export async function startInvoicesApi(
  options: { settings?: InvoicesSettings; clock?: ManualClock } = {},
): Promise<InvoicesApi> {
  const logger = silentLogger();
  const testDb = await createTestDatabase();
  const db = testDb.handle.db;
  // Quick retries: a failing handler shows up as a dead letter within the test, not seconds later.
  const bus = new InMemoryBus({ logger, retry: { delaysMs: [10, 50] } });
  const recorder = await EventRecorder.attach(bus);
  const clock = options.clock ?? new ManualClock('2026-03-02T10:00:00.000Z');
  const issuer = await TestIssuer.create();
  const deps = { db, pingDatabase: testDb.handle.ping, bus, logger, clock };

  const orders = createOrdersModule(deps);
  const registry = new RpcRegistry();
  registry.register({ services: orders.rpc ?? [], verifier: issuer.verifier(), logger });
  // The machine token of invoices: what identity would issue it for work no user started.
  const machineTokens = new Map<string, Promise<string>>();
  const rpc = createRpcConnector({
    registry,
    logger,
    machineToken: (ctx) => {
      let token = machineTokens.get(ctx.tenantId);
      if (token === undefined) {
        token = issuer.token({
          tenantId: ctx.tenantId,
          subject: 'svc-invoices',
          roles: [],
          permissions: SERVICE_PERMISSIONS.invoices ?? [],
        });
        machineTokens.set(ctx.tenantId, token);
      }
      return token;
    },
  });
  const { app, module } = await buildApp({ ...deps, rpc, ...options.settings }, issuer.verifier());
  await testDb.handle.migrate(ordersMigrations);
  await testDb.handle.migrate(module.migrations);
  await module.subscribe?.();
  await app.ready();

  let deadLettersTaken = 0;
  const newDeadLetters = () => bus.deadLetters(INVOICES_CONSUMER).slice(deadLettersTaken);
  const settle = async (): Promise<void> => {
    for (;;) {
      const published = (await orders.kernel.relay.flush()) + (await module.kernel.relay.flush());
      await bus.drain();
      if (published === 0) break;
    }
    const dead = newDeadLetters();
    if (dead.length > 0)
      throw new Error(
        `invoices dead-lettered ${String(dead.length)} event(s): ${dead.map((d) => d.error).join('; ')}`,
      );
  };
  const ctxOf = (tenantId: string): RequestContext => systemContext(tenantId, newId('req'));

  const api: InvoicesApi = {
    app,
    module,
    orders,
    db,
    dbKind: testDb.kind,
    bus,
    recorder,
    clock,
    issuer,
    settle,
    async publish(...events) {
      for (const event of events) await bus.publish(event);
      await settle();
    },
    takeDeadLetters() {
      const dead = newDeadLetters();
      deadLettersTaken += dead.length;
      return dead;
    },
    async eventsOf(tenantId, type) {
      await settle();
      return recorder.events(type).filter((event) => event.tenantId === tenantId);
    },
    newTenant: (roles) => new TenantClient(app, issuer, newId('ten'), roles),
    async placeOrder(tenantId, lines = DEFAULT_LINES, currency = 'EUR') {
      const ctx = ctxOf(tenantId);
      const customer = await orders.customers.create(ctx, {
        email: `${newId('cus')}@example.com`,
        name: 'Lin Okafor',
        phone: null,
      });
      const order = await orders.orders.place(ctx, {
        customerId: customer.id,
        currency,
        lines: lines.map((line, index) => ({
          sku: line.sku ?? `SKU-${String(index + 1)}`,
          name: line.name ?? `Item ${String(index + 1)}`,
          quantity: line.quantity ?? 1,
          unitPrice: line.unitPrice ?? 1000,
          taxRateBps: line.taxRateBps ?? 0,
        })),
        notes: null,
      });
      return order.id;
    },
    async transition(tenantId, orderId, action) {
      await orders.orders.transition(
        ctxOf(tenantId),
        orderId,
        action,
        action === 'cancel' ? 'Changed mind' : undefined,
      );
      await settle();
    },
    async confirmedOrder(tenantId, lines, currency) {
      const orderId = await api.placeOrder(tenantId, lines, currency);
      await api.transition(tenantId, orderId, 'confirm');
      return orderId;
    },
    async close() {
      await app.close();
      await module.stop();
      await orders.stop();
      rpc.close();
      await bus.close();
      await testDb.close();
    },
  };
  return api;
}
