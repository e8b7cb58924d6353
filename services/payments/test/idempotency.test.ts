// Idempotency keys on every command: the same key and request replay the first answer without a
// second provider call; another request with the key is refused; unknown outcomes (timeouts,
// crashes) are completed by the retry with the same provider key — never charged twice.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentOperations, payments } from '../src/db/schema.ts';
import { paymentSchema, refundResultSchema } from '../src/modules/payments/payments.dto.ts';
import type { TestPaymentProvider } from '../src/modules/providers/test-provider.ts';
import { aKey, anAuthorizeBody } from './support/builders.ts';
import { operationRows, rowCounts } from './support/db.ts';
import { expectProblem } from './support/expectations.ts';
import { startPaymentsApi, type PaymentsApi } from './support/payments-api.ts';
import { ScriptedProvider } from './support/scripted-provider.ts';
import { expectStatus } from './support/tenant-client.ts';

let api: PaymentsApi;
const scripted = new ScriptedProvider();

beforeAll(async () => {
  api = await startPaymentsApi({ settings: { providers: [scripted] } });
});

afterAll(async () => {
  await api.close();
});

const callsWithKey = (provider: TestPaymentProvider, key: string | undefined) =>
  provider.calls().filter((call) => call.idempotencyKey === key);

describe('the same key and request', () => {
  it('authorize twice: one payment, one provider call, one operation row, the same answer', async () => {
    const t = api.newTenant();
    const key = aKey();
    const body = anAuthorizeBody();

    const first = await t.post('/payments', body, { key });
    const second = await t.post('/payments', body, { key });

    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(first.header('idempotent-replayed')).toBeUndefined();
    expect(second.header('idempotent-replayed')).toBe('true');
    expect(second.header('location')).toBe(first.header('location'));
    const payment = paymentSchema.parse(first.json());
    const ops = await operationRows(api.db, payment.id);
    expect(ops).toHaveLength(1);
    expect(callsWithKey(api.provider, ops[0]?.id)).toHaveLength(1);
    expect(await rowCounts(api.db, t.tenantId)).toMatchObject({ payments: 1, paymentOperations: 1 });
  });

  it('replays the first answer even after the payment moved on', async () => {
    const t = api.newTenant();
    const key = aKey();
    const body = anAuthorizeBody();
    const first = paymentSchema.parse(expectStatus(await t.post('/payments', body, { key }), 201));
    await t.capture(first.id);

    const replay = paymentSchema.parse(expectStatus(await t.post('/payments', body, { key }), 201));

    expect(replay).toEqual(first);
    expect(replay.status).toBe('authorized');
  });

  it('capture and refund twice: one capture, one refund', async () => {
    const t = api.newTenant();
    const payment = await t.authorize({ amount: 1000 });
    const captureKey = aKey();
    await t.capture(payment.id, { amount: 800 }, captureKey);
    const again = await t.post(`/payments/${payment.id}/capture`, { amount: 800 }, { key: captureKey });
    expect(again.status).toBe(200);
    expect(again.header('idempotent-replayed')).toBe('true');

    const refundKey = aKey();
    const refund = await t.refund(payment.id, 300, refundKey);
    const refundAgain = refundResultSchema.parse(
      expectStatus(await t.post(`/payments/${payment.id}/refunds`, { amount: 300 }, { key: refundKey }), 201),
    );
    expect(refundAgain).toEqual(refund);
    expect(await t.payment(payment.id)).toMatchObject({
      amountCaptured: 800,
      amountRefunded: 300,
      refunds: [expect.anything()],
    });
    expect((await operationRows(api.db, payment.id)).map((op) => op.kind)).toEqual([
      'authorize',
      'capture',
      'refund',
    ]);
  });

  it('a decline replays as the same problem, without asking the provider again', async () => {
    const t = api.newTenant();
    const key = aKey();
    const body = anAuthorizeBody({ paymentToken: 'tok_test_decline' });
    const first = expectProblem(await t.post('/payments', body, { key }), 402, 'payments.declined');
    const callsBefore = api.provider.calls().length;

    const second = expectProblem(await t.post('/payments', body, { key }), 402, 'payments.declined');

    expect(second).toMatchObject({
      paymentId: first.paymentId,
      declineReason: 'card_declined',
      detail: first.detail,
    });
    expect(api.provider.calls()).toHaveLength(callsBefore);
    // Another card is another request: a new key, a new payment.
    const retry = await t.authorize({ orderId: body.orderId, paymentToken: 'tok_test_approve' });
    expect(retry.id).not.toBe(first.paymentId);
  });

  it('10 concurrent sends of one key make one payment and one provider call', async () => {
    const t = api.newTenant();
    const key = aKey();
    const body = anAuthorizeBody();

    const responses = await Promise.all(Array.from({ length: 10 }, () => t.post('/payments', body, { key })));

    for (const response of responses) {
      if (response.status !== 201) expectProblem(response, 409, 'payments.operation_in_progress');
    }
    const created = responses.filter((r) => r.status === 201).map((r) => paymentSchema.parse(r.json()).id);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created).size).toBe(1);
    expect(await rowCounts(api.db, t.tenantId)).toMatchObject({ payments: 1, paymentOperations: 1 });
    const [op] = await operationRows(api.db, created[0] ?? '');
    expect(callsWithKey(api.provider, op?.id)).toHaveLength(1);
  });
});

describe('the same key with another request', () => {
  it('is 422 platform.idempotency_key_reused, and nothing changes', async () => {
    const t = api.newTenant();
    const key = aKey();
    await t.authorize({ amount: 1000 }, { key });
    const before = await rowCounts(api.db, t.tenantId);

    const problem = expectProblem(
      await t.post('/payments', anAuthorizeBody({ amount: 2000 }), { key }),
      422,
      'platform.idempotency_key_reused',
    );

    expect(problem).toMatchObject({ field: 'Idempotency-Key' });
    expect(await rowCounts(api.db, t.tenantId)).toEqual(before);
  });

  it('is refused for another command too', async () => {
    const t = api.newTenant();
    const key = aKey();
    const payment = await t.authorize({}, { key });
    expectProblem(
      await t.post(`/payments/${payment.id}/capture`, {}, { key }),
      422,
      'platform.idempotency_key_reused',
    );
    expect(await t.payment(payment.id)).toMatchObject({ status: 'authorized', amountCaptured: 0 });
  });

  it('keys belong to a tenant: another tenant may use the same key for its own payment', async () => {
    const a = api.newTenant();
    const b = api.newTenant();
    const key = aKey();
    const fromA = await a.authorize({}, { key });
    const fromB = await b.authorize({}, { key });
    expect(fromB.id).not.toBe(fromA.id);
  });
});

describe('a refused command', () => {
  it('does not use up its key: the same request succeeds once the state allows it', async () => {
    const t = api.newTenant();
    const payment = await t.authorize({ paymentToken: 'tok_test_requires_action' });
    const key = aKey();
    expectProblem(
      await t.post(`/payments/${payment.id}/capture`, {}, { key }),
      409,
      'payments.invalid_state',
    );
    expect(await operationRows(api.db, payment.id)).toHaveLength(1);
    await t.post(`/payments/${payment.id}/authentication`, { result: 'succeeded' });

    expect((await t.capture(payment.id, {}, key)).status).toBe('captured');
  });
});

describe('unknown outcomes', () => {
  it('a capture that times out leaves the payment pending_review until its retry captures it once', async () => {
    const t = api.newTenant();
    const payment = await t.authorize({ amount: 700, provider: 'scripted' });
    const key = aKey();
    scripted.hangNext('capture');

    // The adapter ignores its abort signal: the service stops waiting anyway.
    expectProblem(
      await t.post(`/payments/${payment.id}/capture`, {}, { key }),
      503,
      'payments.provider_unavailable',
    );

    expect(await t.payment(payment.id)).toMatchObject({
      status: 'pending_review',
      amountCaptured: 0,
      pendingOperation: { kind: 'capture' },
    });
    expectProblem(await t.post(`/payments/${payment.id}/void`, {}), 409, 'payments.invalid_state');
    expectProblem(await t.post(`/payments/${payment.id}/capture`, {}), 409, 'payments.invalid_state');

    expect(await t.capture(payment.id, {}, key)).toMatchObject({
      status: 'captured',
      amountCaptured: 700,
      pendingOperation: null,
    });
    const capture = (await operationRows(api.db, payment.id)).find((op) => op.kind === 'capture');
    expect(capture).toMatchObject({ outcome: 'succeeded', attempts: 2 });
    expect(callsWithKey(scripted.inner, capture?.id).map((c) => c.attempt)).toEqual([2]);
    expect(
      scripted.inner
        .ledger()
        .filter((e) => e.operation === 'capture' && e.providerReference === payment.providerReference),
    ).toHaveLength(1);
  });

  it('a refund that times out keeps its amount reserved, so concurrent refunds stay within the capture', async () => {
    const t = api.newTenant();
    const payment = await t.authorize({ amount: 1000, provider: 'scripted' });
    await t.capture(payment.id);
    const key = aKey();
    scripted.hangNext('refund');

    expectProblem(
      await t.post(`/payments/${payment.id}/refunds`, { amount: 400 }, { key }),
      503,
      'payments.provider_unavailable',
    );

    expect(await t.payment(payment.id)).toMatchObject({
      status: 'captured',
      amountRefunded: 0,
      amountRefundPending: 400,
      refundable: 600,
    });
    expectProblem(
      await t.post(`/payments/${payment.id}/refunds`, { amount: 601 }),
      409,
      'payments.refund_exceeds_captured',
    );
    await t.refund(payment.id, 600);
    const retried = await t.refund(payment.id, 400, key);
    expect(retried.payment).toMatchObject({
      status: 'refunded',
      amountRefunded: 1000,
      amountRefundPending: 0,
    });
  });

  it('while the provider call is in flight, the same key is 409 operation_in_progress', async () => {
    const slow = await startPaymentsApi({ settings: { providers: [scripted], providerTimeoutMs: 30_000 } });
    try {
      const t = slow.newTenant();
      const key = aKey();
      const body = anAuthorizeBody({ provider: 'scripted' });
      const gate = scripted.gateNext('authorize');
      const first = t.post('/payments', body, { key });
      await gate.reached;

      expectProblem(await t.post('/payments', body, { key }), 409, 'payments.operation_in_progress');

      gate.release();
      expect((await first).status).toBe(201);
      expect((await t.post('/payments', body, { key })).status).toBe(201);
    } finally {
      await slow.close();
    }
  });

  it('after a crash mid-call, the retry takes the operation over once its lease lapsed', async () => {
    const t = api.newTenant();
    const key = aKey();
    const body = anAuthorizeBody({ paymentToken: 'tok_test_approve' });
    const payment = paymentSchema.parse(expectStatus(await t.post('/payments', body, { key }), 201));
    // What a process dying between the provider call and recording its answer leaves behind.
    await api.db
      .update(paymentOperations)
      .set({
        outcome: 'pending',
        leaseUntil: new Date(api.clock.now().getTime() + 1_000),
        completedAt: null,
        result: null,
      })
      .where(eq(paymentOperations.paymentId, payment.id));
    await api.db
      .update(payments)
      .set({
        status: 'processing',
        pendingOperationId: (await operationRows(api.db, payment.id))[0]?.id ?? null,
      })
      .where(eq(payments.id, payment.id));

    expectProblem(await t.post('/payments', body, { key }), 409, 'payments.operation_in_progress');
    api.clock.advance(2_000);
    const resumed = paymentSchema.parse(expectStatus(await t.post('/payments', body, { key }), 201));

    expect(resumed).toMatchObject({
      id: payment.id,
      status: 'authorized',
      providerReference: payment.providerReference,
    });
    expect(await operationRows(api.db, payment.id)).toEqual([
      expect.objectContaining({ outcome: 'succeeded', attempts: 2 }),
    ]);
    expect(
      api.provider.ledger().filter((e) => e.providerReference === payment.providerReference),
    ).toHaveLength(1);
  });
});
