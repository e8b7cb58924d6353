import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp, createOrdersModule, type OrdersModule } from '@only/orders';
import { InMemoryBus } from '@only/platform/bus';
import type { HttpApp } from '@only/platform/http';
import { DEMO_TENANT_ID } from '@only/platform/context';
import { newId } from '@only/platform/ids';
import { createTestDatabase, silentLogger, TestIssuer, type TestDatabase } from '@only/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGateway } from '../src/app.ts';

const customerBody = (email: string) => ({ email, name: 'Gateway Test' });

describe('embedded mode: services mounted in the gateway', () => {
  let database: TestDatabase;
  let gateway: HttpApp;
  let module: OrdersModule;
  let auth: { authorization: string };

  beforeAll(async () => {
    const issuer = await TestIssuer.create();
    auth = await issuer.headers({ tenantId: DEMO_TENANT_ID });
    database = await createTestDatabase();
    const bus = new InMemoryBus();
    module = createOrdersModule({
      db: database.handle.db,
      pingDatabase: database.handle.ping,
      bus,
      logger: silentLogger(),
    });
    await database.handle.migrate(module.migrations);
    gateway = await buildGateway({
      logger: silentLogger(),
      modules: [module],
      mode: 'embedded',
      auth: issuer.verifier(),
    });
  });
  afterAll(async () => {
    await gateway.close();
    await database.close();
  });

  it('serves a service under /api/<service>', async () => {
    const created = await gateway.inject({
      method: 'POST',
      url: '/api/orders/customers',
      headers: auth,
      payload: customerBody('a@gw.test'),
    });
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: string }>().id;
    const read = await gateway.inject({ method: 'GET', url: `/api/orders/customers/${id}`, headers: auth });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ id, email: 'a@gw.test' });
  });

  it('keeps idempotency working through the gateway', async () => {
    const request = {
      method: 'POST' as const,
      url: '/api/orders/customers',
      headers: { ...auth, 'idempotency-key': 'gw-key-1' },
      payload: customerBody('idem@gw.test'),
    };
    const first = await gateway.inject(request);
    const second = await gateway.inject(request);
    expect(second.statusCode).toBe(first.statusCode);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
  });

  it('lists its services at / and documents every service route in one OpenAPI document', async () => {
    const root = await gateway.inject({ method: 'GET', url: '/' });
    expect(root.json()).toMatchObject({
      mode: 'embedded',
      services: [{ name: 'orders', path: '/api/orders' }],
    });
    const docs = await gateway.inject({ method: 'GET', url: '/docs/json' });
    const document = docs.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/orders/orders', '/api/orders/orders/{id}', '/api/orders/customers/{id}']),
    );
  });

  it('is ready when every mounted service is', async () => {
    const ready = await gateway.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(Object.keys(ready.json<{ checks: object }>().checks)).toEqual(['orders.database', 'orders.bus']);
  });

  it('answers unknown routes with a problem document', async () => {
    const response = await gateway.inject({ method: 'GET', url: '/api/nope/things' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });
});

describe('distributed mode: the gateway proxies to service URLs', () => {
  let database: TestDatabase;
  let service: HttpApp;
  let gateway: HttpApp;
  let serviceUrl: string;
  let issuer: TestIssuer;
  let auth: { authorization: string };

  beforeAll(async () => {
    issuer = await TestIssuer.create();
    auth = await issuer.headers({ tenantId: DEMO_TENANT_ID });
    database = await createTestDatabase();
    const built = await buildApp(
      {
        db: database.handle.db,
        pingDatabase: database.handle.ping,
        bus: new InMemoryBus(),
        logger: silentLogger(),
      },
      issuer.verifier(),
    );
    await database.handle.migrate(built.module.migrations);
    service = built.app;
    serviceUrl = await service.listen({ port: 0, host: '127.0.0.1' });
    gateway = await buildGateway({
      logger: silentLogger(),
      upstreams: [{ name: 'orders', urls: [serviceUrl] }],
      mode: 'distributed',
      auth: issuer.verifier(),
    });
  });
  afterAll(async () => {
    await gateway.close();
    await service.close();
    await database.close();
  });

  it('forwards method, path, query, body and token; returns the service response', async () => {
    const tenantAuth = await issuer.headers({ tenantId: newId('ten') });
    const created = await gateway.inject({
      method: 'POST',
      url: '/api/orders/customers',
      headers: tenantAuth,
      payload: customerBody('proxy@gw.test'),
    });
    expect(created.statusCode).toBe(201);
    const listed = await gateway.inject({
      method: 'GET',
      url: '/api/orders/customers?q=proxy&limit=5',
      headers: tenantAuth,
    });
    expect(listed.json<{ items: { email: string }[] }>().items.map((c) => c.email)).toEqual([
      'proxy@gw.test',
    ]);
    const otherTenant = await gateway.inject({
      method: 'GET',
      url: '/api/orders/customers?q=proxy',
      headers: auth,
    });
    expect(otherTenant.json<{ items: unknown[] }>().items).toEqual([]);
  });

  it('passes the request id through to the service and back', async () => {
    const response = await gateway.inject({
      method: 'GET',
      url: '/api/orders/orders/ord_01m80n5wh0fq8bg2x0v9vtay4p',
      headers: { ...auth, 'x-request-id': 'trace-me-123' },
    });
    expect(response.statusCode).toBe(404);
    expect(response.headers['x-request-id']).toBe('trace-me-123');
    expect(response.json()).toMatchObject({ code: 'orders.order_not_found', requestId: 'trace-me-123' });
  });

  it('relays validation problems from the service unchanged', async () => {
    const response = await gateway.inject({
      method: 'POST',
      url: '/api/orders/customers',
      headers: auth,
      payload: { name: '' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual([
      'email',
      'name',
    ]);
  });

  it('replays idempotent POSTs through the proxy', async () => {
    const request = {
      method: 'POST' as const,
      url: '/api/orders/customers',
      headers: { ...auth, 'idempotency-key': 'proxy-key-1' },
      payload: customerBody('proxy-idem@gw.test'),
    };
    const first = await gateway.inject(request);
    const second = await gateway.inject(request);
    expect(first.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toBe(first.body);
  });

  it('reports readiness from the service', async () => {
    const ready = await gateway.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ checks: { orders: { status: 'up' } } });
  });
});

describe('distributed mode: upstream failures', () => {
  let slow: Server;
  let gateway: HttpApp;

  beforeAll(async () => {
    slow = createServer((_request, response) => {
      setTimeout(() => response.end('late'), 2_000).unref();
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
    gateway = await buildGateway({
      logger: silentLogger(),
      upstreams: [
        { name: 'orders', urls: ['http://127.0.0.1:1'] },
        { name: 'slow', urls: [slowUrl] },
      ],
      mode: 'distributed',
      upstreamTimeoutMs: 200,
      auth: (await TestIssuer.create()).verifier(),
    });
  });
  afterAll(async () => {
    await gateway.close();
    slow.closeAllConnections();
    await new Promise((resolve) => slow.close(resolve));
  });

  it('answers 502 when a service cannot be reached', async () => {
    const response = await gateway.inject({ method: 'GET', url: '/api/orders/orders' });
    expect(response.statusCode).toBe(502);
    expect(response.json()).toMatchObject({ code: 'platform.bad_gateway' });
  });

  it('answers 504 when a service does not answer in time', async () => {
    const response = await gateway.inject({ method: 'GET', url: '/api/slow/anything' });
    expect(response.statusCode).toBe(504);
    expect(response.json()).toMatchObject({ code: 'platform.upstream_timeout' });
  });

  it('is not ready while a service is down', async () => {
    const ready = await gateway.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'unavailable', checks: { orders: { status: 'down' } } });
  });
});
