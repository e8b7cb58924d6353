// The send queue: SMS through the HTTP provider, retries with exponential backoff on failures
// that may pass (at the injected clock's time, by calling the dispatcher), giving up after the
// last attempt or at once on a failure that will not pass, and every attempt in the log.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveries } from '../src/db/schema.ts';
import { TenantEvents } from './support/events.ts';
import { SMS_API_KEY, startNotificationsApi, type NotificationsApi } from './support/notifications-api.ts';
import { expectStatus } from './support/tenant-client.ts';

let api: NotificationsApi;

beforeAll(async () => {
  api = await startNotificationsApi();
});

afterAll(async () => {
  await api.close();
});

interface Detail {
  id: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  providerMessageId: string | null;
  attemptLog: {
    attempt: number;
    outcome: string;
    transient: boolean | null;
    error: string | null;
    providerResponse: string | null;
  }[];
}

/** A confirmed order of a new tenant's customer; returns its deliveries by channel. */
async function confirmedOrder(phone: string | null = null) {
  const t = new TenantEvents();
  const customer = t.customer({ phone });
  const order = t.order(customer.id);
  await api.publish(t.tenantCreated(), t.customerCreated(customer), t.orderPlaced(order));
  await api.publish(t.orderMoved(order.id, 'pending', 'confirmed'));
  const admin = api.client(t.tenantId, 'usr_admin');
  const detail = async (channel: string) => {
    const page = expectStatus<{ items: { id: string }[] }>(
      await admin.get(`/deliveries?channel=${channel}`),
      200,
    );
    return expectStatus<Detail>(await admin.get(`/deliveries/${page.items[0]!.id}`), 200);
  };
  return { t, customer, order, detail };
}

describe('SMS through the HTTP provider', () => {
  it('POSTs the text as JSON with the API key header and keeps the provider’s message id', async () => {
    const { customer, order, detail } = await confirmedOrder('+4915100000001');
    await api.dispatch();
    const [request] = api.sms.requests.filter((r) => r.body.to === customer.phone);
    expect(request!.headers['x-api-key']).toBe(SMS_API_KEY);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.body).toMatchObject({
      to: '+4915100000001',
      text: `Acme Coffee Roasters: your order ${order.number} (€27.61) is confirmed.`,
      sender: 'ONLY',
    });
    const sms = await detail('sms');
    expect(request!.body.reference).toBe(sms.id);
    expect(sms).toMatchObject({
      status: 'sent',
      attempts: 1,
      providerMessageId: expect.stringMatching(/^sms-\d+$/) as unknown,
    });
  });

  it('retries a 503 later, and gives up at once on a 400', async () => {
    const retried = await confirmedOrder('+4915100000002');
    api.sms.answerNext(503);
    await api.dispatch();
    expect(await retried.detail('sms')).toMatchObject({
      status: 'queued',
      attempts: 1,
      lastError: 'SMS provider answered 503',
    });
    api.clock.advance(60_000);
    await api.dispatch();
    expect(await retried.detail('sms')).toMatchObject({ status: 'sent', attempts: 2 });

    const refused = await confirmedOrder('+4915100000003');
    api.sms.answerNext(400);
    await api.dispatch();
    const detail = await refused.detail('sms');
    expect(detail).toMatchObject({ status: 'failed', attempts: 1, nextAttemptAt: null });
    expect(detail.attemptLog).toEqual([
      expect.objectContaining({
        attempt: 1,
        outcome: 'failed',
        transient: false,
        providerResponse: '400 {"error":"invalid number"}',
      }),
    ]);
  });
});

describe('retries with exponential backoff', () => {
  it('a refused mail (451) waits 1, 2, 4 minutes between attempts, then is delivered', async () => {
    const { customer, detail } = await confirmedOrder();
    api.smtp.refuseNext(
      { code: 451, message: 'Greylisted, try later' },
      { code: 451, message: 'Greylisted, try later' },
      { code: 451, message: 'Greylisted, try later' },
    );
    const start = api.clock.now().getTime();
    await api.dispatch();
    let email = await detail('email');
    expect(email).toMatchObject({ status: 'queued', attempts: 1 });
    expect(Date.parse(email.nextAttemptAt!) - start).toBe(60_000);

    // Not due yet: nothing is attempted.
    api.clock.advance(59_000);
    expect(await api.dispatch()).toBe(0);
    api.clock.advance(1_000);
    expect(await api.dispatch()).toBe(1);
    email = await detail('email');
    expect(email).toMatchObject({ status: 'queued', attempts: 2 });
    expect(Date.parse(email.nextAttemptAt!) - api.clock.now().getTime()).toBe(120_000);

    api.clock.advance(120_000);
    await api.dispatch();
    email = await detail('email');
    expect(Date.parse(email.nextAttemptAt!) - api.clock.now().getTime()).toBe(240_000);

    api.clock.advance(240_000);
    await api.dispatch();
    email = await detail('email');
    expect(email).toMatchObject({ status: 'sent', attempts: 4, lastError: null, nextAttemptAt: null });
    expect(email.attemptLog.map((a) => `${String(a.attempt)}:${a.outcome}`)).toEqual([
      '1:failed',
      '2:failed',
      '3:failed',
      '4:sent',
    ]);
    expect(email.attemptLog[0]).toMatchObject({
      transient: true,
      error: expect.stringContaining('Greylisted') as unknown,
    });
    expect(api.smtp.to(customer.email)).toHaveLength(1);
  });

  it('gives up after the last attempt (4 here): failed, never tried again', async () => {
    const { customer, detail } = await confirmedOrder();
    api.smtp.refuseNext(
      ...Array.from({ length: 4 }, () => ({ code: 452, message: 'Mailbox full, try later' })),
    );
    for (let i = 0; i < 4; i++) {
      await api.dispatch();
      api.clock.advance(10 * 60_000);
    }
    const email = await detail('email');
    expect(email).toMatchObject({ status: 'failed', attempts: 4, nextAttemptAt: null });
    expect(email.lastError).toContain('Mailbox full');
    api.clock.advance(24 * 60 * 60_000);
    expect(await api.dispatch()).toBe(0);
    expect(api.smtp.to(customer.email)).toEqual([]);
  });

  it('fails at once when the server refuses the mailbox (550)', async () => {
    const { detail } = await confirmedOrder();
    api.smtp.refuseNext({ code: 550, message: 'No such user here' });
    await api.dispatch();
    expect(await detail('email')).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('several dispatchers at once send each delivery once (claims skip locked rows)', async () => {
    const orders = await Promise.all(Array.from({ length: 6 }, () => confirmedOrder()));
    const attempted = await Promise.all([
      api.module.dispatcher.runOnce(),
      api.module.dispatcher.runOnce(),
      api.module.dispatcher.runOnce(),
    ]);
    await api.dispatch();
    expect(attempted.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(6);
    for (const { customer } of orders) expect(api.smtp.to(customer.email)).toHaveLength(1);
  });

  it('a delivery whose sender died mid-send is due again once its claim lapses', async () => {
    const { customer, detail } = await confirmedOrder();
    const email = await detail('email');
    // As if a process claimed it and died: the claim hides it for five minutes.
    await api.db
      .update(deliveries)
      .set({ attempts: 1, nextAttemptAt: new Date(api.clock.now().getTime() + 5 * 60_000) })
      .where(eq(deliveries.id, email.id));
    expect(await api.dispatch()).toBe(0);
    api.clock.advance(5 * 60_000);
    expect(await api.dispatch()).toBe(1);
    expect(await detail('email')).toMatchObject({ status: 'sent', attempts: 2 });
    expect(api.smtp.to(customer.email)).toHaveLength(1);
  });
});
