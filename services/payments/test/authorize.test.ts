// Authorizing with each test card: approve, decline, insufficient funds, processor timeout (outcome
// unknown → pending_review → a retry with the same key completes it without charging twice), and
// authentication required (3-D Secure style), plus input validation.
import { paymentAuthorizedV1, paymentFailedV1 } from '@only/contracts/payments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentSchema } from '../src/modules/payments/payments.dto.ts';
import { aKey, anAuthorizeBody } from './support/builders.ts';
import { everythingStored, operationRows, paymentRow } from './support/db.ts';
import { expectProblem, expectValidationProblem } from './support/expectations.ts';
import { startPaymentsApi, type PaymentsApi } from './support/payments-api.ts';
import { expectStatus } from './support/tenant-client.ts';

let api: PaymentsApi;

beforeAll(async () => {
  api = await startPaymentsApi();
});

afterAll(async () => {
  await api.close();
});

describe('test cards', () => {
  it('tok_test_approve: authorized, with brand and last 4 from the token, and an authorized event', async () => {
    const t = api.newTenant();
    const body = anAuthorizeBody({ amount: 4590, paymentToken: 'tok_test_approve_visa_4242' });

    const response = await t.post('/payments', body);

    const payment = paymentSchema.parse(expectStatus(response, 201));
    expect(response.header('location')).toBe(`payments/${payment.id}`);
    expect(payment).toMatchObject({
      orderId: body.orderId,
      status: 'authorized',
      amount: 4590,
      currency: 'EUR',
      amountCaptured: 0,
      refundable: 0,
      provider: 'test',
      card: { brand: 'visa', last4: '4242' },
      failure: null,
      nextAction: null,
      pendingOperation: null,
      allowedActions: ['capture', 'void'],
      authorizedAt: api.clock.now().toISOString(),
    });
    expect(payment.providerReference).toMatch(/^tp_/);
    const events = await t.events();
    expect(events.map((e) => e.type)).toEqual([paymentAuthorizedV1.type]);
    expect(events[0]).toMatchObject({
      aggregateId: payment.id,
      data: {
        paymentId: payment.id,
        orderId: body.orderId,
        amount: { amount: 4590, currency: 'EUR' },
        card: { brand: 'visa', last4: '4242' },
        provider: 'test',
        providerReference: payment.providerReference,
      },
    });
    expect(await operationRows(api.db, payment.id)).toEqual([
      expect.objectContaining({ kind: 'authorize', outcome: 'succeeded', amount: 4590, attempts: 1 }),
    ]);
  });

  it('a token without card details gives a payment without card details', async () => {
    const t = api.newTenant();
    const payment = await t.authorize({ paymentToken: 'tok_test_approve' });
    expect(payment).toMatchObject({ status: 'authorized', card: null });
  });

  it('tok_test_decline: 402 payments.declined naming the failed payment and the reason', async () => {
    const t = api.newTenant();
    const body = anAuthorizeBody({ paymentToken: 'tok_test_decline' });

    const problem = expectProblem(await t.post('/payments', body), 402, 'payments.declined');

    expect(problem.declineReason).toBe('card_declined');
    const paymentId = String(problem.paymentId);
    expect(await t.payment(paymentId)).toMatchObject({
      status: 'failed',
      failure: { code: 'card_declined', message: 'The card was declined.' },
      allowedActions: [],
    });
    const failed = await t.events(paymentFailedV1.type);
    expect(failed).toHaveLength(1);
    expect(failed[0]?.data).toMatchObject({
      paymentId,
      orderId: body.orderId,
      failureCode: 'card_declined',
      stage: 'authorization',
    });
    expect(await t.events(paymentAuthorizedV1.type)).toEqual([]);
  });

  it('tok_test_insufficient_funds: 402 payments.insufficient_funds', async () => {
    const t = api.newTenant();
    const problem = expectProblem(
      await t.post('/payments', anAuthorizeBody({ paymentToken: 'tok_test_insufficient_funds' })),
      402,
      'payments.insufficient_funds',
    );
    expect(problem.declineReason).toBe('insufficient_funds');
    expect(await t.payment(String(problem.paymentId))).toMatchObject({
      status: 'failed',
      failure: { code: 'insufficient_funds' },
    });
  });

  it('a token the provider does not know is declined as an invalid payment method', async () => {
    const t = api.newTenant();
    const problem = expectProblem(
      await t.post('/payments', anAuthorizeBody({ paymentToken: 'tok_unknown' })),
      402,
      'payments.declined',
    );
    expect(problem.declineReason).toBe('invalid_payment_method');
  });

  it('tok_test_timeout: pending_review, then the retry with the same key authorizes once', async () => {
    const t = api.newTenant();
    const key = aKey('timeout');
    const body = anAuthorizeBody({ paymentToken: 'tok_test_timeout', amount: 1500 });

    const first = expectProblem(
      await t.post('/payments', body, { key }),
      503,
      'payments.provider_unavailable',
    );
    expect(first).toMatchObject({ retryable: true });
    const paymentId = String(first.paymentId);
    expect(await t.payment(paymentId)).toMatchObject({
      status: 'pending_review',
      pendingOperation: { kind: 'authorize' },
      allowedActions: [],
    });
    // Nothing else may happen to it meanwhile.
    expectProblem(await t.post(`/payments/${paymentId}/void`, {}), 409, 'payments.invalid_state');
    expect(await t.events(paymentAuthorizedV1.type)).toEqual([]);

    const retry = await t.post('/payments', body, { key });

    const payment = paymentSchema.parse(expectStatus(retry, 201));
    expect(payment).toMatchObject({ id: paymentId, status: 'authorized', pendingOperation: null });
    const [op, ...others] = await operationRows(api.db, paymentId);
    expect(others).toEqual([]);
    expect(op).toMatchObject({ kind: 'authorize', outcome: 'succeeded', attempts: 2 });
    // Both provider calls carried the same provider-side key: the processor reserved the money once.
    const calls = api.provider.calls().filter((call) => call.idempotencyKey === op?.id);
    expect(calls.map((call) => call.attempt)).toEqual([1, 2]);
    expect(
      api.provider.ledger().filter((entry) => entry.providerReference === payment.providerReference),
    ).toEqual([
      { operation: 'authorize', providerReference: payment.providerReference, amount: 1500, currency: 'EUR' },
    ]);
    expect(await t.events(paymentAuthorizedV1.type)).toHaveLength(1);

    // A third send replays the answer without calling the provider again.
    const replay = await t.post('/payments', body, { key });
    expect(replay.header('idempotent-replayed')).toBe('true');
    expect(api.provider.calls().filter((call) => call.idempotencyKey === op?.id)).toHaveLength(2);
  });

  it('tok_test_requires_action: requires_action, then authorized when the customer authenticates', async () => {
    const t = api.newTenant();
    const payment = await t.authorize({ paymentToken: 'tok_test_requires_action_mastercard_5454' });
    expect(payment).toMatchObject({
      status: 'requires_action',
      nextAction: { type: 'authenticate', url: null },
      allowedActions: ['authenticate', 'void'],
      card: { brand: 'mastercard', last4: '5454' },
    });
    expectProblem(await t.post(`/payments/${payment.id}/capture`, {}), 409, 'payments.invalid_state');
    expect(await t.events(paymentAuthorizedV1.type)).toEqual([]);

    const response = await t.post(`/payments/${payment.id}/authentication`, { result: 'succeeded' });

    expect(paymentSchema.parse(expectStatus(response, 200))).toMatchObject({
      status: 'authorized',
      nextAction: null,
      card: { brand: 'mastercard', last4: '5454' },
    });
    expect(await t.events(paymentAuthorizedV1.type)).toHaveLength(1);
    expect((await t.operations(payment.id)).map((op) => [op.kind, op.outcome])).toEqual([
      ['authorize', 'requires_action'],
      ['authenticate', 'succeeded'],
    ]);
    await t.capture(payment.id);
  });

  it('tok_test_requires_action: a failed authentication fails the payment', async () => {
    const t = api.newTenant();
    const payment = await t.authorize({ paymentToken: 'tok_test_requires_action' });

    const response = await t.post(`/payments/${payment.id}/authentication`, { result: 'failed' });

    expect(paymentSchema.parse(expectStatus(response, 200))).toMatchObject({
      status: 'failed',
      failure: { code: 'authentication_failed' },
    });
    const failed = await t.events(paymentFailedV1.type);
    expect(failed.map((e) => e.data)).toEqual([
      expect.objectContaining({
        paymentId: payment.id,
        stage: 'authentication',
        failureCode: 'authentication_failed',
      }),
    ]);
    expectProblem(
      await t.post(`/payments/${payment.id}/authentication`, { result: 'succeeded' }),
      409,
      'payments.invalid_state',
    );
  });

  it('a payment awaiting authentication can be voided', async () => {
    const t = api.newTenant();
    const payment = await t.authorize({ paymentToken: 'tok_test_requires_action' });
    expect(await t.void(payment.id, { reason: 'customer_left' })).toMatchObject({
      status: 'voided',
      nextAction: null,
    });
  });
});

describe('card data', () => {
  it('the token itself is stored nowhere: only brand and last 4', async () => {
    const t = api.newTenant();
    const token = 'tok_test_approve_amex_0005';
    const payment = await t.authorize({ paymentToken: token });
    expect((await paymentRow(api.db, payment.id))?.cardLast4).toBe('0005');
    expect(await everythingStored(api.db)).not.toContain(token);
  });

  it('refuses what looks like a card number, without echoing it', async () => {
    const t = api.newTenant();
    const response = await t.post('/payments', anAuthorizeBody({ paymentToken: '4111 1111 1111 1111' }));
    expectValidationProblem(response, { field: 'paymentToken', in: 'body', rule: 'not_card_number' });
    expect(response.text).not.toContain('4111');
  });
});

describe('validation', () => {
  it('needs an Idempotency-Key, naming the header', async () => {
    const t = api.newTenant();
    expectValidationProblem(await t.post('/payments', anAuthorizeBody(), { key: null }), {
      field: 'Idempotency-Key',
      in: 'headers',
      rule: 'required',
    });
  });

  it('names each invalid field and rule, and stores nothing', async () => {
    const t = api.newTenant();
    const response = await t.post('/payments', {
      orderId: 'nope',
      amount: 0,
      currency: 'EURO',
      paymentToken: '',
      extra: true,
    });
    const problem = expectProblem(response, 400, 'platform.validation_failed');
    expect([...new Set((problem.errors ?? []).map((e) => e.field))].sort()).toEqual(
      ['amount', 'currency', 'extra', 'orderId', 'paymentToken'].sort(),
    );
    expect(await t.get('/payments')).toMatchObject({ status: 200 });
    expect((await t.get('/payments')).json()).toEqual({ items: [], nextCursor: null });
  });

  it('an unknown provider is a 422 listing the providers', async () => {
    const t = api.newTenant();
    const problem = expectProblem(
      await t.post('/payments', anAuthorizeBody({ provider: 'acmepay' })),
      422,
      'payments.unknown_provider',
    );
    expect(problem.providers).toEqual(['test']);
  });
});

describe('reading payments', () => {
  it('lists a tenant’s payments newest first, by order and by status', async () => {
    const t = api.newTenant();
    const first = await t.authorize();
    const second = await t.authorize({ orderId: first.orderId });
    const other = await t.authorize();
    await t.capture(other.id);

    const byOrder = (await t.get('/payments', { query: { orderId: first.orderId } })).json<{
      items: { id: string }[];
    }>();
    expect(byOrder.items.map((p) => p.id)).toEqual([second.id, first.id]);
    const captured = (await t.get('/payments', { query: { status: 'captured' } })).json<{
      items: { id: string }[];
    }>();
    expect(captured.items.map((p) => p.id)).toEqual([other.id]);
    const page = (await t.get('/payments', { query: { limit: 2 } })).json<{
      items: { id: string }[];
      nextCursor: string;
    }>();
    expect(page.items.map((p) => p.id)).toEqual([other.id, second.id]);
    const next = (await t.get('/payments', { query: { limit: 2, cursor: page.nextCursor } })).json<{
      items: { id: string }[];
      nextCursor: string | null;
    }>();
    expect(next).toEqual({ items: [expect.objectContaining({ id: first.id })], nextCursor: null });
  });

  it('an unknown id is a 404', async () => {
    const t = api.newTenant();
    expectProblem(await t.get('/payments/pay_01jd5x3b2kf9v8s7w6q4r2m1n0'), 404, 'payments.payment_not_found');
  });
});
