// Events: exactly one per change, of the right type, with a valid payload and envelope, delivered
// through the outbox.
import { eventEnvelopeSchema, type EventEnvelope } from '@only/contracts/envelope';
import {
  customerCreatedV1,
  customerDeletedV1,
  customerUpdatedV1,
  orderCancelledV1,
  orderPlacedV1,
  orderStatusChangedV1,
} from '@only/contracts/orders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerSchema } from '../src/modules/customers/customers.dto.ts';
import { orderSchema } from '../src/modules/orders/orders.dto.ts';
import { aCustomerBody, anOrderBody } from './support/builders.ts';
import { outboxRows } from './support/db.ts';
import { startOrdersApi, type OrdersApi } from './support/orders-api.ts';
import { actionPath, expectStatus, type ApiResponse, type TenantClient } from './support/tenant-client.ts';

let api: OrdersApi;

beforeAll(async () => {
  api = await startOrdersApi();
});

afterAll(async () => {
  await api.close();
});

/** The only event of the tenant, checked against the envelope schema and the request that caused it. */
async function onlyEvent(
  t: TenantClient,
  expected: { type: string; aggregateId: string; response: ApiResponse; correlationId?: string },
): Promise<EventEnvelope> {
  const events = await t.newEvents();
  expect(events.map((e) => e.type)).toEqual([expected.type]);
  const event = events[0]!;
  eventEnvelopeSchema.parse(event);
  const requestId = expected.response.header('x-request-id');
  expect(event).toMatchObject({
    type: expected.type,
    version: 1,
    source: 'orders',
    tenantId: t.tenantId,
    aggregateId: expected.aggregateId,
    correlationId: expected.correlationId ?? requestId,
    causationId: requestId,
  });
  return event;
}

describe('customer events', () => {
  it('orders.customer.created carries the customer as created and the correlation id sent', async () => {
    const t = api.newTenant();

    const response = await t.post('/customers', aCustomerBody(), { correlationId: 'checkout-42' });

    const customer = customerSchema.parse(expectStatus(response, 201));
    const event = await onlyEvent(t, {
      type: customerCreatedV1.type,
      aggregateId: customer.id,
      response,
      correlationId: 'checkout-42',
    });
    expect(customerCreatedV1.schema.parse(event.data)).toEqual({ customer });
  });

  it('orders.customer.updated names the changed fields and carries the new state', async () => {
    const t = api.newTenant();
    const customer = await t.createCustomer({ phone: null });
    await t.skipEvents();

    const response = await t.patch(
      `/customers/${customer.id}`,
      { name: 'Renamed', phone: '+1 650 555 0107', email: customer.email },
      {
        correlationId: 'crm-sync-1',
      },
    );

    const updated = customerSchema.parse(expectStatus(response, 200));
    const events = await t.newEvents();
    expect(events).toHaveLength(1);
    const event = events[0]!;
    expect(event).toMatchObject({
      type: customerUpdatedV1.type,
      aggregateId: customer.id,
      correlationId: 'crm-sync-1',
    });
    expect(customerUpdatedV1.schema.parse(event.data)).toEqual({
      customer: updated,
      changed: ['name', 'phone'],
    });
  });

  it('orders.customer.deleted carries the id and the time of deletion', async () => {
    const t = api.newTenant();
    const customer = await t.createCustomer();
    api.clock.set('2026-06-01T07:00:00.000Z');

    expect((await t.delete(`/customers/${customer.id}`)).status).toBe(204);

    const events = await t.events(customerDeletedV1.type);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      aggregateId: customer.id,
      tenantId: t.tenantId,
      source: 'orders',
      version: 1,
    });
    expect(customerDeletedV1.schema.parse(events[0]?.data)).toEqual({
      customerId: customer.id,
      deletedAt: '2026-06-01T07:00:00.000Z',
    });
  });

  it('one event per change, none for a change that changes nothing or fails', async () => {
    const t = api.newTenant();
    const customer = await t.createCustomer();
    await t.patch(`/customers/${customer.id}`, { name: 'Second Name' });
    await t.patch(`/customers/${customer.id}`, { name: 'Second Name' });
    await t.patch(`/customers/${customer.id}`, { email: 'not-an-email' });
    await t.post('/customers', aCustomerBody({ email: customer.email }));
    await t.delete(`/customers/${customer.id}`);
    await t.delete(`/customers/${customer.id}`);

    expect((await t.events()).map((e) => [e.type, e.aggregateId])).toEqual([
      [customerCreatedV1.type, customer.id],
      [customerUpdatedV1.type, customer.id],
      [customerDeletedV1.type, customer.id],
    ]);
  });
});

describe('order events', () => {
  it('orders.order.placed carries the full order: lines, totals, number, status and time', async () => {
    const t = api.newTenant();
    const customer = await t.createCustomer();
    await t.skipEvents();
    api.clock.set('2026-06-02T10:00:00.000Z');

    const response = await t.post('/orders', anOrderBody(customer.id), {
      correlationId: 'cart-7',
      userId: 'alice',
    });

    const order = orderSchema.parse(expectStatus(response, 201));
    const event = await onlyEvent(t, {
      type: orderPlacedV1.type,
      aggregateId: order.id,
      response,
      correlationId: 'cart-7',
    });
    expect(orderPlacedV1.schema.parse(event.data)).toEqual({
      order: {
        id: order.id,
        number: order.number,
        customerId: customer.id,
        status: 'pending',
        currency: 'EUR',
        lines: order.lines,
        totals: { subtotal: 5810, tax: 640, grandTotal: 6450 },
        notes: order.notes,
        placedAt: '2026-06-02T10:00:00.000Z',
      },
    });
  });

  it('orders.order.status_changed carries from, to, actor, reason and time', async () => {
    const t = api.newTenant();
    const order = await t.placeOrder();
    await t.skipEvents();
    api.clock.set('2026-06-03T11:00:00.000Z');

    const response = await t.post(
      actionPath(order.id, 'confirm'),
      { reason: 'Paid' },
      {
        userId: 'alice',
        correlationId: 'ops-1',
      },
    );

    expectStatus(response, 200);
    const event = await onlyEvent(t, {
      type: orderStatusChangedV1.type,
      aggregateId: order.id,
      response,
      correlationId: 'ops-1',
    });
    expect(orderStatusChangedV1.schema.parse(event.data)).toEqual({
      orderId: order.id,
      from: 'pending',
      to: 'confirmed',
      reason: 'Paid',
      actor: { type: 'user', id: 'alice' },
      changedAt: '2026-06-03T11:00:00.000Z',
    });
  });

  it.each(['pending', 'confirmed'] as const)(
    'orders.order.cancelled (from %s) carries reason, actor, totals, and comes without status_changed',
    async (from) => {
      const t = api.newTenant();
      const order = await t.orderIn(from);
      await t.skipEvents();
      api.clock.set('2026-06-04T12:00:00.000Z');

      const response = await t.post(
        actionPath(order.id, 'cancel'),
        { reason: 'Out of stock' },
        { userId: 'bob' },
      );

      expectStatus(response, 200);
      const event = await onlyEvent(t, { type: orderCancelledV1.type, aggregateId: order.id, response });
      expect(orderCancelledV1.schema.parse(event.data)).toEqual({
        orderId: order.id,
        customerId: order.customerId,
        from,
        reason: 'Out of stock',
        actor: { type: 'user', id: 'bob' },
        currency: 'EUR',
        totals: order.totals,
        cancelledAt: '2026-06-04T12:00:00.000Z',
      });
    },
  );

  it('a whole lifecycle emits one event per step, in order, and none for rejected steps', async () => {
    const t = api.newTenant();
    const order = await t.placeOrder();
    await t.act(order.id, 'confirm');
    await t.post(actionPath(order.id, 'confirm'));
    await t.act(order.id, 'fulfill', 'Shipped with DHL');
    await t.post(actionPath(order.id, 'cancel'), { reason: 'Too late' });
    await t.act(order.id, 'complete');

    const events = (await t.events()).filter((e) => e.aggregateId === order.id);
    expect(events.map((e) => e.type)).toEqual([
      orderPlacedV1.type,
      orderStatusChangedV1.type,
      orderStatusChangedV1.type,
      orderStatusChangedV1.type,
    ]);
    expect(
      events
        .slice(1)
        .map((e) => orderStatusChangedV1.schema.parse(e.data))
        .map((d) => [d.from, d.to, d.reason]),
    ).toEqual([
      ['pending', 'confirmed', null],
      ['confirmed', 'fulfilled', 'Shipped with DHL'],
      ['fulfilled', 'completed', null],
    ]);
  });
});

describe('the outbox', () => {
  it('holds events unpublished until the relay runs, then marks them published, each delivered once', async () => {
    const t = api.newTenant();
    const customer = await t.createCustomer();
    const order = await t.placeOrder(customer.id);

    const pending = await outboxRows(api.db, t.tenantId);
    expect(pending.map((r) => [r.type, r.aggregateId, r.publishedAt])).toEqual([
      [customerCreatedV1.type, customer.id, null],
      [orderPlacedV1.type, order.id, null],
    ]);
    expect(api.recorder.events().filter((e) => e.tenantId === t.tenantId)).toEqual([]);

    await api.settle();
    await api.settle();

    const published = await outboxRows(api.db, t.tenantId);
    expect(published.every((r) => r.publishedAt instanceof Date)).toBe(true);
    expect(published.map((r) => r.attempts)).toEqual([0, 0]);
    const delivered = await t.events();
    expect(delivered).toEqual(published.map((r) => r.envelope));
    expect(published.map((r) => r.headers)).toEqual(
      delivered.map((e) => ({ 'x-correlation-id': e.correlationId })),
    );
  });

  it('uses the request id as correlation id when none (or an invalid one) is sent', async () => {
    const t = api.newTenant();
    const plain = await t.post('/customers', aCustomerBody());
    const invalid = await t.post('/customers', aCustomerBody(), { correlationId: 'has spaces in it' });
    await t.post('/customers', aCustomerBody(), { headers: { 'x-request-id': 'req-123' } });

    const events = await t.events();
    expect(events.map((e) => e.correlationId)).toEqual([
      plain.header('x-request-id'),
      invalid.header('x-request-id'),
      'req-123',
    ]);
    expect(events.map((e) => e.causationId)).toEqual(events.map((e) => e.correlationId));
  });
});
