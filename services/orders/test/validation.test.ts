// Bad input: every rule of every body, query, path parameter and header is a 4xx problem naming the
// field and the rule, and nothing is written. Also unknown ids (404) and business rejections (422).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../src/modules/orders/orders.dto.ts';
import { aCustomerBody, aLine, anOrderBody, type LineBody, type OrderBody } from './support/builders.ts';
import type { RowCounts } from './support/db.ts';
import { expectProblem, expectValidationProblem, type ExpectedViolation } from './support/expectations.ts';
import { startOrdersApi, type OrdersApi } from './support/orders-api.ts';
import type { Method, RequestOptions, TenantClient } from './support/tenant-client.ts';

let api: OrdersApi;
let t: TenantClient;
let customerId: string;
let order: Order;
let counts: RowCounts;

beforeAll(async () => {
  api = await startOrdersApi();
  t = api.newTenant();
  customerId = (await t.createCustomer()).id;
  order = await t.placeOrder(customerId);
  counts = await t.counts();
});

afterAll(async () => {
  await api.close();
});

/** Every test ends with what it started with: nothing written. */
async function expectNothingWritten(): Promise<void> {
  expect(await t.counts()).toEqual(counts);
}

const UNKNOWN_CUSTOMER = 'cus_01jd5x3b2kf9v8s7w6q4r2m1n0';
const UNKNOWN_ORDER = 'ord_01jd5x3b2kf9v8s7w6q4r2m1n0';

/** A body that passes validation on the route, so that only the part under test is wrong. */
function validBodyFor(method: Method, url: string): RequestOptions {
  if (method === 'PATCH') return { body: { name: 'X' } };
  if (url.endsWith('/cancel')) return { body: { reason: 'r' } };
  return {};
}

function orderWith(overrides: Partial<OrderBody>): OrderBody {
  return anOrderBody(customerId, overrides);
}

/** An order whose second line is a valid line changed by `line` (so errors name `lines[1]`). */
function orderWithLine(line: Readonly<Record<string, unknown>>): unknown {
  return { ...orderWith({}), lines: [aLine(), { ...aLine(), ...line }] };
}

function orderWithoutLineField(field: keyof LineBody): unknown {
  const line = Object.fromEntries(Object.entries(aLine()).filter(([key]) => key !== field));
  return { ...orderWith({}), lines: [line] };
}

interface Case {
  readonly name: string;
  readonly method: Method;
  readonly url: () => string;
  readonly options?: () => RequestOptions;
  readonly expected: ExpectedViolation;
}

/** One broken rule: a name, the request part that breaks it, and the violation expected. */
type Row<T> = readonly [name: string, input: T, expected: Omit<ExpectedViolation, 'in'>];

function bodyCases(
  method: Method,
  path: string,
  url: () => string,
  rows: readonly Row<() => unknown>[],
): Case[] {
  return rows.map(([name, value, expected]) => ({
    name: `${method} ${path}: ${name}`,
    method,
    url,
    options: () => ({ body: value() }),
    expected: { in: 'body', ...expected },
  }));
}

const CUSTOMER_BODY_CASES = bodyCases('POST', '/customers', () => '/customers', [
  ['email missing', () => ({ name: 'No Email' }), { field: 'email', rule: 'required' }],
  ['email empty', () => aCustomerBody({ email: '' }), { field: 'email', rule: 'format:email' }],
  [
    'email not an email',
    () => aCustomerBody({ email: 'not-an-email' }),
    { field: 'email', rule: 'format:email' },
  ],
  ['email without domain', () => aCustomerBody({ email: 'ada@' }), { field: 'email', rule: 'format:email' }],
  [
    'email too long',
    () => aCustomerBody({ email: `${'a'.repeat(250)}@example.com` }),
    { field: 'email', rule: 'too_big' },
  ],
  ['email not a string', () => ({ ...aCustomerBody(), email: 42 }), { field: 'email', rule: 'invalid_type' }],
  ['name missing', () => ({ email: 'n@example.com' }), { field: 'name', rule: 'required' }],
  ['name empty', () => aCustomerBody({ name: '' }), { field: 'name', rule: 'too_small' }],
  ['name blank', () => aCustomerBody({ name: '   ' }), { field: 'name', rule: 'too_small' }],
  ['name too long', () => aCustomerBody({ name: 'n'.repeat(201) }), { field: 'name', rule: 'too_big' }],
  ['phone with letters', () => aCustomerBody({ phone: 'call me' }), { field: 'phone', rule: 'format:regex' }],
  ['phone too short', () => aCustomerBody({ phone: '12' }), { field: 'phone', rule: 'format:regex' }],
  [
    'phone too long',
    () => aCustomerBody({ phone: `+${'1'.repeat(40)}` }),
    { field: 'phone', rule: 'format:regex' },
  ],
  ['unknown property', () => ({ ...aCustomerBody(), vip: true }), { field: 'vip', rule: 'unknown_field' }],
  ['body is an array', () => [aCustomerBody()], { field: '(root)', rule: 'invalid_type' }],
]);

const CUSTOMER_PATCH_CASES = bodyCases('PATCH', '/customers/:id', () => `/customers/${customerId}`, [
  ['email not an email', () => ({ email: 'nope' }), { field: 'email', rule: 'format:email' }],
  ['name empty', () => ({ name: '' }), { field: 'name', rule: 'too_small' }],
  ['name null', () => ({ name: null }), { field: 'name', rule: 'invalid_type' }],
  ['phone bad', () => ({ phone: 'x' }), { field: 'phone', rule: 'format:regex' }],
  ['unknown property', () => ({ nickname: 'Ada' }), { field: 'nickname', rule: 'unknown_field' }],
  ['nothing to change', () => ({}), { field: '(root)', rule: 'not_empty' }],
]);

const ORDER_BODY_CASES = bodyCases('POST', '/orders', () => '/orders', [
  [
    'customerId missing',
    () => ({ currency: 'EUR', lines: [aLine()] }),
    { field: 'customerId', rule: 'required' },
  ],
  ['customerId malformed', () => orderWith({ customerId: 'cus_123' }), { field: 'customerId', rule: 'id' }],
  [
    'customerId of another kind',
    () => orderWith({ customerId: order.id }),
    { field: 'customerId', rule: 'id' },
  ],
  ['currency missing', () => ({ customerId, lines: [aLine()] }), { field: 'currency', rule: 'required' }],
  ['currency unknown', () => orderWith({ currency: 'ZZZ' }), { field: 'currency', rule: 'currency' }],
  ['currency lowercase', () => orderWith({ currency: 'eur' }), { field: 'currency', rule: 'currency' }],
  ['currency too long', () => orderWith({ currency: 'EURO' }), { field: 'currency', rule: 'currency' }],
  ['lines missing', () => ({ customerId, currency: 'EUR' }), { field: 'lines', rule: 'required' }],
  [
    'lines not a list',
    () => ({ customerId, currency: 'EUR', lines: aLine() }),
    { field: 'lines', rule: 'invalid_type' },
  ],
  ['zero lines', () => orderWith({ lines: [] }), { field: 'lines', rule: 'too_small' }],
  [
    'more than 200 lines',
    () => orderWith({ lines: Array.from({ length: 201 }, () => aLine()) }),
    { field: 'lines', rule: 'too_big' },
  ],
  ['quantity 0', () => orderWithLine({ quantity: 0 }), { field: 'lines[1].quantity', rule: 'too_small' }],
  [
    'quantity negative',
    () => orderWithLine({ quantity: -2 }),
    { field: 'lines[1].quantity', rule: 'too_small' },
  ],
  [
    'quantity fractional',
    () => orderWithLine({ quantity: 1.5 }),
    { field: 'lines[1].quantity', rule: 'invalid_type' },
  ],
  [
    'quantity too large',
    () => orderWithLine({ quantity: 100_001 }),
    { field: 'lines[1].quantity', rule: 'too_big' },
  ],
  [
    'quantity a string',
    () => orderWithLine({ quantity: '2' }),
    { field: 'lines[1].quantity', rule: 'invalid_type' },
  ],
  [
    'quantity missing',
    () => orderWithoutLineField('quantity'),
    { field: 'lines[0].quantity', rule: 'required' },
  ],
  [
    'unitPrice negative',
    () => orderWithLine({ unitPrice: -1 }),
    { field: 'lines[1].unitPrice', rule: 'too_small' },
  ],
  [
    'unitPrice fractional',
    () => orderWithLine({ unitPrice: 12.99 }),
    { field: 'lines[1].unitPrice', rule: 'invalid_type' },
  ],
  [
    'unitPrice too large',
    () => orderWithLine({ unitPrice: 1_000_000_000_001 }),
    { field: 'lines[1].unitPrice', rule: 'too_big' },
  ],
  [
    'unitPrice missing',
    () => orderWithoutLineField('unitPrice'),
    { field: 'lines[0].unitPrice', rule: 'required' },
  ],
  [
    'taxRateBps above 10000',
    () => orderWithLine({ taxRateBps: 10_001 }),
    { field: 'lines[1].taxRateBps', rule: 'too_big' },
  ],
  [
    'taxRateBps negative',
    () => orderWithLine({ taxRateBps: -1 }),
    { field: 'lines[1].taxRateBps', rule: 'too_small' },
  ],
  [
    'taxRateBps fractional',
    () => orderWithLine({ taxRateBps: 7.5 }),
    { field: 'lines[1].taxRateBps', rule: 'invalid_type' },
  ],
  [
    'sku with spaces',
    () => orderWithLine({ sku: 'COF ESP' }),
    { field: 'lines[1].sku', rule: 'format:regex' },
  ],
  [
    'sku with symbols',
    () => orderWithLine({ sku: 'COF#1!' }),
    { field: 'lines[1].sku', rule: 'format:regex' },
  ],
  [
    'sku starting with -',
    () => orderWithLine({ sku: '-COF' }),
    { field: 'lines[1].sku', rule: 'format:regex' },
  ],
  ['sku empty', () => orderWithLine({ sku: '' }), { field: 'lines[1].sku', rule: 'too_small' }],
  ['sku too long', () => orderWithLine({ sku: 'S'.repeat(65) }), { field: 'lines[1].sku', rule: 'too_big' }],
  ['sku missing', () => orderWithoutLineField('sku'), { field: 'lines[0].sku', rule: 'required' }],
  ['line name empty', () => orderWithLine({ name: ' ' }), { field: 'lines[1].name', rule: 'too_small' }],
  [
    'line name too long',
    () => orderWithLine({ name: 'n'.repeat(201) }),
    { field: 'lines[1].name', rule: 'too_big' },
  ],
  ['line name missing', () => orderWithoutLineField('name'), { field: 'lines[0].name', rule: 'required' }],
  [
    'line with unknown property',
    () => orderWithLine({ discount: 5 }),
    { field: 'lines[1].discount', rule: 'unknown_field' },
  ],
  [
    'line is not an object',
    () => ({ ...orderWith({}), lines: ['COF-ESP-250'] }),
    { field: 'lines[0]', rule: 'invalid_type' },
  ],
  ['notes too long', () => orderWith({ notes: 'n'.repeat(2_001) }), { field: 'notes', rule: 'too_big' }],
  [
    'totals sent by the client',
    () => ({ ...orderWith({}), totals: { grandTotal: 1 } }),
    { field: 'totals', rule: 'unknown_field' },
  ],
]);

const TRANSITION_BODY_CASES: readonly Case[] = [
  {
    name: 'POST /orders/:id/confirm: unknown property',
    method: 'POST',
    url: () => `/orders/${order.id}/confirm`,
    options: () => ({ body: { note: 'x' } }),
    expected: { field: 'note', in: 'body', rule: 'unknown_field' },
  },
  {
    name: 'POST /orders/:id/fulfill: empty reason',
    method: 'POST',
    url: () => `/orders/${order.id}/fulfill`,
    options: () => ({ body: { reason: '' } }),
    expected: { field: 'reason', in: 'body', rule: 'too_small' },
  },
  {
    name: 'POST /orders/:id/complete: reason too long',
    method: 'POST',
    url: () => `/orders/${order.id}/complete`,
    options: () => ({ body: { reason: 'r'.repeat(501) } }),
    expected: { field: 'reason', in: 'body', rule: 'too_big' },
  },
  {
    name: 'POST /orders/:id/cancel: reason missing',
    method: 'POST',
    url: () => `/orders/${order.id}/cancel`,
    options: () => ({ body: {} }),
    expected: { field: 'reason', in: 'body', rule: 'required' },
  },
  {
    name: 'POST /orders/:id/cancel: reason not a string',
    method: 'POST',
    url: () => `/orders/${order.id}/cancel`,
    options: () => ({ body: { reason: 7 } }),
    expected: { field: 'reason', in: 'body', rule: 'invalid_type' },
  },
];

const PATH_CASES: readonly Case[] = (
  [
    ['GET', '/customers/abc'],
    ['GET', `/customers/${UNKNOWN_ORDER}`],
    ['GET', '/customers/cus_01jd5x3b2kf9v8s7w6q4r2m1nU'],
    ['PATCH', '/customers/abc'],
    ['DELETE', '/customers/abc'],
    ['GET', '/orders/abc'],
    ['GET', `/orders/${UNKNOWN_CUSTOMER}`],
    ['GET', '/orders/ord_123'],
    ['GET', '/orders/abc/history'],
    ['POST', '/orders/abc/confirm'],
    ['POST', '/orders/abc/fulfill'],
    ['POST', '/orders/abc/complete'],
    ['POST', '/orders/abc/cancel'],
  ] as const
).map(([method, url]) => ({
  name: `${method} ${url}: malformed id`,
  method,
  url: () => url,
  options: () => validBodyFor(method, url),
  expected: { field: 'id', in: 'params', rule: 'id' },
}));

type QueryRow = readonly [
  path: string,
  params: Readonly<Record<string, string | number>>,
  expected: Omit<ExpectedViolation, 'in'>,
];

function queryCases(rows: readonly QueryRow[]): Case[] {
  return rows.map(([path, params, expected]) => {
    const text = Object.entries(params)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join('&');
    return {
      name: `GET ${path}?${text.slice(0, 60)}`,
      method: 'GET',
      url: () => path,
      options: () => ({ query: params }),
      expected: { in: 'query', ...expected },
    };
  });
}

const QUERY_CASES = queryCases([
  ['/customers', { limit: 0 }, { field: 'limit', rule: 'too_small' }],
  ['/customers', { limit: 101 }, { field: 'limit', rule: 'too_big' }],
  ['/customers', { limit: 'ten' }, { field: 'limit', rule: 'invalid_type' }],
  ['/customers', { limit: '2.5' }, { field: 'limit', rule: 'invalid_type' }],
  ['/customers', { q: '' }, { field: 'q', rule: 'too_small' }],
  ['/customers', { q: 'q'.repeat(101) }, { field: 'q', rule: 'too_big' }],
  ['/customers', { cursor: '' }, { field: 'cursor', rule: 'too_small' }],
  ['/customers', { cursor: 'c'.repeat(513) }, { field: 'cursor', rule: 'too_big' }],
  ['/orders', { limit: 0 }, { field: 'limit', rule: 'too_small' }],
  ['/orders', { limit: 101 }, { field: 'limit', rule: 'too_big' }],
  ['/orders', { status: 'shipped' }, { field: 'status[0]', rule: 'one_of' }],
  ['/orders', { status: 'pending,shipped' }, { field: 'status[1]', rule: 'one_of' }],
  ['/orders', { status: 'PENDING' }, { field: 'status[0]', rule: 'one_of' }],
  ['/orders', { status: ',' }, { field: 'status', rule: 'too_small' }],
  ['/orders', { customerId: 'abc' }, { field: 'customerId', rule: 'id' }],
  ['/orders', { placedFrom: 'yesterday' }, { field: 'placedFrom', rule: 'format:datetime' }],
  ['/orders', { placedFrom: '2026-03-01' }, { field: 'placedFrom', rule: 'format:datetime' }],
  ['/orders', { placedTo: '2026-13-01T00:00:00Z' }, { field: 'placedTo', rule: 'format:datetime' }],
  [
    '/orders',
    { placedFrom: '2026-03-02T00:00:00Z', placedTo: '2026-03-01T00:00:00Z' },
    { field: 'placedTo', rule: 'after' },
  ],
  ['/orders', { cursor: 'not-a-cursor' }, { field: 'cursor', rule: 'cursor' }],
]);

describe('validation', () => {
  it.each([
    ...CUSTOMER_BODY_CASES,
    ...CUSTOMER_PATCH_CASES,
    ...ORDER_BODY_CASES,
    ...TRANSITION_BODY_CASES,
    ...PATH_CASES,
    ...QUERY_CASES,
  ])('$name → 400 naming the field', async (c) => {
    const response = await t.request(c.method, c.url(), c.options?.() ?? {});

    const problem = expectValidationProblem(response, c.expected);

    expect(problem.detail).toContain(c.expected.field);
    await expectNothingWritten();
  });

  it('reports every broken rule at once', async () => {
    const response = await t.post('/customers', { email: 'bad', name: '', phone: '?', extra: 1 });

    const problem = expectProblem(response, 400, 'platform.validation_failed');

    expect(problem.errors?.map((e) => [e.field, e.rule]).sort()).toEqual(
      [
        ['extra', 'unknown_field'],
        ['email', 'format:email'],
        ['name', 'too_small'],
        ['phone', 'format:regex'],
      ].sort(),
    );
  });

  it('names each unknown property as a field of its own', async () => {
    const problem = expectProblem(
      await t.post('/customers', { ...aCustomerBody(), vip: true, tier: 'gold' }),
      400,
      'platform.validation_failed',
    );
    expect(problem.errors?.map((e) => [e.field, e.in, e.rule]).sort()).toEqual([
      ['tier', 'body', 'unknown_field'],
      ['vip', 'body', 'unknown_field'],
    ]);
  });
});

describe('unparseable bodies', () => {
  it.each([
    ['POST', '/customers'],
    ['PATCH', '/customers/:customer'],
    ['POST', '/orders'],
    ['POST', '/orders/:order/confirm'],
    ['POST', '/orders/:order/cancel'],
  ] as const)('%s %s with malformed JSON → 400 malformed_body', async (method, path) => {
    const url = path.replace(':customer', customerId).replace(':order', order.id);
    for (const rawBody of ['{"email":', "{'name': 'x'}", 'not json']) {
      expectProblem(await t.request(method, url, { rawBody }), 400, 'platform.malformed_body');
    }
    await expectNothingWritten();
  });

  it.each([
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'image/png',
  ])('POST /customers as %s → 415 unsupported_media_type', async (contentType) => {
    const response = await t.request('POST', '/customers', {
      rawBody: 'email=a%40example.com&name=A',
      contentType,
    });
    expectProblem(response, 415, 'platform.unsupported_media_type');
    await expectNothingWritten();
  });

  it.each(['application/xml', 'text/csv'])(
    'POST /orders as %s → 415 unsupported_media_type',
    async (contentType) => {
      const response = await t.request('POST', '/orders', { rawBody: '<order/>', contentType });
      expectProblem(response, 415, 'platform.unsupported_media_type');
      await expectNothingWritten();
    },
  );

  it('POST /customers with JSON sent as text/plain → 415 unsupported_media_type', async () => {
    const response = await t.request('POST', '/customers', {
      rawBody: JSON.stringify(aCustomerBody()),
      contentType: 'text/plain',
    });
    expectProblem(response, 415, 'platform.unsupported_media_type');
    await expectNothingWritten();
  });
});

describe('unknown but well-formed ids → 404', () => {
  it.each([
    ['GET', `/customers/${UNKNOWN_CUSTOMER}`, 'orders.customer_not_found'],
    ['PATCH', `/customers/${UNKNOWN_CUSTOMER}`, 'orders.customer_not_found'],
    ['DELETE', `/customers/${UNKNOWN_CUSTOMER}`, 'orders.customer_not_found'],
    ['GET', `/orders/${UNKNOWN_ORDER}`, 'orders.order_not_found'],
    ['GET', `/orders/${UNKNOWN_ORDER}/history`, 'orders.order_not_found'],
    ['POST', `/orders/${UNKNOWN_ORDER}/confirm`, 'orders.order_not_found'],
    ['POST', `/orders/${UNKNOWN_ORDER}/fulfill`, 'orders.order_not_found'],
    ['POST', `/orders/${UNKNOWN_ORDER}/complete`, 'orders.order_not_found'],
    ['POST', `/orders/${UNKNOWN_ORDER}/cancel`, 'orders.order_not_found'],
  ] as const)('%s %s', async (method, url, code) => {
    const problem = expectProblem(await t.request(method, url, validBodyFor(method, url)), 404, code);
    expect(problem.instance).toBe(url);
    await expectNothingWritten();
  });

  it('an unknown route is a 404 problem too', async () => {
    expectProblem(await t.get('/invoices'), 404, 'platform.route_not_found');
    expectProblem(await t.post(`/orders/${order.id}/ship`), 404, 'platform.route_not_found');
  });
});

describe('business rules → 422', () => {
  it('an amount too large to be exact is 422 orders.amount_too_large', async () => {
    const max = { unitPrice: 1_000_000_000_000, taxRateBps: 0 };
    for (const lines of [
      // One line: 100 000 × 10^12 = 10^17 > 2^53.
      [aLine({ ...max, quantity: 100_000 })],
      // Each line fits (9 × 10^15 < 2^53), their sum does not.
      [aLine({ ...max, quantity: 9_000 }), aLine({ ...max, quantity: 9_000 })],
      // The subtotal fits, subtotal + tax does not.
      [aLine({ ...max, quantity: 9_000, taxRateBps: 10_000 })],
    ]) {
      const problem = expectProblem(
        await t.post('/orders', orderWith({ lines })),
        422,
        'orders.amount_too_large',
      );
      expect(problem).toMatchObject({ field: 'lines' });
    }
    await expectNothingWritten();
  });

  it('the largest exact amounts are accepted', async () => {
    const u = api.newTenant();
    const customer = await u.createCustomer();
    const placed = await u.placeOrder(customer.id, {
      lines: [aLine({ unitPrice: 1_000_000_000_000, quantity: 9_007, taxRateBps: 0 })],
    });
    expect(placed.totals).toEqual({
      subtotal: 9_007_000_000_000_000,
      tax: 0,
      grandTotal: 9_007_000_000_000_000,
    });
    const stored = await u.getOrder(placed.id);
    expect(stored.totals.grandTotal).toBe(9_007_000_000_000_000);
    expect(stored.lines.map((l) => [l.unitPrice, l.subtotal, l.total])).toEqual([
      [1_000_000_000_000, 9_007_000_000_000_000, 9_007_000_000_000_000],
    ]);
  });

  it('an order for an unknown customer is 422 orders.unknown_customer naming customerId', async () => {
    const problem = expectProblem(
      await t.post('/orders', orderWith({ customerId: UNKNOWN_CUSTOMER })),
      422,
      'orders.unknown_customer',
    );
    expect(problem).toMatchObject({ field: 'customerId' });
    await expectNothingWritten();
  });

  it('an order for a deleted customer is 422 orders.unknown_customer naming customerId', async () => {
    const u = api.newTenant();
    const gone = await u.createCustomer();
    await u.delete(`/customers/${gone.id}`);
    const before = await u.counts();

    const problem = expectProblem(
      await u.post('/orders', anOrderBody(gone.id)),
      422,
      'orders.unknown_customer',
    );

    expect(problem).toMatchObject({ field: 'customerId' });
    expect(await u.counts()).toEqual(before);
  });
});
