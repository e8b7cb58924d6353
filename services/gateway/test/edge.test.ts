// The gateway's security edge: client address rules, secure headers, CORS from allowed origins,
// token verification before any service, rate limits (in memory, and shared through Redis), and
// body limits — in front of an in-process service and of a proxied one.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpApp } from '@only/platform/http';
import { newId } from '@only/platform/ids';
import { RedisTestServer, silentLogger, TestIssuer } from '@only/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGateway } from '../src/app.ts';
import { edgeLimitsConfigSchema, edgeLimitsFrom, type TrustProxy } from '../src/config.ts';
import { parseIpRules } from '../src/edge/ip-rules.ts';

let issuer: TestIssuer;
let upstream: Server;
let upstreamUrl: string;
let upstreamHits = 0;

beforeAll(async () => {
  issuer = await TestIssuer.create();
  // A stand-in service that answers everything, so only the edge decides.
  upstream = createServer((request, response) => {
    upstreamHits++;
    request.resume();
    request.on('end', () => {
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({ path: request.url, authorization: request.headers.authorization ?? null }),
      );
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${String((upstream.address() as AddressInfo).port)}`;
});

afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

function gatewayWith(edge: Parameters<typeof buildGateway>[0]['edge'] = {}, bodyLimitBytes?: number) {
  return buildGateway({
    logger: silentLogger(),
    upstreams: [{ name: 'things', urls: [upstreamUrl] }],
    mode: 'distributed',
    auth: issuer.verifier(),
    edge,
    ...(bodyLimitBytes === undefined ? {} : { bodyLimitBytes }),
  });
}

describe('tokens at the edge', () => {
  let gateway: HttpApp;
  beforeAll(async () => {
    gateway = await gatewayWith();
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('refuses an invalid token before the service sees the request', async () => {
    const before = upstreamHits;
    const expired = await issuer.token({ tenantId: newId('ten'), expiresInSeconds: -60 });
    const response = await gateway.inject({
      method: 'GET',
      url: '/api/things/x',
      headers: { authorization: `Bearer ${expired}` },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'platform.unauthenticated' });
    expect(upstreamHits).toBe(before);
  });

  it('forwards a valid token to the service, which enforces its own permissions', async () => {
    const token = await issuer.token({ tenantId: newId('ten') });
    const response = await gateway.inject({
      method: 'GET',
      url: '/api/things/x',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.json()).toEqual({ path: '/x', authorization: `Bearer ${token}` });
  });

  it('sets secure headers on every response', async () => {
    const response = await gateway.inject({ method: 'GET', url: '/health/live' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toContain('max-age=');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
  });
});

describe('rate limits', () => {
  let gateway: HttpApp;
  beforeAll(async () => {
    gateway = await gatewayWith({ perIpPerMinute: 5, perTenantPerMinute: 3 });
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('answers 429 with Retry-After once an address spent its budget', async () => {
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 7; i++) {
      last = await gateway.inject({ method: 'GET', url: '/api/things/ip', remoteAddress: '192.0.2.10' });
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(Number(last?.headers['retry-after'])).toBeGreaterThan(0);
    expect(last?.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(last?.json()).toMatchObject({ code: 'platform.rate_limited' });
    // Another address is not affected.
    const other = await gateway.inject({ method: 'GET', url: '/api/things/ip', remoteAddress: '192.0.2.11' });
    expect(other.statusCode).toBe(200);
  });

  it("counts a tenant's users together across addresses, apart from other tenants", async () => {
    const tenant = newId('ten');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const token = await issuer.token({ tenantId: tenant });
      const response = await gateway.inject({
        method: 'GET',
        url: '/api/things/tenant',
        remoteAddress: `198.51.100.${String(i + 1)}`,
        headers: { authorization: `Bearer ${token}` },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const otherTenant = await issuer.token({ tenantId: newId('ten') });
    const response = await gateway.inject({
      method: 'GET',
      url: '/api/things/tenant',
      remoteAddress: '198.51.100.9',
      headers: { authorization: `Bearer ${otherTenant}` },
    });
    expect(response.statusCode).toBe(200);
  });
});

describe.skipIf(process.env.REDIS_URL === undefined)('rate limits shared through Redis', () => {
  let redisServer: RedisTestServer;
  const clients: Redis[] = [];
  const gateways: HttpApp[] = [];

  beforeAll(async () => {
    redisServer = await RedisTestServer.start();
    for (let i = 0; i < 2; i++) {
      const redis = new Redis({ port: redisServer.port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
      clients.push(redis);
      gateways.push(await gatewayWith({ perIpPerMinute: 4, redis }));
    }
  });
  afterAll(async () => {
    for (const gateway of gateways) await gateway.close();
    for (const client of clients) client.disconnect();
    await redisServer.stop();
  });

  it('spends one budget across gateway replicas', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const gateway = gateways[i % 2];
      const response = await gateway?.inject({
        method: 'GET',
        url: '/api/things/r',
        remoteAddress: '203.0.113.5',
      });
      statuses.push(response?.statusCode ?? 0);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });
});

describe('address rules', () => {
  let gateway: HttpApp;
  beforeAll(async () => {
    gateway = await gatewayWith({
      ipRules: [
        ...parseIpRules('/api/things/admin=10.0.0.0/8,127.0.0.1', 'allow'),
        ...parseIpRules('/api=203.0.113.0/24', 'deny'),
      ],
    });
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('lets only allowed addresses reach an allow-listed route group', async () => {
    const inside = await gateway.inject({
      method: 'GET',
      url: '/api/things/admin/x',
      remoteAddress: '10.1.2.3',
    });
    const outside = await gateway.inject({
      method: 'GET',
      url: '/api/things/admin/x',
      remoteAddress: '192.0.2.1',
    });
    expect(inside.statusCode).toBe(200);
    expect(outside.statusCode).toBe(403);
    expect(outside.json()).toMatchObject({ code: 'gateway.ip_denied' });
  });

  it('refuses denied addresses, and leaves other routes and addresses alone', async () => {
    const denied = await gateway.inject({
      method: 'GET',
      url: '/api/things/y',
      remoteAddress: '203.0.113.77',
    });
    const other = await gateway.inject({ method: 'GET', url: '/api/things/y', remoteAddress: '192.0.2.1' });
    expect(denied.statusCode).toBe(403);
    expect(other.statusCode).toBe(200);
  });

  it('rejects rules it cannot read at boot', () => {
    expect(() => parseIpRules('/api=not-an-ip', 'deny')).toThrow(/not an IP address/);
    expect(() => parseIpRules('api=10.0.0.1', 'deny')).toThrow(/path prefix/);
  });
});

describe('CORS', () => {
  let gateway: HttpApp;
  beforeAll(async () => {
    gateway = await gatewayWith({
      allowedOrigins: () => Promise.resolve(new Set(['https://shop.acme.example'])),
    });
  });
  afterAll(async () => {
    await gateway.close();
  });

  it("answers a preflight from a tenant's allowed origin", async () => {
    const response = await gateway.inject({
      method: 'OPTIONS',
      url: '/api/things/x',
      headers: {
        origin: 'https://shop.acme.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,idempotency-key',
      },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('https://shop.acme.example');
    expect(response.headers['access-control-allow-headers']).toContain('idempotency-key');
  });

  it('gives no CORS headers to an origin no tenant allows', async () => {
    const response = await gateway.inject({
      method: 'GET',
      url: '/api/things/x',
      headers: { origin: 'https://evil.example' },
    });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('body limits', () => {
  let gateway: HttpApp;
  beforeAll(async () => {
    gateway = await gatewayWith({}, 1_000);
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('refuses a proxied body over the limit with 413, without reaching the service', async () => {
    const before = upstreamHits;
    const response = await gateway.inject({
      method: 'POST',
      url: '/api/things/big',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ blob: 'x'.repeat(2_000) }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'platform.payload_too_large' });
    expect(upstreamHits).toBe(before);
  });

  it('passes a body within the limit', async () => {
    const response = await gateway.inject({
      method: 'POST',
      url: '/api/things/small',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ blob: 'x'.repeat(100) }),
    });
    expect(response.statusCode).toBe(200);
  });
});

describe('client address behind a proxy', () => {
  const build = (trustProxy: TrustProxy) =>
    buildGateway({
      logger: silentLogger(),
      upstreams: [{ name: 'things', urls: [upstreamUrl] }],
      mode: 'distributed',
      auth: issuer.verifier(),
      trustProxy,
      edge: { perIpPerMinute: 2, ipRules: parseIpRules('/api=203.0.113.0/24', 'deny') },
    });
  const via = (gateway: HttpApp, proxy: string, client: string) =>
    gateway.inject({
      method: 'GET',
      url: '/api/things/p',
      remoteAddress: proxy,
      headers: { 'x-forwarded-for': client },
    });

  it('believes X-Forwarded-For only from a trusted proxy: limits and rules see the client', async () => {
    const gateway = await build(
      edgeLimitsFrom(edgeLimitsConfigSchema.parse({ GATEWAY_TRUST_PROXY: '10.0.0.0/8' })).trustProxy,
    );
    try {
      const first = [
        await via(gateway, '10.0.0.5', '192.0.2.1'),
        await via(gateway, '10.0.0.5', '192.0.2.1'),
      ];
      // A third from the same client is over its budget; another client behind the proxy is not.
      const third = await via(gateway, '10.0.0.5', '192.0.2.1');
      const neighbour = await via(gateway, '10.0.0.5', '192.0.2.2');
      expect([...first, third, neighbour].map((r) => r.statusCode)).toEqual([200, 200, 429, 200]);
      expect((await via(gateway, '10.0.0.5', '203.0.113.9')).statusCode).toBe(403);
      // From an untrusted address the header is ignored: the denied network cannot be smuggled
      // around, nor can a client choose a fresh address per request.
      const spoofed = [
        await via(gateway, '192.0.2.50', '192.0.2.60'),
        await via(gateway, '192.0.2.50', '192.0.2.61'),
      ];
      expect([...spoofed, await via(gateway, '192.0.2.50', '192.0.2.62')].map((r) => r.statusCode)).toEqual([
        200, 200, 429,
      ]);
    } finally {
      await gateway.close();
    }
  });

  it('trusts no proxy by default', async () => {
    const gateway = await build(edgeLimitsFrom(edgeLimitsConfigSchema.parse({})).trustProxy);
    try {
      const statuses = [];
      for (const client of ['192.0.2.1', '192.0.2.2', '192.0.2.3'])
        statuses.push((await via(gateway, '10.0.0.5', client)).statusCode);
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await gateway.close();
    }
  });

  it('reads GATEWAY_TRUST_PROXY as off, on, a hop count or addresses, and names a bad entry', () => {
    const parse = (value: string) => edgeLimitsConfigSchema.safeParse({ GATEWAY_TRUST_PROXY: value });
    expect(parse('false').data?.GATEWAY_TRUST_PROXY).toBe(false);
    expect(parse('true').data?.GATEWAY_TRUST_PROXY).toBe(true);
    expect(parse('2').data?.GATEWAY_TRUST_PROXY).toBe(2);
    expect(parse('10.0.0.0/8, ::1,127.0.0.1').data?.GATEWAY_TRUST_PROXY).toEqual([
      '10.0.0.0/8',
      '::1',
      '127.0.0.1',
    ]);
    const bad = parse('10.0.0.0/33,proxy.local');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toContain('10.0.0.0/33, proxy.local');
  });
});
