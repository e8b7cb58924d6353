// The demo seed: two tenants branded differently, one user per built-in role each, the web
// client; idempotent.
import { BUILT_IN_ROLES, type BuiltInRole } from '@only/contracts/auth';
import { DEMO_TENANT_ID, systemContext } from '@only/platform/context';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANTS, GLOBEX_TENANT_ID, demoEmail, demoPassword } from '../src/seed/demo-data.ts';
import { expectStatus } from './support/api-response.ts';
import { startIdentityApi, type IdentityApi, type Tokens } from './support/identity-api.ts';

let api: IdentityApi;

beforeAll(async () => {
  api = await startIdentityApi();
  for (const tenant of DEMO_TENANTS) await api.module.seedDemo(systemContext(tenant.id, 'seed-demo'));
});

afterAll(async () => {
  await api.close();
});

describe('demo seed', () => {
  it('makes acme (the demo tenant) and globex, branded differently', async () => {
    const acme = expectStatus(await api.request('GET', '/tenants/by-slug/acme/branding'), 200) as {
      name: string;
      branding: { colors: { primary: string }; logoUrl: string };
      locale: string;
    };
    const globex = expectStatus(
      await api.request('GET', '/tenants/by-slug/globex/branding'),
      200,
    ) as typeof acme;
    expect(acme).toMatchObject({
      name: 'Acme Coffee Roasters',
      locale: 'de-DE',
      branding: { colors: { primary: '#6f4e37' } },
    });
    expect(globex).toMatchObject({
      name: 'Globex Outfitters',
      locale: 'en-US',
      branding: { colors: { primary: '#1d4ed8' } },
    });
    expect(acme.branding.logoUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(acme.branding.logoUrl).not.toBe(globex.branding.logoUrl);
    expect(DEMO_TENANTS.map((t) => t.id)).toEqual([DEMO_TENANT_ID, GLOBEX_TENANT_ID]);
  });

  it('every demo user signs in with only-demo-<role> and gets the role’s permissions', async () => {
    for (const tenant of DEMO_TENANTS) {
      for (const role of Object.keys(BUILT_IN_ROLES) as BuiltInRole[]) {
        const response = await api.passwordGrant(
          tenant.slug,
          demoEmail(role, tenant.slug),
          demoPassword(role),
        );
        const claims = decodeJwt((expectStatus(response, 200) as Tokens).access_token);
        expect(claims).toMatchObject({ tid: tenant.id, roles: [role] });
        expect([...(claims.permissions as string[])].sort()).toEqual(
          [...BUILT_IN_ROLES[role].permissions].sort(),
        );
      }
    }
    const acmeOwner = (
      expectStatus(await api.passwordGrant('acme', 'owner@acme.example', 'only-demo-owner'), 200) as Tokens
    ).access_token;
    const current = expectStatus(await api.request('GET', '/tenants/current', { token: acmeOwner }), 200);
    expect(current).toMatchObject({ id: DEMO_TENANT_ID, currency: 'EUR', timezone: 'Europe/Berlin' });
  });

  it('is idempotent: a second run creates nothing and emits nothing', async () => {
    const before =
      (await api.eventsOf(DEMO_TENANT_ID)).length + (await api.eventsOf(GLOBEX_TENANT_ID)).length;
    const result = await api.module.seedDemoIdentity('seed-again');
    const after = (await api.eventsOf(DEMO_TENANT_ID)).length + (await api.eventsOf(GLOBEX_TENANT_ID)).length;
    expect(after).toBe(before);
    expect(result.users).toHaveLength(10);
    expect(result.webClientId).toBe('only-web');
    const users = await api.module.users.list(systemContext(GLOBEX_TENANT_ID, 'check'), { limit: 100 });
    expect(users.items).toHaveLength(5);
  });
});
