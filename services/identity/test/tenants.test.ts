// Tenants: the caller's tenant, changing its white-label settings, the public branding, and the
// origins the gateway allows.
import { tenantUpdatedV1 } from '@only/contracts/identity';
import { systemContext } from '@only/platform/context';
import { NO_TENANT_ID } from '@only/platform/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_REQUEST } from '../src/request-meta.ts';
import { expectProblem, expectStatus } from './support/api-response.ts';
import { auditRows } from './support/db.ts';
import { startIdentityApi, type IdentityApi } from './support/identity-api.ts';

let api: IdentityApi;

beforeAll(async () => {
  api = await startIdentityApi();
});

afterAll(async () => {
  await api.close();
});

describe('the current tenant', () => {
  it('GET /tenants/current shows the settings of the token’s tenant', async () => {
    const tenant = await api.newTenant();
    const body = expectStatus(
      await api.request('GET', '/tenants/current', { token: await tenant.tokenOf(['viewer']) }),
      200,
    );
    expect(body).toMatchObject({
      id: tenant.id,
      slug: tenant.slug,
      currency: 'GBP',
      locale: 'en-GB',
      timezone: 'Europe/London',
      enabledApps: ['back-office'],
      allowedOrigins: [`https://${tenant.slug}.shop.test`],
      status: 'active',
      branding: { colors: { primary: '#112233' } },
    });
  });

  it('PATCH changes what is given (branding merged), emits one event, and audits', async () => {
    const tenant = await api.newTenant();
    const token = (await tenant.login()).access_token;

    const response = await api.request('PATCH', '/tenants/current', {
      token,
      body: {
        name: 'Renamed Roasters',
        branding: { colors: { primary: '#AA5500' }, fontFamily: "'Inter', sans-serif" },
        enabledApps: ['point-of-sale', 'back-office'],
        locale: 'fr-fr',
        currency: 'EUR',
        timezone: 'Europe/Paris',
        allowedOrigins: ['https://shop.example.com', 'https://shop.example.com/'],
      },
    });

    const updated = expectStatus(response, 200);
    expect(updated).toMatchObject({
      name: 'Renamed Roasters',
      branding: {
        colors: { primary: '#aa5500', secondary: '#445566', background: '#ffffff', text: '#000000' },
        fontFamily: "'Inter', sans-serif",
        logoUrl: null,
      },
      enabledApps: ['back-office', 'point-of-sale'],
      locale: 'fr-FR',
      currency: 'EUR',
      timezone: 'Europe/Paris',
      allowedOrigins: ['https://shop.example.com'],
    });
    const events = await api.eventsOf(tenant.id, tenantUpdatedV1.type);
    expect(events).toHaveLength(1);
    expect(tenantUpdatedV1.schema.parse(events[0]!.data).changed.sort()).toEqual(
      ['allowedOrigins', 'branding', 'currency', 'enabledApps', 'locale', 'name', 'timezone'].sort(),
    );
    expect(await auditRows(api.db, tenant.id, 'tenant_updated')).toHaveLength(1);

    // The same again changes nothing and emits nothing.
    expectStatus(
      await api.request('PATCH', '/tenants/current', { token, body: { name: 'Renamed Roasters' } }),
      200,
    );
    expect(await api.eventsOf(tenant.id, tenantUpdatedV1.type)).toHaveLength(1);
  });

  it('rejects bad settings with a 400 naming each field', async () => {
    const tenant = await api.newTenant();
    const token = (await tenant.login()).access_token;
    const problem = expectProblem(
      await api.request('PATCH', '/tenants/current', {
        token,
        body: {
          branding: { colors: { primary: 'brown' }, logoUrl: 'javascript:alert(1)', fontFamily: 'x;}body{' },
          enabledApps: ['spaceship'],
          locale: 'not a locale!',
          currency: 'EURO',
          timezone: 'Mars/Olympus_Mons',
          allowedOrigins: ['https://shop.example.com/path'],
        },
      }),
      400,
      'platform.validation_failed',
    );
    expect(problem.errors!.map((e) => e.field).sort()).toEqual(
      [
        'allowedOrigins[0]',
        'branding.colors.primary',
        'branding.fontFamily',
        'branding.logoUrl',
        'currency',
        'enabledApps[0]',
        'locale',
        'timezone',
      ].sort(),
    );
    expectProblem(
      await api.request('PATCH', '/tenants/current', { token, body: {} }),
      400,
      'platform.validation_failed',
    );
  });
});

describe('creating tenants', () => {
  it('validates like the API does, and refuses a slug that is taken', async () => {
    const ctx = systemContext(NO_TENANT_ID, 'provisioning');
    const tenant = await api.newTenant();
    const base = {
      slug: tenant.slug.toUpperCase(),
      name: 'Copycat',
      branding: {
        logoUrl: null,
        colors: { primary: '#000', secondary: '#111', background: '#fff', text: '#000' },
        fontFamily: null,
      },
      enabledApps: ['inventory' as const],
      locale: 'en',
      currency: 'EUR',
      timezone: 'UTC',
    };
    await expect(api.module.tenants.create(ctx, base, NO_REQUEST)).rejects.toMatchObject({
      code: 'identity.tenant_slug_taken',
    });
    await expect(
      api.module.tenants.create(ctx, { ...base, slug: 'Not A Slug!', currency: 'XXX1' }, NO_REQUEST),
    ).rejects.toMatchObject({
      code: 'platform.validation_failed',
      extensions: {
        errors: [expect.objectContaining({ field: 'slug' }), expect.objectContaining({ field: 'currency' })],
      },
    });
  });
});

describe('branding before sign-in', () => {
  it('is public and tells only name, branding, apps and locale', async () => {
    const tenant = await api.newTenant();
    const response = await api.request('GET', `/tenants/by-slug/${tenant.slug.toUpperCase()}/branding`);
    const body = expectStatus(response, 200);
    expect(body).toEqual({
      name: `Tenant ${tenant.slug}`,
      branding: {
        logoUrl: null,
        colors: { primary: '#112233', secondary: '#445566', background: '#ffffff', text: '#000000' },
        fontFamily: null,
      },
      enabledApps: ['back-office'],
      locale: 'en-GB',
    });
    expect(response.header('cache-control')).toBe('public, max-age=60');
    expectProblem(
      await api.request('GET', '/tenants/by-slug/no-such-tenant/branding'),
      404,
      'identity.tenant_not_found',
    );
  });
});

describe('allowed origins', () => {
  it('lists the origins of every active tenant, and follows changes made here at once', async () => {
    const tenant = await api.newTenant();
    expect(await api.module.allowedOrigins()).toContain(`https://${tenant.slug}.shop.test`);
    await api.request('PATCH', '/tenants/current', {
      token: (await tenant.login()).access_token,
      body: { allowedOrigins: ['https://new.example.org'] },
    });
    const origins = await api.module.allowedOrigins();
    expect(origins).toContain('https://new.example.org');
    expect(origins).not.toContain(`https://${tenant.slug}.shop.test`);
    expect(new Set(origins).size).toBe(origins.length);
  });

  it('are published without a token for the gateways, as { origins }', async () => {
    const tenant = await api.newTenant();
    const body = expectStatus(await api.request('GET', '/tenants/allowed-origins'), 200) as {
      origins: string[];
    };
    expect(body.origins).toContain(`https://${tenant.slug}.shop.test`);
    expect(body.origins).toEqual(await api.module.allowedOrigins());
  });
});
