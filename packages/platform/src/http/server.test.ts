import { silentLogger } from '@only/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { NO_TENANT_ID } from './request-context.ts';
import { defineErrors, type Problem } from '../errors/index.ts';
import { idSchema } from '../ids/ids.ts';
import type { ReadinessCheck } from './health.ts';
import { pageQuerySchema, problemResponses } from './index.ts';
import { createHttpServer } from './server.ts';
import type { HttpApp } from './types.ts';

const testErrors = defineErrors('servertest', {
  thing_locked: { status: 409, title: 'The thing is locked', description: 'Unlock it first.' },
});

const thingSchema = z.object({ id: z.string(), name: z.string() });
const createThingSchema = z.object({
  name: z.string().min(1),
  email: z.email(),
  kind: z.enum(['small', 'large']),
  lines: z.array(z.object({ sku: z.string().min(1), quantity: z.number().int().positive() })).min(1),
});

const checks: ReadinessCheck[] = [];
let app: HttpApp;

beforeAll(async () => {
  app = await createHttpServer({
    logger: silentLogger(),
    docs: { title: 'Server test API', description: 'Routes of the server test.', version: '1.2.3' },
    readinessChecks: checks,
    bodyLimitBytes: 1_024,
  });
  app.get(
    '/things/:id',
    {
      schema: {
        summary: 'Get a thing',
        params: z.object({ id: idSchema('thing') }),
        response: { 200: thingSchema, ...problemResponses(400, 404) },
      },
    },
    (request) => ({ id: request.params.id, name: 'Widget' }),
  );
  app.get(
    '/things',
    {
      schema: {
        summary: 'List things',
        querystring: pageQuerySchema,
        response: { 200: z.object({ limit: z.number() }) },
      },
    },
    (request) => ({ limit: request.query.limit }),
  );
  app.post(
    '/things',
    { schema: { summary: 'Create a thing', body: createThingSchema, response: { 201: thingSchema } } },
    (request, reply) => {
      void reply.code(201);
      return { id: 'thing_1', name: request.body.name };
    },
  );
  app.post('/echo', { schema: { body: z.object({ text: z.string() }) } }, (request) => ({
    echoed: request.body.text,
  }));
  app.get('/boom', () => {
    throw new Error('connection to postgres://app:hunter2@db failed');
  });
  app.get('/locked', () => {
    throw testErrors.thing_locked('Thing thing_1 is locked by a migration', { lockedBy: 'migration' });
  });
  app.get('/whoami', (request) => request.ctx);
  await app.ready();
});

afterAll(async () => {
  await app.close();
});

afterEach(() => {
  checks.length = 0;
  vi.useRealTimers();
});

const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

function problemOf(response: { headers: Record<string, unknown>; json: () => unknown }): Problem {
  expect(response.headers['content-type']).toBe(PROBLEM_TYPE);
  return response.json() as Problem;
}

describe('request ids', () => {
  it('echoes a sane x-request-id', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/things/thing_01jd5x3b2kf9v8s7w6q4r2m1n0',
      headers: { 'x-request-id': 'req-abc_123' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-request-id']).toBe('req-abc_123');
  });

  it('generates a UUIDv7 when none (or an unusable one) is sent', async () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const none = await app.inject({ method: 'GET', url: '/health/live' });
    expect(none.headers['x-request-id']).toMatch(uuid);
    const other = await app.inject({ method: 'GET', url: '/health/live' });
    expect(other.headers['x-request-id']).not.toBe(none.headers['x-request-id']);
    for (const bad of ['has spaces', 'x'.repeat(129), '<script>']) {
      const response = await app.inject({
        method: 'GET',
        url: '/health/live',
        headers: { 'x-request-id': bad },
      });
      expect(response.headers['x-request-id']).toMatch(uuid);
    }
  });

  it('puts the request id in problem documents', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/nowhere',
      headers: { 'x-request-id': 'req-42' },
    });
    expect(problemOf(response).requestId).toBe('req-42');
  });
});

describe('request context', () => {
  it('starts with no tenant and an anonymous actor, correlated by request id', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/whoami',
      headers: { 'x-request-id': 'req-1' },
    });
    expect(response.json()).toEqual({
      tenantId: NO_TENANT_ID,
      actor: { type: 'anonymous', id: null },
      requestId: 'req-1',
      correlationId: 'req-1',
    });
  });

  it('takes the correlation id from its header, never the tenant or the actor', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/whoami',
      headers: {
        'x-request-id': 'req-2',
        'x-tenant-id': 'ten_01jd5x3b2kf9v8s7w6q4r2m1n0',
        'x-user-id': 'ada@example.com',
        'x-correlation-id': 'corr-9',
      },
    });
    expect(response.json()).toEqual({
      tenantId: NO_TENANT_ID,
      actor: { type: 'anonymous', id: null },
      requestId: 'req-2',
      correlationId: 'corr-9',
    });
  });
});

describe('errors as problem+json', () => {
  it('an unknown route is a 404 problem', async () => {
    const response = await app.inject({ method: 'GET', url: '/nowhere/at/all?x=1' });
    expect(response.statusCode).toBe(404);
    expect(problemOf(response)).toMatchObject({
      type: '/problems/platform.route_not_found',
      title: 'No such route',
      status: 404,
      code: 'platform.route_not_found',
      detail: 'No route GET /nowhere/at/all',
      instance: '/nowhere/at/all',
    });
  });

  it('malformed JSON is a 400 platform.malformed_body', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"text": ',
    });
    expect(response.statusCode).toBe(400);
    expect(problemOf(response)).toMatchObject({
      status: 400,
      code: 'platform.malformed_body',
      instance: '/echo',
    });
  });

  it('an empty JSON body is a 400 platform.malformed_body', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).code).toBe('platform.malformed_body');
  });

  it('a body in another media type is a 415', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/xml' },
      payload: '<text>hi</text>',
    });
    expect(response.statusCode).toBe(415);
    expect(problemOf(response)).toMatchObject({ status: 415, code: 'platform.unsupported_media_type' });
  });

  it('a text/plain body is a 415 too: only JSON is parsed', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'text/plain' },
      payload: '{"text":"hi"}',
    });
    expect(response.statusCode).toBe(415);
    expect(problemOf(response).code).toBe('platform.unsupported_media_type');
  });

  it('a body over the limit is a 413', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ text: 'x'.repeat(2_000) }),
    });
    expect(response.statusCode).toBe(413);
    expect(problemOf(response)).toMatchObject({ status: 413, code: 'platform.payload_too_large' });
  });

  it('a body within the limit is accepted', async () => {
    const response = await app.inject({ method: 'POST', url: '/echo', payload: { text: 'hi' } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ echoed: 'hi' });
  });

  it('an unexpected error is a 500 that reveals nothing but the request id', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/boom',
      headers: { 'x-request-id': 'req-500' },
    });
    expect(response.statusCode).toBe(500);
    const problem = problemOf(response);
    expect(problem).toEqual({
      type: '/problems/platform.internal',
      title: 'Internal error',
      status: 500,
      detail: 'An unexpected error occurred. Quote the request id when reporting it.',
      instance: '/boom',
      code: 'platform.internal',
      requestId: 'req-500',
    });
    expect(response.body).not.toContain('hunter2');
    expect(response.body).not.toContain('postgres');
    expect(response.body).not.toContain('stack');
  });

  it('an AppError renders with its status, code and extensions', async () => {
    const response = await app.inject({ method: 'GET', url: '/locked' });
    expect(response.statusCode).toBe(409);
    expect(problemOf(response)).toMatchObject({
      type: '/problems/servertest.thing_locked',
      title: 'The thing is locked',
      status: 409,
      detail: 'Thing thing_1 is locked by a migration',
      code: 'servertest.thing_locked',
      lockedBy: 'migration',
    });
  });
});

describe('validation', () => {
  it('a body failing its schema is a 400 listing every field with where it is and the rule', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/things',
      payload: { name: '', email: 'not-an-email', lines: [{ sku: 'A', quantity: 0 }, { quantity: 2.5 }] },
    });
    expect(response.statusCode).toBe(400);
    const problem = problemOf(response);
    expect(problem.code).toBe('platform.validation_failed');
    expect(problem.errors?.map(({ field, in: where, rule }) => ({ field, in: where, rule }))).toEqual([
      { field: 'name', in: 'body', rule: 'too_small' },
      { field: 'email', in: 'body', rule: 'format:email' },
      { field: 'kind', in: 'body', rule: 'required' },
      { field: 'lines[0].quantity', in: 'body', rule: 'too_small' },
      { field: 'lines[1].sku', in: 'body', rule: 'required' },
      { field: 'lines[1].quantity', in: 'body', rule: 'invalid_type' },
    ]);
    for (const error of problem.errors ?? []) expect(error.message).not.toBe('');
    expect(problem.detail).toContain('lines[0].quantity (body): too_small');
  });

  it('a request without a body names every required field', async () => {
    const response = await app.inject({ method: 'POST', url: '/things' });
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).errors?.map((e) => [e.field, e.in, e.rule])).toEqual([
      ['name', 'body', 'required'],
      ['email', 'body', 'required'],
      ['kind', 'body', 'required'],
      ['lines', 'body', 'required'],
    ]);
  });

  it('a valid body passes and the handler sets the status', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/things',
      payload: {
        name: 'Widget',
        email: 'ada@example.com',
        kind: 'small',
        lines: [{ sku: 'A', quantity: 1 }],
      },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ id: 'thing_1', name: 'Widget' });
  });

  it('query and path parameters are validated and named by location', async () => {
    const query = await app.inject({ method: 'GET', url: '/things?limit=0' });
    expect(query.statusCode).toBe(400);
    expect(problemOf(query).errors?.map((e) => [e.field, e.in, e.rule])).toEqual([
      ['limit', 'query', 'too_small'],
    ]);

    const coerced = await app.inject({ method: 'GET', url: '/things?limit=7' });
    expect(coerced.json()).toEqual({ limit: 7 });

    const params = await app.inject({ method: 'GET', url: '/things/not-an-id' });
    expect(params.statusCode).toBe(400);
    expect(problemOf(params).errors?.map((e) => [e.field, e.in, e.rule])).toEqual([['id', 'params', 'id']]);
  });
});

describe('health', () => {
  it('/health/live answers ok', async () => {
    const response = await app.inject({ method: 'GET', url: '/health/live' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('/health/ready is 200 when every check passes', async () => {
    checks.push({ name: 'database', check: () => Promise.resolve(true) }, { name: 'bus', check: () => true });
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(200);
    const body = response.json<{
      status: string;
      checks: Record<string, { status: string; critical: boolean }>;
    }>();
    expect(body.status).toBe('ready');
    expect(body.checks).toEqual({
      database: { status: 'up', critical: true, ms: expect.any(Number) as number },
      bus: { status: 'up', critical: true, ms: expect.any(Number) as number },
    });
  });

  it('/health/ready is 200 with no checks at all', async () => {
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', checks: {} });
  });

  it('/health/ready is 503 when a critical check fails or answers false', async () => {
    checks.push(
      { name: 'database', check: () => Promise.reject(new Error('connection refused')) },
      { name: 'bus', check: () => false },
      { name: 'cache', check: () => Promise.resolve(undefined) },
      {
        name: 'broken',
        check: () => {
          throw new Error('threw synchronously');
        },
      },
    );
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      status: 'unavailable',
      checks: {
        database: {
          status: 'down',
          critical: true,
          ms: expect.any(Number) as number,
          error: 'connection refused',
        },
        bus: { status: 'down', critical: true, ms: expect.any(Number) as number },
        cache: { status: 'up', critical: true, ms: expect.any(Number) as number },
        broken: {
          status: 'down',
          critical: true,
          ms: expect.any(Number) as number,
          error: 'threw synchronously',
        },
      },
    });
  });

  it('/health/ready is 200 when only a non-critical check fails', async () => {
    checks.push(
      { name: 'database', check: () => true },
      { name: 'cache', critical: false, check: () => Promise.reject(new Error('redis down')) },
    );
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ status: string; checks: Record<string, unknown> }>();
    expect(body.status).toBe('ready');
    expect(body.checks.cache).toEqual({
      status: 'down',
      critical: false,
      ms: expect.any(Number) as number,
      error: 'redis down',
    });
  });

  it('/health/ready is 503 when a critical check does not answer in time', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    checks.push(
      { name: 'database', check: () => true },
      { name: 'upstream', check: () => new Promise<boolean>(() => undefined) },
    );
    const pending = app.inject({ method: 'GET', url: '/health/ready' });
    await vi.advanceTimersByTimeAsync(2_000);
    const response = await pending;
    expect(response.statusCode).toBe(503);
    const body = response.json<{
      status: string;
      checks: Record<string, { status: string; error?: string }>;
    }>();
    expect(body.status).toBe('unavailable');
    expect(body.checks.database?.status).toBe('up');
    expect(body.checks.upstream).toMatchObject({ status: 'down', error: 'no answer within 2000 ms' });
  });

  it('reads checks added after the server was created', async () => {
    const before = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(before.statusCode).toBe(200);
    checks.push({ name: 'late', check: () => false });
    const after = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(after.statusCode).toBe(503);
  });
});

describe('/metrics', () => {
  it('counts requests by route template, never by concrete path', async () => {
    const id = 'thing_01jd5x3b2kf9v8s7w6q4r2m1n0';
    const okSeries = 'http_requests_total{method="GET",route="/things/:id",status_code="200"}';
    const countOf = (text: string) =>
      Number(
        text
          .split('\n')
          .find((l) => l.startsWith(`${okSeries} `))
          ?.split(' ')
          .at(-1) ?? 0,
      );
    const before = countOf((await app.inject({ method: 'GET', url: '/metrics' })).body);
    for (let i = 0; i < 3; i++) {
      expect((await app.inject({ method: 'GET', url: `/things/${id}` })).statusCode).toBe(200);
    }
    await app.inject({ method: 'GET', url: '/things/not-an-id' });
    await app.inject({ method: 'GET', url: `/no/such/route/${id}` });

    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.body;
    expect(text).toContain('# TYPE http_requests_total counter');
    expect(countOf(text) - before).toBe(3);
    expect(text).toContain('http_requests_total{method="GET",route="/things/:id",status_code="400"}');
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="0.001",method="GET",route="/things/:id",status_code="200"}',
    );
    expect(text).not.toContain(id);
    expect(text).not.toContain('not-an-id');
    // Process metrics are collected too.
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});

describe('/docs/json', () => {
  it('is an OpenAPI 3.1 document listing the routes and their schemas', async () => {
    const response = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json<{
      openapi: string;
      info: { title: string; version: string };
      paths: Record<
        string,
        Record<string, { summary?: string; requestBody?: unknown; responses?: Record<string, unknown> }>
      >;
    }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Server test API', version: '1.2.3' });
    expect(doc.paths['/things/{id}']?.get?.summary).toBe('Get a thing');
    expect(Object.keys(doc.paths['/things/{id}']?.get?.responses ?? {}).sort()).toEqual([
      '200',
      '400',
      '404',
    ]);
    expect(doc.paths['/things']?.get?.summary).toBe('List things');
    expect(doc.paths['/things']?.post?.summary).toBe('Create a thing');
    expect(doc.paths['/things']?.post?.requestBody).toBeDefined();
    expect(doc.paths['/health/ready']?.get).toBeDefined();
    expect(doc.paths['/problems']?.get).toBeDefined();
    // Hidden routes stay out of the docs.
    expect(doc.paths['/metrics']).toBeUndefined();
  });
});

describe('/problems', () => {
  it('lists every error code', async () => {
    const response = await app.inject({ method: 'GET', url: '/problems' });
    expect(response.statusCode).toBe(200);
    const { items } = response.json<{ items: { code: string; status: number; title: string }[] }>();
    const codes = items.map((i) => i.code);
    expect(codes).toContain('platform.validation_failed');
    expect(codes).toContain('platform.route_not_found');
    expect(items.find((i) => i.code === 'servertest.thing_locked')).toEqual({
      code: 'servertest.thing_locked',
      status: 409,
      title: 'The thing is locked',
      description: 'Unlock it first.',
    });
  });

  it('explains one code, and 404s for an unknown one', async () => {
    const known = await app.inject({ method: 'GET', url: '/problems/platform.idempotency_key_reused' });
    expect(known.statusCode).toBe(200);
    expect(known.json()).toMatchObject({ code: 'platform.idempotency_key_reused', status: 422 });

    const unknown = await app.inject({ method: 'GET', url: '/problems/nope.nothing' });
    expect(unknown.statusCode).toBe(404);
    expect(problemOf(unknown).code).toBe('platform.not_found');
  });
});
