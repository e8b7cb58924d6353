// The refund cap under concurrency: refunds that together exceed the captured amount never all
// succeed. Runs on PGlite, and on real PostgreSQL (where requests truly run in parallel) when
// DATABASE_URL is set — see @only/testing.
import { paymentRefundedV1 } from '@only/contracts/payments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentSchema, refundResultSchema } from '../src/modules/payments/payments.dto.ts';
import { operationRows, paymentRow } from './support/db.ts';
import { expectProblem } from './support/expectations.ts';
import { startPaymentsApi, type PaymentsApi } from './support/payments-api.ts';

let api: PaymentsApi;

beforeAll(async () => {
  api = await startPaymentsApi();
});

afterAll(async () => {
  await api.close();
});

describe(`concurrent commands (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('10 concurrent refunds of 300 on 1000 captured: the succeeded ones add up to at most 1000', async () => {
    const t = api.newTenant();
    const payment = await t.capturedPayment(1000);

    const responses = await Promise.all(
      Array.from({ length: 10 }, () => t.post(`/payments/${payment.id}/refunds`, { amount: 300 })),
    );

    const succeeded = responses
      .filter((r) => r.status === 201)
      .map((r) => refundResultSchema.parse(r.json()));
    for (const response of responses.filter((r) => r.status !== 201))
      expectProblem(response, 409, 'payments.refund_exceeds_captured');
    const refunded = succeeded.reduce((sum, r) => sum + r.refund.amount, 0);
    expect(refunded).toBeLessThanOrEqual(1000);
    // Every refund that fits gets through: three of 300.
    expect(succeeded).toHaveLength(3);
    expect(await paymentRow(api.db, payment.id)).toMatchObject({
      amountCaptured: 1000,
      amountRefunded: 900,
      amountRefundPending: 0,
      status: 'partially_refunded',
    });
    const refundOps = (await operationRows(api.db, payment.id)).filter((op) => op.kind === 'refund');
    expect(refundOps).toHaveLength(3);
    expect(refundOps.every((op) => op.outcome === 'succeeded')).toBe(true);
    const atProvider = api.provider
      .ledger()
      .filter((e) => e.operation === 'refund' && e.providerReference === payment.providerReference);
    expect(atProvider.reduce((sum, e) => sum + e.amount, 0)).toBe(900);
    expect(await t.events(paymentRefundedV1.type)).toHaveLength(3);
  });

  it('refunds of different sizes racing for the last of the capture never overdraw it', async () => {
    const t = api.newTenant();
    const payment = await t.capturedPayment(1000);
    const amounts = [600, 500, 400, 300, 200, 100, 50, 700, 250, 150];

    const responses = await Promise.all(
      amounts.map((amount) => t.post(`/payments/${payment.id}/refunds`, { amount })),
    );

    const total = responses
      .filter((r) => r.status === 201)
      .reduce((sum, r) => sum + refundResultSchema.parse(r.json()).refund.amount, 0);
    expect(total).toBeLessThanOrEqual(1000);
    expect(await paymentRow(api.db, payment.id)).toMatchObject({
      amountRefunded: total,
      amountRefundPending: 0,
    });
    expect(responses.every((r) => r.status === 201 || r.status === 409)).toBe(true);
  });

  it('a capture racing a void: exactly one of them happens', async () => {
    const t = api.newTenant();
    const payment = await t.authorize({ amount: 800 });

    const [capture, voiding] = await Promise.all([
      t.post(`/payments/${payment.id}/capture`, {}),
      t.post(`/payments/${payment.id}/void`, {}),
    ]);

    const statuses = [capture.status, voiding.status].sort();
    expect(statuses).toEqual([200, 409]);
    const final = paymentSchema.parse((await t.get(`/payments/${payment.id}`)).json());
    expect(final.status).toBe(capture.status === 200 ? 'captured' : 'voided');
  });
});
