// PaymentsService over the RPC kernel's in-process transport (embedded mode): the calls the order
// saga makes — Authorize, Capture, Void, Refund — with their idempotency keys, problems and
// permissions, exactly as a caller in another module sees them.
import { toMoney } from '@only/contracts/rpc';
import { PaymentStatus, PaymentsService, PAYMENTS_PROBLEMS } from '@only/contracts/rpc/payments';
import { isAppError } from '@only/platform/errors';
import { newId } from '@only/platform/ids';
import {
  createRpcConnector,
  RpcCallError,
  RpcRegistry,
  type CallContext,
  type RpcClient,
} from '@only/platform/rpc';
import { silentLogger } from '@only/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aKey } from './support/builders.ts';
import { operationRows } from './support/db.ts';
import { startPaymentsApi, type PaymentsApi } from './support/payments-api.ts';
import type { TenantClient } from './support/tenant-client.ts';

let api: PaymentsApi;
let payments: RpcClient<typeof PaymentsService>;

beforeAll(async () => {
  api = await startPaymentsApi();
  const logger = silentLogger();
  const registry = new RpcRegistry();
  registry.register({ services: api.module.rpc ?? [], verifier: api.issuer.verifier(), logger });
  payments = createRpcConnector({ registry, logger, deadlinesMs: { payments: 5_000 } }).client(
    PaymentsService,
  );
});

afterAll(async () => {
  await api.close();
});

/** The context a caller (the order saga) passes: its tenant, and the token it acts with. */
async function contextOf(t: TenantClient): Promise<CallContext> {
  return {
    tenantId: t.tenantId,
    actor: { type: 'client', id: 'orders' },
    requestId: 'req-saga',
    correlationId: 'corr-saga',
    accessToken: await t.token(),
  };
}

async function rejection(promise: Promise<unknown>): Promise<RpcCallError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof RpcCallError)) throw new Error(`expected an RpcCallError, got ${String(error)}`);
  return error;
}

const authorizeRequest = (overrides: { token?: string; amount?: number; key?: string } = {}) => ({
  orderId: newId('ord'),
  amount: toMoney(overrides.amount ?? 2590, 'EUR'),
  paymentToken: overrides.token ?? 'tok_test_approve',
  idempotencyKey: overrides.key ?? aKey('rpc'),
});

describe('PaymentsService in-process', () => {
  it('authorize → capture → refund → refund, with the same amounts as over HTTP', async () => {
    const t = api.newTenant();
    const ctx = await contextOf(t);
    const request = authorizeRequest({ amount: 1000 });

    const { payment } = await payments.authorize(ctx, request);

    expect(payment).toMatchObject({
      orderId: request.orderId,
      status: PaymentStatus.AUTHORIZED,
      amount: { amountMinor: 1000n, currency: 'EUR' },
      provider: 'test',
    });
    const id = payment?.id ?? '';
    const captured = await payments.capture(ctx, { paymentId: id, idempotencyKey: aKey() });
    expect(captured.payment).toMatchObject({
      status: PaymentStatus.CAPTURED,
      captured: { amountMinor: 1000n },
    });
    const refund = await payments.refund(ctx, {
      paymentId: id,
      amount: toMoney(400, 'EUR'),
      idempotencyKey: aKey(),
      reason: 'order_cancelled',
    });
    expect(refund.refund).toMatchObject({ amount: { amountMinor: 400n }, reason: 'order_cancelled' });
    expect(refund.payment).toMatchObject({
      status: PaymentStatus.PARTIALLY_REFUNDED,
      refunded: { amountMinor: 400n },
    });
    const rest = await payments.refund(ctx, {
      paymentId: id,
      amount: toMoney(600, 'EUR'),
      idempotencyKey: aKey(),
    });
    expect(rest.payment?.status).toBe(PaymentStatus.REFUNDED);
    expect(rest.payment?.refunds.map((r) => r.amount?.amountMinor)).toEqual([400n, 600n]);
    // The same payment over HTTP.
    expect(await t.payment(id)).toMatchObject({ status: 'refunded', amountRefunded: 1000 });
    // The operations record the caller's actor.
    expect((await operationRows(api.db, id)).map((op) => op.actorType)).toEqual([
      'user',
      'user',
      'user',
      'user',
    ]);
  });

  it('the same key twice is one authorization; another request with it is refused', async () => {
    const t = api.newTenant();
    const ctx = await contextOf(t);
    const request = authorizeRequest();

    const first = await payments.authorize(ctx, request);
    const second = await payments.authorize(ctx, request);

    expect(second.payment?.id).toBe(first.payment?.id);
    expect(await operationRows(api.db, first.payment?.id ?? '')).toHaveLength(1);
    const reused = await rejection(payments.authorize(ctx, { ...request, amount: toMoney(1, 'EUR') }));
    expect(reused.code).toBe('platform.idempotency_key_reused');
  });

  it('a decline is payments.declined with the payment and the reason, not retried', async () => {
    const t = api.newTenant();
    const ctx = await contextOf(t);
    const callsBefore = api.provider.calls().length;

    const error = await rejection(payments.authorize(ctx, authorizeRequest({ token: 'tok_test_decline' })));

    expect(error.code).toBe(PAYMENTS_PROBLEMS.declined);
    expect(error.status).toBe(402);
    expect(error.extensions).toMatchObject({
      declineReason: 'card_declined',
      paymentId: expect.stringMatching(/^pay_/) as unknown,
    });
    expect(api.provider.calls()).toHaveLength(callsBefore + 1);
    const funds = await rejection(
      payments.authorize(ctx, authorizeRequest({ token: 'tok_test_insufficient_funds' })),
    );
    expect(funds.code).toBe(PAYMENTS_PROBLEMS.insufficientFunds);
  });

  it('a card needing authentication is payments.authentication_required; the payment waits and can be voided', async () => {
    const t = api.newTenant();
    const ctx = await contextOf(t);

    const error = await rejection(
      payments.authorize(ctx, authorizeRequest({ token: 'tok_test_requires_action' })),
    );

    expect(error.code).toBe(PAYMENTS_PROBLEMS.authenticationRequired);
    const paymentId = String(error.extensions.paymentId);
    expect(await t.payment(paymentId)).toMatchObject({ status: 'requires_action' });
    const voided = await payments.void(ctx, { paymentId, idempotencyKey: aKey(), reason: 'payment_failed' });
    expect(voided.payment?.status).toBe(PaymentStatus.VOIDED);
  });

  it('a processor timeout is retried by the client with the same key: authorized once', async () => {
    const t = api.newTenant();
    const ctx = await contextOf(t);

    const { payment } = await payments.authorize(
      ctx,
      authorizeRequest({ token: 'tok_test_timeout', amount: 777 }),
    );

    expect(payment?.status).toBe(PaymentStatus.AUTHORIZED);
    const [op] = await operationRows(api.db, payment?.id ?? '');
    expect(op).toMatchObject({ outcome: 'succeeded', attempts: 2 });
    expect(
      api.provider.ledger().filter((e) => e.providerReference === payment?.providerReference),
    ).toHaveLength(1);
  });

  it('state and amount guards travel as their problems', async () => {
    const t = api.newTenant();
    const ctx = await contextOf(t);
    const { payment } = await payments.authorize(ctx, authorizeRequest({ amount: 500 }));
    const paymentId = payment?.id ?? '';

    const early = await rejection(
      payments.refund(ctx, { paymentId, amount: toMoney(1, 'EUR'), idempotencyKey: aKey() }),
    );
    expect(early.code).toBe(PAYMENTS_PROBLEMS.invalidState);
    expect(early.extensions).toMatchObject({ currentState: 'authorized' });
    const tooMuch = await rejection(
      payments.capture(ctx, { paymentId, amount: toMoney(501, 'EUR'), idempotencyKey: aKey() }),
    );
    expect(tooMuch.code).toBe(PAYMENTS_PROBLEMS.captureExceedsAuthorized);
    const currency = await rejection(
      payments.capture(ctx, { paymentId, amount: toMoney(100, 'USD'), idempotencyKey: aKey() }),
    );
    expect(currency.code).toBe(PAYMENTS_PROBLEMS.currencyMismatch);
    await payments.capture(ctx, { paymentId, amount: toMoney(300, 'EUR'), idempotencyKey: aKey() });
    const afterCapture = await rejection(payments.void(ctx, { paymentId, idempotencyKey: aKey() }));
    expect(afterCapture.extensions).toMatchObject({ currentState: 'captured' });
    const over = await rejection(
      payments.refund(ctx, { paymentId, amount: toMoney(301, 'EUR'), idempotencyKey: aKey() }),
    );
    expect(over.code).toBe(PAYMENTS_PROBLEMS.refundExceedsCaptured);
    expect(over.extensions).toMatchObject({ refundable: 300 });
  });

  it('invalid requests are platform.validation_failed naming the fields', async () => {
    const t = api.newTenant();
    const ctx = await contextOf(t);
    const error = await rejection(
      payments.authorize(ctx, {
        orderId: 'nope',
        amount: toMoney(0, 'EUR'),
        paymentToken: '',
        idempotencyKey: '',
      }),
    );
    expect(error.code).toBe('platform.validation_failed');
    const fields = (error.extensions.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['orderId', 'amount.amount', 'paymentToken', 'idempotencyKey']),
    );
  });

  it('another tenant’s payment is not found', async () => {
    const a = api.newTenant();
    const b = api.newTenant();
    const { payment } = await payments.authorize(await contextOf(a), authorizeRequest());
    const error = await rejection(
      payments.capture(await contextOf(b), { paymentId: payment?.id ?? '', idempotencyKey: aKey() }),
    );
    expect(error.code).toBe(PAYMENTS_PROBLEMS.paymentNotFound);
    expect(await a.payment(payment?.id ?? '')).toMatchObject({ status: 'authorized' });
  });

  it('a viewer’s token may not authorize', async () => {
    const t = api.newTenant().as(['viewer']);
    const error = await rejection(payments.authorize(await contextOf(t), authorizeRequest()));
    expect(isAppError(error) && error.code).toBe('platform.forbidden');
  });
});
