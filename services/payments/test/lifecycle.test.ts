// The payment state machine: capture (full or partial, once), void (only before capture), refunds
// (partial, repeated, never above what was captured), and the guards between them — each refusal a
// 409 naming the state, with nothing changed.
import { paymentCapturedV1, paymentRefundedV1, paymentVoidedV1 } from '@only/contracts/payments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationRows } from './support/db.ts';
import { expectProblem, expectValidationProblem } from './support/expectations.ts';
import { startPaymentsApi, type PaymentsApi } from './support/payments-api.ts';

let api: PaymentsApi;

beforeAll(async () => {
  api = await startPaymentsApi();
});

afterAll(async () => {
  await api.close();
});

describe('capture', () => {
  it('takes the whole authorized amount by default and emits captured', async () => {
    const t = api.newTenant();
    const payment = await t.authorize({ amount: 2590 });

    const captured = await t.capture(payment.id);

    expect(captured).toMatchObject({
      status: 'captured',
      amountCaptured: 2590,
      refundable: 2590,
      allowedActions: ['refund'],
      capturedAt: api.clock.now().toISOString(),
    });
    const events = await t.events(paymentCapturedV1.type);
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({
        paymentId: payment.id,
        orderId: payment.orderId,
        amount: { amount: 2590, currency: 'EUR' },
        authorized: { amount: 2590, currency: 'EUR' },
        released: { amount: 0, currency: 'EUR' },
      }),
    ]);
  });

  it('takes part of it once, releasing the rest', async () => {
    const t = api.newTenant();
    const payment = await t.authorize({ amount: 5000 });

    expect(await t.capture(payment.id, { amount: 3200 })).toMatchObject({
      status: 'captured',
      amount: 5000,
      amountCaptured: 3200,
      refundable: 3200,
    });
    expect((await t.events(paymentCapturedV1.type))[0]?.data).toMatchObject({
      amount: { amount: 3200 },
      released: { amount: 1800 },
    });
    const again = expectProblem(
      await t.post(`/payments/${payment.id}/capture`, { amount: 100 }),
      409,
      'payments.invalid_state',
    );
    expect(again).toMatchObject({ currentState: 'captured', allowedActions: ['refund'] });
  });

  it('refuses more than was authorized, and changes nothing', async () => {
    const t = api.newTenant();
    const payment = await t.authorize({ amount: 1000 });
    const problem = expectProblem(
      await t.post(`/payments/${payment.id}/capture`, { amount: 1001 }),
      422,
      'payments.capture_exceeds_authorized',
    );
    expect(problem).toMatchObject({ authorized: 1000 });
    expect(await t.payment(payment.id)).toMatchObject({ status: 'authorized', amountCaptured: 0 });
    expect(await operationRows(api.db, payment.id)).toHaveLength(1);
  });

  it('after a void is 409 naming the state', async () => {
    const t = api.newTenant();
    const payment = await t.authorize();
    await t.void(payment.id);
    const problem = expectProblem(
      await t.post(`/payments/${payment.id}/capture`, {}),
      409,
      'payments.invalid_state',
    );
    expect(problem).toMatchObject({ currentState: 'voided', allowedActions: [] });
    expect(problem.detail).toContain('voided');
  });

  it('of a failed payment is 409', async () => {
    const t = api.newTenant();
    const declined = expectProblem(
      await t.post('/payments', {
        orderId: 'ord_01jd5x3b2kf9v8s7w6q4r2m1n0',
        amount: 100,
        currency: 'EUR',
        paymentToken: 'tok_test_decline',
      }),
      402,
      'payments.declined',
    );
    expectProblem(
      await t.post(`/payments/${String(declined.paymentId)}/capture`, {}),
      409,
      'payments.invalid_state',
    );
  });
});

describe('void', () => {
  it('cancels an authorization, emits voided, and repeating it changes nothing', async () => {
    const t = api.newTenant();
    const payment = await t.authorize({ amount: 1200 });

    const voided = await t.void(payment.id, { reason: 'out_of_stock' });

    expect(voided).toMatchObject({
      status: 'voided',
      voidedAt: api.clock.now().toISOString(),
      allowedActions: [],
    });
    expect((await t.events(paymentVoidedV1.type)).map((e) => e.data)).toEqual([
      expect.objectContaining({
        paymentId: payment.id,
        amount: { amount: 1200, currency: 'EUR' },
        reason: 'out_of_stock',
      }),
    ]);
    const callsBefore = api.provider.calls().length;
    expect(await t.void(payment.id)).toMatchObject({ status: 'voided' });
    expect(api.provider.calls()).toHaveLength(callsBefore);
    expect(await t.events(paymentVoidedV1.type)).toHaveLength(1);
  });

  it('after capture is 409: refund instead', async () => {
    const t = api.newTenant();
    const payment = await t.capturedPayment();
    const problem = expectProblem(
      await t.post(`/payments/${payment.id}/void`, {}),
      409,
      'payments.invalid_state',
    );
    expect(problem).toMatchObject({ currentState: 'captured', allowedActions: ['refund'] });
  });
});

describe('refunds', () => {
  it('partial and repeated, down to refunded; each emits refunded', async () => {
    const t = api.newTenant();
    const payment = await t.capturedPayment(1000);

    const first = await t.refund(payment.id, 300, undefined, 'damaged');
    expect(first.refund).toMatchObject({ amount: 300, currency: 'EUR', reason: 'damaged' });
    expect(first.payment).toMatchObject({
      status: 'partially_refunded',
      amountRefunded: 300,
      refundable: 700,
      refunds: [expect.objectContaining({ id: first.refund.id, amount: 300 })],
    });
    const second = await t.refund(payment.id, 450);
    expect(second.payment).toMatchObject({
      status: 'partially_refunded',
      amountRefunded: 750,
      refundable: 250,
    });

    const tooMuch = expectProblem(
      await t.post(`/payments/${payment.id}/refunds`, { amount: 251 }),
      409,
      'payments.refund_exceeds_captured',
    );
    expect(tooMuch).toMatchObject({ refundable: 250, captured: 1000, refunded: 750, pending: 0 });

    const last = await t.refund(payment.id, 250);
    expect(last.payment).toMatchObject({
      status: 'refunded',
      amountRefunded: 1000,
      refundable: 0,
      allowedActions: [],
    });
    expect(last.payment.refunds.map((r) => r.amount)).toEqual([300, 450, 250]);
    expectProblem(
      await t.post(`/payments/${payment.id}/refunds`, { amount: 1 }),
      409,
      'payments.invalid_state',
    );

    const events = await t.events(paymentRefundedV1.type);
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({
        refundId: first.refund.id,
        amount: { amount: 300, currency: 'EUR' },
        totalRefunded: { amount: 300, currency: 'EUR' },
        fullyRefunded: false,
        reason: 'damaged',
      }),
      expect.objectContaining({
        amount: { amount: 450, currency: 'EUR' },
        totalRefunded: { amount: 750, currency: 'EUR' },
        fullyRefunded: false,
      }),
      expect.objectContaining({
        refundId: last.refund.id,
        totalRefunded: { amount: 1000, currency: 'EUR' },
        fullyRefunded: true,
      }),
    ]);
  });

  it('only of what was captured, not of what was authorized', async () => {
    const t = api.newTenant();
    const payment = await t.authorize({ amount: 1000 });
    await t.capture(payment.id, { amount: 600 });
    expectProblem(
      await t.post(`/payments/${payment.id}/refunds`, { amount: 601 }),
      409,
      'payments.refund_exceeds_captured',
    );
    expect((await t.refund(payment.id, 600)).payment).toMatchObject({ status: 'refunded' });
  });

  it('before capture is 409 naming the state', async () => {
    const t = api.newTenant();
    const payment = await t.authorize();
    const problem = expectProblem(
      await t.post(`/payments/${payment.id}/refunds`, { amount: 1 }),
      409,
      'payments.invalid_state',
    );
    expect(problem).toMatchObject({ currentState: 'authorized', allowedActions: ['capture', 'void'] });
  });

  it('needs a positive amount', async () => {
    const t = api.newTenant();
    const payment = await t.capturedPayment();
    expectValidationProblem(await t.post(`/payments/${payment.id}/refunds`, { amount: 0 }), {
      field: 'amount',
      in: 'body',
    });
  });

  it('keeps the history: one operation row per operation, with key, actor and outcome', async () => {
    const t = api.newTenant();
    const payment = await t.authorize({ amount: 900 });
    await t.capture(payment.id, {}, 'capture-key-1');
    await t.refund(payment.id, 400, 'refund-key-1');

    const history = await t.operations(payment.id);

    expect(history.map((op) => [op.kind, op.outcome, op.amount, op.idempotencyKey])).toEqual([
      ['authorize', 'succeeded', 900, expect.any(String)],
      ['capture', 'succeeded', 900, 'capture-key-1'],
      ['refund', 'succeeded', 400, 'refund-key-1'],
    ]);
    for (const op of history) {
      expect(op.actor).toEqual({ type: 'user', id: 'usr_test' });
      expect(op.providerReference).toMatch(/^tp/);
      expect(op.completedAt).toBe(api.clock.now().toISOString());
    }
  });
});
