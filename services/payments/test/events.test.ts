// Payment events: written to the outbox in the transaction of the change (there before any relay
// runs; absent when the command is refused), valid against their contracts, and published.
import { eventCatalogue } from '@only/contracts';
import {
  paymentAuthorizedV1,
  paymentCapturedV1,
  paymentFailedV1,
  paymentRefundedV1,
  paymentVoidedV1,
} from '@only/contracts/payments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxRows } from './support/db.ts';
import { expectProblem } from './support/expectations.ts';
import { startPaymentsApi, type PaymentsApi } from './support/payments-api.ts';

let api: PaymentsApi;

beforeAll(async () => {
  api = await startPaymentsApi();
});

afterAll(async () => {
  await api.close();
});

const DEFINITIONS = [
  paymentAuthorizedV1,
  paymentCapturedV1,
  paymentVoidedV1,
  paymentRefundedV1,
  paymentFailedV1,
];

describe('payment events', () => {
  it('are in the event catalogue', () => {
    for (const definition of DEFINITIONS)
      expect(eventCatalogue.get(`${definition.type}@${String(definition.version)}`)).toBe(definition);
  });

  it('are in the outbox as soon as the command answered, one per change, valid against their schema', async () => {
    const t = api.newTenant();
    const payment = await t.authorize({ amount: 1000, customerId: 'cus_01jd5x3b2kf9v8s7w6q4r2m1n0' });
    await t.capture(payment.id);
    await t.refund(payment.id, 250, undefined, 'damaged');
    const other = await t.authorize({ amount: 300 });
    await t.void(other.id, { reason: 'order_cancelled' });
    expectProblem(
      await t.post('/payments', {
        orderId: payment.orderId,
        amount: 100,
        currency: 'EUR',
        paymentToken: 'tok_test_decline',
      }),
      402,
      'payments.declined',
    );

    // Read straight from the table, before the relay publishes anything.
    const rows = await outboxRows(api.db, t.tenantId);
    expect(rows.map((row) => row.type)).toEqual([
      paymentAuthorizedV1.type,
      paymentCapturedV1.type,
      paymentRefundedV1.type,
      paymentAuthorizedV1.type,
      paymentVoidedV1.type,
      paymentFailedV1.type,
    ]);
    for (const row of rows) {
      const definition = DEFINITIONS.find((d) => d.type === row.type);
      expect(() => definition?.schema.parse(row.envelope.data)).not.toThrow();
      expect(row.envelope).toMatchObject({ source: 'payments', tenantId: t.tenantId, version: 1 });
    }
    expect(rows[0]?.envelope.data).toMatchObject({ customerId: 'cus_01jd5x3b2kf9v8s7w6q4r2m1n0' });
    expect(rows.slice(0, 3).every((row) => row.aggregateId === payment.id)).toBe(true);

    const published = await t.events();
    expect(published.map((event) => event.id)).toEqual(rows.map((row) => row.id));
  });

  it('carry the correlation id of the request that caused them', async () => {
    const t = api.newTenant();
    const response = await t.request('POST', '/payments', {
      key: 'corr-test',
      body: {
        orderId: 'ord_01jd5x3b2kf9v8s7w6q4r2m1n0',
        amount: 100,
        currency: 'EUR',
        paymentToken: 'tok_test_approve',
      },
    });
    expect(response.status).toBe(201);
    const [row] = await outboxRows(api.db, t.tenantId);
    expect(row?.envelope.correlationId).toBe(response.header('x-request-id'));
  });

  it('are not written for a refused command', async () => {
    const t = api.newTenant();
    const payment = await t.authorize();
    const before = (await outboxRows(api.db, t.tenantId)).length;
    expectProblem(
      await t.post(`/payments/${payment.id}/refunds`, { amount: 1 }),
      409,
      'payments.invalid_state',
    );
    expectProblem(
      await t.post(`/payments/${payment.id}/capture`, { amount: 999_999 }),
      422,
      'payments.capture_exceeds_authorized',
    );
    expect(await outboxRows(api.db, t.tenantId)).toHaveLength(before);
  });
});
