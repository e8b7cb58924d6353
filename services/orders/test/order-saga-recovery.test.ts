// Crash safety of the order saga, step by step: an orders process stops (a fault thrown at a point
// between two steps writes nothing more, as a crash would), a fresh process on the same database
// recovers once the stopped one's lease has expired, and the end state is checked each time —
// completed when the order had been confirmed, fully compensated when not.
import { platformErrors } from '@only/platform/errors';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderSagas } from '../src/db/schema.ts';
import { orderSchema } from '../src/modules/orders/orders.dto.ts';
import type { SagaFaultPoint } from '../src/modules/saga/saga-support.ts';
import { expectProblem } from './support/expectations.ts';
import {
  SagaTenant,
  startSagaPlatform,
  type OrdersProcess,
  type SagaPlatform,
} from './support/saga-platform.ts';

let platform: SagaPlatform;

beforeAll(async () => {
  platform = await startSagaPlatform({ providerTimeoutMs: 200 });
});

afterAll(async () => {
  await platform.close();
});

const LEASE_MS = 30_000;

/** An orders process that crashes at `point` (every time it gets there). */
function crashingAt(point: SagaFaultPoint): Promise<OrdersProcess> {
  return platform.restartOrders({
    faults: (reached) => {
      if (reached === point) throw new Error(`crash at ${point}`);
    },
  });
}

/** After the crash: time passes beyond the lease, a new process starts and recovers what is due. */
async function restartAndRecover(): Promise<OrdersProcess> {
  await platform.settle();
  platform.clock.advance(LEASE_MS + 1_000);
  const restarted = await platform.restartOrders();
  await restarted.module.saga?.recoverDue();
  await platform.settle();
  return restarted;
}

async function sagaOf(orderId: string) {
  const [row] = await platform.db.select().from(orderSagas).where(eq(orderSagas.orderId, orderId));
  return row;
}

async function setUp() {
  const tenant = new SagaTenant(platform);
  const customerId = await tenant.customer();
  const product = await tenant.product('KTL-GOO-1L', { price: 7990, stock: 10 });
  return { tenant, customerId, product };
}

async function eventCount(tenant: SagaTenant, type: string): Promise<number> {
  return (await platform.eventsOf(tenant.tenantId, type)).length;
}

/** The id of the one order of the tenant (the crashed request never answered with it). */
async function onlyOrderId(tenant: SagaTenant): Promise<string> {
  const [saga, ...others] = await platform.db
    .select()
    .from(orderSagas)
    .where(eq(orderSagas.tenantId, tenant.tenantId));
  expect(others).toEqual([]);
  if (saga === undefined) throw new Error('no saga was written');
  return saga.orderId;
}

describe('a crash before the order was confirmed ends compensated: failed, reason interrupted', () => {
  const cases: readonly { point: SagaFaultPoint; reservation: string; payments: string[] }[] = [
    { point: 'before_reserve', reservation: 'none', payments: [] },
    { point: 'after_reserve', reservation: 'released', payments: [] },
    // The authorization may have been asked for: it is asked again under its key, then voided.
    { point: 'before_authorize', reservation: 'released', payments: ['voided'] },
    { point: 'after_authorize', reservation: 'released', payments: ['voided'] },
  ];

  it.each(cases)('crash at $point', async ({ point, reservation, payments }) => {
    const { tenant, customerId, product } = await setUp();
    const crashing = await crashingAt(point);
    const response = await tenant.placePaid(customerId, [{ sku: product.sku, quantity: 2 }], {
      via: crashing,
    });
    expect(response.status).toBe(500);
    const orderId = await onlyOrderId(tenant);

    await restartAndRecover();

    const order = await tenant.order(orderId);
    expect(order).toMatchObject({ status: 'failed', failure: { reason: 'interrupted' }, allowedActions: [] });
    expect(await tenant.reservationStatus(orderId)).toBe(reservation);
    expect(await tenant.stock(product.id)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    const stored = await tenant.paymentsOf(orderId);
    expect(stored.map((p) => p.status)).toEqual(payments);
    for (const payment of stored) {
      // Held once and released: no capture, nothing charged.
      const kinds = (await tenant.operationsOf(payment.id)).map((op) => op.kind);
      expect(kinds).toEqual(['authorize', 'void']);
    }
    expect(await sagaOf(orderId)).toMatchObject({
      phase: 'done',
      outcome: 'compensated',
      paymentToken: null,
    });
    expect(await eventCount(tenant, 'orders.order.failed')).toBe(1);
    expect(await eventCount(tenant, 'orders.order.placed')).toBe(0);
  });
});

describe('a crash after the order was confirmed ends completed: captured once, stock committed', () => {
  const points: readonly SagaFaultPoint[] = [
    'after_place',
    'before_capture',
    'after_capture',
    'before_commit',
    'after_commit',
  ];

  it.each(points)('crash at %s', async (point) => {
    const { tenant, customerId, product } = await setUp();
    const crashing = await crashingAt(point);
    const response = await tenant.placePaid(customerId, [{ sku: product.sku, quantity: 2 }], {
      via: crashing,
    });
    // after_place stops the request itself; the others stop the steps that follow the answer.
    expect(response.status).toBe(point === 'after_place' ? 500 : 201);
    const orderId = await onlyOrderId(tenant);

    await restartAndRecover();

    expect(orderSchema.parse(await tenant.order(orderId)).status).toBe('confirmed');
    expect(await tenant.reservationStatus(orderId)).toBe('committed');
    expect(await tenant.stock(product.id)).toEqual({ onHand: 8, reserved: 0, available: 8 });
    const [payment, ...others] = await tenant.paymentsOf(orderId);
    expect(others).toEqual([]);
    expect(payment).toMatchObject({ status: 'captured', amountCaptured: 2 * 7990 + 3036 });
    const kinds = (await tenant.operationsOf(payment!.id)).map((op) => op.kind);
    expect(kinds).toEqual(['authorize', 'capture']);
    expect(await sagaOf(orderId)).toMatchObject({ phase: 'done', outcome: 'completed' });
    expect(await eventCount(tenant, 'orders.order.placed')).toBe(1);
    expect(await eventCount(tenant, 'payments.payment.captured')).toBe(1);
    expect(await eventCount(tenant, 'catalog.stock.committed')).toBe(1);
    expect(await eventCount(tenant, 'orders.order.failed')).toBe(0);
  });
});

describe('a crash while compensating a failed placement ends compensated', () => {
  const cases: readonly { point: SagaFaultPoint; card: string; status: string; payment: string }[] = [
    { point: 'after_record_failure', card: 'tok_test_decline', status: 'payment_failed', payment: 'failed' },
    { point: 'before_release', card: 'tok_test_decline', status: 'payment_failed', payment: 'failed' },
    { point: 'after_release', card: 'tok_test_decline', status: 'payment_failed', payment: 'failed' },
    { point: 'before_void', card: 'tok_test_requires_action', status: 'payment_failed', payment: 'voided' },
    { point: 'after_void', card: 'tok_test_requires_action', status: 'payment_failed', payment: 'voided' },
  ];

  it.each(cases)('crash at $point ($card)', async ({ point, card, status, payment }) => {
    const { tenant, customerId, product } = await setUp();
    const crashing = await crashingAt(point);
    const response = await tenant.placePaid(customerId, [{ sku: product.sku, quantity: 1 }], {
      card,
      via: crashing,
    });
    expect(response.status).toBe(500);
    const orderId = await onlyOrderId(tenant);
    // The failure was recorded before the crash: the order already says so.
    expect((await tenant.order(orderId)).status).toBe(status);

    await restartAndRecover();

    expect((await tenant.order(orderId)).status).toBe(status);
    expect(await tenant.reservationStatus(orderId)).toBe('released');
    expect(await tenant.stock(product.id)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    expect((await tenant.paymentsOf(orderId)).map((p) => p.status)).toEqual([payment]);
    expect(await sagaOf(orderId)).toMatchObject({ phase: 'done', outcome: 'compensated' });
    expect(await eventCount(tenant, 'orders.order.failed')).toBe(1);
  });
});

describe('a crash while cancelling a captured order ends cancelled: refunded once, stock returned', () => {
  const points: readonly SagaFaultPoint[] = [
    'before_refund',
    'after_refund',
    'before_return',
    'after_return',
  ];

  it.each(points)('crash at %s', async (point) => {
    const { tenant, customerId, product } = await setUp();
    const placed = orderSchema.parse(
      (await tenant.placePaid(customerId, [{ sku: product.sku, quantity: 3 }])).json(),
    );
    await platform.settle();
    expect(await tenant.reservationStatus(placed.id)).toBe('committed');

    const crashing = await crashingAt(point);
    const response = await tenant.request('POST', `/orders/${placed.id}/cancel`, {
      body: { reason: 'Changed my mind' },
      via: crashing,
    });
    // The order is cancelled in its own transaction; giving back stopped at the crash.
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ status: 'cancelled' });

    await restartAndRecover();

    const [payment] = await tenant.paymentsOf(placed.id);
    expect(payment).toMatchObject({ status: 'refunded', amountRefunded: placed.totals.grandTotal });
    expect((await tenant.operationsOf(payment!.id)).map((op) => op.kind)).toEqual([
      'authorize',
      'capture',
      'refund',
    ]);
    expect(await tenant.reservationStatus(placed.id)).toBe('returned');
    expect(await tenant.stock(product.id)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    expect(await sagaOf(placed.id)).toMatchObject({ phase: 'done', outcome: 'cancelled' });
    expect(await eventCount(tenant, 'orders.order.cancelled')).toBe(1);
  });
});

describe('recovery itself', () => {
  it('a crash during recovery is recovered by the next one: still one payment, voided', async () => {
    const { tenant, customerId, product } = await setUp();
    const crashing = await crashingAt('before_authorize');
    await tenant.placePaid(customerId, [{ sku: product.sku, quantity: 1 }], { via: crashing });
    const orderId = await onlyOrderId(tenant);

    platform.clock.advance(LEASE_MS + 1_000);
    const crashingRecovery = await crashingAt('after_reauthorize');
    await crashingRecovery.module.saga?.recoverDue();
    expect(await sagaOf(orderId)).toMatchObject({ phase: 'compensating', payment: 'authorizing' });

    await restartAndRecover();
    expect((await tenant.paymentsOf(orderId)).map((p) => p.status)).toEqual(['voided']);
    expect(await tenant.stock(product.id)).toMatchObject({ reserved: 0, available: 10 });
    expect(await sagaOf(orderId)).toMatchObject({ outcome: 'compensated' });
  });

  it('leaves sagas alone while their lease runs: a placement in flight is not taken over', async () => {
    const { tenant, customerId, product } = await setUp();
    const crashing = await crashingAt('after_reserve');
    await tenant.placePaid(customerId, [{ sku: product.sku, quantity: 1 }], { via: crashing });
    const orderId = await onlyOrderId(tenant);

    const other = await platform.restartOrders();
    await other.module.saga?.recoverDue();
    expect(await sagaOf(orderId)).toMatchObject({ phase: 'placing' });
    expect(await tenant.stock(product.id)).toMatchObject({ reserved: 1 });

    await restartAndRecover();
    expect(await sagaOf(orderId)).toMatchObject({ outcome: 'compensated' });
  });

  it('a dependency that is down is retried later with backoff, then the saga completes', async () => {
    const { tenant, customerId, product } = await setUp();
    let down = true;
    const flaky = await platform.restartOrders({
      faults: (point) => {
        // Stands in for payments refusing the capture call while it is down: a 503 problem.
        if (point === 'before_capture' && down) throw platformErrors.unavailable('payments is not available');
      },
    });
    const placed = orderSchema.parse(
      (await tenant.placePaid(customerId, [{ sku: product.sku, quantity: 1 }], { via: flaky })).json(),
    );
    await platform.settle();
    const waiting = await sagaOf(placed.id);
    expect(waiting).toMatchObject({ phase: 'completing', leaseOwner: null, payment: 'capturing' });
    expect(waiting?.lastError).toMatch(/platform\.unavailable/);
    expect(waiting!.nextAttemptAt.getTime()).toBeGreaterThan(platform.clock.now().getTime());

    // Not yet due: nothing happens.
    await flaky.module.saga?.recoverDue();
    expect(await sagaOf(placed.id)).toMatchObject({ phase: 'completing' });

    down = false;
    platform.clock.advance(60_000);
    await flaky.module.saga?.recoverDue();
    await platform.settle();
    expect(await sagaOf(placed.id)).toMatchObject({ phase: 'done', outcome: 'completed', lastError: null });
    expect((await tenant.paymentsOf(placed.id)).map((p) => p.status)).toEqual(['captured']);
  });

  it('a declined order stays visible to a retry after restart, with the same answer', async () => {
    const { tenant, customerId, product } = await setUp();
    const lines = [{ sku: product.sku, quantity: 1 }];
    const first = expectProblem(
      await tenant.placePaid(customerId, lines, { key: 'retry-after-restart', card: 'tok_test_decline' }),
      402,
      'orders.payment_failed',
    );
    const restarted = await platform.restartOrders();
    const again = expectProblem(
      await tenant.placePaid(customerId, lines, {
        key: 'retry-after-restart',
        card: 'tok_test_decline',
        via: restarted,
      }),
      402,
      'orders.payment_failed',
    );
    expect(again.orderId).toBe(first.orderId);
  });
});
