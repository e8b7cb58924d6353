// Hot reads (an order, a customer by id) are served from the read cache; writes through the API
// invalidate it, and `Cache-Control: no-cache` asks for a fresh read.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers, orders } from '../src/db/schema.ts';
import { orderSchema } from '../src/modules/orders/orders.dto.ts';
import { customerSchema } from '../src/modules/customers/customers.dto.ts';
import { startOrdersApi, type OrdersApi } from './support/orders-api.ts';
import { expectStatus } from './support/tenant-client.ts';

let api: OrdersApi;

beforeAll(async () => {
  api = await startOrdersApi();
});

afterAll(async () => {
  await api.close();
});

const fresh = { headers: { 'cache-control': 'no-cache' } };

describe('order reads', () => {
  it('serves a repeated read from the cache until asked for a fresh one', async () => {
    const t = api.newTenant();
    const order = await t.placeOrder();
    expect((await t.getOrder(order.id)).notes).toBe(order.notes);

    // A change behind the service's back is not seen by cached reads…
    await api.db
      .update(orders)
      .set({ notes: 'changed directly in the database' })
      .where(and(eq(orders.tenantId, t.tenantId), eq(orders.id, order.id)));
    expect((await t.getOrder(order.id)).notes).toBe(order.notes);

    // …but is by a read that asks for fresh data, which also refreshes the cache.
    const refreshed = orderSchema.parse(expectStatus(await t.get(`/orders/${order.id}`, fresh), 200));
    expect(refreshed.notes).toBe('changed directly in the database');
    expect((await t.getOrder(order.id)).notes).toBe('changed directly in the database');
  });

  it('drops the cached order when its status changes', async () => {
    const t = api.newTenant();
    const order = await t.placeOrder();
    expect((await t.getOrder(order.id)).status).toBe('pending');
    await t.act(order.id, 'confirm');
    const read = await t.getOrder(order.id);
    expect(read.status).toBe('confirmed');
    expect(read.history.map((h) => h.to)).toEqual(['pending', 'confirmed']);
  });

  it('keeps tenants apart: a cached order is not served to another tenant', async () => {
    const owner = api.newTenant();
    const order = await owner.placeOrder();
    await owner.getOrder(order.id);
    expect((await api.newTenant().get(`/orders/${order.id}`)).status).toBe(404);
  });

  it('does not cache an unknown order', async () => {
    const t = api.newTenant();
    expect((await t.get('/orders/ord_01m80n5wh0fq8bg2x0v9vtay4p')).status).toBe(404);
    expect((await t.get('/orders/ord_01m80n5wh0fq8bg2x0v9vtay4p')).status).toBe(404);
  });
});

describe('customer reads', () => {
  it('drops the cached customer when it is changed or deleted', async () => {
    const t = api.newTenant();
    const customer = await t.createCustomer({ name: 'Before' });
    expect((await t.getCustomer(customer.id)).name).toBe('Before');

    expectStatus(await t.patch(`/customers/${customer.id}`, { name: 'After' }), 200);
    expect((await t.getCustomer(customer.id)).name).toBe('After');

    expect((await t.delete(`/customers/${customer.id}`)).status).toBe(204);
    expect((await t.get(`/customers/${customer.id}`)).status).toBe(404);
  });

  it('serves a repeated read from the cache until asked for a fresh one', async () => {
    const t = api.newTenant();
    const customer = await t.createCustomer({ name: 'Cached' });
    await t.getCustomer(customer.id);
    await api.db.update(customers).set({ name: 'Direct' }).where(eq(customers.id, customer.id));
    expect((await t.getCustomer(customer.id)).name).toBe('Cached');
    const refreshed = customerSchema.parse(
      expectStatus(await t.get(`/customers/${customer.id}`, fresh), 200),
    );
    expect(refreshed.name).toBe('Direct');
  });
});
