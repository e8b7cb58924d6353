// The order saga's world for one test file: the real catalog and payments modules beside orders,
// on one throw-away database (PGlite, or PostgreSQL when DATABASE_URL is set), calling each other
// through an in-process RPC registry as in embedded mode — every call still passes the server's
// token, permission and tenant checks. Orders' machine token carries exactly the permissions
// `SERVICE_PERMISSIONS.orders` grants. A "restart" builds a fresh orders module on the same
// database, as a process would after a crash.
import { createCatalogModule, type CatalogModule } from '@only/catalog';
import { SERVICE_PERMISSIONS } from '@only/contracts/auth';
import type { EventEnvelope } from '@only/contracts/envelope';
import { createPaymentsModule, TestPaymentProvider, type PaymentsModule } from '@only/payments';
import { InMemoryBus } from '@only/platform/bus';
import { systemContext, type RequestContext } from '@only/platform/context';
import type { Database } from '@only/platform/db';
import type { HttpApp } from '@only/platform/http';
import { newId, type Id } from '@only/platform/ids';
import { createRpcConnector, RpcRegistry } from '@only/platform/rpc';
import {
  createTestDatabase,
  EventRecorder,
  ManualClock,
  silentLogger,
  TestIssuer,
  toApiResponse,
  type ApiResponse,
} from '@only/testing';
import { buildApp } from '../../src/app.ts';
import type { SagaFaults } from '../../src/modules/saga/saga-support.ts';
import type { OrdersModule } from '../../src/orders-module.ts';
import { orderSchema, type Order } from '../../src/modules/orders/orders.dto.ts';

/** The orders service of one "process": its HTTP app and module. */
export interface OrdersProcess {
  readonly app: HttpApp;
  readonly module: OrdersModule;
}

/** What a test file gets from {@link startSagaPlatform}. */
export interface SagaPlatform {
  readonly db: Database;
  readonly dbKind: 'pglite' | 'postgres';
  readonly clock: ManualClock;
  readonly issuer: TestIssuer;
  readonly catalog: CatalogModule;
  readonly payments: PaymentsModule;
  /** The test payment provider: every call it received and the money it moved. */
  readonly provider: TestPaymentProvider;
  /** The orders service as first started. */
  readonly orders: OrdersProcess;
  /** A fresh orders module on the same database and dependencies, as after a restart. */
  restartOrders(options?: { faults?: SagaFaults }): Promise<OrdersProcess>;
  /** Publishes every service's due outbox rows and waits until the bus delivered them. */
  settle(): Promise<void>;
  /** Published events of one tenant (after {@link settle}), oldest first. */
  eventsOf(tenantId: string, type?: string): Promise<EventEnvelope[]>;
  close(): Promise<void>;
}

/** Options of {@link startSagaPlatform}. */
export interface SagaPlatformOptions {
  /** The first orders process's fault hook. */
  readonly faults?: SagaFaults;
  /** How long the payment provider may take before its outcome is unknown. */
  readonly providerTimeoutMs?: number;
}

/** Starts catalog, payments and orders on one database for a test file; call `close` in `afterAll`. */
export async function startSagaPlatform(options: SagaPlatformOptions = {}): Promise<SagaPlatform> {
  const logger = silentLogger();
  const testDb = await createTestDatabase();
  const db = testDb.handle.db;
  const bus = new InMemoryBus({ logger });
  const recorder = await EventRecorder.attach(bus);
  const clock = new ManualClock();
  const issuer = await TestIssuer.create();
  const registry = new RpcRegistry();
  const rpc = createRpcConnector({
    registry,
    logger,
    machineToken: (ctx) =>
      issuer.token({
        tenantId: ctx.tenantId,
        subject: 'svc-orders',
        roles: [],
        permissions: SERVICE_PERMISSIONS.orders ?? [],
      }),
  });
  const base = { db, pingDatabase: testDb.handle.ping, bus, logger, clock };
  const catalog = createCatalogModule(base);
  const payments = createPaymentsModule({ ...base, providerTimeoutMs: options.providerTimeoutMs ?? 2_000 });
  for (const module of [catalog, payments]) await testDb.handle.migrate(module.migrations);
  registry.register({
    services: [...(catalog.rpc ?? []), ...(payments.rpc ?? [])],
    verifier: issuer.verifier(),
    logger,
  });

  const processes: OrdersProcess[] = [];
  const startOrders = async (faults?: SagaFaults): Promise<OrdersProcess> => {
    const built = await buildApp(
      { ...base, rpc, saga: faults === undefined ? {} : { faults } },
      issuer.verifier(),
    );
    await testDb.handle.migrate(built.module.migrations);
    await built.app.ready();
    processes.push(built);
    return built;
  };
  const orders = await startOrders(options.faults);
  const provider = payments.providers.of('test');
  if (!(provider instanceof TestPaymentProvider)) throw new Error('payments has no test provider');

  const settle = async (): Promise<void> => {
    for (const process of processes) await process.module.saga?.idle();
    for (const kernel of [catalog.kernel, payments.kernel, ...processes.map((p) => p.module.kernel)])
      await kernel.relay.flush();
    await bus.drain();
  };

  return {
    db,
    dbKind: testDb.kind,
    clock,
    issuer,
    catalog,
    payments,
    provider,
    orders,
    restartOrders: (restart = {}) => startOrders(restart.faults),
    settle,
    async eventsOf(tenantId, type) {
      await settle();
      return recorder.events(type).filter((event) => event.tenantId === tenantId);
    },
    async close() {
      for (const process of processes) {
        await process.app.close();
        await process.module.stop();
      }
      rpc.close();
      await bus.close();
      await testDb.close();
    },
  };
}

/** A product of the catalog with stock on hand at the tenant's default location. */
export interface StockedProduct {
  readonly id: string;
  readonly sku: string;
  readonly price: number;
}

/** One tenant of the platform: its context, and shortcuts to set it up and to read its state. */
export class SagaTenant {
  readonly tenantId = newId('ten');
  readonly ctx: RequestContext = systemContext(this.tenantId, `test-${this.tenantId}`);
  private readonly platform: SagaPlatform;
  private readonly tokens = new Map<string, Promise<string>>();

  constructor(platform: SagaPlatform) {
    this.platform = platform;
  }

  /** An access token of this tenant with the permissions of `role` (owner by default). */
  token(role = 'owner'): Promise<string> {
    let token = this.tokens.get(role);
    if (token === undefined) {
      token = this.platform.issuer.token({ tenantId: this.tenantId, subject: `usr_${role}`, roles: [role] });
      this.tokens.set(role, token);
    }
    return token;
  }

  /** A request to an orders process as this tenant (owner unless `role` or `token` say otherwise). */
  async request(
    method: 'GET' | 'POST',
    url: string,
    options: { body?: unknown; key?: string; role?: string; token?: string; via?: OrdersProcess } = {},
  ): Promise<ApiResponse> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${options.token ?? (await this.token(options.role))}`,
    };
    if (options.key !== undefined) headers['idempotency-key'] = options.key;
    // Reads are about what is stored now, never a cached copy.
    if (method === 'GET') headers['cache-control'] = 'no-cache';
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await (options.via ?? this.platform.orders).app.inject({
      method,
      url,
      headers,
      ...(options.body === undefined ? {} : { payload: JSON.stringify(options.body) }),
    });
    return toApiResponse(response);
  }

  /** `POST /orders` with a payment card token, for `lines` of sku and quantity. */
  placePaid(
    customerId: string,
    lines: readonly { sku: string; quantity: number }[],
    options: { card?: string; key?: string; role?: string; token?: string; via?: OrdersProcess } = {},
  ): Promise<ApiResponse> {
    return this.request('POST', '/orders', {
      ...options,
      body: { customerId, currency: 'EUR', lines, payment: { token: options.card ?? 'tok_test_approve' } },
    });
  }

  /** The order as the API shows it now. */
  async order(orderId: string): Promise<Order> {
    const response = await this.request('GET', `/orders/${orderId}`, {});
    if (response.status !== 200)
      throw new Error(`GET /orders/${orderId}: ${String(response.status)} ${response.text}`);
    return orderSchema.parse(response.json());
  }

  /** Creates a product priced `price` (minor units, EUR) with `stock` units on hand. */
  async product(
    sku: string,
    options: { price: number; stock: number; taxClass?: string },
  ): Promise<StockedProduct> {
    const { catalog } = this.platform;
    const product = await catalog.products.create(this.ctx, {
      sku,
      name: `Product ${sku}`,
      price: { amount: options.price, currency: 'EUR' },
      taxClass: options.taxClass ?? 'standard',
      attributes: {},
      imageUrls: [],
      status: 'active',
      categoryIds: [],
    });
    if (options.stock > 0) {
      await catalog.stock.adjust(this.ctx, {
        productId: product.id as Id<'prd'>,
        reason: 'received',
        delta: options.stock,
      });
    }
    return { id: product.id, sku, price: options.price };
  }

  /** A customer of the orders service. */
  async customer(): Promise<string> {
    const customer = await this.platform.orders.module.customers.create(this.ctx, {
      name: 'Ada Lovelace',
      email: `${newId('usr')}@example.com`,
      phone: null,
    });
    return customer.id;
  }

  /** On hand, reserved and available units of a product, over its locations. */
  async stock(productId: string): Promise<{ onHand: number; reserved: number; available: number }> {
    const stock = await this.platform.catalog.stock.ofProduct(this.ctx, productId);
    return { onHand: stock.onHand, reserved: stock.reserved, available: stock.available };
  }

  /** The status of the reservation of an order (its key is the order id), or `none`. */
  async reservationStatus(orderId: string): Promise<string> {
    try {
      return (await this.platform.catalog.reservations.get(this.ctx, orderId)).status;
    } catch {
      return 'none';
    }
  }

  /** The operations of a payment (authorize, capture, void, refund…), oldest first. */
  async operationsOf(paymentId: string) {
    return (await this.platform.payments.payments.operations(this.ctx, paymentId)).items;
  }

  /** The calls the test provider received for a payment's operations. */
  async providerCallsOf(paymentId: string) {
    const ids = new Set((await this.operationsOf(paymentId)).map((op) => op.id));
    return this.platform.provider.calls().filter((call) => ids.has(call.idempotencyKey));
  }

  /** The payments of an order, as payments has them. */
  async paymentsOf(orderId: string) {
    const page = await this.platform.payments.payments.list(this.ctx, {
      orderId: orderId as Id<'ord'>,
      limit: 50,
    });
    return page.items;
  }
}
