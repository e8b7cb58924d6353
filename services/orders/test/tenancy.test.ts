// Tenant scoping: the tenant is the one of the access token; what one tenant creates, another can
// neither see nor change.
import { DEMO_TENANT_ID } from '@only/platform/context';
import { newId } from '@only/platform/ids';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerPageSchema, type Customer } from '../src/modules/customers/customers.dto.ts';
import { orderPageSchema, type Order } from '../src/modules/orders/orders.dto.ts';
import { aCustomerBody, anOrderBody, unique } from './support/builders.ts';
import { customerRow, orderRow } from './support/db.ts';
import { expectProblem } from './support/expectations.ts';
import { startOrdersApi, type OrdersApi } from './support/orders-api.ts';
import { actionPath, expectStatus, TenantClient } from './support/tenant-client.ts';

let api: OrdersApi;

beforeAll(async () => {
  api = await startOrdersApi();
});

afterAll(async () => {
  await api.close();
});

describe('another tenant', () => {
  let a: TenantClient;
  let b: TenantClient;
  let customer: Customer;
  let order: Order;

  beforeAll(async () => {
    a = api.newTenant();
    b = api.newTenant();
    customer = await a.createCustomer({ name: 'Tenant A Customer', email: 'shared-inbox@example.com' });
    order = await a.placeOrder(customer.id);
    // Tenant B has data of its own, so that empty lists are not empty by accident.
    await b.placeOrder();
  });

  it('gets 404 for the customer and the order of tenant A', async () => {
    expectProblem(await b.get(`/customers/${customer.id}`), 404, 'orders.customer_not_found');
    expectProblem(await b.get(`/orders/${order.id}`), 404, 'orders.order_not_found');
    expectProblem(await b.get(`/orders/${order.id}/history`), 404, 'orders.order_not_found');
  });

  it('does not see them in lists, searches or filters', async () => {
    const customers = customerPageSchema.parse(expectStatus(await b.get('/customers'), 200));
    expect(customers.items.map((c) => c.id)).not.toContain(customer.id);
    const search = customerPageSchema.parse(
      expectStatus(await b.get('/customers', { query: { q: 'Tenant A' } }), 200),
    );
    expect(search.items).toEqual([]);

    const orders = orderPageSchema.parse(expectStatus(await b.get('/orders'), 200));
    expect(orders.items).toHaveLength(1);
    expect(orders.items.map((o) => o.id)).not.toContain(order.id);
    const byCustomer = orderPageSchema.parse(
      expectStatus(await b.get('/orders', { query: { customerId: customer.id } }), 200),
    );
    expect(byCustomer.items).toEqual([]);
  });

  it('cannot page into them with a cursor issued to tenant A', async () => {
    await a.placeOrder(customer.id);
    const firstPageOfA = orderPageSchema.parse(
      expectStatus(await a.get('/orders', { query: { limit: 1 } }), 200),
    );
    expect(firstPageOfA.nextCursor).not.toBeNull();

    const inB = orderPageSchema.parse(
      expectStatus(await b.get('/orders', { query: { cursor: firstPageOfA.nextCursor ?? undefined } }), 200),
    );

    expect(inB.items.map((o) => o.id)).not.toContain(order.id);
  });

  it('cannot change, delete or move them: 404, and nothing changes', async () => {
    const countsOfA = await a.counts();
    const rowBefore = await orderRow(api.db, order.id);

    expectProblem(
      await b.patch(`/customers/${customer.id}`, { name: 'Hijacked' }),
      404,
      'orders.customer_not_found',
    );
    expectProblem(await b.delete(`/customers/${customer.id}`), 404, 'orders.customer_not_found');
    for (const action of ['confirm', 'fulfill', 'complete', 'cancel'] as const) {
      const body = action === 'cancel' ? { reason: 'Not yours' } : undefined;
      expectProblem(await b.post(actionPath(order.id, action), body), 404, 'orders.order_not_found');
    }

    expect(await a.getCustomer(customer.id)).toEqual(customer);
    expect(await orderRow(api.db, order.id)).toEqual(rowBefore);
    expect(await a.counts()).toEqual(countsOfA);
    expect((await customerRow(api.db, customer.id))?.deletedAt).toBeNull();
  });

  it("cannot place an order for tenant A's customer: 422 naming customerId", async () => {
    const before = await b.counts();

    const problem = expectProblem(
      await b.post('/orders', anOrderBody(customer.id)),
      422,
      'orders.unknown_customer',
    );

    expect(problem).toMatchObject({ field: 'customerId' });
    expect(await b.counts()).toEqual(before);
  });

  it('may use the same email as a customer of tenant A', async () => {
    const same = await b.createCustomer({ email: 'Shared-Inbox@example.com' });
    expect(same.email).toBe(customer.email);
    expect(same.id).not.toBe(customer.id);
  });

  it('stores every row with its own tenant id', async () => {
    expect((await customerRow(api.db, customer.id))?.tenantId).toBe(a.tenantId);
    expect((await orderRow(api.db, order.id))?.tenantId).toBe(a.tenantId);
    expect((await a.counts()).orderLines).toBeGreaterThan(0);
  });
});

describe('the tenant of a request', () => {
  it("is the access token's, never a header's", async () => {
    const a = api.newTenant();
    const b = api.newTenant();
    const customer = expectStatus<Customer>(
      await a.post('/customers', aCustomerBody(), { headers: { 'x-tenant-id': b.tenantId } }),
      201,
    );

    expect((await customerRow(api.db, customer.id))?.tenantId).toBe(a.tenantId);
    expectProblem(await b.get(`/customers/${customer.id}`), 404, 'orders.customer_not_found');
    expect(await b.counts()).toMatchObject({ customers: 0 });
  });

  it('is required: without a token every route is 401 and nothing is written', async () => {
    const nobody = new TenantClient(api, DEMO_TENANT_ID, { anonymous: true });
    const before = await nobody.counts();
    for (const [method, url] of [
      ['GET', '/customers'],
      ['POST', '/customers'],
      ['GET', '/orders'],
      ['POST', '/orders'],
      ['POST', `/orders/${newId('ord')}/cancel`],
    ] as const) {
      const response = await nobody.request(method, url, { body: aCustomerBody() });
      expectProblem(response, 401, 'platform.unauthenticated');
      expect(response.header('www-authenticate')).toMatch(/^Bearer/);
    }
    expect(await nobody.counts()).toEqual(before);
  });

  it('must be a tenant id: a token naming anything else is 401', async () => {
    for (const bad of ['acme', 'ten_123', newId('cus')]) {
      const client = new TenantClient(api, bad);
      expectProblem(await client.post('/customers', aCustomerBody()), 401, 'platform.unauthenticated');
    }
  });
});

describe('tenant ids', () => {
  it('scope idempotency keys too', async () => {
    const a = api.newTenant();
    const b = api.newTenant();
    const key = unique('key');
    const body = aCustomerBody();

    const first = await a.post('/customers', body, { idempotencyKey: key });
    const second = await b.post('/customers', body, { idempotencyKey: key });

    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.header('idempotent-replayed')).toBeUndefined();
  });
});
