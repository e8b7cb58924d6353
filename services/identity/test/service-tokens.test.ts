// Machine tokens of the platform's own services: `svc-<service>` authenticates with a secret derived
// from the deployment's service secret and gets a token for the tenant it names, with the fixed
// permissions of that service — and embedded mode gets the same tokens signed in-process.
import { SERVICE_PERMISSIONS } from '@only/contracts/auth';
import { serviceClientSecret } from '@only/platform/auth';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOAuthError, expectStatus } from './support/api-response.ts';
import { startIdentityApi, type IdentityApi, type TestTenant } from './support/identity-api.ts';

const DEPLOYMENT_SECRET = 'the deployment service secret, 32+ chars';

let api: IdentityApi;
let tenant: TestTenant;

beforeAll(async () => {
  api = await startIdentityApi({ settings: { serviceSecret: DEPLOYMENT_SECRET } });
  tenant = await api.newTenant();
});

afterAll(async () => {
  await api.close();
});

const basic = (id: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
});

describe('service tokens', () => {
  it('issues svc-invoices a token for the named tenant with exactly its permissions', async () => {
    const response = await api.tokenRequest(
      { grant_type: 'client_credentials', tenant: tenant.id },
      basic('svc-invoices', serviceClientSecret(DEPLOYMENT_SECRET, 'invoices')),
    );
    const body = expectStatus(response, 200) as { access_token: string; refresh_token?: string };
    expect(body.refresh_token).toBeUndefined();
    expect(decodeJwt(body.access_token)).toMatchObject({
      sub: 'svc-invoices',
      tid: tenant.id,
      client_id: 'svc-invoices',
      roles: [],
      permissions: [...SERVICE_PERMISSIONS.invoices!],
    });
    // The token works where its permission allows, and nowhere else.
    const verified = await api.module.tokenVerifier().verify(body.access_token);
    expect(verified.tenantId).toBe(tenant.id);
    expect((await api.request('GET', '/users', { token: body.access_token })).status).toBe(403);
  });

  it('refuses a wrong secret, another service’s secret, and services without machine tokens', async () => {
    const attempts = [
      basic('svc-invoices', 'x'.repeat(43)),
      basic('svc-invoices', serviceClientSecret(DEPLOYMENT_SECRET, 'orders')),
      basic('svc-reporting', serviceClientSecret(DEPLOYMENT_SECRET, 'reporting')),
      basic('svc-invoices', serviceClientSecret('another deployment secret, long enough', 'invoices')),
    ];
    for (const headers of attempts) {
      expectOAuthError(
        await api.tokenRequest({ grant_type: 'client_credentials', tenant: tenant.id }, headers),
        401,
        'invalid_client',
      );
    }
  });

  it('needs an active tenant, named by id', async () => {
    const headers = basic('svc-invoices', serviceClientSecret(DEPLOYMENT_SECRET, 'invoices'));
    expectOAuthError(
      await api.tokenRequest({ grant_type: 'client_credentials' }, headers),
      400,
      'invalid_request',
    );
    expectOAuthError(
      await api.tokenRequest(
        { grant_type: 'client_credentials', tenant: 'ten_00000000000000000000000000' },
        headers,
      ),
      400,
      'invalid_grant',
    );
  });

  it('without a deployment secret, no service gets a token', async () => {
    const plain = await startIdentityApi();
    try {
      const other = await plain.newTenant();
      expectOAuthError(
        await plain.tokenRequest(
          { grant_type: 'client_credentials', tenant: other.id },
          basic('svc-invoices', serviceClientSecret(DEPLOYMENT_SECRET, 'invoices')),
        ),
        401,
        'invalid_client',
      );
      // In-process (embedded mode) tokens need no secret.
      const token = await plain.module.serviceTokens('invoices').token(other.id);
      expect(decodeJwt(token)).toMatchObject({ sub: 'svc-invoices', tid: other.id });
      await expect(plain.module.serviceTokens('reporting').token(other.id)).rejects.toThrow(
        'reporting gets no machine tokens',
      );
    } finally {
      await plain.close();
    }
  });
});
