// Each event that concerns someone becomes the right message on the right channels, to the right
// people: customers by email (and SMS with a phone), staff in-app by permission, users about their
// own account by email; redelivered events make no second message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantEvents } from './support/events.ts';
import { APP_URL, startNotificationsApi, type NotificationsApi } from './support/notifications-api.ts';
import { expectStatus } from './support/tenant-client.ts';

let api: NotificationsApi;

beforeAll(async () => {
  api = await startNotificationsApi();
});

afterAll(async () => {
  await api.close();
});

interface Delivery {
  kind: string;
  channel: string;
  status: string;
  recipient: { type: string; id: string; address: string };
  locale: string;
  subject: string | null;
}

async function deliveries(tenantId: string): Promise<Delivery[]> {
  const page = expectStatus<{ items: Delivery[] }>(
    await api.client(tenantId, 'usr_admin').get('/deliveries?limit=100'),
    200,
  );
  return page.items;
}

/** A tenant with staff of every built-in role and a customer with a phone. */
async function world(spec: ConstructorParameters<typeof TenantEvents>[0] = {}) {
  const t = new TenantEvents(spec);
  const staff = {
    owner: t.user(['owner'], { name: 'Olga Owner' }),
    manager: t.user(['manager'], { name: 'Mia Manager' }),
    cashier: t.user(['cashier'], { name: 'Carl Cashier' }),
    disabled: t.user(['admin'], { status: 'disabled' }),
  };
  const customer = t.customer({ phone: '+4915112345678' });
  await api.publish(
    t.tenantCreated(),
    ...Object.values(staff).map((user) => t.userCreated(user)),
    t.customerCreated(customer),
  );
  return { t, staff, customer };
}

async function inApp(tenantId: string, userId: string) {
  const page = expectStatus<{ items: { kind: string; title: string; body: string; link: string | null }[] }>(
    await api.client(tenantId, userId, ['viewer']).get('/notifications'),
    200,
  );
  return page.items;
}

describe('an order confirmed', () => {
  it('emails and texts the customer, and tells staff who manage orders in-app', async () => {
    const { t, staff, customer } = await world();
    const order = t.order(customer.id);
    await api.publish(t.orderPlaced(order), t.orderMoved(order.id, 'pending', 'confirmed'));

    const log = await deliveries(t.tenantId);
    expect(log.map((d) => `${d.channel}:${d.recipient.id}:${d.status}`).sort()).toEqual(
      [
        `email:${customer.id}:queued`,
        `sms:${customer.id}:queued`,
        `in_app:${staff.owner.id}:sent`,
        `in_app:${staff.manager.id}:sent`,
      ].sort(),
    );
    expect(await inApp(t.tenantId, staff.manager.id)).toEqual([
      {
        kind: 'order_confirmation',
        title: `Order ${order.number} confirmed`,
        body: 'Lin Okafor — €27.61',
        link: `/orders/${order.id}`,
        id: expect.any(String) as unknown,
        readAt: null,
        createdAt: '2026-01-15T10:00:00.000Z',
      },
    ]);
    expect(await inApp(t.tenantId, staff.cashier.id)).toEqual([]);

    await api.dispatch();
    expect(api.smtp.to(customer.email)).toHaveLength(1);
    const texts = api.sms.requests.filter((r) => r.body.to === customer.phone);
    expect(texts.map((r) => r.body.text)).toEqual([
      `Acme Coffee Roasters: your order ${order.number} (€27.61) is confirmed.`,
    ]);
  });

  it('is sent once however often the events come (inbox), and placed-as-confirmed counts too', async () => {
    const { t, customer } = await world();
    const order = t.order(customer.id, 'confirmed');
    const placed = t.orderPlaced(order);
    await api.publish(placed, placed);
    await api.publish(placed);
    expect((await deliveries(t.tenantId)).filter((d) => d.channel === 'email')).toHaveLength(1);
    await api.dispatch();
    await api.dispatch();
    expect(api.smtp.to(customer.email)).toHaveLength(1);
  });

  it('waits (retried) for an order it has not seen placed yet', async () => {
    const { t, customer } = await world();
    const order = t.order(customer.id);
    const confirmed = t.orderMoved(order.id, 'pending', 'confirmed');
    await api.bus.publish(confirmed);
    await api.bus.publish(t.orderPlaced(order));
    await api.settle();
    expect(
      (await deliveries(t.tenantId)).filter((d) => d.kind === 'order_confirmation' && d.channel === 'email'),
    ).toHaveLength(1);
  });

  it('sends a deleted customer nothing, but still tells staff', async () => {
    const { t, staff, customer } = await world();
    const order = t.order(customer.id);
    await api.publish(
      t.orderPlaced(order),
      t.customerDeleted(customer.id),
      t.orderMoved(order.id, 'pending', 'confirmed'),
    );
    const log = await deliveries(t.tenantId);
    expect(log.filter((d) => d.recipient.type === 'customer')).toEqual([]);
    expect(await inApp(t.tenantId, staff.owner.id)).toHaveLength(1);
  });
});

describe('other customer messages', () => {
  it('a fulfilled order is a shipment notice by email and SMS', async () => {
    const { t, customer } = await world({ locale: 'de' });
    const order = t.order(customer.id);
    await api.publish(
      t.orderPlaced(order),
      t.orderMoved(order.id, 'pending', 'confirmed'),
      t.orderMoved(order.id, 'confirmed', 'fulfilled'),
    );
    await api.dispatch();
    const subjects = api.smtp.to(customer.email).map((m) => m.subject);
    expect(subjects).toContain(`Ihre Bestellung ${order.number} ist unterwegs`);
    expect(api.sms.requests.map((r) => r.body.text)).toContain(
      `Acme Coffee Roasters: Ihre Bestellung ${order.number} wurde versandt.`,
    );
  });

  it('an issued invoice is mailed with its number, total and due date', async () => {
    const { t, customer } = await world();
    const order = t.order(customer.id);
    await api.publish(t.orderPlaced(order), t.invoiceIssued(order, customer));
    await api.dispatch();
    const [mail] = api.smtp.to(customer.email);
    expect(mail!.subject).toBe('Invoice INV-2026-000007 from Acme Coffee Roasters');
    expect(mail!.text).toContain(`here is invoice INV-2026-000007 for order ${order.number} over €27.61.`);
    expect(mail!.text).toContain('Please pay by January 29, 2026.');
  });

  it('a refund is mailed to the order’s customer', async () => {
    const { t, customer } = await world();
    const order = t.order(customer.id);
    await api.publish(t.orderPlaced(order), t.paymentRefunded(order.id, null, 1290));
    await api.dispatch();
    const [mail] = api.smtp.to(customer.email);
    expect(mail!.subject).toBe('Your refund from Acme Coffee Roasters');
    expect(mail!.text).toContain(`we have refunded €12.90 for order ${order.number}.`);
  });
});

describe('low stock', () => {
  it('is an in-app notice to users who adjust stock, through built-in or custom roles', async () => {
    const { t, staff } = await world();
    const keeper = t.user(['stock-keeper'], { name: 'Kim Keeper' });
    await api.publish(t.roleCreated('stock-keeper', ['stock:read', 'stock:adjust']), t.userCreated(keeper));
    await api.publish(t.stockLow('COF-ESP-250', 3));

    const log = await deliveries(t.tenantId);
    expect(
      log
        .filter((d) => d.kind === 'low_stock')
        .map((d) => `${d.channel}:${d.recipient.id}`)
        .sort(),
    ).toEqual([`in_app:${staff.owner.id}`, `in_app:${staff.manager.id}`, `in_app:${keeper.id}`].sort());
    const [notice] = await inApp(t.tenantId, keeper.id);
    expect(notice).toMatchObject({
      kind: 'low_stock',
      title: 'Low stock: COF-ESP-250',
      body: '3 of Espresso beans 250 g left (reorder point 5).',
    });
    // A user whose roles change loses what the role gave. Events of different aggregates carry no
    // order between them, so the second alert follows once the change has been handled.
    await api.publish(t.userUpdated({ ...keeper, roles: ['cashier'] }));
    await api.publish(t.stockLow('COF-ESP-250', 2));
    expect(await inApp(t.tenantId, keeper.id)).toHaveLength(1);
  });
});

describe('account mails', () => {
  it('a password reset mails the user a single-use link in the tenant’s language', async () => {
    const { t, staff } = await world({ locale: 'de' });
    const token = 'rst-0123456789abcdef0123456789abcdef';
    await api.publish(t.passwordResetRequested(staff.cashier, token));
    await api.dispatch();
    const [mail] = api.smtp.to(staff.cashier.email);
    expect(mail!.subject).toBe('Ihr Passwort für Acme Coffee Roasters zurücksetzen');
    const link = `${APP_URL}/reset-password?tenant=${t.slug}&token=${token}`;
    expect(mail!.text).toContain(link);
    // Handlebars escapes `&` and `=` in the attribute; a mail client reads the same link.
    expect(mail!.html.replaceAll('&amp;', '&').replaceAll('&#x3D;', '=')).toContain(`href="${link}"`);
  });

  it('an invitation mails the invited user a link to accept it', async () => {
    const { t } = await world();
    const invited = t.user(['viewer'], { name: 'Nina New' });
    await api.publish(t.invited(invited, 'inv-0123456789abcdef0123456789abcdef'));
    await api.dispatch();
    const [mail] = api.smtp.to(invited.email);
    expect(mail!.subject).toBe('You are invited to Acme Coffee Roasters');
    expect(mail!.text).toContain(
      `${APP_URL}/accept-invitation?tenant=${t.slug}&token=inv-0123456789abcdef0123456789abcdef`,
    );
  });
});
