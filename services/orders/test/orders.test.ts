// Orders API: placement with server-computed totals, reads, and the filtered, paginated list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  historySchema,
  orderPageSchema,
  orderSchema,
  type Order,
  type OrderSummary,
} from '../src/modules/orders/orders.dto.ts';
import { aLine, anOrderBody, THREE_LINES, THREE_LINES_AMOUNTS } from './support/builders.ts';
import { historyRows, orderLineRows, orderRow } from './support/db.ts';
import { aString, expectProblem, expectValidationProblem } from './support/expectations.ts';
import { startOrdersApi, type OrdersApi } from './support/orders-api.ts';
import { expectStatus, type RequestOptions, type TenantClient } from './support/tenant-client.ts';

let api: OrdersApi;

beforeAll(async () => {
  api = await startOrdersApi();
});

afterAll(async () => {
  await api.close();
});

async function listOrders(t: TenantClient, query: RequestOptions['query']) {
  return orderPageSchema.parse(expectStatus(await t.get('/orders', { query }), 200));
}

async function listIds(t: TenantClient, query: RequestOptions['query']): Promise<string[]> {
  const page = await listOrders(t, query);
  expect(page.nextCursor).toBeNull();
  return page.items.map((o) => o.id);
}

/** What the list shows of an order. */
function summaryOf(order: Order): OrderSummary {
  const { lines, allowedActions: _actions, history: _history, ...rest } = order;
  return { ...rest, lineCount: lines.length };
}

describe('POST /orders', () => {
  it('places an order with 3 lines: 201, server-computed totals, a number, pending, one history entry', async () => {
    const t = api.newTenant();
    const customer = await t.createCustomer();
    api.clock.set('2026-03-01T10:15:00.000Z');

    const response = await t.post('/orders', anOrderBody(customer.id, { notes: ' Ring twice ' }), {
      userId: 'alice',
    });

    expect(response.status).toBe(201);
    const order = orderSchema.parse(response.json());
    expect(order).toEqual({
      id: aString(/^ord_[0-9a-z]{26}$/),
      number: aString(/^[0-9]+$/),
      customerId: customer.id,
      status: 'pending',
      currency: 'EUR',
      totals: THREE_LINES_AMOUNTS.totals,
      notes: 'Ring twice',
      paymentId: null,
      failure: null,
      placedAt: '2026-03-01T10:15:00.000Z',
      updatedAt: '2026-03-01T10:15:00.000Z',
      version: 1,
      lines: THREE_LINES.map((line, i) => ({
        id: aString(/^oln_[0-9a-z]{26}$/),
        ...line,
        ...THREE_LINES_AMOUNTS.lines[i],
      })),
      allowedActions: ['confirm', 'cancel'],
      history: [
        {
          id: aString(/^osh_/),
          from: null,
          to: 'pending',
          actor: { type: 'user', id: 'alice' },
          reason: null,
          at: '2026-03-01T10:15:00.000Z',
        },
      ],
    });
    expect(new URL(response.header('location') ?? '', 'http://orders.test/orders').pathname).toBe(
      `/orders/${order.id}`,
    );

    expect(await orderRow(api.db, order.id)).toMatchObject({
      tenantId: t.tenantId,
      number: order.number,
      customerId: customer.id,
      status: 'pending',
      currency: 'EUR',
      subtotal: 5810,
      taxTotal: 640,
      grandTotal: 6450,
      notes: 'Ring twice',
      version: 1,
    });
    const lines = await orderLineRows(api.db, order.id);
    expect(
      lines.map((l) => [
        l.position,
        l.sku,
        l.quantity,
        l.unitPrice,
        l.taxRateBps,
        l.subtotal,
        l.tax,
        l.total,
      ]),
    ).toEqual([
      [1, 'COF-ESP-250', 3, 1290, 700, 3870, 271, 4141],
      [2, 'MUG-CER-350', 1, 1490, 1900, 1490, 283, 1773],
      [3, 'FLT-PAP-100', 2, 225, 1900, 450, 86, 536],
    ]);
    const history = await historyRows(api.db, order.id);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      fromStatus: null,
      toStatus: 'pending',
      actorType: 'user',
      actorId: 'alice',
    });
  });

  it("records the access token's subject as the actor, whatever headers claim", async () => {
    const t = api.newTenant();
    const customer = await t.createCustomer();
    const response = await t.post('/orders', anOrderBody(customer.id), {
      userId: 'usr_token_subject',
      headers: { 'x-user-id': 'someone-else' },
    });
    const order = orderSchema.parse(expectStatus(response, 201));
    expect(order.history.map((h) => h.actor)).toEqual([{ type: 'user', id: 'usr_token_subject' }]);
  });

  it('rounds tax per line, half away from zero, so that lines add up to the order', async () => {
    const t = api.newTenant();
    const customer = await t.createCustomer();
    // Each line's tax is 0.5 → 1; rounding the order's tax as a whole would give 1, not 2.
    const halves = await t.placeOrder(customer.id, {
      lines: [
        aLine({ quantity: 1, unitPrice: 50, taxRateBps: 100 }),
        aLine({ quantity: 1, unitPrice: 50, taxRateBps: 100 }),
      ],
    });
    expect(halves.lines.map((l) => l.tax)).toEqual([1, 1]);
    expect(halves.totals).toEqual({ subtotal: 100, tax: 2, grandTotal: 102 });

    // 0.49 rounds down, 0.5 up, 1.5 up.
    const mixed = await t.placeOrder(customer.id, {
      lines: [
        aLine({ quantity: 7, unitPrice: 7, taxRateBps: 100 }),
        aLine({ quantity: 1, unitPrice: 150, taxRateBps: 100 }),
        aLine({ quantity: 2, unitPrice: 75, taxRateBps: 100 }),
      ],
    });
    expect(mixed.lines.map((l) => [l.subtotal, l.tax, l.total])).toEqual([
      [49, 0, 49],
      [150, 2, 152],
      [150, 2, 152],
    ]);
    expect(mixed.totals).toEqual({ subtotal: 349, tax: 4, grandTotal: 353 });
  });

  it('takes a missing taxRateBps as 0 and a missing notes as null', async () => {
    const t = api.newTenant();
    const customer = await t.createCustomer();
    const body = anOrderBody(customer.id, {
      lines: [{ sku: 'GRD-HND-01', name: 'Hand grinder', quantity: 2, unitPrice: 5900 }],
    });
    delete body.notes;

    const order = orderSchema.parse(expectStatus(await t.post('/orders', body), 201));

    expect(order.lines[0]).toMatchObject({ taxRateBps: 0, subtotal: 11800, tax: 0, total: 11800 });
    expect(order.totals).toEqual({ subtotal: 11800, tax: 0, grandTotal: 11800 });
    expect(order.notes).toBeNull();
  });

  it('stores blank notes as no notes', async () => {
    const t = api.newTenant();
    const customer = await t.createCustomer();
    const order = orderSchema.parse(
      expectStatus(await t.post('/orders', anOrderBody(customer.id, { notes: '   ' })), 201),
    );
    expect(order.notes).toBeNull();
  });

  it('gives every order its own, increasing number', async () => {
    const t = api.newTenant();
    const customer = await t.createCustomer();
    const numbers: number[] = [];
    for (let i = 0; i < 3; i++) numbers.push(Number((await t.placeOrder(customer.id)).number));

    expect(new Set(numbers).size).toBe(3);
    expect([...numbers].sort((a, b) => a - b)).toEqual(numbers);
  });
});

describe('GET /orders/:id', () => {
  it('returns the order with its lines and history, as placed', async () => {
    const t = api.newTenant();
    const placed = await t.placeOrder();

    const response = await t.get(`/orders/${placed.id}`);

    expect(response.status).toBe(200);
    expect(response.json()).toEqual(placed);
  });

  it('serves the history on its own at /orders/:id/history', async () => {
    const t = api.newTenant();
    const order = await t.act((await t.placeOrder()).id, 'confirm', 'Paid by card');

    const history = historySchema.parse(expectStatus(await t.get(`/orders/${order.id}/history`), 200));

    expect(history.items).toEqual(order.history);
    expect(history.items.map((h) => [h.from, h.to, h.reason])).toEqual([
      [null, 'pending', null],
      ['pending', 'confirmed', 'Paid by card'],
    ]);
  });
});

describe('GET /orders', () => {
  // One tenant with five orders placed a day apart, in every state, for two customers.
  let t: TenantClient;
  let c1: string;
  let c2: string;
  const o: Order[] = [];
  const ids = (...indexes: number[]) => indexes.map((i) => o[i - 1]?.id);

  beforeAll(async () => {
    t = api.newTenant();
    c1 = (await t.createCustomer()).id;
    c2 = (await t.createCustomer()).id;
    const plan = [
      { at: '2026-03-01T08:00:00.000Z', customer: c1, status: 'pending' },
      { at: '2026-03-02T08:00:00.000Z', customer: c2, status: 'confirmed' },
      { at: '2026-03-03T08:00:00.000Z', customer: c1, status: 'cancelled' },
      { at: '2026-03-04T08:00:00.000Z', customer: c2, status: 'fulfilled' },
      { at: '2026-03-05T08:00:00.000Z', customer: c1, status: 'completed' },
    ] as const;
    for (const step of plan) {
      api.clock.set(step.at);
      o.push(await t.orderIn(step.status, step.customer));
    }
  });

  it('lists every order of the tenant, newest first, as summaries', async () => {
    const page = await listOrders(t, {});

    expect(page.nextCursor).toBeNull();
    expect(page.items).toEqual([...o].reverse().map(summaryOf));
    expect(page.items.map((s) => s.status)).toEqual([
      'completed',
      'fulfilled',
      'cancelled',
      'confirmed',
      'pending',
    ]);
  });

  it('filters by one status', async () => {
    expect(await listIds(t, { status: 'pending' })).toEqual(ids(1));
    expect(await listIds(t, { status: 'fulfilled' })).toEqual(ids(4));
  });

  it('filters by several statuses, comma-separated or repeated', async () => {
    expect(await listIds(t, { status: 'confirmed,cancelled' })).toEqual(ids(3, 2));
    expect(await listIds(t, { status: 'pending, completed' })).toEqual(ids(5, 1));
    expect(await listIds(t, { status: ['confirmed', 'cancelled'] })).toEqual(ids(3, 2));
  });

  it('filters by customer', async () => {
    expect(await listIds(t, { customerId: c1 })).toEqual(ids(5, 3, 1));
    expect(await listIds(t, { customerId: c2 })).toEqual(ids(4, 2));
  });

  it('filters by placement time: placedFrom inclusive, placedTo exclusive, any offset', async () => {
    expect(
      await listIds(t, { placedFrom: '2026-03-02T08:00:00.000Z', placedTo: '2026-03-04T08:00:00.000Z' }),
    ).toEqual(ids(3, 2));
    expect(
      await listIds(t, { placedFrom: '2026-03-02T10:00:00+02:00', placedTo: '2026-03-04T09:00:00+01:00' }),
    ).toEqual(ids(3, 2));
    expect(await listIds(t, { placedFrom: '2026-03-04T07:59:59.999Z' })).toEqual(ids(5, 4));
    expect(await listIds(t, { placedTo: '2026-03-02T08:00:00.001Z' })).toEqual(ids(2, 1));
    expect(await listIds(t, { placedFrom: '2026-03-06T00:00:00Z' })).toEqual([]);
  });

  it('combines filters', async () => {
    expect(
      await listIds(t, {
        customerId: c1,
        status: 'pending,completed,cancelled',
        placedFrom: '2026-03-02T00:00:00Z',
      }),
    ).toEqual(ids(5, 3));
    expect(await listIds(t, { customerId: c2, status: 'pending' })).toEqual([]);
  });

  it('paginates: limit=2 walks every order exactly once, newest first', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    for (let guard = 0; guard < 10; guard++) {
      const page = await listOrders(t, { limit: 2, cursor });
      sizes.push(page.items.length);
      seen.push(...page.items.map((s) => s.id));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(ids(5, 4, 3, 2, 1));
  });

  it('paginates within a filter', async () => {
    const first = await listOrders(t, { customerId: c1, limit: 2 });
    expect(first.items.map((s) => s.id)).toEqual(ids(5, 3));
    expect(first.nextCursor).toEqual(aString());

    const second = await listOrders(t, { customerId: c1, limit: 2, cursor: first.nextCursor ?? undefined });
    expect(second.items.map((s) => s.id)).toEqual(ids(1));
    expect(second.nextCursor).toBeNull();
  });

  it('rejects placedFrom at or after placedTo with 400 naming placedTo', async () => {
    for (const [placedFrom, placedTo] of [
      ['2026-03-04T00:00:00Z', '2026-03-02T00:00:00Z'],
      ['2026-03-02T00:00:00Z', '2026-03-02T00:00:00Z'],
      ['2026-03-02T02:00:00+02:00', '2026-03-02T00:00:00Z'],
    ] as const) {
      expectValidationProblem(await t.get('/orders', { query: { placedFrom, placedTo } }), {
        field: 'placedTo',
        in: 'query',
        rule: 'after',
      });
    }
  });

  it('rejects a tampered cursor with 400 naming cursor', async () => {
    expectValidationProblem(await t.get('/orders', { query: { cursor: '%%%' } }), {
      field: 'cursor',
      in: 'query',
      rule: 'cursor',
    });
  });

  it('is empty for a tenant without orders', async () => {
    expect(await listOrders(api.newTenant(), {})).toEqual({ items: [], nextCursor: null });
  });
});

describe('unknown orders', () => {
  it('are a 404 on GET /orders/:id and /orders/:id/history', async () => {
    const t = api.newTenant();
    expectProblem(await t.get('/orders/ord_01jd5x3b2kf9v8s7w6q4r2m1n0'), 404, 'orders.order_not_found');
    expectProblem(
      await t.get('/orders/ord_01jd5x3b2kf9v8s7w6q4r2m1n0/history'),
      404,
      'orders.order_not_found',
    );
  });
});
