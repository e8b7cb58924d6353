// The order saga end to end against the real catalog and payments modules: a paid order is
// priced from the catalog, its stock reserved and its payment authorized before it is confirmed,
// then captured and committed; every failure leaves a clear failed order and gives everything back.
import { problemSchema } from '@only/platform/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderSchema } from '../src/modules/orders/orders.dto.ts';
import { orderSagas } from '../src/db/schema.ts';
import { eq } from 'drizzle-orm';
import { aString, expectProblem, expectValidationProblem } from './support/expectations.ts';
import { SagaTenant, startSagaPlatform, type SagaPlatform } from './support/saga-platform.ts';

let platform: SagaPlatform;

beforeAll(async () => {
  platform = await startSagaPlatform({ providerTimeoutMs: 200 });
});

afterAll(async () => {
  await platform.close();
});

async function sagaOf(orderId: string) {
  const [row] = await platform.db.select().from(orderSagas).where(eq(orderSagas.orderId, orderId));
  return row;
}

/** A tenant with a customer and one product (`price` 1000, standard tax 19 %, `stock` units). */
async function setUp(stock = 10) {
  const tenant = new SagaTenant(platform);
  const customerId = await tenant.customer();
  const product = await tenant.product('COF-ESP-250', { price: 1000, stock });
  return { tenant, customerId, product };
}

function types(events: readonly { type: string }[]): string[] {
  return events.map((event) => event.type);
}

describe('a paid order with the approve card', () => {
  it('is confirmed at catalog prices; then its payment is captured and its stock committed', async () => {
    const { tenant, customerId, product } = await setUp(10);
    const response = await tenant.placePaid(customerId, [{ sku: product.sku, quantity: 2 }]);

    expect(response.status).toBe(201);
    const order = orderSchema.parse(response.json());
    expect(order).toMatchObject({
      status: 'confirmed',
      currency: 'EUR',
      failure: null,
      paymentId: aString(/^pay_/),
      lines: [
        { sku: product.sku, name: `Product ${product.sku}`, quantity: 2, unitPrice: 1000, taxRateBps: 1900 },
      ],
      totals: { subtotal: 2000, tax: 380, grandTotal: 2380 },
      allowedActions: ['fulfill', 'cancel'],
    });
    expect(response.header('location')).toBe(`orders/${order.id}`);

    await platform.settle();
    expect(await tenant.reservationStatus(order.id)).toBe('committed');
    expect(await tenant.stock(product.id)).toEqual({ onHand: 8, reserved: 0, available: 8 });
    const [payment, ...others] = await tenant.paymentsOf(order.id);
    expect(others).toEqual([]);
    expect(payment).toMatchObject({ id: order.paymentId, status: 'captured', amountCaptured: 2380 });
    expect(await sagaOf(order.id)).toMatchObject({
      phase: 'done',
      outcome: 'completed',
      reservation: 'committed',
      payment: 'captured',
      paymentToken: null,
      leaseOwner: null,
    });

    // UUIDv7 event ids sort by creation across services.
    const events = [...(await platform.eventsOf(tenant.tenantId))].sort((a, b) => a.id.localeCompare(b.id));
    const placed = events.filter((e) => e.type === 'orders.order.placed');
    expect(placed).toHaveLength(1);
    expect(placed[0]?.data).toMatchObject({ order: { id: order.id, status: 'confirmed' } });
    // Reserved and authorized before the order was placed; captured and committed after.
    const sequence = types(events).filter((type) =>
      [
        'catalog.stock.reserved',
        'payments.payment.authorized',
        'orders.order.placed',
        'payments.payment.captured',
        'catalog.stock.committed',
      ].includes(type),
    );
    expect(sequence).toEqual([
      'catalog.stock.reserved',
      'payments.payment.authorized',
      'orders.order.placed',
      'payments.payment.captured',
      'catalog.stock.committed',
    ]);
  });

  it('works for a cashier, whose role reserves stock and takes payments', async () => {
    const { tenant, customerId, product } = await setUp(5);
    const response = await tenant.placePaid(customerId, [{ sku: product.sku, quantity: 1 }], {
      role: 'cashier',
    });
    expect(response.status).toBe(201);
  });
});

describe('a failed placement', () => {
  it('declined card: 402 payment_failed naming the reason; the order stays visible, the stock comes back', async () => {
    const { tenant, customerId, product } = await setUp(10);
    const response = await tenant.placePaid(customerId, [{ sku: product.sku, quantity: 3 }], {
      card: 'tok_test_decline',
    });

    const problem = expectProblem(response, 402, 'orders.payment_failed');
    expect(problem).toMatchObject({ status: 402, reason: 'card_declined', orderId: aString(/^ord_/) });
    const orderId = String(problem.orderId);
    const order = await tenant.order(orderId);
    expect(order).toMatchObject({
      status: 'payment_failed',
      failure: { reason: 'card_declined' },
      allowedActions: [],
      totals: { grandTotal: 3570 },
    });
    expect(order.history).toMatchObject([{ from: null, to: 'payment_failed', actor: { type: 'user' } }]);

    expect(await tenant.reservationStatus(orderId)).toBe('released');
    expect(await tenant.stock(product.id)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    const payments = await tenant.paymentsOf(orderId);
    expect(payments.map((p) => p.status)).toEqual(['failed']);
    expect(await sagaOf(orderId)).toMatchObject({
      phase: 'done',
      outcome: 'compensated',
      paymentToken: null,
    });

    const events = types(await platform.eventsOf(tenant.tenantId));
    expect(events).toContain('orders.order.failed');
    expect(events).not.toContain('orders.order.placed');
    expect(events).toContain('catalog.stock.released');
  });

  it('insufficient funds: 402 with reason insufficient_funds', async () => {
    const { tenant, customerId, product } = await setUp(10);
    const response = await tenant.placePaid(customerId, [{ sku: product.sku, quantity: 1 }], {
      card: 'tok_test_insufficient_funds',
    });
    const problem = expectProblem(response, 402, 'orders.payment_failed');
    expect(problem.reason).toBe('insufficient_funds');
    expect((await tenant.order(String(problem.orderId))).status).toBe('payment_failed');
    expect(await tenant.stock(product.id)).toMatchObject({ reserved: 0, available: 10 });
  });

  it('a card that needs authentication: 402 authentication_required; the waiting payment is voided', async () => {
    const { tenant, customerId, product } = await setUp(10);
    const response = await tenant.placePaid(customerId, [{ sku: product.sku, quantity: 1 }], {
      card: 'tok_test_requires_action',
    });
    const problem = expectProblem(response, 402, 'orders.payment_failed');
    expect(problem.reason).toBe('authentication_required');
    const orderId = String(problem.orderId);
    expect((await tenant.paymentsOf(orderId)).map((p) => p.status)).toEqual(['voided']);
    expect(await tenant.stock(product.id)).toMatchObject({ reserved: 0, available: 10 });
    expect(await tenant.reservationStatus(orderId)).toBe('released');
  });

  it('out of stock: 409 naming the SKU; the order is out_of_stock, nothing reserved, nothing charged', async () => {
    const { tenant, customerId, product } = await setUp(2);
    const other = await tenant.product('MUG-CER-350', { price: 500, stock: 10 });
    const response = await tenant.placePaid(customerId, [
      { sku: other.sku, quantity: 1 },
      { sku: product.sku, quantity: 3 },
    ]);

    const problem = expectProblem(response, 409, 'orders.out_of_stock');
    expect(problem).toMatchObject({ skus: [product.sku], orderStatus: 'out_of_stock' });
    const orderId = String(problem.orderId);
    expect(await tenant.order(orderId)).toMatchObject({
      status: 'out_of_stock',
      paymentId: null,
      failure: { reason: 'out_of_stock', skus: [product.sku] },
    });
    expect(await tenant.reservationStatus(orderId)).toBe('none');
    expect(await tenant.stock(product.id)).toEqual({ onHand: 2, reserved: 0, available: 2 });
    expect(await tenant.stock(other.id)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    expect(await tenant.paymentsOf(orderId)).toEqual([]);
  });

  it('the timeout card: the unanswered authorization is asked again under its key and the order confirmed', async () => {
    const { tenant, customerId, product } = await setUp(10);
    const response = await tenant.placePaid(customerId, [{ sku: product.sku, quantity: 1 }], {
      card: 'tok_test_timeout',
    });
    expect(response.status).toBe(201);
    const order = orderSchema.parse(response.json());
    await platform.settle();
    const [payment, ...others] = await tenant.paymentsOf(order.id);
    expect(others).toEqual([]);
    expect(payment?.status).toBe('captured');
    // One authorization, asked of the provider twice under one provider key: booked once.
    const operations = await tenant.operationsOf(payment!.id);
    expect(operations.filter((op) => op.kind === 'authorize')).toMatchObject([{ attempts: 2 }]);
    const calls = await tenant.providerCallsOf(payment!.id);
    expect(calls.filter((call) => call.operation === 'authorize')).toHaveLength(2);
    const authorizeKey = operations.find((op) => op.kind === 'authorize')?.id;
    expect(platform.provider.ledger().filter((entry) => entry.operation === 'authorize')).toEqual(
      expect.arrayContaining([expect.objectContaining({ amount: order.totals.grandTotal })]),
    );
    expect(calls.filter((call) => call.idempotencyKey === authorizeKey && call.attempt === 1)).toHaveLength(
      1,
    );
  });
});

describe('validation before anything is reserved', () => {
  it('a paid order sends sku and quantity only: prices are the catalog’s', async () => {
    const { tenant, customerId, product } = await setUp(10);
    const response = await tenant.request('POST', '/orders', {
      body: {
        customerId,
        currency: 'EUR',
        lines: [{ sku: product.sku, quantity: 1, unitPrice: 1 }],
        payment: { token: 'tok_test_approve' },
      },
    });
    expectValidationProblem(response, { field: 'lines[0].unitPrice', in: 'body', rule: 'not_allowed' });
  });

  it('an unknown SKU is a 422 naming it, and no order, reservation or payment exists', async () => {
    const { tenant, customerId, product } = await setUp(10);
    const response = await tenant.placePaid(customerId, [
      { sku: product.sku, quantity: 1 },
      { sku: 'NOPE-1', quantity: 1 },
    ]);
    const problem = expectProblem(response, 422, 'orders.unknown_products');
    expect(problem.skus).toEqual(['NOPE-1']);
    const list = await tenant.request('GET', '/orders');
    expect(list.json()).toMatchObject({ items: [] });
    expect(await tenant.stock(product.id)).toMatchObject({ reserved: 0, available: 10 });
  });

  it('an unknown customer is a 422 before any call', async () => {
    const { tenant, product } = await setUp(10);
    const response = await tenant.placePaid('cus_01jd5x3b2kf9v8s7w6q4r2m1n0', [
      { sku: product.sku, quantity: 1 },
    ]);
    expectProblem(response, 422, 'orders.unknown_customer');
    expect(await tenant.stock(product.id)).toMatchObject({ reserved: 0 });
  });

  it('a caller who may create orders but not take payments is refused (403) before anything happens', async () => {
    const { tenant, customerId, product } = await setUp(10);
    const token = await platform.issuer.token({
      tenantId: tenant.tenantId,
      roles: [],
      permissions: ['orders:create', 'orders:read', 'products:read', 'stock:reserve'],
    });
    const response = await tenant.placePaid(customerId, [{ sku: product.sku, quantity: 1 }], { token });
    const problem = expectProblem(response, 403, 'platform.forbidden');
    expect(problem.missing).toEqual(['payments:authorize']);
    expect(await tenant.stock(product.id)).toMatchObject({ reserved: 0 });
  });

  it('orders without payment keep their behaviour: pending, at the prices sent', async () => {
    const { tenant, customerId } = await setUp(10);
    const response = await tenant.request('POST', '/orders', {
      body: {
        customerId,
        currency: 'EUR',
        lines: [{ sku: 'ANY-1', name: 'Anything', quantity: 1, unitPrice: 250 }],
      },
    });
    expect(response.status).toBe(201);
    expect(response.json()).toMatchObject({
      status: 'pending',
      paymentId: null,
      totals: { grandTotal: 250 },
    });
  });
});

describe('concurrency', () => {
  it('20 concurrent paid orders for the last 5 units: exactly 5 confirmed, 15 out_of_stock, stock 0', async () => {
    const { tenant, customerId, product } = await setUp(5);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => tenant.placePaid(customerId, [{ sku: product.sku, quantity: 1 }])),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 409)).toHaveLength(15);
    for (const response of responses.filter((r) => r.status === 409))
      expect(problemSchema.parse(response.json()).code).toBe('orders.out_of_stock');

    await platform.settle();
    expect(await tenant.stock(product.id)).toEqual({ onHand: 0, reserved: 0, available: 0 });
    const list = await tenant.request('GET', '/orders', {});
    const orders = list.json<{ items: { id: string; status: string }[] }>().items;
    expect(orders.filter((o) => o.status === 'confirmed')).toHaveLength(5);
    expect(orders.filter((o) => o.status === 'out_of_stock')).toHaveLength(15);
    for (const order of orders.filter((o) => o.status === 'confirmed')) {
      expect((await tenant.paymentsOf(order.id)).map((p) => p.status)).toEqual(['captured']);
      expect(await tenant.reservationStatus(order.id)).toBe('committed');
    }
  });
});

describe('Idempotency-Key', () => {
  it('a retry with the same key and body answers the same order: one reservation, one authorization', async () => {
    const { tenant, customerId, product } = await setUp(10);
    const lines = [{ sku: product.sku, quantity: 2 }];
    const first = await tenant.placePaid(customerId, lines, { key: 'checkout-1' });
    const again = await tenant.placePaid(customerId, lines, { key: 'checkout-1' });

    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.header('idempotent-replayed')).toBe('true');
    const order = orderSchema.parse(first.json());
    expect(orderSchema.parse(again.json()).id).toBe(order.id);

    await platform.settle();
    expect(await tenant.stock(product.id)).toEqual({ onHand: 8, reserved: 0, available: 8 });
    const [payment, ...others] = await tenant.paymentsOf(order.id);
    expect(others).toEqual([]);
    const authorizations = (await tenant.providerCallsOf(payment!.id)).filter(
      (c) => c.operation === 'authorize',
    );
    expect(authorizations).toHaveLength(1);
    const reservations = await platform.catalog.reservations.list(tenant.ctx, { limit: 10 });
    expect(reservations.items.map((r) => r.reservationKey)).toEqual([order.id]);
    const list = await tenant.request('GET', '/orders', {});
    expect(list.json<{ items: unknown[] }>().items).toHaveLength(1);
  });

  it('concurrent requests with one key place one order', async () => {
    const { tenant, customerId, product } = await setUp(10);
    const lines = [{ sku: product.sku, quantity: 1 }];
    const responses = await Promise.all(
      Array.from({ length: 3 }, () => tenant.placePaid(customerId, lines, { key: 'checkout-race' })),
    );
    const placed = responses.filter((r) => r.status === 201).map((r) => orderSchema.parse(r.json()).id);
    // The others are told the first is still in progress (409), or replay it.
    expect(responses.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect(new Set(placed).size).toBe(1);
    await platform.settle();
    expect(await tenant.stock(product.id)).toMatchObject({ onHand: 9, reserved: 0 });
  });

  it('a retry of a declined order answers the same 402 and the same order, without a second authorization', async () => {
    const { tenant, customerId, product } = await setUp(10);
    const lines = [{ sku: product.sku, quantity: 1 }];
    const first = expectProblem(
      await tenant.placePaid(customerId, lines, { key: 'declined-1', card: 'tok_test_decline' }),
      402,
      'orders.payment_failed',
    );
    const again = expectProblem(
      await tenant.placePaid(customerId, lines, { key: 'declined-1', card: 'tok_test_decline' }),
      402,
      'orders.payment_failed',
    );
    expect(again.orderId).toBe(first.orderId);
    expect(await tenant.paymentsOf(String(first.orderId))).toHaveLength(1);
  });

  it('the same key with another body is a 422', async () => {
    const { tenant, customerId, product } = await setUp(10);
    await tenant.placePaid(customerId, [{ sku: product.sku, quantity: 1 }], { key: 'checkout-2' });
    const other = await tenant.placePaid(customerId, [{ sku: product.sku, quantity: 2 }], {
      key: 'checkout-2',
    });
    expectProblem(other, 422, 'platform.idempotency_key_reused');
  });
});

describe('cancelling a paid order', () => {
  it('after capture: the payment is refunded and the sold stock returned', async () => {
    const { tenant, customerId, product } = await setUp(10);
    const placed = orderSchema.parse(
      (await tenant.placePaid(customerId, [{ sku: product.sku, quantity: 4 }])).json(),
    );
    await platform.settle();
    expect(await tenant.stock(product.id)).toMatchObject({ onHand: 6 });

    const response = await tenant.request('POST', `/orders/${placed.id}/cancel`, {
      body: { reason: 'Customer changed their mind' },
    });
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ status: 'cancelled' });
    await platform.settle();

    const [payment] = await tenant.paymentsOf(placed.id);
    expect(payment).toMatchObject({ status: 'refunded', amountRefunded: placed.totals.grandTotal });
    expect(await tenant.reservationStatus(placed.id)).toBe('returned');
    expect(await tenant.stock(product.id)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    expect(await sagaOf(placed.id)).toMatchObject({
      phase: 'done',
      outcome: 'cancelled',
      payment: 'refunded',
    });
    const events = await platform.eventsOf(tenant.tenantId);
    expect(types(events)).toContain('orders.order.cancelled');
    expect(events.filter((e) => e.type === 'catalog.stock.adjusted').at(-1)?.data).toMatchObject({
      reason: 'returned',
      delta: 4,
    });
  });

  it('before capture: the authorization is voided and the reservation released', async () => {
    const { tenant, customerId, product } = await setUp(10);
    // A process that stops before capturing: the order is confirmed, its money only authorized.
    const stopping = await platform.restartOrders({
      faults: (point) => {
        if (point === 'before_capture') throw new Error('stopped before capture');
      },
    });
    const placed = orderSchema.parse(
      (await tenant.placePaid(customerId, [{ sku: product.sku, quantity: 3 }], { via: stopping })).json(),
    );
    await platform.settle();
    expect(await tenant.stock(product.id)).toMatchObject({ onHand: 10, reserved: 3 });

    const response = await tenant.request('POST', `/orders/${placed.id}/cancel`, {
      body: { reason: 'Too slow' },
    });
    expect(response.status).toBe(200);
    // The stopped process's lease still holds the saga; once it expires, recovery gives all back.
    platform.clock.advance(31_000);
    await platform.orders.module.saga?.recoverDue();
    await platform.settle();

    expect((await tenant.paymentsOf(placed.id)).map((p) => p.status)).toEqual(['voided']);
    expect(await tenant.reservationStatus(placed.id)).toBe('released');
    expect(await tenant.stock(product.id)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    expect(await sagaOf(placed.id)).toMatchObject({
      outcome: 'cancelled',
      payment: 'voided',
      reservation: 'released',
    });
    expect((await tenant.order(placed.id)).status).toBe('cancelled');
  });
});

describe('a capture refused after confirmation', () => {
  it('cancels the order with the reason and gives everything back', async () => {
    const { tenant, customerId, product } = await setUp(10);
    // Someone voids the payment through the payments API between confirmation and capture.
    const meddling = await platform.restartOrders({
      faults: async (point, orderId) => {
        if (point !== 'before_capture') return;
        const saga = await sagaOf(orderId);
        await platform.payments.payments.void(tenant.ctx, saga!.paymentId!, {}, `meddle-${orderId}`);
      },
    });
    const placed = orderSchema.parse(
      (await tenant.placePaid(customerId, [{ sku: product.sku, quantity: 2 }], { via: meddling })).json(),
    );
    await platform.settle();

    const order = await tenant.order(placed.id);
    expect(order.status).toBe('cancelled');
    expect(order.history.at(-1)).toMatchObject({
      to: 'cancelled',
      actor: { type: 'system' },
      reason: aString(/could not be captured/),
    });
    expect((await tenant.paymentsOf(placed.id)).map((p) => p.status)).toEqual(['voided']);
    expect(await tenant.reservationStatus(placed.id)).toBe('released');
    expect(await tenant.stock(product.id)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    expect(await sagaOf(placed.id)).toMatchObject({ phase: 'done', outcome: 'cancelled' });
    expect(types(await platform.eventsOf(tenant.tenantId))).toContain('orders.order.cancelled');
  });
});
