// Who may do what on identity's own routes: permissions from roles, no privilege escalation, the
// last owner, and tenants that cannot see or touch each other's users, roles and clients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, expectStatus } from './support/api-response.ts';
import { userRow } from './support/db.ts';
import { startIdentityApi, unique, type IdentityApi, type TestTenant } from './support/identity-api.ts';

let api: IdentityApi;
let tenant: TestTenant;

beforeAll(async () => {
  api = await startIdentityApi();
  tenant = await api.newTenant();
});

afterAll(async () => {
  await api.close();
});

const invite = (roles: string[]) => ({ email: `${unique('u')}@example.test`, name: 'New Person', roles });

describe('permissions', () => {
  it('a viewer can read users but not manage them (403 naming the permission)', async () => {
    const viewer = await tenant.tokenOf(['viewer']);
    expectStatus(await api.request('GET', '/users', { token: viewer }), 200);
    const problem = expectProblem(
      await api.request('POST', '/users', { token: viewer, body: invite(['viewer']) }),
      403,
      'platform.forbidden',
    );
    expect(problem).toMatchObject({ permission: 'users:manage' });
    expectProblem(await api.request('GET', '/audit', { token: viewer }), 403, 'platform.forbidden');
    expectProblem(
      await api.request('PATCH', '/tenants/current', { token: viewer, body: { name: 'Mine now' } }),
      403,
      'platform.forbidden',
    );
    expectProblem(await api.request('GET', '/clients', { token: viewer }), 403, 'platform.forbidden');
  });

  it('without a token every protected route is a 401', async () => {
    for (const [method, url] of [
      ['GET', '/users'],
      ['POST', '/users'],
      ['GET', '/roles'],
      ['GET', '/tenants/current'],
      ['GET', '/audit'],
      ['GET', '/clients'],
      ['GET', '/me'],
    ] as const) {
      expectProblem(await api.request(method, url), 401, 'platform.unauthenticated');
    }
  });

  it('nobody grants permissions they do not hold: an admin cannot make an owner', async () => {
    const admin = await tenant.tokenOf(['admin']);
    const problem = expectProblem(
      await api.request('POST', '/users', { token: admin, body: invite(['owner']) }),
      403,
      'platform.forbidden',
    );
    expect(problem).toMatchObject({ permissions: ['tenant:manage'] });
    const user = expectStatus(
      await api.request('POST', '/users', { token: admin, body: invite(['manager']) }),
      201,
    ) as {
      id: string;
    };
    expectProblem(
      await api.request('PATCH', `/users/${user.id}`, { token: admin, body: { roles: ['owner'] } }),
      403,
      'platform.forbidden',
    );
    // Nor change an owner.
    expectProblem(
      await api.request('PATCH', `/users/${tenant.owner.id}`, { token: admin, body: { status: 'disabled' } }),
      403,
      'platform.forbidden',
    );
    expectProblem(
      await api.request('POST', '/roles', {
        token: admin,
        body: { name: 'superuser', permissions: ['tenant:manage'] },
      }),
      403,
      'platform.forbidden',
    );
    expectProblem(
      await api.request('POST', '/clients', { token: admin, body: { name: 'Escalator', roles: ['owner'] } }),
      403,
      'platform.forbidden',
    );
  });

  it('the last active owner cannot be demoted or disabled (409)', async () => {
    const other = await api.newTenant();
    const token = (await other.login()).access_token;
    const demote = await api.request('PATCH', `/users/${other.owner.id}`, {
      token,
      body: { roles: ['admin'] },
    });
    expect(expectProblem(demote, 409, 'identity.last_owner')).toMatchObject({ field: 'roles' });
    expectProblem(
      await api.request('PATCH', `/users/${other.owner.id}`, { token, body: { status: 'disabled' } }),
      409,
      'identity.last_owner',
    );
    // With a second owner, the first may step down.
    const second = await other.addUser(['owner']);
    expectStatus(
      await api.request('PATCH', `/users/${other.owner.id}`, { token, body: { roles: ['admin'] } }),
      200,
    );
    expectProblem(
      await api.request('PATCH', `/users/${second.id}`, {
        token: (await other.login(second)).access_token,
        body: { roles: ['viewer'] },
      }),
      409,
      'identity.last_owner',
    );
  });
});

describe('concurrent changes', () => {
  it('two owners demoting each other at once: exactly one succeeds, the tenant keeps an owner', async () => {
    const other = await api.newTenant();
    const second = await other.addUser(['owner']);
    const [firstToken, secondToken] = [
      (await other.login()).access_token,
      (await other.login(second)).access_token,
    ];
    const responses = await Promise.all([
      api.request('PATCH', `/users/${second.id}`, { token: firstToken, body: { roles: ['admin'] } }),
      api.request('PATCH', `/users/${other.owner.id}`, { token: secondToken, body: { roles: ['admin'] } }),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
    const owners = [await userRow(api.db, other.owner.id), await userRow(api.db, second.id)].filter((u) =>
      u!.roles.includes('owner'),
    );
    expect(owners).toHaveLength(1);
  });
});

describe('tenant isolation', () => {
  it("a token of tenant B gets 404 for tenant A's user, role and client ids, and changes nothing", async () => {
    const a = await api.newTenant();
    const b = await api.newTenant();
    const aToken = (await a.login()).access_token;
    const bToken = (await b.login()).access_token;
    const user = await a.addUser(['cashier']);
    const role = expectStatus(
      await api.request('POST', '/roles', {
        token: aToken,
        body: { name: 'stocker', permissions: ['orders:read'] },
      }),
      201,
    ) as { id: string };
    const client = expectStatus(
      await api.request('POST', '/clients', { token: aToken, body: { name: 'Sync', roles: ['viewer'] } }),
      201,
    ) as { id: string };
    const before = await userRow(api.db, user.id);

    expectProblem(
      await api.request('GET', `/users/${user.id}`, { token: bToken }),
      404,
      'identity.user_not_found',
    );
    expectProblem(
      await api.request('PATCH', `/users/${user.id}`, {
        token: bToken,
        body: { status: 'disabled', name: 'Hacked' },
      }),
      404,
      'identity.user_not_found',
    );
    expectProblem(
      await api.request('GET', `/roles/${role.id}`, { token: bToken }),
      404,
      'identity.role_not_found',
    );
    expectProblem(
      await api.request('PATCH', `/roles/${role.id}`, {
        token: bToken,
        body: { permissions: ['orders:cancel'] },
      }),
      404,
      'identity.role_not_found',
    );
    expectProblem(
      await api.request('DELETE', `/roles/${role.id}`, { token: bToken }),
      404,
      'identity.role_not_found',
    );
    expectProblem(
      await api.request('DELETE', `/clients/${client.id}`, { token: bToken }),
      404,
      'identity.client_not_found',
    );
    // B's lists do not show A's things; B cannot give its users A's custom role.
    const bUsers = expectStatus(await api.request('GET', '/users', { token: bToken }), 200) as {
      items: { id: string }[];
    };
    expect(bUsers.items.map((u) => u.id)).not.toContain(user.id);
    const bRoles = expectStatus(await api.request('GET', '/roles', { token: bToken }), 200) as {
      items: { name: string }[];
    };
    expect(bRoles.items.map((r) => r.name)).not.toContain('stocker');
    expectProblem(
      await api.request('POST', '/users', { token: bToken, body: invite(['stocker']) }),
      422,
      'identity.unknown_role',
    );

    expect(await userRow(api.db, user.id)).toEqual(before);
    expectStatus(await api.request('GET', `/roles/${role.id}`, { token: aToken }), 200);
    const aClients = expectStatus(await api.request('GET', '/clients', { token: aToken }), 200) as {
      items: { id: string }[];
    };
    expect(aClients.items.map((c) => c.id)).toContain(client.id);
    const tenantB = expectStatus(await api.request('GET', '/tenants/current', { token: bToken }), 200);
    expect(tenantB).toMatchObject({ id: b.id, slug: b.slug });
  });

  it('the tenant of a request comes from the token, never from a header', async () => {
    const a = await api.newTenant();
    const b = await api.newTenant();
    const bToken = (await b.login()).access_token;
    const current = await api.request('GET', '/tenants/current', {
      token: bToken,
      headers: { 'x-tenant-id': a.id },
    });
    expect(expectStatus(current, 200)).toMatchObject({ id: b.id });
  });
});
