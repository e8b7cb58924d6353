// Roles: built-in and custom, validation, renames that follow their holders, deletion rules, and
// permissions resolved into tokens at issue time.
import { roleCreatedV1, roleDeletedV1, roleUpdatedV1 } from '@only/contracts/identity';
import { BUILT_IN_ROLES } from '@only/contracts/auth';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, expectStatus } from './support/api-response.ts';
import { userRow } from './support/db.ts';
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

interface RoleBody {
  id: string;
  name: string;
  permissions: string[];
  builtIn: boolean;
}

describe('roles', () => {
  it('lists the built-in roles with their permissions, then custom ones', async () => {
    expectStatus(
      await api.request('POST', '/roles', {
        token,
        body: {
          name: 'auditor',
          description: 'Reads the audit log',
          permissions: ['audit:read', 'users:read'],
        },
      }),
      201,
    );
    const { items } = expectStatus(
      await api.request('GET', '/roles', { token: await tenant.tokenOf(['manager']) }),
      200,
    ) as {
      items: RoleBody[];
    };
    expect(items.slice(0, 5).map((role) => role.name)).toEqual(Object.keys(BUILT_IN_ROLES));
    expect(items.find((role) => role.name === 'cashier')).toMatchObject({
      id: null,
      builtIn: true,
      permissions: [...BUILT_IN_ROLES.cashier.permissions],
    });
    expect(items.find((role) => role.name === 'auditor')).toMatchObject({
      builtIn: false,
      permissions: ['audit:read', 'users:read'],
    });
  });

  it('rejects unknown permissions (400 naming the field) and names of built-in roles', async () => {
    const unknown = expectProblem(
      await api.request('POST', '/roles', {
        token,
        body: { name: 'packer', permissions: ['orders:read', 'rockets:launch'] },
      }),
      400,
      'platform.validation_failed',
    );
    expect(unknown.errors).toEqual([
      expect.objectContaining({ field: 'permissions[1]', rule: 'permission' }),
    ]);
    const builtIn = expectProblem(
      await api.request('POST', '/roles', { token, body: { name: 'admin', permissions: ['orders:read'] } }),
      400,
      'platform.validation_failed',
    );
    expect(builtIn.errors).toEqual([expect.objectContaining({ field: 'name', rule: 'not_built_in' })]);
    await api.request('POST', '/roles', { token, body: { name: 'twice', permissions: ['orders:read'] } });
    expectProblem(
      await api.request('POST', '/roles', { token, body: { name: 'twice', permissions: ['orders:read'] } }),
      409,
      'identity.role_name_taken',
    );
  });

  it('a custom role grants its permissions in the next token; changes apply at the next issue', async () => {
    const role = expectStatus(
      await api.request('POST', '/roles', {
        token,
        body: { name: 'picker', permissions: ['orders:read', 'orders:manage'] },
      }),
      201,
    ) as RoleBody;
    const user = await tenant.addUser(['picker']);
    expect(decodeJwt((await tenant.login(user)).access_token)).toMatchObject({
      roles: ['picker'],
      permissions: ['orders:manage', 'orders:read'],
    });

    expectStatus(
      await api.request('PATCH', `/roles/${role.id}`, {
        token,
        body: { name: 'order-picker', permissions: ['orders:read'] },
      }),
      200,
    );

    // Renamed wherever it is held.
    expect((await userRow(api.db, user.id))!.roles).toEqual(['order-picker']);
    expect(decodeJwt((await tenant.login(user)).access_token)).toMatchObject({
      roles: ['order-picker'],
      permissions: ['orders:read'],
    });
    const events = await api.eventsOf(tenant.id);
    const updated = events.filter((e) => e.type === roleUpdatedV1.type && e.aggregateId === role.id);
    expect(updated.map((e) => e.data)).toEqual([
      expect.objectContaining({ previousName: 'picker', changed: ['name', 'permissions'] }),
    ]);
    expect(events.some((e) => e.type === roleCreatedV1.type && e.aggregateId === role.id)).toBe(true);
  });

  it('a role still held cannot be deleted (409 with who holds it); a free one can', async () => {
    const role = expectStatus(
      await api.request('POST', '/roles', { token, body: { name: 'temp', permissions: ['reports:read'] } }),
      201,
    ) as RoleBody;
    const user = await tenant.addUser(['temp']);
    const problem = expectProblem(
      await api.request('DELETE', `/roles/${role.id}`, { token }),
      409,
      'identity.role_in_use',
    );
    expect(problem).toMatchObject({ assignedTo: { users: 1, clients: 0 } });

    expectStatus(
      await api.request('PATCH', `/users/${user.id}`, { token, body: { roles: ['viewer'] } }),
      200,
    );
    expect((await api.request('DELETE', `/roles/${role.id}`, { token })).status).toBe(204);
    expectProblem(await api.request('GET', `/roles/${role.id}`, { token }), 404, 'identity.role_not_found');
    const deleted = (await api.eventsOf(tenant.id, roleDeletedV1.type)).filter(
      (e) => e.aggregateId === role.id,
    );
    expect(deleted).toHaveLength(1);
  });

  it('assigning a role that does not exist is a 422 naming the field', async () => {
    const problem = expectProblem(
      await api.request('POST', '/users', {
        token,
        body: { email: 'someone@example.test', name: 'Some One', roles: ['viewer', 'ghost'] },
      }),
      422,
      'identity.unknown_role',
    );
    expect(problem).toMatchObject({ field: 'roles', roles: ['ghost'] });
  });
});
