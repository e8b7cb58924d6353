// Events: each change emits exactly one event through the outbox, with a valid envelope and a
// payload valid against its schema in the contracts catalogue; none carries a password or secret.
import { eventCatalogue } from '@only/contracts';
import { eventEnvelopeSchema } from '@only/contracts/envelope';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../src/db/schema.ts';
import { expectStatus } from './support/api-response.ts';
import { startIdentityApi, type IdentityApi } from './support/identity-api.ts';

let api: IdentityApi;

beforeAll(async () => {
  api = await startIdentityApi();
});

afterAll(async () => {
  await api.close();
});

describe('events', () => {
  it('one valid event per change, from source identity, correlated with the request', async () => {
    const tenant = await api.newTenant();
    const token = (await tenant.login()).access_token;
    const seen = (await api.eventsOf(tenant.id)).length;
    const headers = { 'x-correlation-id': 'checkout-7' };

    const steps: [string, () => Promise<unknown>][] = [
      [
        'identity.user.invited',
        () =>
          api.request('POST', '/users', {
            token,
            headers,
            body: { email: 'e1@example.test', name: 'E One', roles: ['viewer'] },
          }),
      ],
      [
        'identity.role.created',
        () =>
          api.request('POST', '/roles', {
            token,
            headers,
            body: { name: 'evented', permissions: ['orders:read'] },
          }),
      ],
      [
        'identity.client.created',
        () => api.request('POST', '/clients', { token, headers, body: { name: 'E', roles: ['viewer'] } }),
      ],
      [
        'identity.tenant.updated',
        () => api.request('PATCH', '/tenants/current', { token, headers, body: { name: 'Evented' } }),
      ],
    ];
    const types: string[] = [];
    for (const [type, step] of steps) {
      const before = (await api.eventsOf(tenant.id)).length;
      await step();
      const after = await api.eventsOf(tenant.id);
      expect(after.slice(before).map((e) => e.type)).toEqual([type]);
      types.push(type);
    }

    const events = (await api.eventsOf(tenant.id)).slice(seen);
    expect(events.map((e) => e.type)).toEqual(types);
    for (const event of events) {
      eventEnvelopeSchema.parse(event);
      const definition = eventCatalogue.get(`${event.type}@${String(event.version)}`);
      expect(definition, event.type).toBeDefined();
      definition!.schema.parse(event.data);
      expect(event).toMatchObject({ source: 'identity', tenantId: tenant.id, correlationId: 'checkout-7' });
    }
    const stored = JSON.stringify(await api.db.select().from(outbox));
    expect(stored).not.toContain(tenant.owner.password);
    expect(stored).not.toContain('$argon2id$');
  });

  it('creating a tenant and provisioning users emit their own events', async () => {
    const tenant = await api.newTenant();
    const events = await api.eventsOf(tenant.id);
    expect(events.map((e) => e.type)).toEqual(['identity.tenant.created', 'identity.user.created']);
    expect(events[1]!.data).toMatchObject({
      user: { id: tenant.owner.id, roles: ['owner'], status: 'active' },
    });
    expectStatus(await api.request('GET', '/roles', { token: (await tenant.login()).access_token }), 200);
  });
});
