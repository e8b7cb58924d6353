// The RPC kernel's own tests: a small fake CatalogService defined here exercises servers and
// clients in-process and over real HTTP/2 on 127.0.0.1. It is not a stand-in for the catalog.
import type { DescService } from '@bufbuild/protobuf';
import { MethodOptions_IdempotencyLevel } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError } from '@connectrpc/connect';
import { CatalogService, ProductStatus, ReservationStatus } from '@only/contracts/rpc/catalog';
import { silentLogger, TestIssuer } from '@only/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { currentTenantScope } from '../db/index.ts';
import { defineErrors, validationError } from '../errors/index.ts';
import { authorizeRoutes, createHttpServer, type HttpApp } from '../http/index.ts';
import { metricsRegistry } from '../metrics/index.ts';
import {
  callContextFrom,
  createRpcClient,
  createRpcConnector,
  createRpcServer,
  isSafeMethod,
  registerRpc,
  RpcCallError,
  RpcRegistry,
  type CallContext,
  type RpcClientOptions,
  type RpcServerApp,
  type RpcTarget,
} from './index.ts';
import { defineRpcService } from './rpc-service.ts';

const TENANT = 'ten_01jd5x3b2kf9v8s7w6q4r2m1n0';
const OTHER_TENANT = 'ten_01jd5x3b2kf9v8s7w6q4r2m1n1';
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

const testErrors = defineErrors('rpctest', {
  out_of_stock: { status: 409, title: 'Not enough stock' },
  payment_declined: { status: 402, title: 'The payment was declined' },
  product_not_found: { status: 404, title: 'Product not found' },
});

/** What the fake does next, and what it saw. */
interface FakeState {
  stock: Map<string, number>;
  /** Codes to fail the next calls with, one per call, before behaving. */
  failures: Code[];
  /** Make calls wait for the caller's deadline (or `release`). */
  hang: boolean;
  release: (() => void) | undefined;
  calls: { method: string; ctx: CallContext; tenantScope: string | undefined }[];
}

const state: FakeState = { stock: new Map(), failures: [], hang: false, release: undefined, calls: [] };

async function behave(method: string, ctx: CallContext, signal: AbortSignal): Promise<void> {
  state.calls.push({ method, ctx, tenantScope: currentTenantScope() });
  const failure = state.failures.shift();
  if (failure !== undefined) throw new ConnectError(`injected ${Code[failure]}`, failure);
  if (state.hang)
    await new Promise<void>((resolve) => {
      state.release = resolve;
      signal.addEventListener('abort', () => {
        resolve();
      });
      setTimeout(resolve, 5_000).unref();
    });
}

const fakeCatalog = defineRpcService(CatalogService, {
  reserveStock: {
    permission: 'orders:create',
    handle: async (request, call) => {
      await behave('ReserveStock', call.ctx, call.signal);
      if (request.lines.length === 0)
        throw validationError([
          { field: 'lines', in: 'body', rule: 'too_small', message: 'At least one line' },
        ]);
      const shortages = request.lines
        .map((line) => ({
          sku: line.sku,
          requested: line.quantity,
          available: state.stock.get(line.sku) ?? 0,
        }))
        .filter((s) => s.requested > s.available);
      if (shortages.length > 0) throw testErrors.out_of_stock('Not enough stock for 1 line', { shortages });
      for (const line of request.lines)
        state.stock.set(line.sku, (state.stock.get(line.sku) ?? 0) - line.quantity);
      return {
        reservation: {
          id: 'res_1',
          reservationKey: request.reservationKey,
          status: ReservationStatus.ACTIVE,
          lines: request.lines.map((l) => ({
            sku: l.sku,
            productId: 'prd_1',
            locationId: 'loc_1',
            quantity: l.quantity,
          })),
        },
      };
    },
  },
  releaseReservation: {
    permission: 'orders:cancel',
    handle: async (request, call) => {
      await behave('ReleaseReservation', call.ctx, call.signal);
      if (request.reason === 'declined')
        throw testErrors.payment_declined('Card declined', { declineReason: 'card_declined' });
      throw testErrors.product_not_found(`No reservation ${request.reservationKey}`);
    },
  },
  commitReservation: {
    permission: 'orders:manage',
    handle: async (_request, call) => {
      await behave('CommitReservation', call.ctx, call.signal);
      throw new Error('database password=hunter2 exploded');
    },
  },
  returnReservation: {
    permission: 'orders:manage',
    handle: async (_request, call) => {
      await behave('ReturnReservation', call.ctx, call.signal);
      return {};
    },
  },
  getProducts: {
    permission: 'orders:read',
    handle: async (request, call) => {
      await behave('GetProducts', call.ctx, call.signal);
      return {
        products: request.skus.map((sku) => ({
          id: `prd_${sku}`,
          sku,
          name: `Product ${sku}`,
          price: { amountMinor: 1290n, currency: 'EUR' },
          taxClass: 'standard',
          status: ProductStatus.ACTIVE,
          available: state.stock.get(sku) ?? 0,
        })),
      };
    },
  },
});

/** CatalogService with one method's contract stripped of its idempotency mark: an unsafe method. */
function withUnsafe(service: DescService, methodName: string): DescService {
  const methods = service.methods.map((m) =>
    m.name === methodName ? { ...m, idempotency: MethodOptions_IdempotencyLevel.IDEMPOTENCY_UNKNOWN } : m,
  );
  return {
    ...service,
    methods,
    method: Object.fromEntries(methods.map((m) => [m.localName, m])),
  };
}

async function metricValue(name: string, labels: Record<string, string>): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric(name)?.get();
  const found = metric?.values.find((v) =>
    Object.entries(labels).every(([k, value]) => (v.labels as Record<string, unknown>)[k] === value),
  );
  return found?.value ?? 0;
}

let issuer: TestIssuer;
let registry: RpcRegistry;
let server: RpcServerApp;
let serverUrl: string;
const httpVersions: string[] = [];
let ownerToken: string;
let viewerToken: string;
const logger = silentLogger();

beforeAll(async () => {
  issuer = await TestIssuer.create();
  ownerToken = await issuer.token({ tenantId: TENANT, subject: 'usr_owner' });
  viewerToken = await issuer.token({ tenantId: TENANT, roles: ['viewer'] });
  registry = new RpcRegistry();
  registry.register({ services: [fakeCatalog], verifier: issuer.verifier(), logger });
  server = await createRpcServer({ services: [fakeCatalog], verifier: issuer.verifier(), logger });
  server.addHook('onRequest', (request, _reply, done) => {
    httpVersions.push(request.raw.httpVersion);
    done();
  });
  serverUrl = await server.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  state.stock = new Map([
    ['A', 5],
    ['B', 1],
  ]);
  state.failures = [];
  state.hang = false;
  state.calls = [];
});

function ctxFor(token: string | undefined, overrides: Partial<CallContext> = {}): CallContext {
  return {
    tenantId: TENANT,
    actor: { type: 'user', id: 'usr_owner' },
    requestId: 'req-caller',
    correlationId: 'corr-1',
    ...(token === undefined ? {} : { accessToken: token }),
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<RpcCallError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(RpcCallError);
    return error as RpcCallError;
  }
  throw new Error('expected the call to fail');
}

const modes: { name: string; target: () => RpcTarget }[] = [
  { name: 'in-process', target: () => ({ kind: 'in-process', registry }) },
  { name: 'gRPC over HTTP/2', target: () => ({ kind: 'grpc', urls: [serverUrl] }) },
];

describe.each(modes)('$name', ({ target }) => {
  const clients: { close: () => void }[] = [];
  afterAll(() => {
    for (const client of clients) client.close();
  });
  function client<S extends DescService>(service: S, options: Partial<RpcClientOptions> = {}) {
    const created = createRpcClient(service, { dependency: 'catalog', target: target(), logger, ...options });
    clients.push(created);
    return created;
  }

  it('calls a method and returns its typed response', async () => {
    const catalog = client(CatalogService);
    const response = await catalog.reserveStock(ctxFor(ownerToken), {
      reservationKey: 'ord_1',
      lines: [{ sku: 'A', quantity: 2 }],
    });
    expect(response.reservation?.status).toBe(ReservationStatus.ACTIVE);
    expect(response.reservation?.lines).toEqual([
      expect.objectContaining({ sku: 'A', quantity: 2, productId: 'prd_1' }),
    ]);
    expect(state.stock.get('A')).toBe(3);
    const products = await catalog.getProducts(ctxFor(ownerToken), { skus: ['A'] });
    expect(products.products[0]?.price).toEqual(
      expect.objectContaining({ amountMinor: 1290n, currency: 'EUR' }),
    );
    expect(products.products[0]?.available).toBe(3);
  });

  it('refuses a call without a token: UNAUTHENTICATED, a 401 problem', async () => {
    const error = await failure(client(CatalogService).getProducts(ctxFor(undefined), { skus: ['A'] }));
    expect(error.rpcCode).toBe(Code.Unauthenticated);
    expect(error.code).toBe('platform.unauthenticated');
    expect(error.status).toBe(401);
    expect(state.calls).toEqual([]);
  });

  it('refuses an invalid token with the reason', async () => {
    const error = await failure(client(CatalogService).getProducts(ctxFor('a.b.c'), { skus: ['A'] }));
    expect(error.rpcCode).toBe(Code.Unauthenticated);
    expect(error.detail).toMatch(/token/);
  });

  it('refuses a token without the method’s permission: PERMISSION_DENIED naming it', async () => {
    const catalog = client(CatalogService);
    const error = await failure(
      catalog.reserveStock(ctxFor(viewerToken), {
        reservationKey: 'ord_1',
        lines: [{ sku: 'A', quantity: 1 }],
      }),
    );
    expect(error.rpcCode).toBe(Code.PermissionDenied);
    expect(error.status).toBe(403);
    expect(error.extensions).toEqual({ permission: 'orders:create' });
    expect(state.calls).toEqual([]);
    // The same token may call what its permissions allow.
    await expect(catalog.getProducts(ctxFor(viewerToken), { skus: ['A'] })).resolves.toBeDefined();
  });

  it('refuses a tenant header that is not the token’s tenant', async () => {
    const error = await failure(
      client(CatalogService).getProducts(ctxFor(ownerToken, { tenantId: OTHER_TENANT }), { skus: ['A'] }),
    );
    expect(error.rpcCode).toBe(Code.PermissionDenied);
    expect(state.calls).toEqual([]);
  });

  it('gives the handler the request context: tenant and actor from the token, correlation and trace from the caller', async () => {
    await client(CatalogService).getProducts(
      ctxFor(ownerToken, {
        actor: { type: 'user', id: 'usr_somebody_else' },
        trace: { traceparent: TRACEPARENT, tracestate: 'only=1' },
      }),
      { skus: ['A'] },
    );
    const seen = state.calls[0]?.ctx;
    expect(seen).toMatchObject({
      tenantId: TENANT,
      actor: { type: 'user', id: 'usr_owner' },
      correlationId: 'corr-1',
      trace: { traceparent: TRACEPARENT, tracestate: 'only=1' },
      accessToken: ownerToken,
    });
    expect(state.calls[0]?.tenantScope).toBe(TENANT);
    // A fresh request id per call; the correlation id ties the calls together.
    expect(seen?.requestId).not.toBe('req-caller');
    expect(seen?.requestId).toMatch(/^[\w-]+$/);
  });

  it('speaks for the service with its machine token when the context carries no user token', async () => {
    const machine = await issuer.token({ tenantId: TENANT, subject: 'cli_orders', roles: ['admin'] });
    const catalog = client(CatalogService, {
      machineToken: (ctx) => (ctx.tenantId === TENANT ? machine : undefined),
    });
    await catalog.getProducts(ctxFor(undefined), { skus: ['A'] });
    expect(state.calls[0]?.ctx.actor).toEqual({ type: 'client', id: 'cli_orders' });
  });

  it('round-trips domain errors with their problem code, status and extensions', async () => {
    const catalog = client(CatalogService);
    const ctx = ctxFor(ownerToken);

    const outOfStock = await failure(
      catalog.reserveStock(ctx, { reservationKey: 'ord_2', lines: [{ sku: 'B', quantity: 3 }] }),
    );
    expect(outOfStock).toMatchObject({
      rpcCode: Code.FailedPrecondition,
      code: 'rpctest.out_of_stock',
      status: 409,
      title: 'Not enough stock',
      detail: 'Not enough stock for 1 line',
      dependency: 'catalog',
      extensions: { shortages: [{ sku: 'B', requested: 3, available: 1 }] },
    });

    const declined = await failure(
      catalog.releaseReservation(ctx, { reservationKey: 'ord_2', reason: 'declined' }),
    );
    expect(declined).toMatchObject({
      rpcCode: Code.FailedPrecondition,
      code: 'rpctest.payment_declined',
      status: 402,
      extensions: { declineReason: 'card_declined' },
    });

    const notFound = await failure(
      catalog.releaseReservation(ctx, { reservationKey: 'ord_x', reason: 'gone' }),
    );
    expect(notFound).toMatchObject({
      rpcCode: Code.NotFound,
      code: 'rpctest.product_not_found',
      status: 404,
    });

    const invalid = await failure(catalog.reserveStock(ctx, { reservationKey: 'ord_3', lines: [] }));
    expect(invalid).toMatchObject({
      rpcCode: Code.InvalidArgument,
      code: 'platform.validation_failed',
      status: 400,
    });
    expect(invalid.extensions.errors).toEqual([
      { field: 'lines', in: 'body', rule: 'too_small', message: 'At least one line' },
    ]);
  });

  it('answers an unexpected error as INTERNAL without revealing it', async () => {
    const error = await failure(
      client(CatalogService).commitReservation(ctxFor(ownerToken), { reservationKey: 'ord_1' }),
    );
    expect(error).toMatchObject({ rpcCode: Code.Internal, code: 'platform.internal', status: 500 });
    expect(JSON.stringify({ detail: error.detail, extensions: error.extensions })).not.toContain('hunter2');
  });

  it('ends a call at its deadline: DEADLINE_EXCEEDED, a 504 problem', async () => {
    state.hang = true;
    const catalog = client(CatalogService, { deadlineMs: 50, maxRetries: 0 });
    const byDefault = await failure(catalog.getProducts(ctxFor(ownerToken), { skus: ['A'] }));
    expect(byDefault).toMatchObject({
      rpcCode: Code.DeadlineExceeded,
      code: 'platform.upstream_timeout',
      status: 504,
    });

    const patient = client(CatalogService, { deadlineMs: 60_000, maxRetries: 0 });
    const perCall = await failure(
      patient.getProducts(ctxFor(ownerToken), { skus: ['A'] }, { timeoutMs: 50 }),
    );
    expect(perCall.rpcCode).toBe(Code.DeadlineExceeded);
    // A deadline of zero is not "no deadline": the default applies.
    const zero = await failure(catalog.getProducts(ctxFor(ownerToken), { skus: ['A'] }, { timeoutMs: 0 }));
    expect(zero.rpcCode).toBe(Code.DeadlineExceeded);
  });

  it('retries a safe method after transient failures', async () => {
    expect(isSafeMethod(CatalogService.method.getProducts)).toBe(true);
    expect(isSafeMethod(CatalogService.method.reserveStock)).toBe(true);
    const labels = { service: 'only.catalog.v1.CatalogService', method: 'GetProducts' };
    const retriesBefore = await metricValue('only_rpc_client_retries_total', {
      ...labels,
      code: 'unavailable',
    });
    state.failures = [Code.Unavailable, Code.DeadlineExceeded];
    const catalog = client(CatalogService, { maxRetries: 2, retryDelayMs: { initial: 1, max: 5 } });
    const response = await catalog.getProducts(ctxFor(ownerToken), { skus: ['A'] });
    expect(response.products).toHaveLength(1);
    expect(state.calls.map((c) => c.method)).toEqual(['GetProducts', 'GetProducts', 'GetProducts']);
    expect(await metricValue('only_rpc_client_retries_total', { ...labels, code: 'unavailable' })).toBe(
      retriesBefore + 1,
    );
  });

  it('gives up after the allowed retries, and never retries a non-transient error', async () => {
    state.failures = [Code.Unavailable, Code.Unavailable, Code.Unavailable, Code.Unavailable];
    const catalog = client(CatalogService, { maxRetries: 2, retryDelayMs: { initial: 1, max: 5 } });
    const error = await failure(catalog.getProducts(ctxFor(ownerToken), { skus: ['A'] }));
    expect(error).toMatchObject({ rpcCode: Code.Unavailable, code: 'platform.unavailable', status: 503 });
    expect(state.calls).toHaveLength(3);

    state.calls = [];
    state.failures = [];
    await failure(
      catalog.reserveStock(ctxFor(ownerToken), { reservationKey: 'o', lines: [{ sku: 'B', quantity: 9 }] }),
    );
    expect(state.calls).toHaveLength(1);
  });

  it('does not retry a method the contract does not mark idempotent', async () => {
    const unsafe = withUnsafe(CatalogService, 'ReserveStock');
    expect(isSafeMethod(unsafe.methods.find((m) => m.name === 'ReserveStock')!)).toBe(false);
    state.failures = [Code.Unavailable];
    const catalog = client(unsafe, {
      maxRetries: 2,
      retryDelayMs: { initial: 1, max: 5 },
    }) as unknown as ReturnType<typeof createRpcClient<typeof CatalogService>>;
    const error = await failure(
      catalog.reserveStock(ctxFor(ownerToken), {
        reservationKey: 'ord_1',
        lines: [{ sku: 'A', quantity: 1 }],
      }),
    );
    expect(error.rpcCode).toBe(Code.Unavailable);
    expect(state.calls).toHaveLength(1);
    expect(state.stock.get('A')).toBe(5);
  });

  it('opens the circuit after consecutive failures, fails fast, then half-opens and closes', async () => {
    const catalog = client(CatalogService, {
      maxRetries: 0,
      breakerFailures: 3,
      breakerHalfOpenAfterMs: 100,
    });
    const ctx = ctxFor(ownerToken);
    // Domain errors say nothing about the dependency's health.
    for (let i = 0; i < 4; i++)
      await failure(catalog.reserveStock(ctx, { reservationKey: 'o', lines: [{ sku: 'B', quantity: 9 }] }));
    expect(catalog.circuitState()).toBe('closed');

    state.failures = [Code.Unavailable, Code.Internal, Code.Unavailable];
    for (let i = 0; i < 3; i++) await failure(catalog.getProducts(ctx, { skus: ['A'] }));
    expect(catalog.circuitState()).toBe('open');
    expect(await metricValue('only_rpc_client_circuit_state', { dependency: 'catalog' })).toBe(2);
    state.calls = [];

    const fast = await failure(catalog.getProducts(ctx, { skus: ['A'] }));
    expect(fast).toMatchObject({ rpcCode: Code.Unavailable, code: 'platform.unavailable', status: 503 });
    expect(fast.extensions).toMatchObject({ dependency: 'catalog', circuit: 'open' });
    expect(state.calls).toEqual([]);

    await new Promise((resolve) => setTimeout(resolve, 150));
    // One trial call passes (half-open); calls meanwhile wait for its outcome instead of piling on.
    state.hang = true;
    const trial = catalog.getProducts(ctx, { skus: ['A'] });
    await expect.poll(() => state.calls.length).toBe(1);
    expect(catalog.circuitState()).toBe('half-open');
    expect(await metricValue('only_rpc_client_circuit_state', { dependency: 'catalog' })).toBe(1);
    const queued = catalog.getProducts(ctx, { skus: ['B'] });
    state.hang = false;
    state.release?.();
    await expect(trial).resolves.toMatchObject({ products: [expect.objectContaining({ sku: 'A' })] });
    await expect(queued).resolves.toMatchObject({ products: [expect.objectContaining({ sku: 'B' })] });
    expect(catalog.circuitState()).toBe('closed');
    expect(await metricValue('only_rpc_client_circuit_state', { dependency: 'catalog' })).toBe(0);
    await expect(catalog.getProducts(ctx, { skus: ['B'] })).resolves.toBeDefined();
  });

  it('counts calls by service, method and code on both ends', async () => {
    const labels = { service: 'only.catalog.v1.CatalogService', method: 'GetProducts' };
    const clientOk = await metricValue('only_rpc_client_calls_total', { ...labels, code: 'ok' });
    const serverOk = await metricValue('only_rpc_server_calls_total', { ...labels, code: 'ok' });
    const serverDenied = await metricValue('only_rpc_server_calls_total', {
      ...labels,
      code: 'unauthenticated',
    });
    const catalog = client(CatalogService);
    await catalog.getProducts(ctxFor(ownerToken), { skus: ['A'] });
    await failure(catalog.getProducts(ctxFor(undefined), { skus: ['A'] }));
    expect(await metricValue('only_rpc_client_calls_total', { ...labels, code: 'ok' })).toBe(clientOk + 1);
    expect(await metricValue('only_rpc_server_calls_total', { ...labels, code: 'ok' })).toBe(serverOk + 1);
    expect(await metricValue('only_rpc_server_calls_total', { ...labels, code: 'unauthenticated' })).toBe(
      serverDenied + 1,
    );
  });
});

describe('transports', () => {
  it('gRPC calls travel over HTTP/2', async () => {
    httpVersions.length = 0;
    const catalog = createRpcClient(CatalogService, {
      dependency: 'catalog',
      target: { kind: 'grpc', urls: [serverUrl] },
    });
    await catalog.getProducts(ctxFor(ownerToken), { skus: ['A'] });
    catalog.close();
    expect(httpVersions).toEqual(['2.0']);
  });

  it('several URLs take calls in turn; a dead one is retried elsewhere for safe methods', async () => {
    const dead = 'http://127.0.0.1:9'; // discard port: nothing listens
    const catalog = createRpcClient(CatalogService, {
      dependency: 'catalog',
      target: { kind: 'grpc', urls: [dead, serverUrl] },
      retryDelayMs: { initial: 1, max: 5 },
    });
    for (let i = 0; i < 4; i++) await catalog.getProducts(ctxFor(ownerToken), { skus: ['A'] });
    catalog.close();
    expect(state.calls).toHaveLength(4);
  });

  it('an in-process call to a service nobody registered is UNAVAILABLE', async () => {
    const empty = createRpcClient(CatalogService, {
      dependency: 'catalog',
      target: { kind: 'in-process', registry: new RpcRegistry() },
      maxRetries: 0,
    });
    const error = await failure(empty.getProducts(ctxFor(ownerToken), { skus: ['A'] }));
    expect(error).toMatchObject({ rpcCode: Code.Unavailable, status: 503 });
  });

  it('a registry serves each service once', () => {
    expect(() => {
      registry.register({ services: [fakeCatalog], verifier: issuer.verifier(), logger });
    }).toThrow(/already registered/);
  });
});

describe('connector', () => {
  it('calls a dependency over gRPC when it has a URL, in-process otherwise, one client per service', async () => {
    const remote = createRpcConnector({
      urls: { catalog: [serverUrl] },
      registry: new RpcRegistry(),
      logger,
    });
    const viaUrl = remote.client(CatalogService);
    expect(remote.client(CatalogService)).toBe(viaUrl);
    httpVersions.length = 0;
    await viaUrl.getProducts(ctxFor(ownerToken), { skus: ['A'] });
    expect(httpVersions).toEqual(['2.0']);
    remote.close();

    const local = createRpcConnector({ registry, logger });
    httpVersions.length = 0;
    await local.client(CatalogService).getProducts(ctxFor(ownerToken), { skus: ['A'] });
    expect(httpVersions).toEqual([]);
    expect(state.calls).toHaveLength(2);
  });

  it('refuses a dependency it cannot reach', () => {
    expect(() => createRpcConnector({}).client(CatalogService)).toThrow(/CATALOG_RPC_URL is not set/);
  });
});

describe('serving on a service’s HTTP/1.1 app under a prefix', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await createHttpServer({ logger, docs: { title: 'rpc', description: 'rpc', version: '1' } });
    await registerRpc(app, { services: [fakeCatalog], verifier: issuer.verifier(), logger, prefix: '/rpc' });
    await app.register((scope, _options, done) => {
      authorizeRoutes(scope, issuer.verifier());
      scope.get('/ctx', { config: { permission: 'orders:read' } }, (request) => {
        const { accessToken, ...rest } = callContextFrom(request);
        return { ...rest, forwardsToken: accessToken !== undefined };
      });
      done();
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers the Connect protocol with JSON, behind the same interceptor', async () => {
    const url = '/rpc/only.catalog.v1.CatalogService/GetProducts';
    const ok = await app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ownerToken}` },
      payload: { skus: ['A'] },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      products: [{ sku: 'A', price: { amountMinor: '1290', currency: 'EUR' } }],
    });

    const denied = await app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: { skus: ['A'] },
    });
    expect(denied.statusCode).toBe(401);
    expect(denied.json()).toMatchObject({ code: 'unauthenticated' });
    // The app's own JSON routes are untouched.
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });

  it('callContextFrom gives a route’s calls its context, verified token and trace', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/ctx',
      headers: {
        authorization: `Bearer ${ownerToken}`,
        'x-correlation-id': 'corr-http',
        traceparent: TRACEPARENT,
        tracestate: 'only=2',
      },
    });
    expect(response.json()).toMatchObject({
      tenantId: TENANT,
      actor: { type: 'user', id: 'usr_owner' },
      correlationId: 'corr-http',
      trace: { traceparent: TRACEPARENT, tracestate: 'only=2' },
      forwardsToken: true,
    });
    const badTrace = await app.inject({
      method: 'GET',
      url: '/ctx',
      headers: {
        authorization: `Bearer ${ownerToken}`,
        traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      },
    });
    expect(badTrace.json()).not.toHaveProperty('trace');
  });
});

describe('defineRpcService', () => {
  it('refuses an implementation that leaves a method without a handler or permission', () => {
    expect(() =>
      defineRpcService(CatalogService, {
        getProducts: fakeCatalog as never,
      } as never),
    ).toThrow(/declares no handler with a permission/);
  });

  it('is served only through the interceptor', async () => {
    // A handler mounted without Only's interceptor refuses to run rather than serve unauthenticated.
    const { createRouterTransport, createClient } = await import('@connectrpc/connect');
    const bare = createClient(
      CatalogService,
      createRouterTransport((router) => {
        fakeCatalog.register(router);
      }),
    );
    await expect(bare.getProducts({ skus: ['A'] })).rejects.toMatchObject({ code: Code.Internal });
    expect(state.calls).toEqual([]);
  });

  it('refuses to serve the same service twice in one router', async () => {
    await expect(
      createRpcServer({ services: [fakeCatalog, fakeCatalog], verifier: issuer.verifier(), logger }),
    ).rejects.toThrow(/served twice/);
  });
});
