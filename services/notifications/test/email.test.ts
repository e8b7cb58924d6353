// Email end to end: events in, a real SMTP server (smtp-server on 127.0.0.1) receives the mail
// with the right recipient, subject and bodies, in the tenant's branding and language.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantEvents } from './support/events.ts';
import { startNotificationsApi, type NotificationsApi } from './support/notifications-api.ts';
import { expectStatus } from './support/tenant-client.ts';

let api: NotificationsApi;

beforeAll(async () => {
  api = await startNotificationsApi();
});

afterAll(async () => {
  await api.close();
});

/** A tenant with a customer and a placed order, ready to be confirmed. */
async function placedOrder(spec: ConstructorParameters<typeof TenantEvents>[0] = {}) {
  const t = new TenantEvents(spec);
  const customer = t.customer({ name: 'Lin <b>Okafor</b>' });
  const order = t.order(customer.id);
  await api.publish(t.tenantCreated(), t.customerCreated(customer), t.orderPlaced(order));
  return { t, customer, order };
}

describe('order confirmation by email', () => {
  it('reaches the SMTP server: to, subject, text and branded HTML, after an SMTP login', async () => {
    const { t, customer, order } = await placedOrder({ name: 'Acme Coffee Roasters', primary: '#8a3b12' });
    await api.publish(t.orderMoved(order.id, 'pending', 'confirmed'));
    expect(api.smtp.to(customer.email)).toEqual([]);

    expect(await api.dispatch()).toBe(1);

    const [mail] = api.smtp.to(customer.email);
    expect(mail).toBeDefined();
    expect(mail!.envelopeTo).toEqual([customer.email]);
    expect(mail!.to).toBe(customer.email);
    expect(mail!.from).toContain('Acme Coffee Roasters');
    expect(mail!.from).toContain('no-reply@only.test');
    expect(mail!.subject).toBe(`Your order ${order.number} is confirmed`);
    expect(mail!.text).toContain(`We have confirmed order ${order.number}.`);
    expect(mail!.text).toContain('2 x Espresso beans 250 g: €27.61');
    expect(mail!.text).toContain('Total: €27.61');
    // Branding: the tenant's name and primary colour frame the body; values are HTML-escaped.
    expect(mail!.html).toContain('background:#8a3b12');
    expect(mail!.html).toContain('Acme Coffee Roasters');
    expect(mail!.html).toContain('font-family:Georgia, Arial, sans-serif');
    expect(mail!.html).toContain('Lin &lt;b&gt;Okafor&lt;/b&gt;');
    expect(mail!.html).not.toContain('<b>Okafor</b>');
    // Plain text is not HTML-escaped.
    expect(mail!.text).toContain('Hello Lin <b>Okafor</b>,');

    const log = await api.client(t.tenantId, 'usr_admin').get('/deliveries?channel=email');
    const [delivery] = expectStatus<{ items: Record<string, unknown>[] }>(log, 200).items;
    expect(delivery).toMatchObject({
      kind: 'order_confirmation',
      channel: 'email',
      status: 'sent',
      attempts: 1,
      recipient: { type: 'customer', id: customer.id, address: customer.email },
      locale: 'en',
      subject: `Your order ${order.number} is confirmed`,
      providerMessageId: mail!.headers.get('message-id'),
      lastError: null,
    });
  });

  it('is written in the tenant’s language (German), with German number formats', async () => {
    const { t, customer, order } = await placedOrder({ locale: 'de' });
    await api.publish(t.orderMoved(order.id, 'pending', 'confirmed'));
    await api.dispatch();
    const [mail] = api.smtp.to(customer.email);
    expect(mail!.subject).toBe(`Ihre Bestellung ${order.number} ist bestätigt`);
    expect(mail!.text).toMatch(/Summe: 27,61\s€/);
    expect(mail!.html).toContain('<html lang="de">');
  });

  it('falls back to English for a language Only has no template in (tenant locale fr)', async () => {
    const { t, customer, order } = await placedOrder({ locale: 'fr-CA' });
    await api.publish(t.orderMoved(order.id, 'pending', 'confirmed'));
    await api.dispatch();
    const [mail] = api.smtp.to(customer.email);
    expect(mail!.subject).toBe(`Your order ${order.number} is confirmed`);
  });

  it('uses the tenant’s own template for its language, and the built-in parts it left out', async () => {
    const { t, customer, order } = await placedOrder({ locale: 'de' });
    const admin = api.client(t.tenantId, 'usr_admin');
    expectStatus(
      await admin.put('/templates/order_confirmation/de', {
        subject: 'Danke, {{customer.name}}! Bestellung {{order.number}}',
      }),
      200,
    );
    await api.publish(t.orderMoved(order.id, 'pending', 'confirmed'));
    await api.dispatch();
    const [mail] = api.smtp.to(customer.email);
    expect(mail!.subject).toBe(`Danke, Lin <b>Okafor</b>! Bestellung ${order.number}`);
    expect(mail!.text).toMatch(/Summe: 27,61\s€/);
  });
});
