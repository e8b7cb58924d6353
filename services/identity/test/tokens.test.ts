// The token endpoint: password grant, rotating refresh tokens with reuse detection, revocation,
// logout, client credentials, and the OAuth error format.
import { API_AUDIENCE } from '@only/contracts/auth';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOAuthError, expectProblem, expectStatus } from './support/api-response.ts';
import { auditRows, refreshTokenRows } from './support/db.ts';
import {
  startIdentityApi,
  TEST_ISSUER,
  type IdentityApi,
  type TestTenant,
  type Tokens,
} from './support/identity-api.ts';

let api: IdentityApi;
let tenant: TestTenant;

beforeAll(async () => {
  api = await startIdentityApi();
  tenant = await api.newTenant();
});

afterAll(async () => {
  await api.close();
});

function tokensOf(response: { status: number; text: string; json(): unknown }): Tokens {
  return expectStatus(response as never, 200) as Tokens;
}

describe('password grant', () => {
  it('signs a user in with a form-encoded request: access token, refresh token, no-store', async () => {
    const user = await tenant.addUser(['manager'], 'Maya Manager');

    const response = await api.passwordGrant(tenant.slug, user.email.toUpperCase(), user.password);

    const tokens = tokensOf(response);
    expect(response.header('cache-control')).toBe('no-store');
    expect(response.header('pragma')).toBe('no-cache');
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    expect(tokens.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt' });
    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({
      iss: TEST_ISSUER,
      aud: API_AUDIENCE,
      sub: user.id,
      tid: tenant.id,
      roles: ['manager'],
      client_id: 'only-web',
    });
    expect(claims.permissions).toEqual(expect.arrayContaining(['orders:read', 'customers:write']));
    expect(claims.permissions).not.toContain('users:manage');
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(claims.jti).toMatch(/^atk_/);

    const me = expectStatus(await api.request('GET', '/me', { token: tokens.access_token }), 200);
    expect(me).toMatchObject({
      user: { id: user.id, email: user.email, roles: ['manager'] },
      tenant: { id: tenant.id },
    });
  });

  it('accepts JSON bodies too, and issues an ID token for scope openid', async () => {
    const user = await tenant.addUser(['viewer'], 'Vera Viewer');
    const response = await api.request('POST', '/oauth/token', {
      body: {
        grant_type: 'password',
        client_id: 'only-web',
        tenant: tenant.slug,
        username: user.email,
        password: user.password,
        scope: 'openid email profile',
      },
    });
    const tokens = tokensOf(response);
    expect(tokens.scope).toBe('openid email profile');
    expect(decodeJwt(tokens.id_token!)).toMatchObject({
      iss: TEST_ISSUER,
      aud: 'only-web',
      sub: user.id,
      email: user.email,
      email_verified: true,
      name: 'Vera Viewer',
    });
  });

  it('a wrong password, an unknown user and an unknown tenant get the same invalid_grant', async () => {
    const user = await tenant.addUser();
    const wrong = await api.passwordGrant(tenant.slug, user.email, 'not the password at all');
    const unknown = await api.passwordGrant(tenant.slug, 'nobody@nowhere.test', 'whatever password');
    const noTenant = await api.passwordGrant('no-such-tenant', user.email, user.password);
    for (const response of [wrong, unknown, noTenant]) {
      const problem = expectOAuthError(response, 400, 'invalid_grant');
      expect(problem.error_description).toBe('The username or password is wrong.');
      expect(response.header('cache-control')).toBe('no-store');
    }
    const failures = await auditRows(api.db, tenant.id, 'login_failed');
    expect(failures.map((row) => row.details.reason)).toEqual(
      expect.arrayContaining(['bad_password', 'unknown_user']),
    );
  });

  it('reports missing parameters, unknown grants, clients and scopes as OAuth errors', async () => {
    expectOAuthError(await api.tokenRequest({ client_id: 'only-web' }), 400, 'invalid_request');
    expectOAuthError(
      await api.tokenRequest({ grant_type: 'password', client_id: 'only-web', tenant: tenant.slug }),
      400,
      'invalid_request',
    );
    expectOAuthError(
      await api.tokenRequest({ grant_type: 'authorization_code', client_id: 'only-web' }),
      400,
      'unsupported_grant_type',
    );
    expectOAuthError(
      await api.passwordGrant(tenant.slug, tenant.owner.email, tenant.owner.password, {
        client_id: 'evil-app',
      }),
      401,
      'invalid_client',
    );
    expectOAuthError(
      await api.passwordGrant(tenant.slug, tenant.owner.email, tenant.owner.password, { scope: 'admin' }),
      400,
      'invalid_scope',
    );
    // A repeated parameter is malformed (RFC 6749 §3.2).
    const repeated = await api.request('POST', '/oauth/token', {
      rawBody: 'grant_type=password&grant_type=refresh_token&client_id=only-web',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectOAuthError(repeated, 400, 'invalid_request');
  });

  it('a disabled user cannot sign in', async () => {
    const user = await tenant.addUser();
    const ownerToken = (await tenant.login()).access_token;
    expectStatus(
      await api.request('PATCH', `/users/${user.id}`, { token: ownerToken, body: { status: 'disabled' } }),
      200,
    );
    const problem = expectOAuthError(
      await api.passwordGrant(tenant.slug, user.email, user.password),
      400,
      'invalid_grant',
    );
    expect(problem.error_description).toBe('The account is disabled.');
  });
});

describe('refresh tokens', () => {
  it('a refresh returns a new pair; the used refresh token is refused afterwards', async () => {
    const user = await tenant.addUser(['cashier']);
    const first = await tenant.login(user);

    const second = tokensOf(await api.refreshGrant(first.refresh_token!));

    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(decodeJwt(second.access_token)).toMatchObject({
      sub: user.id,
      tid: tenant.id,
      roles: ['cashier'],
    });
    expectStatus(await api.request('GET', '/me', { token: second.access_token }), 200);
    expectOAuthError(await api.refreshGrant(first.refresh_token!), 400, 'invalid_grant');
    const rows = await refreshTokenRows(api.db, user.id);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ familyId: rows[0]!.familyId, parentId: rows[0]!.id });
    expect((await auditRows(api.db, tenant.id, 'token_refreshed')).length).toBeGreaterThan(0);
  });

  it('reusing a used refresh token revokes the whole family, the newest token included', async () => {
    const user = await tenant.addUser();
    const first = await tenant.login(user);
    const second = tokensOf(await api.refreshGrant(first.refresh_token!));
    const third = tokensOf(await api.refreshGrant(second.refresh_token!));

    // An attacker replays the first (stolen) token.
    expectOAuthError(await api.refreshGrant(first.refresh_token!), 400, 'invalid_grant');

    // The legitimate holder's newest token no longer works either.
    expectOAuthError(await api.refreshGrant(third.refresh_token!), 400, 'invalid_grant');
    const rows = await refreshTokenRows(api.db, user.id);
    expect(rows.every((row) => row.revokedAt !== null)).toBe(true);
    expect(rows.map((row) => row.revokedReason)).toEqual([
      'reuse_detected',
      'reuse_detected',
      'reuse_detected',
    ]);
    const reuse = (await auditRows(api.db, tenant.id, 'refresh_token_reuse')).filter(
      (row) => row.targetId === user.id,
    );
    expect(reuse).toHaveLength(1);
    expect(reuse[0]!.details).toMatchObject({ familyId: rows[0]!.familyId, revoked: 3 });
    // Other sessions of the same user are untouched.
    const other = await tenant.login(user);
    tokensOf(await api.refreshGrant(other.refresh_token!));
  });

  it('an expired refresh token is refused', async () => {
    const user = await tenant.addUser();
    const tokens = await tenant.login(user);
    api.clock.advance(31 * 24 * 60 * 60 * 1000);
    try {
      expectOAuthError(await api.refreshGrant(tokens.refresh_token!), 400, 'invalid_grant');
    } finally {
      api.clock.set(new Date());
    }
  });

  it('expired refresh tokens are deleted by housekeeping a day after they expired', async () => {
    const user = await tenant.addUser();
    await tenant.login(user);
    expect(await refreshTokenRows(api.db, user.id)).toHaveLength(1);
    api.clock.advance(30 * 24 * 60 * 60 * 1000 + 1);
    try {
      await api.module.housekeeping.prune();
      expect(await refreshTokenRows(api.db, user.id)).toHaveLength(1);
      api.clock.advance(24 * 60 * 60 * 1000);
      const removed = await api.module.housekeeping.prune();
      expect(removed.refreshTokens).toBeGreaterThanOrEqual(1);
      expect(await refreshTokenRows(api.db, user.id)).toHaveLength(0);
    } finally {
      api.clock.set(new Date());
    }
  });

  it('a disabled user cannot refresh, and disabling ends their sessions', async () => {
    const user = await tenant.addUser();
    const tokens = await tenant.login(user);
    const ownerToken = (await tenant.login()).access_token;
    expectStatus(
      await api.request('PATCH', `/users/${user.id}`, { token: ownerToken, body: { status: 'disabled' } }),
      200,
    );
    expectOAuthError(await api.refreshGrant(tokens.refresh_token!), 400, 'invalid_grant');
    expect((await refreshTokenRows(api.db, user.id))[0]).toMatchObject({ revokedReason: 'user_disabled' });
  });

  it('a refresh token cannot be used by another client', async () => {
    const tokens = await tenant.login();
    const client = expectStatus(
      await api.request('POST', '/clients', {
        token: tokens.access_token,
        body: { name: 'Reporter', roles: ['viewer'] },
      }),
      201,
    ) as { id: string; secret: string };
    const response = await api.tokenRequest({
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
      client_id: client.id,
    });
    expectOAuthError(response, 401, 'invalid_client');
  });
});

describe('revocation and logout', () => {
  it('POST /oauth/revoke revokes the refresh token family and always answers 200', async () => {
    const user = await tenant.addUser();
    const first = await tenant.login(user);
    const second = tokensOf(await api.refreshGrant(first.refresh_token!));

    const revoke = await api.request('POST', '/oauth/revoke', {
      form: { token: second.refresh_token!, token_type_hint: 'refresh_token', client_id: 'only-web' },
    });

    expect(revoke.status).toBe(200);
    expectOAuthError(await api.refreshGrant(second.refresh_token!), 400, 'invalid_grant');
    expect((await refreshTokenRows(api.db, user.id)).every((row) => row.revokedAt !== null)).toBe(true);
    expect(
      (await auditRows(api.db, tenant.id, 'token_revoked')).some((row) => row.targetId === user.id),
    ).toBe(true);
    // Unknown tokens and access tokens: 200 too, nothing to say.
    expect((await api.request('POST', '/oauth/revoke', { form: { token: 'no-such-token' } })).status).toBe(
      200,
    );
    expect((await api.request('POST', '/oauth/revoke', { form: { token: first.access_token } })).status).toBe(
      200,
    );
    expectOAuthError(await api.request('POST', '/oauth/revoke', { form: {} }), 400, 'invalid_request');
  });

  it('POST /logout ends the session of the signed-in user only', async () => {
    const user = await tenant.addUser();
    const session = await tenant.login(user);
    const otherUser = await tenant.addUser();
    const otherSession = await tenant.login(otherUser);

    // Someone else's refresh token: accepted without effect.
    expect(
      (
        await api.request('POST', '/logout', {
          token: session.access_token,
          body: { refreshToken: otherSession.refresh_token },
        })
      ).status,
    ).toBe(204);
    tokensOf(await api.refreshGrant(otherSession.refresh_token!));

    const logout = await api.request('POST', '/logout', {
      token: session.access_token,
      body: { refreshToken: session.refresh_token },
    });

    expect(logout.status).toBe(204);
    expectOAuthError(await api.refreshGrant(session.refresh_token!), 400, 'invalid_grant');
    const audit = await auditRows(api.db, tenant.id, 'logout');
    expect(audit.filter((row) => row.actorId === user.id)).toHaveLength(1);
    expectProblem(
      await api.request('POST', '/logout', { body: { refreshToken: session.refresh_token } }),
      401,
      'platform.unauthenticated',
    );
  });
});

describe('client credentials', () => {
  it('an API client gets an access token with HTTP Basic or in the body, and uses it', async () => {
    const ownerToken = (await tenant.login()).access_token;
    const created = await api.request('POST', '/clients', {
      token: ownerToken,
      body: { name: 'Warehouse sync', roles: ['viewer'] },
    });
    const client = expectStatus(created, 201) as { id: string; secret: string; name: string };
    expect(created.header('cache-control')).toBe('no-store');
    expect(client.id).toMatch(/^cli_/);

    const basic = Buffer.from(`${client.id}:${client.secret}`).toString('base64');
    const viaBasic = tokensOf(
      await api.tokenRequest({ grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` }),
    );
    const viaBody = tokensOf(
      await api.tokenRequest({
        grant_type: 'client_credentials',
        client_id: client.id,
        client_secret: client.secret,
      }),
    );

    for (const tokens of [viaBasic, viaBody]) {
      expect(tokens.refresh_token).toBeUndefined();
      expect(decodeJwt(tokens.access_token)).toMatchObject({
        sub: client.id,
        tid: tenant.id,
        client_id: client.id,
        roles: ['viewer'],
      });
    }
    expectStatus(await api.request('GET', '/users', { token: viaBasic.access_token }), 200);
    // A machine has no profile.
    expectProblem(
      await api.request('GET', '/me', { token: viaBasic.access_token }),
      403,
      'platform.forbidden',
    );
    // The secret is never shown again.
    const list = expectStatus(await api.request('GET', '/clients', { token: ownerToken }), 200) as {
      items: Record<string, unknown>[];
    };
    expect(list.items.find((item) => item.id === client.id)).not.toHaveProperty('secret');
  });

  it('a wrong secret, an unknown or revoked client get invalid_client (401, Basic challenge)', async () => {
    const ownerToken = (await tenant.login()).access_token;
    const client = expectStatus(
      await api.request('POST', '/clients', { token: ownerToken, body: { name: 'Old', roles: ['viewer'] } }),
      201,
    ) as { id: string; secret: string };
    const wrong = await api.tokenRequest(
      { grant_type: 'client_credentials' },
      { authorization: `Basic ${Buffer.from(`${client.id}:nope`).toString('base64')}` },
    );
    expectOAuthError(wrong, 401, 'invalid_client');
    expect(wrong.header('www-authenticate')).toMatch(/^Basic/);
    expectOAuthError(
      await api.tokenRequest({
        grant_type: 'client_credentials',
        client_id: 'cli_01jd5x3b2kf9v8s7w6q4r2m1n0',
        client_secret: 'x',
      }),
      401,
      'invalid_client',
    );

    expect((await api.request('DELETE', `/clients/${client.id}`, { token: ownerToken })).status).toBe(204);
    expectOAuthError(
      await api.tokenRequest({
        grant_type: 'client_credentials',
        client_id: client.id,
        client_secret: client.secret,
      }),
      401,
      'invalid_client',
    );
    expect(
      (await auditRows(api.db, tenant.id, 'client_authentication_failed')).length,
    ).toBeGreaterThanOrEqual(2);
  });
});

describe('userinfo and discovery', () => {
  it('GET /userinfo describes the signed-in user', async () => {
    const user = await tenant.addUser(['cashier'], 'Carla Cashier');
    const tokens = await tenant.login(user);
    const info = expectStatus(await api.request('GET', '/userinfo', { token: tokens.access_token }), 200);
    expect(info).toEqual({
      sub: user.id,
      email: user.email,
      email_verified: true,
      name: 'Carla Cashier',
      tenant: { id: tenant.id, slug: tenant.slug, name: `Tenant ${tenant.slug}` },
      roles: ['cashier'],
    });
    expectProblem(await api.request('GET', '/userinfo'), 401, 'platform.unauthenticated');
  });

  it('serves the OpenID configuration under the issuer', async () => {
    const document = expectStatus(await api.request('GET', '/.well-known/openid-configuration'), 200);
    expect(document).toMatchObject({
      issuer: TEST_ISSUER,
      jwks_uri: `${TEST_ISSUER}/.well-known/jwks.json`,
      token_endpoint: `${TEST_ISSUER}/oauth/token`,
      revocation_endpoint: `${TEST_ISSUER}/oauth/revoke`,
      userinfo_endpoint: `${TEST_ISSUER}/userinfo`,
      grant_types_supported: ['password', 'refresh_token', 'client_credentials'],
      id_token_signing_alg_values_supported: ['EdDSA'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    });
  });
});
