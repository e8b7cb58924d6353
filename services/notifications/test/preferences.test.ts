// Per-user preferences: which kinds reach a user on which channel, and in which language; what a
// user turned off is skipped (and logged as such); account mails cannot be turned off.
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

describe('preferences', () => {
  it('start from the defaults: in-app on, email opt-in, account mails mandatory', async () => {
    const prefs = expectStatus<{ locale: null; kinds: unknown[] }>(
      await api.client(new TenantEvents().tenantId, 'usr_new').get('/preferences'),
      200,
    );
    expect(prefs.locale).toBeNull();
    expect(prefs.kinds).toEqual(
      expect.arrayContaining([
        { kind: 'low_stock', channel: 'in_app', enabled: true, mandatory: false },
        { kind: 'low_stock', channel: 'email', enabled: false, mandatory: false },
        { kind: 'password_reset', channel: 'email', enabled: true, mandatory: true },
      ]),
    );
  });

  it('suppress what a user turned off (skipped in the log) and add what they turned on', async () => {
    const t = new TenantEvents();
    const keeper = t.user(['manager'], { name: 'Kim Keeper' });
    await api.publish(t.tenantCreated(), t.userCreated(keeper));
    const client = api.client(t.tenantId, keeper.id);
    const saved = expectStatus<{
      locale: string;
      kinds: { kind: string; channel: string; enabled: boolean }[];
    }>(
      await client.put('/preferences', {
        locale: 'de',
        kinds: { low_stock: { in_app: false, email: true } },
      }),
      200,
    );
    expect(saved.locale).toBe('de');
    expect(saved.kinds.filter((k) => k.kind === 'low_stock')).toEqual([
      expect.objectContaining({ channel: 'in_app', enabled: false }),
      expect.objectContaining({ channel: 'email', enabled: true }),
    ]);

    await api.publish(t.stockLow('PREF-1', 2));
    await api.dispatch();
    expect(expectStatus<{ items: unknown[] }>(await client.get('/notifications'), 200).items).toEqual([]);
    const [mail] = api.smtp.to(keeper.email);
    // Their own language, not the tenant's English.
    expect(mail!.subject).toBe('Niedriger Bestand: Espresso beans 250 g (PREF-1)');
    const log = expectStatus<{ items: { channel: string; status: string; lastError: string | null }[] }>(
      await api.client(t.tenantId, 'usr_admin').get('/deliveries?kind=low_stock'),
      200,
    );
    expect(log.items.map((d) => `${d.channel}:${d.status}`).sort()).toEqual(['email:sent', 'in_app:skipped']);
  });

  it('cannot turn off password resets (422 naming the field), nor choose channels a kind lacks', async () => {
    const client = api.client(new TenantEvents().tenantId, 'usr_y');
    const mandatory = await client.put('/preferences', { kinds: { password_reset: { email: false } } });
    expect(mandatory.status).toBe(422);
    expect(mandatory.json()).toMatchObject({
      code: 'notifications.preference_mandatory',
      field: 'kinds.password_reset.email',
    });
    const unknown = await client.put('/preferences', { kinds: { shipment: { in_app: true } } });
    expect(unknown.status).toBe(422);
    expect(unknown.json()).toMatchObject({
      code: 'notifications.preference_not_choosable',
      field: 'kinds.shipment.in_app',
    });
    expect((await client.put('/preferences', { kinds: { low_stock: { fax: true } } })).status).toBe(400);
  });

  it('a password reset reaches a user who turned everything off', async () => {
    const t = new TenantEvents();
    const user = t.user(['manager']);
    await api.publish(t.tenantCreated(), t.userCreated(user));
    await api.client(t.tenantId, user.id).put('/preferences', {
      kinds: {
        low_stock: { in_app: false, email: false },
        order_confirmation: { in_app: false, email: false },
      },
    });
    await api.publish(t.passwordResetRequested(user, 'tok-0123456789abcdef0123456789abcdef'));
    await api.dispatch();
    expect(api.smtp.to(user.email)).toHaveLength(1);
  });
});
