// Users: invitations, reads with cursor pagination, changes, and the signed-in user.
import { BUILT_IN_ROLES } from '@only/contracts/auth';
import { userUpdatedV1 } from '@only/contracts/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, expectStatus } from './support/api-response.ts';
import { auditRows } from './support/db.ts';
import { startIdentityApi, type IdentityApi, type TestTenant } from './support/identity-api.ts';

let api: IdentityApi;
let tenant: TestTenant;
let token: string;

beforeAll(async () => {
  api = await startIdentityApi();
  tenant = await api.newTenant();
  token = (await tenant.login()).access_token;
});

afterAll(async () => {
  await api.close();
});

interface UserBody {
  id: string;
  email: string;
  name: string;
  roles: string[];
  status: string;
}

describe('users', () => {
  it('invites a user: 201 with location, email lowercased; the same email again is a 409', async () => {
    const response = await api.request('POST', '/users', {
      token,
      body: { email: '  Nina.New@Example.TEST ', name: 'Nina New', roles: ['cashier', 'cashier'] },
    });
    const user = expectStatus(response, 201) as UserBody;
    expect(user).toMatchObject({ email: 'nina.new@example.test', roles: ['cashier'], status: 'active' });
    expect(response.header('location')).toBe(`users/${user.id}`);
    expect(user).not.toHaveProperty('passwordHash');
    expectStatus(await api.request('GET', `/users/${user.id}`, { token }), 200);
    expect((await auditRows(api.db, tenant.id, 'user_invited')).map((r) => r.targetId)).toContain(user.id);

    const again = await api.request('POST', '/users', {
      token,
      body: { email: 'NINA.new@example.test', name: 'Nina Again', roles: ['viewer'] },
    });
    expect(expectProblem(again, 409, 'identity.user_email_taken')).toMatchObject({ field: 'email' });
  });

  it('lists users newest first, a page at a time, filtered by text and status', async () => {
    const other = await api.newTenant();
    const otherToken = (await other.login()).access_token;
    for (const name of ['Anna', 'Bert', 'Carl']) await other.addUser(['viewer'], `${name} Lister`);

    const first = expectStatus(
      await api.request('GET', '/users', { token: otherToken, query: { limit: 2 } }),
      200,
    ) as {
      items: UserBody[];
      nextCursor: string | null;
    };
    expect(first.items.map((u) => u.name)).toEqual(['Carl Lister', 'Bert Lister']);
    const second = expectStatus(
      await api.request('GET', '/users', {
        token: otherToken,
        query: { limit: 2, cursor: first.nextCursor! },
      }),
      200,
    ) as { items: UserBody[]; nextCursor: string | null };
    expect(second.items.map((u) => u.name)).toEqual(['Anna Lister', 'Tenant Owner']);
    expect(second.nextCursor).toBeNull();

    const found = expectStatus(
      await api.request('GET', '/users', { token: otherToken, query: { q: 'bert' } }),
      200,
    ) as {
      items: UserBody[];
    };
    expect(found.items.map((u) => u.name)).toEqual(['Bert Lister']);
    expectProblem(
      await api.request('GET', '/users', { token: otherToken, query: { cursor: 'garbage' } }),
      400,
      'platform.validation_failed',
    );
  });

  it('changes name and roles: one event naming the fields, no event when nothing differs', async () => {
    const user = await tenant.addUser(['viewer'], 'Old Name');
    const response = await api.request('PATCH', `/users/${user.id}`, {
      token,
      body: { name: 'New Name', roles: ['manager'] },
    });
    expect(expectStatus(response, 200)).toMatchObject({ name: 'New Name', roles: ['manager'] });
    await api.request('PATCH', `/users/${user.id}`, { token, body: { name: 'New Name' } });
    const events = (await api.eventsOf(tenant.id, userUpdatedV1.type)).filter(
      (e) => e.aggregateId === user.id,
    );
    expect(events.map((e) => userUpdatedV1.schema.parse(e.data).changed)).toEqual([['name', 'roles']]);
    expect(events[0]!.data).toMatchObject({ actor: { type: 'user', id: tenant.owner.id } });
  });

  it('validates input with 400s naming the field', async () => {
    const problem = expectProblem(
      await api.request('POST', '/users', { token, body: { email: 'not-an-email', name: '', roles: [] } }),
      400,
      'platform.validation_failed',
    );
    expect(problem.errors!.map((e) => e.field).sort()).toEqual(['email', 'name', 'roles']);
    expectProblem(
      await api.request('GET', '/users/usr_not-an-id', { token }),
      400,
      'platform.validation_failed',
    );
    expectProblem(
      await api.request('GET', '/users/usr_01jd5x3b2kf9v8s7w6q4r2m1n0', { token }),
      404,
      'identity.user_not_found',
    );
  });

  it('GET /me: the signed-in user, their tenant and permissions', async () => {
    const user = await tenant.addUser(['cashier'], 'Cash Ier');
    const me = expectStatus(
      await api.request('GET', '/me', { token: await tenant.login(user).then((t) => t.access_token) }),
      200,
    );
    expect(me).toMatchObject({
      user: { id: user.id, name: 'Cash Ier', roles: ['cashier'] },
      tenant: { id: tenant.id, slug: tenant.slug },
      // The cashier's built-in permissions, sorted.
      permissions: [...BUILT_IN_ROLES.cashier.permissions].sort(),
    });
  });
});
