// Tenant scoping and permissions: another tenant's payment and webhook endpoint ids answer 404 and
// change nothing; each built-in role gets exactly the payment commands its permissions name.
import { paymentCapturedV1 } from '@only/contracts/payments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentView } from '../src/modules/payments/payments.dto.ts';
import { webhookEndpointWithSecretSchema } from '../src/modules/webhooks/webhooks.dto.ts';
import { rowCounts } from './support/db.ts';
import { expectProblem } from './support/expectations.ts';
import { startPaymentsApi, type PaymentsApi } from './support/payments-api.ts';
import { expectStatus, type TenantClient } from './support/tenant-client.ts';

let api: PaymentsApi;
let a: TenantClient;
let b: TenantClient;
let authorized: PaymentView;
let captured: PaymentView;
let endpointId: string;

beforeAll(async () => {
  api = await startPaymentsApi();
  a = api.newTenant();
  b = api.newTenant();
  authorized = await a.authorize({ amount: 1000 });
  captured = await a.capturedPayment(2000);
  endpointId = webhookEndpointWithSecretSchema.parse(
    expectStatus(
      await a.post('/webhook-endpoints', {
        url: 'http://127.0.0.1:9/x',
        eventTypes: [paymentCapturedV1.type],
      }),
      201,
    ),
  ).id;
  // Tenant B has data of its own, so that empty answers are not empty by accident.
  await b.capturedPayment(500);
});

afterAll(async () => {
  await api.close();
});

describe('another tenant', () => {
  it("gets 404 for tenant A's payments and webhook endpoint — and changes nothing", async () => {
    const before = await rowCounts(api.db, a.tenantId);
    const snapshot = async () =>
      Promise.all(
        [
          `/payments/${authorized.id}`,
          `/payments/${captured.id}`,
          `/payments/${captured.id}/operations`,
          `/webhook-endpoints/${endpointId}`,
          `/webhook-endpoints/${endpointId}/deliveries`,
        ].map(async (url) => (await a.get(url)).json()),
      );
    const seen = await snapshot();

    const notFound = 'payments.payment_not_found';
    expectProblem(await b.get(`/payments/${authorized.id}`), 404, notFound);
    expectProblem(await b.get(`/payments/${captured.id}/operations`), 404, notFound);
    expectProblem(await b.post(`/payments/${authorized.id}/capture`, {}), 404, notFound);
    expectProblem(await b.post(`/payments/${authorized.id}/void`, {}), 404, notFound);
    expectProblem(
      await b.post(`/payments/${authorized.id}/authentication`, { result: 'succeeded' }),
      404,
      notFound,
    );
    expectProblem(await b.post(`/payments/${captured.id}/refunds`, { amount: 1 }), 404, notFound);
    // Without an Idempotency-Key too: the id is judged first.
    expectProblem(
      await b.post(`/payments/${captured.id}/refunds`, { amount: 1 }, { key: null }),
      404,
      notFound,
    );
    const noEndpoint = 'payments.webhook_endpoint_not_found';
    expectProblem(await b.get(`/webhook-endpoints/${endpointId}`), 404, noEndpoint);
    expectProblem(
      await b.patch(`/webhook-endpoints/${endpointId}`, { url: 'http://127.0.0.1:9/evil' }),
      404,
      noEndpoint,
    );
    expectProblem(await b.post(`/webhook-endpoints/${endpointId}/rotate-secret`), 404, noEndpoint);
    expectProblem(await b.get(`/webhook-endpoints/${endpointId}/deliveries`), 404, noEndpoint);
    expectProblem(await b.delete(`/webhook-endpoints/${endpointId}`), 404, noEndpoint);
    expect((await b.get('/payments', { query: { orderId: authorized.orderId } })).json()).toEqual({
      items: [],
      nextCursor: null,
    });
    expect((await b.get('/webhook-endpoints')).json()).toEqual({ items: [] });

    expect(await rowCounts(api.db, a.tenantId)).toEqual(before);
    expect(await snapshot()).toEqual(seen);
  });

  it('may reuse an idempotency key of tenant A without seeing its answer', async () => {
    const key = 'shared-key';
    const mine = await a.authorize({ amount: 100 }, { key });
    const theirs = await b.authorize({ amount: 200 }, { key });
    expect(theirs).toMatchObject({ amount: 200 });
    expect(theirs.id).not.toBe(mine.id);
  });
});

describe('roles', () => {
  it('a cashier takes and captures payments but cannot void or refund them, nor manage webhooks', async () => {
    const cashier = a.as(['cashier']);
    const payment = await cashier.authorize();
    await cashier.capture(payment.id);
    const refused = expectProblem(
      await cashier.post(`/payments/${payment.id}/refunds`, { amount: 1 }),
      403,
      'platform.forbidden',
    );
    expect(refused).toMatchObject({ permission: 'payments:refund' });
    expectProblem(await cashier.post(`/payments/${payment.id}/void`, {}), 403, 'platform.forbidden');
    expectProblem(await cashier.get('/webhook-endpoints'), 403, 'platform.forbidden');
  });

  it('a viewer reads payments and nothing more', async () => {
    const viewer = a.as(['viewer']);
    expect((await viewer.get(`/payments/${captured.id}`)).status).toBe(200);
    expectProblem(await viewer.post('/payments', {}), 403, 'platform.forbidden');
    expectProblem(await viewer.post(`/payments/${authorized.id}/capture`, {}), 403, 'platform.forbidden');
  });

  it('a manager does every payment command but does not manage webhooks', async () => {
    const manager = a.as(['manager']);
    const payment = await manager.capturedPayment(300);
    await manager.refund(payment.id, 100);
    await manager.void((await manager.authorize()).id);
    expectProblem(
      await manager.post('/webhook-endpoints', {
        url: 'http://127.0.0.1:9/x',
        eventTypes: [paymentCapturedV1.type],
      }),
      403,
      'platform.forbidden',
    );
  });
});
