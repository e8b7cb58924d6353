// Outgoing webhooks against a real HTTP server on 127.0.0.1: endpoints (secret shown once),
// deliveries created with the payment events, HMAC signatures over timestamp and raw body,
// retries with exponential backoff on the stored due time (driven by the manual clock and direct
// calls of the poller, never by waiting), the delivery log, and giving up after the last attempt.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { paymentCapturedV1, paymentRefundedV1 } from '@only/contracts/payments';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../src/modules/webhooks/webhook-signature.ts';
import {
  webhookDeliveryPageSchema,
  webhookEndpointSchema,
  webhookEndpointWithSecretSchema,
  type WebhookDelivery,
} from '../src/modules/webhooks/webhooks.dto.ts';
import { rowCounts } from './support/db.ts';
import { expectProblem, expectValidationProblem } from './support/expectations.ts';
import { startPaymentsApi, type PaymentsApi } from './support/payments-api.ts';
import { expectStatus, type TenantClient } from './support/tenant-client.ts';
import { WebhookReceiver } from './support/webhook-receiver.ts';

let api: PaymentsApi;
let receiver: WebhookReceiver;

beforeAll(async () => {
  // Backoff 10 s doubling, 4 attempts (see TEST_SETTINGS).
  api = await startPaymentsApi();
  receiver = await WebhookReceiver.start();
});

afterAll(async () => {
  await api.close();
  await receiver.close();
});

beforeEach(async () => {
  // Each test starts with nothing due: what earlier tests left behind is sent first.
  await api.module.deliverer.deliverAllDue();
  receiver.received.length = 0;
});

/** A URL where nothing listens: connections are refused. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return `http://127.0.0.1:${String(port)}/gone`;
}

async function createEndpoint(t: TenantClient, body: Record<string, unknown>) {
  return webhookEndpointWithSecretSchema.parse(expectStatus(await t.post('/webhook-endpoints', body), 201));
}

async function deliveriesOf(t: TenantClient, endpointId: string): Promise<WebhookDelivery[]> {
  const page = webhookDeliveryPageSchema.parse(
    expectStatus(await t.get(`/webhook-endpoints/${endpointId}/deliveries`), 200),
  );
  return page.items;
}

const seconds = () => Math.floor(api.clock.now().getTime() / 1000);

describe('webhook endpoints', () => {
  it('show their secret once, at creation', async () => {
    const t = api.newTenant();
    const created = await createEndpoint(t, {
      url: receiver.url,
      eventTypes: [paymentCapturedV1.type],
      description: 'ERP',
    });
    expect(created).toMatchObject({
      url: receiver.url,
      eventTypes: [paymentCapturedV1.type],
      enabled: true,
      description: 'ERP',
    });
    expect(created.secret).toMatch(/^whsec_[\w-]{43}$/);

    const read = await t.get(`/webhook-endpoints/${created.id}`);
    expect(webhookEndpointSchema.strict().parse(read.json())).not.toHaveProperty('secret');
    expect(read.text).not.toContain(created.secret);
    const list = await t.get('/webhook-endpoints');
    expect(list.text).not.toContain(created.secret);
    expect(list.json()).toEqual({ items: [expect.objectContaining({ id: created.id })] });

    const rotated = webhookEndpointWithSecretSchema.parse(
      expectStatus(await t.post(`/webhook-endpoints/${created.id}/rotate-secret`), 200),
    );
    expect(rotated.secret).not.toBe(created.secret);
  });

  it('change and delete', async () => {
    const t = api.newTenant();
    const created = await createEndpoint(t, { url: receiver.url, eventTypes: [paymentCapturedV1.type] });
    const changed = await t.patch(`/webhook-endpoints/${created.id}`, {
      eventTypes: [paymentCapturedV1.type, paymentRefundedV1.type],
      enabled: false,
    });
    expect(changed.json()).toMatchObject({
      enabled: false,
      eventTypes: [paymentCapturedV1.type, paymentRefundedV1.type],
    });
    expect((await t.delete(`/webhook-endpoints/${created.id}`)).status).toBe(204);
    expectProblem(
      await t.get(`/webhook-endpoints/${created.id}`),
      404,
      'payments.webhook_endpoint_not_found',
    );
  });

  it('validate URL and event types', async () => {
    const t = api.newTenant();
    expectValidationProblem(
      await t.post('/webhook-endpoints', { url: 'ftp://x.test/', eventTypes: [paymentCapturedV1.type] }),
      {
        field: 'url',
        in: 'body',
      },
    );
    expectValidationProblem(
      await t.post('/webhook-endpoints', { url: receiver.url, eventTypes: ['orders.order.placed'] }),
      {
        field: 'eventTypes[0]',
        in: 'body',
      },
    );
    expectValidationProblem(await t.post('/webhook-endpoints', { url: receiver.url, eventTypes: [] }), {
      field: 'eventTypes',
      in: 'body',
    });
  });
});

describe('deliveries', () => {
  it('send each subscribed event once, signed over timestamp and raw body', async () => {
    const t = api.newTenant();
    const endpoint = await createEndpoint(t, { url: receiver.url, eventTypes: [paymentCapturedV1.type] });
    receiver.secret = endpoint.secret;
    const payment = await t.authorize({ amount: 1290 });
    await t.capture(payment.id);

    expect(await api.module.deliverer.deliverAllDue()).toBe(1);

    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request?.signatureValid).toBe(true);
    expect(request?.timestamp).toBe(seconds());
    expect(
      verifyWebhookSignature({
        secret: endpoint.secret,
        header: String(request?.headers['only-signature']),
        body: request?.body ?? '',
        nowSeconds: seconds(),
      }),
    ).toBe(true);
    // The service's own verifier refuses a replay outside the window and a tampered body.
    expect(
      verifyWebhookSignature({
        secret: endpoint.secret,
        header: String(request?.headers['only-signature']),
        body: request?.body ?? '',
        nowSeconds: seconds() + 301,
      }),
    ).toBe(false);
    expect(
      verifyWebhookSignature({
        secret: endpoint.secret,
        header: String(request?.headers['only-signature']),
        body: (request?.body ?? '').replace('1290', '1'),
        nowSeconds: seconds(),
      }),
    ).toBe(false);
    const [event] = await t.events(paymentCapturedV1.type);
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'only-event-type': paymentCapturedV1.type,
      'only-event-id': event?.id,
      'only-delivery-attempt': '1',
    });
    expect(JSON.parse(request?.body ?? '{}')).toEqual({
      id: event?.id,
      type: paymentCapturedV1.type,
      version: 1,
      occurredAt: event?.occurredAt,
      data: event?.data,
    });
    const [delivery] = await deliveriesOf(t, endpoint.id);
    expect(delivery).toMatchObject({
      eventId: event?.id,
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 204,
      deliveredAt: api.clock.now().toISOString(),
      log: [{ attempt: 1, statusCode: 204, error: null, succeeded: true }],
    });
    // Nothing more to send.
    expect(await api.module.deliverer.deliverAllDue()).toBe(0);
    expect(receiver.received).toHaveLength(1);
  });

  it('are retried with exponential backoff until the endpoint accepts', async () => {
    const t = api.newTenant();
    const endpoint = await createEndpoint(t, { url: receiver.url, eventTypes: [paymentCapturedV1.type] });
    receiver.secret = endpoint.secret;
    receiver.answer(500, 503);
    const payment = await t.authorize();
    await t.capture(payment.id);
    const start = api.clock.now().getTime();

    await api.module.deliverer.deliverAllDue();
    let [delivery] = await deliveriesOf(t, endpoint.id);
    expect(delivery).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatusCode: 500,
      lastError: 'HTTP 500',
      nextAttemptAt: new Date(start + 10_000).toISOString(),
    });

    // Not due yet: nothing is sent.
    api.clock.advance(9_999);
    expect(await api.module.deliverer.deliverAllDue()).toBe(0);
    api.clock.advance(1);
    expect(await api.module.deliverer.deliverAllDue()).toBe(1);
    [delivery] = await deliveriesOf(t, endpoint.id);
    // The wait doubles: 20 s after the second attempt.
    expect(delivery).toMatchObject({
      status: 'pending',
      attempts: 2,
      lastStatusCode: 503,
      nextAttemptAt: new Date(start + 30_000).toISOString(),
    });
    api.clock.advance(19_999);
    expect(await api.module.deliverer.deliverAllDue()).toBe(0);
    api.clock.advance(1);
    expect(await api.module.deliverer.deliverAllDue()).toBe(1);

    [delivery] = await deliveriesOf(t, endpoint.id);
    expect(delivery).toMatchObject({
      status: 'delivered',
      attempts: 3,
      lastStatusCode: 204,
      nextAttemptAt: null,
    });
    expect(delivery?.log.map((entry) => [entry.attempt, entry.statusCode, entry.succeeded])).toEqual([
      [1, 500, false],
      [2, 503, false],
      [3, 204, true],
    ]);
    // The same event every time, each attempt signed afresh.
    expect(receiver.received.map((r) => r.answeredWith)).toEqual([500, 503, 204]);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
    expect(receiver.received.map((r) => r.timestamp)).toEqual([
      start / 1000,
      start / 1000 + 10,
      start / 1000 + 30,
    ]);
    expect(receiver.received.map((r) => r.headers['only-delivery-attempt'])).toEqual(['1', '2', '3']);
  });

  it('are given up as failed after the last attempt, with every attempt logged', async () => {
    const t = api.newTenant();
    const endpoint = await createEndpoint(t, { url: await deadUrl(), eventTypes: [paymentCapturedV1.type] });
    const payment = await t.authorize();
    await t.capture(payment.id);

    for (const wait of [0, 10_000, 20_000, 40_000]) {
      api.clock.advance(wait);
      expect(await api.module.deliverer.deliverAllDue()).toBe(1);
    }

    const [delivery] = await deliveriesOf(t, endpoint.id);
    expect(delivery).toMatchObject({
      status: 'failed',
      attempts: 4,
      lastStatusCode: null,
      nextAttemptAt: null,
    });
    expect(delivery?.log).toHaveLength(4);
    expect(delivery?.log.every((entry) => !entry.succeeded && entry.statusCode === null)).toBe(true);
    expect(delivery?.lastError).toMatch(/ECONNREFUSED/);
    api.clock.advance(24 * 60 * 60 * 1000);
    expect(await api.module.deliverer.deliverAllDue()).toBe(0);
  });

  it('go only to enabled endpoints subscribed to the event, of the same tenant', async () => {
    const t = api.newTenant();
    const other = api.newTenant();
    const captures = await createEndpoint(t, { url: receiver.url, eventTypes: [paymentCapturedV1.type] });
    const refunds = await createEndpoint(t, { url: receiver.url, eventTypes: [paymentRefundedV1.type] });
    const disabled = await createEndpoint(t, {
      url: receiver.url,
      eventTypes: [paymentCapturedV1.type],
      enabled: false,
    });
    const foreign = await createEndpoint(other, { url: receiver.url, eventTypes: [paymentCapturedV1.type] });

    await t.capturedPayment(500);

    expect(await deliveriesOf(t, captures.id)).toHaveLength(1);
    expect(await deliveriesOf(t, refunds.id)).toHaveLength(0);
    expect(await deliveriesOf(t, disabled.id)).toHaveLength(0);
    expect(await deliveriesOf(other, foreign.id)).toHaveLength(0);
  });

  it('wait while their endpoint is disabled, and go when it is enabled again', async () => {
    const t = api.newTenant();
    const endpoint = await createEndpoint(t, { url: receiver.url, eventTypes: [paymentCapturedV1.type] });
    receiver.secret = endpoint.secret;
    await t.capturedPayment(500);
    await t.patch(`/webhook-endpoints/${endpoint.id}`, { enabled: false });

    expect(await api.module.deliverer.deliverAllDue()).toBe(0);
    await t.patch(`/webhook-endpoints/${endpoint.id}`, { enabled: true });
    expect(await api.module.deliverer.deliverAllDue()).toBe(1);
    expect(receiver.received).toHaveLength(1);
  });

  it('are sent once however many pollers run at the same time', async () => {
    const t = api.newTenant();
    const endpoint = await createEndpoint(t, { url: receiver.url, eventTypes: [paymentCapturedV1.type] });
    receiver.secret = endpoint.secret;
    for (let i = 0; i < 5; i++) await t.capturedPayment(100 + i);

    const tried = await Promise.all([1, 2, 3].map(() => api.module.deliverer.deliverAllDue()));

    expect(tried.reduce((a, b) => a + b, 0)).toBe(5);
    expect(receiver.received).toHaveLength(5);
    expect(new Set(receiver.received.map((r) => r.headers['only-webhook-id'])).size).toBe(5);
  });

  it('are removed with their endpoint', async () => {
    const t = api.newTenant();
    const endpoint = await createEndpoint(t, { url: receiver.url, eventTypes: [paymentCapturedV1.type] });
    await t.capturedPayment(500);
    expect(await rowCounts(api.db, t.tenantId)).toMatchObject({ webhookDeliveries: 1 });
    await t.delete(`/webhook-endpoints/${endpoint.id}`);
    expect(await rowCounts(api.db, t.tenantId)).toMatchObject({ webhookEndpoints: 0, webhookDeliveries: 0 });
  });
});
