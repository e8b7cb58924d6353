// Idempotency-Key on every POST route: replays, reuse with another body, concurrency, failures and
// tenant scoping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerSchema } from '../src/modules/customers/customers.dto.ts';
import type { OrderAction } from '../src/modules/orders/order-state-machine.ts';
import { orderSchema } from '../src/modules/orders/orders.dto.ts';
import { aCustomerBody, anOrderBody, unique } from './support/builders.ts';
import { historyRows, idempotencyRow, type RowCounts } from './support/db.ts';
import { expectProblem, expectValidationProblem } from './support/expectations.ts';
import { startOrdersApi, type OrdersApi } from './support/orders-api.ts';
import { actionPath, expectStatus, type TenantClient } from './support/tenant-client.ts';

let api: OrdersApi;

beforeAll(async () => {
  api = await startOrdersApi();
});

afterAll(async () => {
  await api.close();
});

/** One POST route, prepared in a tenant: where to send what, and what one success writes. */
interface PreparedRequest {
  readonly url: string;
  readonly body: unknown;
  /** The same request with another body. */
  readonly otherBody: unknown;
  readonly status: number;
  /** Rows one success adds (outbox and idempotency rows come on top). */
  readonly adds: Partial<RowCounts>;
}

interface PostRoute {
  readonly name: string;
  prepare(t: TenantClient): Promise<PreparedRequest>;
}

function transition(from: 'pending' | 'confirmed' | 'fulfilled', action: OrderAction): PostRoute {
  const reasonBody = (reason: string) => ({ reason });
  return {
    name: `POST /orders/:id/${action}`,
    async prepare(t) {
      const order = await t.orderIn(from);
      return {
        url: actionPath(order.id, action),
        body: action === 'cancel' ? reasonBody('Out of stock') : undefined,
        otherBody: reasonBody('Something else'),
        status: 200,
        adds: { history: 1 },
      };
    },
  };
}

const ROUTES: readonly PostRoute[] = [
  {
    name: 'POST /customers',
    prepare() {
      const body = aCustomerBody();
      return Promise.resolve({
        url: '/customers',
        body,
        otherBody: { ...body, name: 'Somebody Else' },
        status: 201,
        adds: { customers: 1 },
      });
    },
  },
  {
    name: 'POST /orders',
    async prepare(t) {
      const customer = await t.createCustomer();
      const body = anOrderBody(customer.id);
      return {
        url: '/orders',
        body,
        otherBody: { ...body, notes: 'Different notes' },
        status: 201,
        adds: { orders: 1, orderLines: 3, history: 1 },
      };
    },
  },
  transition('pending', 'confirm'),
  transition('confirmed', 'fulfill'),
  transition('fulfilled', 'complete'),
  transition('pending', 'cancel'),
];

/** `after - before` for every table. */
function delta(before: RowCounts, after: RowCounts): RowCounts {
  return {
    customers: after.customers - before.customers,
    orders: after.orders - before.orders,
    orderLines: after.orderLines - before.orderLines,
    history: after.history - before.history,
    outbox: after.outbox - before.outbox,
    idempotencyKeys: after.idempotencyKeys - before.idempotencyKeys,
  };
}

const NOTHING: RowCounts = {
  customers: 0,
  orders: 0,
  orderLines: 0,
  history: 0,
  outbox: 0,
  idempotencyKeys: 0,
};

describe.each(ROUTES)('$name', (route) => {
  it('replays the first response for the same key and body, and does the work once', async () => {
    const t = api.newTenant();
    const request = await route.prepare(t);
    const before = await t.counts();
    const eventsBefore = (await t.events()).length;
    const key = unique('key');

    const first = await t.post(request.url, request.body, { idempotencyKey: key });
    const second = await t.post(request.url, request.body, { idempotencyKey: key });
    const third = await t.post(request.url, request.body, { idempotencyKey: key });

    expect(first.status).toBe(request.status);
    expect(first.header('idempotent-replayed')).toBeUndefined();
    for (const replay of [second, third]) {
      expect(replay.status).toBe(request.status);
      expect(replay.header('idempotent-replayed')).toBe('true');
      expect(replay.json()).toEqual(first.json());
      // Headers that describe the outcome come back too.
      expect(replay.header('location')).toBe(first.header('location'));
    }
    expect(delta(before, await t.counts())).toEqual({
      ...NOTHING,
      ...request.adds,
      outbox: 1,
      idempotencyKeys: 1,
    });
    expect((await t.events()).length - eventsBefore).toBe(1);
    expect(await idempotencyRow(api.db, t.tenantId, key)).toMatchObject({
      statusCode: request.status,
      responseBody: first.json(),
    });
  });

  it('rejects the same key with another body: 422 idempotency_key_reused, nothing written', async () => {
    const t = api.newTenant();
    const request = await route.prepare(t);
    const key = unique('key');
    const first = await t.post(request.url, request.body, { idempotencyKey: key });
    expect(first.status).toBe(request.status);
    const before = await t.counts();
    const eventsBefore = await t.events();

    const problem = expectProblem(
      await t.post(request.url, request.otherBody, { idempotencyKey: key }),
      422,
      'platform.idempotency_key_reused',
    );

    expect(problem).toMatchObject({ field: 'Idempotency-Key' });
    expect(await t.counts()).toEqual(before);
    expect(await t.events()).toEqual(eventsBefore);
  });

  it('answers two concurrent requests with the same key alike, doing the work once', async () => {
    const t = api.newTenant();
    const request = await route.prepare(t);
    const before = await t.counts();
    const eventsBefore = (await t.events()).length;
    const key = unique('key');

    const responses = await Promise.all([
      t.post(request.url, request.body, { idempotencyKey: key }),
      t.post(request.url, request.body, { idempotencyKey: key }),
    ]);

    expect(responses.map((r) => r.status)).toEqual([request.status, request.status]);
    expect(responses[1].json()).toEqual(responses[0].json());
    expect(responses.map((r) => r.header('idempotent-replayed') ?? 'first').sort()).toEqual([
      'first',
      'true',
    ]);
    expect(delta(before, await t.counts())).toEqual({
      ...NOTHING,
      ...request.adds,
      outbox: 1,
      idempotencyKeys: 1,
    });
    expect((await t.events()).length - eventsBefore).toBe(1);
  });
});

describe('replays', () => {
  it('replay the stored response even after the order moved on', async () => {
    const t = api.newTenant();
    const order = await t.placeOrder();
    const key = unique('key');
    const confirmed = await t.post(actionPath(order.id, 'confirm'), undefined, { idempotencyKey: key });
    await t.act(order.id, 'fulfill');

    const replay = await t.post(actionPath(order.id, 'confirm'), undefined, { idempotencyKey: key });

    expect(replay.status).toBe(200);
    expect(replay.header('idempotent-replayed')).toBe('true');
    expect(orderSchema.parse(replay.json())).toEqual(orderSchema.parse(confirmed.json()));
    expect((await t.getOrder(order.id)).status).toBe('fulfilled');
  });

  it('treat a key used on another route as reused', async () => {
    const t = api.newTenant();
    const order = await t.placeOrder();
    const key = unique('key');
    expect((await t.post(actionPath(order.id, 'confirm'), undefined, { idempotencyKey: key })).status).toBe(
      200,
    );

    expectProblem(
      await t.post(actionPath(order.id, 'fulfill'), undefined, { idempotencyKey: key }),
      422,
      'platform.idempotency_key_reused',
    );
    expect((await t.getOrder(order.id)).status).toBe('confirmed');
  });

  it('do not happen without a key: the same order body twice places two orders', async () => {
    const t = api.newTenant();
    const customer = await t.createCustomer();
    const body = anOrderBody(customer.id);

    const first = orderSchema.parse(expectStatus(await t.post('/orders', body), 201));
    const second = orderSchema.parse(expectStatus(await t.post('/orders', body), 201));

    expect(second.id).not.toBe(first.id);
    expect((await t.counts()).orders).toBe(2);
  });
});

describe('failed requests', () => {
  it('store nothing: a 422 retried with the same key fails the same way, not as a replay', async () => {
    const t = api.newTenant();
    const gone = await t.createCustomer();
    await t.delete(`/customers/${gone.id}`);
    const before = await t.counts();
    const key = unique('key');

    for (const customerId of [gone.id, 'cus_01jd5x3b2kf9v8s7w6q4r2m1n0']) {
      for (let attempt = 0; attempt < 2; attempt++) {
        const response = await t.post('/orders', anOrderBody(customerId), {
          idempotencyKey: `${key}-${customerId}`,
        });
        expectProblem(response, 422, 'orders.unknown_customer');
        expect(response.header('idempotent-replayed')).toBeUndefined();
      }
      expect(await idempotencyRow(api.db, t.tenantId, `${key}-${customerId}`)).toBeUndefined();
    }
    expect(await t.counts()).toEqual(before);
  });

  it('store nothing: a 409 can be retried with the same key once its cause is gone', async () => {
    const t = api.newTenant();
    const holder = await t.createCustomer({ email: 'wanted@example.com' });
    const body = aCustomerBody({ email: 'wanted@example.com' });
    const key = unique('key');

    expectProblem(
      await t.post('/customers', body, { idempotencyKey: key }),
      409,
      'orders.customer_email_taken',
    );
    expect(await idempotencyRow(api.db, t.tenantId, key)).toBeUndefined();
    await t.delete(`/customers/${holder.id}`);
    const retry = await t.post('/customers', body, { idempotencyKey: key });

    expect(retry.status).toBe(201);
    expect(retry.header('idempotent-replayed')).toBeUndefined();
    expect(customerSchema.parse(retry.json()).email).toBe('wanted@example.com');
  });

  it('store nothing: an illegal transition can be retried with the same key once it became legal', async () => {
    const t = api.newTenant();
    const order = await t.placeOrder();
    const key = unique('key');

    expectProblem(
      await t.post(actionPath(order.id, 'fulfill'), undefined, { idempotencyKey: key }),
      409,
      'orders.invalid_transition',
    );
    await t.act(order.id, 'confirm');
    const retry = await t.post(actionPath(order.id, 'fulfill'), undefined, { idempotencyKey: key });

    expect(retry.status).toBe(200);
    expect(orderSchema.parse(retry.json()).status).toBe('fulfilled');
    expect((await historyRows(api.db, order.id)).map((h) => h.toStatus)).toEqual([
      'pending',
      'confirmed',
      'fulfilled',
    ]);
  });

  it('store nothing when the body is invalid', async () => {
    const t = api.newTenant();
    const key = unique('key');

    expectValidationProblem(await t.post('/customers', { name: 'No Email' }, { idempotencyKey: key }), {
      field: 'email',
      in: 'body',
      rule: 'required',
    });

    expect(await t.counts()).toEqual(NOTHING);
    expect((await t.post('/customers', aCustomerBody(), { idempotencyKey: key })).status).toBe(201);
  });
});

describe('keys', () => {
  it('belong to one tenant: the same key and body in two tenants are two requests', async () => {
    const a = api.newTenant();
    const b = api.newTenant();
    const key = unique('key');
    const body = aCustomerBody();

    const inA = await a.post('/customers', body, { idempotencyKey: key });
    const inB = await b.post('/customers', body, { idempotencyKey: key });
    const otherBodyInB = await b.post('/customers', aCustomerBody(), { idempotencyKey: `${key}-2` });
    const reusedInA = await a.post('/customers', aCustomerBody(), { idempotencyKey: `${key}-2` });

    expect([inA.status, inB.status, otherBodyInB.status, reusedInA.status]).toEqual([201, 201, 201, 201]);
    for (const response of [inA, inB, otherBodyInB, reusedInA]) {
      expect(response.header('idempotent-replayed')).toBeUndefined();
    }
    expect(customerSchema.parse(inA.json()).id).not.toBe(customerSchema.parse(inB.json()).id);
    expect((await a.counts()).customers).toBe(2);
    expect((await b.counts()).customers).toBe(2);
  });

  it('must be 1 to 255 visible ASCII characters', async () => {
    const t = api.newTenant();
    for (const key of ['', 'has space', 'k'.repeat(256)]) {
      const problem = expectProblem(
        await t.post('/customers', aCustomerBody(), { idempotencyKey: key }),
        400,
        'platform.idempotency_key_invalid',
      );
      expect(problem).toMatchObject({ field: 'Idempotency-Key' });
    }
    expect(await t.counts()).toEqual(NOTHING);
    expect((await t.post('/customers', aCustomerBody(), { idempotencyKey: 'k'.repeat(255) })).status).toBe(
      201,
    );
  });
});
