// Templates per tenant and language through the API: list, read, override (validated: a part that
// does not compile is a 422 naming it and Handlebars' error), preview, drop; other tenants never
// see or use a tenant's templates.
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

async function tenant() {
  const t = new TenantEvents({ name: 'Globex Outfitters', primary: '#0a7d3b' });
  await api.publish(t.tenantCreated());
  return {
    t,
    admin: api.client(t.tenantId, 'usr_admin'),
    viewer: api.client(t.tenantId, 'usr_viewer', ['viewer']),
  };
}

describe('templates', () => {
  it('lists every kind in English and German, built in', async () => {
    const { admin } = await tenant();
    const { items } = expectStatus<{ items: { kind: string; locale: string; source: string }[] }>(
      await admin.get('/templates'),
      200,
    );
    expect(items).toContainEqual({
      kind: 'password_reset',
      locale: 'de',
      source: 'built-in',
      updatedAt: null,
    });
    expect(items.filter((i) => i.source === 'tenant')).toEqual([]);
    expect(items).toHaveLength(14);
  });

  it('a tenant overrides parts of a kind in a language; others keep the built-in ones', async () => {
    const { admin, viewer } = await tenant();
    const saved = expectStatus<Record<string, unknown>>(
      await admin.put('/templates/low_stock/nl', { inAppTitle: 'Bijna op: {{product.sku}}' }),
      200,
    );
    expect(saved).toMatchObject({
      kind: 'low_stock',
      locale: 'nl',
      source: 'tenant',
      overridden: ['inAppTitle'],
      version: 1,
      parts: { inAppTitle: 'Bijna op: {{product.sku}}', sms: null },
    });
    expect((saved.parts as { subject: string }).subject).toContain('Low stock');
    expect(expectStatus(await viewer.get('/templates/low_stock/nl'), 200)).toEqual(saved);
    const other = (await tenant()).admin;
    expect((await other.get('/templates/low_stock/nl')).status).toBe(404);

    const preview = expectStatus<{ inAppTitle: string; html: string; sms: null }>(
      await admin.post('/templates/low_stock/nl/preview', { data: { product: { sku: 'X-1', name: 'X' } } }),
      200,
    );
    expect(preview.inAppTitle).toBe('Bijna op: X-1');
    expect(preview.html).toContain('background:#0a7d3b');
    expect(preview.html).toContain('Globex Outfitters');

    expect((await admin.delete('/templates/low_stock/nl')).status).toBe(204);
    expect((await admin.get('/templates/low_stock/nl')).status).toBe(404);
    expect((await admin.delete('/templates/low_stock/nl')).status).toBe(404);
  });

  it('refuses a part that does not compile: 422 naming the part and Handlebars’ error; nothing saved', async () => {
    const { admin } = await tenant();
    const broken = await admin.put('/templates/order_confirmation/en', {
      subject: 'Fine {{order.number}}',
      html: '<p>{{#each order.lines}}{{name}}</p>',
    });
    expect(broken.status).toBe(422);
    const problem = broken.json<{ code: string; field: string; error: string }>();
    expect(problem).toMatchObject({ code: 'notifications.template_invalid', field: 'html' });
    expect(problem.error).toMatch(/^Parse error on line 1/);
    const unknownHelper = await admin.put('/templates/order_confirmation/en', {
      text: '{{shout order.number}}',
    });
    expect(unknownHelper.json()).toMatchObject({ code: 'notifications.template_invalid', field: 'text' });
    const unused = await admin.put('/templates/invoice_issued/en', { sms: 'Invoice {{invoice.number}}' });
    expect(unused.json()).toMatchObject({ code: 'notifications.template_part_unused', field: 'sms' });
    expect(expectStatus(await admin.get('/templates/order_confirmation/en'), 200)).toMatchObject({
      source: 'built-in',
    });
    expect((await admin.put('/templates/order_confirmation/EN!', { subject: 'x' })).status).toBe(400);
    expect((await admin.put('/templates/order_confirmation/en', {})).status).toBe(400);
  });

  it('are changed only with notifications:manage', async () => {
    const { viewer } = await tenant();
    const response = await viewer.put('/templates/low_stock/en', { inAppTitle: 'x' });
    expect(response.status).toBe(403);
  });
});
