// Access tokens as a protected identity route sees them: every kind of bad token is a 401, and
// key rotation keeps tokens of the previous key valid while the JWKS publishes both keys.
import { API_AUDIENCE } from '@only/contracts/auth';
import {
  decodeProtectedHeader,
  generateKeyPair,
  importJWK,
  SignJWT,
  type CryptoKey,
  type JSONWebKeySet,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, expectStatus } from './support/api-response.ts';
import { signingKeyRows } from './support/db.ts';
import { startIdentityApi, TEST_ISSUER, type IdentityApi, type TestTenant } from './support/identity-api.ts';

let api: IdentityApi;
let tenant: TestTenant;

beforeAll(async () => {
  api = await startIdentityApi();
  tenant = await api.newTenant();
});

afterAll(async () => {
  await api.close();
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Claims like the identity service's, for tokens a test signs itself. */
function claimsOf(overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: TEST_ISSUER,
    aud: API_AUDIENCE,
    sub: tenant.owner.id,
    tid: tenant.id,
    roles: ['owner'],
    permissions: ['users:read', 'users:manage'],
    client_id: 'only-web',
    jti: 'atk_test',
    iat: now,
    exp: now + 600,
    ...overrides,
  };
}

async function sign(key: CryptoKey, kid: string, claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid }).sign(key);
}

/** The private key the service signs with now, read from its key store. */
async function activeServiceKey(): Promise<{ key: CryptoKey; kid: string }> {
  const active = (await signingKeyRows(api.db)).find((row) => row.activeUntil === null)!;
  return { key: (await importJWK(active.privateJwk, 'EdDSA')) as CryptoKey, kid: active.kid };
}

async function usersWith(token: string) {
  return api.request('GET', '/users', { token });
}

function expectRefused(response: Awaited<ReturnType<typeof usersWith>>): void {
  expectProblem(response, 401, 'platform.unauthenticated');
  expect(response.header('www-authenticate')).toMatch(/^Bearer/);
}

describe('tokens a protected route refuses', () => {
  it('accepts a token the service issued', async () => {
    expectStatus(await usersWith((await tenant.login()).access_token), 200);
  });

  it('an expired token', async () => {
    // Issued an hour ago by the service's own clock: expired 45 minutes ago.
    api.clock.set(new Date(Date.now() - 60 * 60 * 1000));
    const { access_token: token } = await tenant.login();
    api.clock.set(new Date());
    const response = await usersWith(token);
    expectRefused(response);
    expect(response.json()).toMatchObject({ detail: 'The token has expired.' });
  });

  it('a forged token: the payload changed after signing', async () => {
    const [header, , signature] = (await tenant.login()).access_token.split('.');
    const forged = `${header!}.${b64(claimsOf({ roles: ['owner'], tid: tenant.id, sub: 'usr_someone_else' }))}.${signature!}`;
    expectRefused(await usersWith(forged));
  });

  it('a token with alg "none"', async () => {
    const { kid } = await activeServiceKey();
    const unsigned = `${b64({ alg: 'none', typ: 'at+jwt', kid })}.${b64(claimsOf())}.`;
    expectRefused(await usersWith(unsigned));
    // With something in the signature part, so the header shape is not what refuses it.
    expectRefused(await usersWith(`${unsigned}AAAA`));
  });

  it('a token signed by another Ed25519 key that claims the same key id', async () => {
    const { kid } = await activeServiceKey();
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    expectRefused(await usersWith(await sign(privateKey, kid, claimsOf())));
  });

  it('a token signed with an HMAC made from the public key (algorithm confusion)', async () => {
    const { kid } = await activeServiceKey();
    const jwks = expectStatus(await api.request('GET', '/.well-known/jwks.json'), 200) as JSONWebKeySet;
    const publicJwk = jwks.keys.find((key) => key.kid === kid)!;
    const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
    const token = await new SignJWT(claimsOf()).setProtectedHeader({ alg: 'HS256', kid }).sign(secret);
    expectRefused(await usersWith(token));
  });

  it('a token for another audience, or from another issuer, signed with the real key', async () => {
    const { key, kid } = await activeServiceKey();
    expectStatus(await usersWith(await sign(key, kid, claimsOf())), 200);
    expectRefused(await usersWith(await sign(key, kid, claimsOf({ aud: 'some-other-api' }))));
    expectRefused(await usersWith(await sign(key, kid, claimsOf({ iss: 'https://evil.example/identity' }))));
  });

  it('no token is a 401 too; a malformed Authorization header as well', async () => {
    expectRefused(await api.request('GET', '/users'));
    expectRefused(await api.request('GET', '/users', { headers: { authorization: 'Bearer not-a-jwt' } }));
  });
});

describe('signing keys', () => {
  it('rotation: tokens of the old key stay valid, the JWKS serves both, new tokens use the new key', async () => {
    const before = await tenant.login();
    const oldKid = decodeProtectedHeader(before.access_token).kid!;

    const { kid: newKid } = await api.module.rotateKeys();
    const after = await tenant.login();

    expect(newKid).not.toBe(oldKid);
    expect(decodeProtectedHeader(after.access_token).kid).toBe(newKid);
    expectStatus(await usersWith(before.access_token), 200);
    expectStatus(await usersWith(after.access_token), 200);
    const jwks = expectStatus(await api.request('GET', '/.well-known/jwks.json'), 200) as JSONWebKeySet;
    expect(jwks.keys.map((key) => key.kid)).toEqual(expect.arrayContaining([oldKid, newKid]));
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
      expect(key).not.toHaveProperty('d');
    }
    // The old key is retired once every token it signed has expired (15 min + margins).
    const old = (await signingKeyRows(api.db)).find((row) => row.kid === oldKid)!;
    expect(old.activeUntil).not.toBeNull();
    expect(old.retireAfter!.getTime() - old.activeUntil!.getTime()).toBeGreaterThanOrEqual(900_000);
    api.clock.set(new Date(old.retireAfter!.getTime() + 1_000));
    try {
      const later = (await api.module.jwks()).keys.map((key) => key.kid);
      expect(later).toContain(newKid);
      expect(later).not.toContain(oldKid);
    } finally {
      api.clock.set(new Date());
    }
  });

  it('replaces the active key when it is older than the rotation age, once across callers', async () => {
    expect(await api.module.keys.rotateIfDue()).toBe(false);
    const activeBefore = (await activeServiceKey()).kid;
    api.clock.set(new Date(Date.now() + 31 * 24 * 60 * 60 * 1000));
    try {
      const results = await Promise.all([api.module.keys.rotateIfDue(), api.module.keys.rotateIfDue()]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const active = (await signingKeyRows(api.db)).filter((row) => row.activeUntil === null);
      expect(active).toHaveLength(1);
      expect(active[0]!.kid).not.toBe(activeBefore);
    } finally {
      api.clock.set(new Date());
    }
  });

  it('keys past retirement are deleted by the periodic check', async () => {
    const rows = await signingKeyRows(api.db);
    const retired = rows.filter((row) => row.retireAfter !== null);
    expect(retired.length).toBeGreaterThan(0);
    api.clock.set(new Date(Date.now() + 40 * 24 * 60 * 60 * 1000));
    try {
      await api.module.keys.rotateIfDue();
      const remaining = await signingKeyRows(api.db);
      expect(remaining.every((row) => row.retireAfter === null || row.retireAfter > api.clock.now())).toBe(
        true,
      );
    } finally {
      api.clock.set(new Date());
    }
  });
});

describe('first start', () => {
  it('makes the first signing key at start', async () => {
    const fresh = await startIdentityApi();
    try {
      expect(await signingKeyRows(fresh.db)).toHaveLength(0);
      await fresh.module.start();
      const rows = await signingKeyRows(fresh.db);
      expect(rows).toHaveLength(1);
      expect((await fresh.module.jwks()).keys.map((key) => key.kid)).toEqual([rows[0]!.kid]);
    } finally {
      await fresh.module.stop();
      await fresh.close();
    }
  });
});
