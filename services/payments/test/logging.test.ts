// Secrets never reach the logs: card tokens, webhook signing secrets and signatures stay out of
// every line written while payments succeed, fail, time out and webhooks are retried.
import { paymentCapturedV1 } from '@only/contracts/payments';
import { capturingLogger } from '@only/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookEndpointWithSecretSchema } from '../src/modules/webhooks/webhooks.dto.ts';
import { aKey, anAuthorizeBody } from './support/builders.ts';
import { startPaymentsApi, type PaymentsApi } from './support/payments-api.ts';
import { expectStatus } from './support/tenant-client.ts';
import { WebhookReceiver } from './support/webhook-receiver.ts';

let api: PaymentsApi;
let receiver: WebhookReceiver;
const captured = capturingLogger('trace');

beforeAll(async () => {
  api = await startPaymentsApi({ logger: captured.logger });
  receiver = await WebhookReceiver.start();
});

afterAll(async () => {
  await api.close();
  await receiver.close();
});

describe('logs', () => {
  it('never contain card tokens, webhook secrets or signatures', async () => {
    const t = api.newTenant();
    const tokens = [
      'tok_test_approve_visa_4242',
      'tok_test_decline_visa_0002',
      'tok_test_insufficient_funds_visa_9995',
      'tok_test_timeout_visa_0119',
      'tok_test_requires_action_visa_3155',
      'tok_private_unknown_7777',
    ];
    const endpoint = webhookEndpointWithSecretSchema.parse(
      expectStatus(
        await t.post('/webhook-endpoints', { url: receiver.url, eventTypes: [paymentCapturedV1.type] }),
        201,
      ),
    );
    receiver.secret = endpoint.secret;
    receiver.answer(500);

    for (const paymentToken of tokens) {
      const key = aKey();
      const body = anAuthorizeBody({ paymentToken });
      const first = await t.post('/payments', body, { key });
      if (first.status === 503) await t.post('/payments', body, { key });
    }
    // Invalid requests carrying a token: refused, and still not logged.
    await t.post('/payments', {
      ...anAuthorizeBody({ paymentToken: 'tok_test_approve_visa_1881' }),
      amount: -1,
    });
    const payment = await t.authorize({ paymentToken: 'tok_test_approve_visa_4242' });
    await t.capture(payment.id);
    await api.module.deliverer.deliverAllDue();
    api.clock.advance(10_000);
    await api.module.deliverer.deliverAllDue();
    expect(receiver.received.map((r) => r.answeredWith)).toEqual([500, 204]);

    const lines = captured.lines();
    const text = lines.join('\n');
    // The paths that log did log: the assertion below is about real lines.
    expect(text).toContain('payment operation done');
    expect(text).toContain('outcome unknown');
    expect(text).toContain('will retry');
    expect(text).toContain('request rejected');
    for (const token of [...tokens, 'tok_test_approve_visa_1881']) expect(text).not.toContain(token);
    expect(text).not.toContain(endpoint.secret);
    for (const request of receiver.received) {
      expect(text).not.toContain(String(request.headers['only-signature']));
    }
    expect(text).not.toMatch(/whsec_/);
    expect(text).not.toMatch(/tok_/);
  });
});
