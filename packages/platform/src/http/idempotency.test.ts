import { createPlatformSchema, createTestDatabase, silentLogger, type TestDatabase } from '@only/testing';
import { asc, count } from 'drizzle-orm';
import { pgSchema, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { platformTables } from '../db/platform-tables.ts';
import { executor } from '../db/transaction.ts';
import { AppError, platformErrors, type Problem } from '../errors/index.ts';
import { canonicalJson, enableIdempotency, IdempotencyStore } from './idempotency.ts';
import { createHttpServer } from './server.ts';
import type { HttpApp } from './types.ts';

const schema = pgSchema('test_platform');
const tables = platformTables(schema);
const orders = schema.table('orders', { id: text('id').primaryKey(), item: text('item').notNull() });

const TENANT = 'ten_01m80n5wh0fq8bg2x0v9vtay4p';
const OTHER_TENANT = 'ten_01jd5x3b2kf9v8s7w6q4r2m1n0';

let testDb: TestDatabase;
let db: Database;
let store: IdempotencyStore;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.handle.db;
  await createPlatformSchema(db, 'test_platform');
  await db.execute('create table test_platform.orders (id text primary key, item text not null)');
  store = new IdempotencyStore(db, tables.idempotencyKeys);
});

afterAll(async () => {
  await testDb.close();
});

beforeEach(async () => {
  await db.execute('truncate test_platform.idempotency_keys, test_platform.orders');
});

const storedKeys = () => db.select().from(tables.idempotencyKeys).orderBy(asc(tables.idempotencyKeys.key));
const orderCount = async () => (await db.select({ n: count() }).from(orders))[0]?.n ?? 0;

/** The AppError a promise rejects with. */
async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('canonicalJson', () => {
  it('does not depend on key order, at any depth', () => {
    const a = { b: 1, a: { y: [1, { q: 1, p: 2 }], x: 'x' }, c: null };
    const b = { c: null, a: { x: 'x', y: [1, { p: 2, q: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"x":"x","y":[1,{"p":2,"q":1}]},"b":1,"c":null}');
  });

  it('drops undefined members like JSON does', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(canonicalJson({ nested: { gone: undefined } })).toBe('{"nested":{}}');
  });

  it('keeps array order and renders undefined array items as null, like JSON.stringify', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
    expect(canonicalJson([1, undefined, 3])).toBe(JSON.stringify([1, undefined, 3]));
  });

  it('tells different values apart', () => {
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
    expect(canonicalJson({ a: null })).not.toBe(canonicalJson({}));
    expect(canonicalJson({ 'a,b': 1 })).not.toBe(canonicalJson({ a: 1, b: 1 }));
  });

  it('renders scalars and the absence of a body', () => {
    expect(canonicalJson('x"y')).toBe('"x\\"y"');
    expect(canonicalJson(12.5)).toBe('12.5');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('agrees with JSON.parse of its own output', () => {
    const value = { z: [{ b: 'é', a: '\u2028' }], a: -0.5, m: { k: [true, false, null] } };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });
});

describe('IdempotencyStore.execute', () => {
  const request = (overrides: Partial<{ tenantId: string; key: string; fingerprint: string }> = {}) => ({
    tenantId: TENANT,
    key: 'key-1',
    fingerprint: 'fp-1',
    method: 'POST',
    path: '/orders',
    ...overrides,
  });

  it('runs the first request and stores its response', async () => {
    let runs = 0;
    const outcome = await store.execute(request(), () => {
      runs++;
      return Promise.resolve({
        statusCode: 201,
        body: { id: 'ord_1', lines: [1, 2] },
        headers: { location: '/orders/ord_1' },
      });
    });
    expect(outcome).toEqual({
      statusCode: 201,
      body: { id: 'ord_1', lines: [1, 2] },
      headers: { location: '/orders/ord_1' },
      replayed: false,
    });
    expect(runs).toBe(1);
    const rows = await storedKeys();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      tenantId: TENANT,
      key: 'key-1',
      fingerprint: 'fp-1',
      method: 'POST',
      path: '/orders',
      statusCode: 201,
      responseBody: { id: 'ord_1', lines: [1, 2] },
      responseHeaders: { location: '/orders/ord_1' },
    });
  });

  it('replays the stored response for the same key and fingerprint without running again', async () => {
    let runs = 0;
    const run = () => {
      runs++;
      return Promise.resolve({
        statusCode: 201,
        body: { id: `ord_${runs}` },
        headers: { location: `/orders/ord_${runs}` },
      });
    };
    await store.execute(request(), run);
    const replay = await store.execute(request(), run);
    expect(replay).toEqual({
      statusCode: 201,
      body: { id: 'ord_1' },
      headers: { location: '/orders/ord_1' },
      replayed: true,
    });
    expect(runs).toBe(1);
    expect(await storedKeys()).toHaveLength(1);
  });

  it('rejects the same key with another fingerprint as a 422 platform.idempotency_key_reused', async () => {
    await store.execute(request(), () =>
      Promise.resolve({ statusCode: 201, body: { id: 'ord_1' }, headers: {} }),
    );
    let ran = false;
    const error = await rejection(
      store.execute(request({ fingerprint: 'fp-2' }), () => {
        ran = true;
        return Promise.resolve({ statusCode: 201, body: {}, headers: {} });
      }),
    );
    expect(error.status).toBe(422);
    expect(error.code).toBe('platform.idempotency_key_reused');
    expect(error.extensions).toEqual({ field: 'Idempotency-Key' });
    expect(error.detail).toContain('POST /orders');
    expect(ran).toBe(false);
    // The first response is untouched.
    expect((await storedKeys())[0]).toMatchObject({ fingerprint: 'fp-1', responseBody: { id: 'ord_1' } });
  });

  it('stores nothing when run() throws, so the key can be used again', async () => {
    const failure = new Error('handler failed');
    await expect(
      store.execute(request(), async () => {
        await executor(db).insert(orders).values({ id: 'ord_1', item: 'lost' });
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await storedKeys()).toEqual([]);
    // The request's own writes rolled back with it.
    expect(await orderCount()).toBe(0);

    const retry = await store.execute(request(), () =>
      Promise.resolve({ statusCode: 201, body: { id: 'ord_2' }, headers: {} }),
    );
    expect(retry).toEqual({ statusCode: 201, body: { id: 'ord_2' }, headers: {}, replayed: false });
  });

  it('keys are per tenant', async () => {
    await store.execute(request(), () =>
      Promise.resolve({ statusCode: 201, body: { tenant: 1 }, headers: {} }),
    );
    const other = await store.execute(request({ tenantId: OTHER_TENANT, fingerprint: 'fp-other' }), () =>
      Promise.resolve({ statusCode: 201, body: { tenant: 2 }, headers: {} }),
    );
    expect(other).toEqual({ statusCode: 201, body: { tenant: 2 }, headers: {}, replayed: false });
    expect(await storedKeys()).toHaveLength(2);
  });

  it('a key whose first request is still in progress is a 409', async () => {
    await db.insert(tables.idempotencyKeys).values({
      tenantId: TENANT,
      key: 'key-1',
      fingerprint: 'fp-1',
      method: 'POST',
      path: '/orders',
    });
    const error = await rejection(
      store.execute(request(), () => Promise.resolve({ statusCode: 201, body: {}, headers: {} })),
    );
    expect(error.status).toBe(409);
    expect(error.code).toBe('platform.conflict');
  });

  it('concurrent requests with one key run once; the other replays', async () => {
    let runs = 0;
    const run = async () => {
      runs++;
      await executor(db)
        .insert(orders)
        .values({ id: `ord_${runs}`, item: 'x' });
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { statusCode: 201, body: { id: `ord_${runs}` }, headers: {} };
    };
    const outcomes = await Promise.all([store.execute(request(), run), store.execute(request(), run)]);
    expect(runs).toBe(1);
    expect(outcomes.map((o) => o.replayed).sort()).toEqual([false, true]);
    expect(outcomes.map((o) => o.body)).toEqual([{ id: 'ord_1' }, { id: 'ord_1' }]);
    expect(await orderCount()).toBe(1);
  });
});

describe('enableIdempotency over HTTP', () => {
  let app: HttpApp;
  const runs = { orders: 0, flaky: 0, tokens: 0 };

  beforeAll(async () => {
    app = await createHttpServer({
      logger: silentLogger(),
      docs: { title: 'Idempotency test', description: 'Idempotent routes.', version: '1.0.0' },
    });
    // The tenant a verified token would give, here from a test header.
    app.addHook('onRequest', (request, _reply, done) => {
      const tenant = request.headers['x-test-tenant'];
      if (typeof tenant === 'string') request.ctx = { ...request.ctx, tenantId: tenant };
      done();
    });
    enableIdempotency(app, store);
    const body = z.object({ item: z.string(), quantity: z.number().int().positive() });
    app.post('/orders', { schema: { body } }, async (request, reply) => {
      runs.orders++;
      const id = `ord_${runs.orders}`;
      await executor(db).insert(orders).values({ id, item: request.body.item });
      void reply.code(201).header('location', `/orders/${id}`).header('x-not-replayed', 'transport detail');
      return { id, item: request.body.item, quantity: request.body.quantity };
    });
    app.post('/flaky', { schema: { body } }, async (request, reply) => {
      runs.flaky++;
      await executor(db)
        .insert(orders)
        .values({ id: `flaky_${runs.flaky}`, item: request.body.item });
      if (runs.flaky === 1) throw platformErrors.unavailable('Try again');
      void reply.code(201);
      return { attempt: runs.flaky };
    });
    app.post('/tokens', { config: { idempotent: false } }, () => {
      runs.tokens++;
      return { token: runs.tokens };
    });
    app.get('/orders', () => ({ orders: runs.orders }));
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => {
    runs.orders = 0;
    runs.flaky = 0;
    runs.tokens = 0;
  });

  const post = (url: string, payload: unknown, key?: string, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url,
      payload: payload as Record<string, unknown>,
      headers: { ...(key === undefined ? {} : { 'idempotency-key': key }), ...headers },
    });

  it('replays the first response for the same key and body', async () => {
    const first = await post('/orders', { item: 'book', quantity: 2 }, 'order-123');
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({ id: 'ord_1', item: 'book', quantity: 2 });
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    // Same body with its keys in another order is the same request.
    const second = await post('/orders', { quantity: 2, item: 'book' }, 'order-123');
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect(second.body).toBe(first.body);
    // Headers that describe the outcome are replayed; others are not.
    expect(first.headers.location).toBe('/orders/ord_1');
    expect(second.headers.location).toBe('/orders/ord_1');
    expect(first.headers['x-not-replayed']).toBe('transport detail');
    expect(second.headers['x-not-replayed']).toBeUndefined();

    expect(runs.orders).toBe(1);
    expect(await orderCount()).toBe(1);
    expect((await storedKeys()).map((k) => [k.key, k.statusCode])).toEqual([['order-123', 201]]);
  });

  it('rejects the same key with another body as a 422', async () => {
    await post('/orders', { item: 'book', quantity: 2 }, 'order-123');
    const response = await post('/orders', { item: 'book', quantity: 3 }, 'order-123');
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.json<Problem>()).toMatchObject({
      status: 422,
      code: 'platform.idempotency_key_reused',
      field: 'Idempotency-Key',
    });
    expect(runs.orders).toBe(1);
  });

  it('rejects the same key on another path as a 422', async () => {
    await post('/orders', { item: 'book', quantity: 2 }, 'shared-key');
    const response = await post('/flaky', { item: 'book', quantity: 2 }, 'shared-key');
    expect(response.statusCode).toBe(422);
    expect(runs.flaky).toBe(0);
  });

  it.each([
    ['a key with a space', 'has space'],
    ['a key that is too long', 'k'.repeat(256)],
    ['a key with non-ASCII characters', 'clé'],
  ])('rejects %s as a 400 before running the handler', async (_name, key) => {
    const response = await post('/orders', { item: 'book', quantity: 1 }, key);
    expect(response.statusCode).toBe(400);
    expect(response.json<Problem>()).toMatchObject({
      code: 'platform.idempotency_key_invalid',
      field: 'Idempotency-Key',
    });
    expect(runs.orders).toBe(0);
  });

  it('accepts a 255-character key', async () => {
    const response = await post('/orders', { item: 'book', quantity: 1 }, 'k'.repeat(255));
    expect(response.statusCode).toBe(201);
  });

  it('without a key, every request runs', async () => {
    await post('/orders', { item: 'book', quantity: 1 });
    const second = await post('/orders', { item: 'book', quantity: 1 });
    expect(second.json()).toMatchObject({ id: 'ord_2' });
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(runs.orders).toBe(2);
    expect(await storedKeys()).toEqual([]);
  });

  it('a failed request stores nothing and may be retried with the same key', async () => {
    const failed = await post('/flaky', { item: 'book', quantity: 1 }, 'retry-me');
    expect(failed.statusCode).toBe(503);
    expect(await storedKeys()).toEqual([]);
    // The handler's write rolled back with the request.
    expect(await orderCount()).toBe(0);

    const retried = await post('/flaky', { item: 'book', quantity: 1 }, 'retry-me');
    expect(retried.statusCode).toBe(201);
    expect(retried.json()).toEqual({ attempt: 2 });
    expect(retried.headers['idempotent-replayed']).toBeUndefined();

    const replayed = await post('/flaky', { item: 'book', quantity: 1 }, 'retry-me');
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.json()).toEqual({ attempt: 2 });
    expect(runs.flaky).toBe(2);
  });

  it('a validation failure stores nothing', async () => {
    const invalid = await post('/orders', { item: 'book', quantity: 0 }, 'validate-me');
    expect(invalid.statusCode).toBe(400);
    expect(await storedKeys()).toEqual([]);
    const valid = await post('/orders', { item: 'book', quantity: 1 }, 'validate-me');
    expect(valid.statusCode).toBe(201);
  });

  it('keys are per tenant', async () => {
    await post('/orders', { item: 'book', quantity: 1 }, 'same-key', { 'x-test-tenant': TENANT });
    const other = await post('/orders', { item: 'book', quantity: 1 }, 'same-key', {
      'x-test-tenant': OTHER_TENANT,
    });
    expect(other.statusCode).toBe(201);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(runs.orders).toBe(2);
    expect((await storedKeys()).map((k) => k.tenantId).sort()).toEqual([OTHER_TENANT, TENANT].sort());
  });

  it('a route with config idempotent: false is not wrapped', async () => {
    const first = await post('/tokens', {}, 'token-key');
    const second = await post('/tokens', {}, 'token-key');
    expect(first.json()).toEqual({ token: 1 });
    expect(second.json()).toEqual({ token: 2 });
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(await storedKeys()).toEqual([]);
  });

  it('GET routes ignore the header', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/orders',
      headers: { 'idempotency-key': 'has space' },
    });
    expect(response.statusCode).toBe(200);
    expect(await storedKeys()).toEqual([]);
  });
});
