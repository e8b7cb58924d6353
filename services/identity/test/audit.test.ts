// The audit log: readable by who holds audit:read, filtered and paginated, never holding secrets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, expectStatus } from './support/api-response.ts';
import { startIdentityApi, type IdentityApi } from './support/identity-api.ts';

let api: IdentityApi;

beforeAll(async () => {
  api = await startIdentityApi();
});

afterAll(async () => {
  await api.close();
});

interface AuditPage {
  items: {
    id: string;
    action: string;
    actor: { type: string; id: string | null };
    ip: string | null;
    details: object;
  }[];
  nextCursor: string | null;
}

describe('GET /audit', () => {
  it('lists the tenant’s security events newest first, by action, a page at a time', async () => {
    const tenant = await api.newTenant();
    const user = await tenant.addUser();
    await api.passwordGrant(tenant.slug, user.email, 'wrong password one');
    await api.passwordGrant(tenant.slug, user.email, 'wrong password two');
    await tenant.login(user);
    const token = (await tenant.login()).access_token;

    const failed = expectStatus(
      await api.request('GET', '/audit', { token, query: { action: 'login_failed', limit: 1 } }),
      200,
    ) as AuditPage;
    expect(failed.items).toHaveLength(1);
    expect(failed.items[0]).toMatchObject({
      action: 'login_failed',
      actor: { type: 'anonymous', id: null },
      target: { type: 'user', id: user.id },
      details: { reason: 'bad_password', failures: 2 },
    });
    expect(failed.items[0]!.ip).toBeTypeOf('string');
    const next = expectStatus(
      await api.request('GET', '/audit', {
        token,
        query: { action: 'login_failed', limit: 1, cursor: failed.nextCursor! },
      }),
      200,
    ) as AuditPage;
    expect(next.items[0]!.details).toMatchObject({ failures: 1 });
    expect(next.nextCursor).toBeNull();

    const all = expectStatus(
      await api.request('GET', '/audit', { token, query: { limit: 100 } }),
      200,
    ) as AuditPage;
    const actions = all.items.map((item) => item.action);
    expect(actions).toEqual(
      expect.arrayContaining(['tenant_created', 'user_created', 'login_succeeded', 'login_failed']),
    );
    expect(JSON.stringify(all)).not.toContain('wrong password');
    expect(JSON.stringify(all)).not.toContain(user.password);

    expectProblem(
      await api.request('GET', '/audit', { token, query: { action: 'not_an_action' } }),
      400,
      'platform.validation_failed',
    );
    expectProblem(
      await api.request('GET', '/audit', { token: await tenant.tokenOf(['manager']) }),
      403,
      'platform.forbidden',
    );
  });
});
