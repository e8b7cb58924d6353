import { API_AUDIENCE } from '@only/contracts/auth';
import { silentLogger, TestIssuer } from '@only/testing';
import { base64url, exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, localKeySource } from '../auth/index.ts';
import { currentTenantScope } from '../db/tenant-scope.ts';
import { authorizeRoutes } from './authorization.ts';
import { NO_TENANT_ID } from './request-context.ts';
import { createHttpServer } from './server.ts';
import type { HttpApp } from './types.ts';

const TENANT = 'ten_01jd5x3b2kf9v8s7w6q4r2m1n0';
let issuer: TestIssuer;
let app: HttpApp;

async function newApp(): Promise<HttpApp> {
  const server = await createHttpServer({
    logger: silentLogger(),
    docs: { title: 'Authorization test', description: 'Guarded routes.', version: '1.0.0' },
  });
  await server.register((scope, _options, done) => {
    authorizeRoutes(scope, issuer.verifier());
    scope.get('/things', { config: { permission: 'orders:read' } }, (request) => ({
      ctx: request.ctx,
      roles: request.principal?.roles,
      dbScope: currentTenantScope() ?? null,
    }));
    scope.post('/scoped', { config: { permission: 'orders:create' } }, () => ({
      dbScope: currentTenantScope() ?? null,
    }));
    scope.get('/lookup', { config: { public: true, crossTenant: true } }, () => ({
      dbScope: currentTenantScope() ?? null,
    }));
    scope.post('/things', { config: { permission: 'orders:create' } }, () => ({ created: true }));
    scope.get('/open', { config: { public: true } }, (request) => ({
      subject: request.principal?.subject ?? null,
      dbScope: currentTenantScope() ?? null,
    }));
    done();
  });
  await server.ready();
  return server;
}

beforeAll(async () => {
  issuer = await TestIssuer.create();
  app = await newApp();
});

afterAll(async () => {
  await app.close();
});

const get = (url: string, authorization?: string) =>
  app.inject({ method: 'GET', url, headers: authorization === undefined ? {} : { authorization } });

/** Signs `claims` with a fresh key that is not the issuer's, under the issuer's key id. */
async function signedByAnotherKey(keyId: string): Promise<string> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ tid: TENANT, roles: ['owner'], permissions: ['orders:read'], client_id: 'x' })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: keyId })
    .setIssuer(TestIssuer.ISSUER)
    .setAudience(API_AUDIENCE)
    .setSubject('usr_forger')
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(privateKey);
}

describe('authorizeRoutes', () => {
  it('lets a valid token with the permission through, with its tenant and subject as the context', async () => {
    const token = await issuer.token({ tenantId: TENANT, subject: 'usr_ada', roles: ['viewer'] });
    const response = await get('/things', `Bearer ${token}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      ctx: { tenantId: TENANT, actor: { type: 'user', id: 'usr_ada' } },
      roles: ['viewer'],
    });
  });

  it('treats a client token as a machine actor', async () => {
    const token = await issuer.token({ tenantId: TENANT, subject: 'cli_0123', permissions: ['orders:read'] });
    const response = await get('/things', `Bearer ${token}`);
    expect(response.json()).toMatchObject({ ctx: { actor: { type: 'client', id: 'cli_0123' } } });
  });

  it('answers 401 with WWW-Authenticate when no token is sent', async () => {
    const response = await get('/things');
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'platform.unauthenticated' });
  });

  it('answers 403 naming the permission when the token lacks it', async () => {
    const token = await issuer.token({ tenantId: TENANT, roles: ['viewer'] });
    const response = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'platform.forbidden', permission: 'orders:create' });
  });

  const refused: [string, () => Promise<string>][] = [
    ['an expired token', () => issuer.token({ tenantId: TENANT, expiresInSeconds: -60 })],
    ['a token for another audience', () => issuer.token({ tenantId: TENANT, audience: 'someone-else' })],
    ['a token from another issuer', () => issuer.token({ tenantId: TENANT, issuer: 'https://evil.example' })],
    ['a token signed by another key under the same key id', () => signedByAnotherKey(issuer.keyId)],
    ['a token signed by an unknown key', () => signedByAnotherKey('unknown-kid')],
    [
      'a token whose payload was changed after signing',
      async () => {
        const [header, , signature] = (await issuer.token({ tenantId: TENANT, roles: ['viewer'] })).split(
          '.',
        );
        const payload = base64url.encode(
          JSON.stringify({ tid: TENANT, roles: ['owner'], permissions: ['orders:read', 'orders:create'] }),
        );
        return `${header ?? ''}.${payload}.${signature ?? ''}`;
      },
    ],
    [
      'an unsigned token (alg: none)',
      async () => {
        const good = await issuer.token({ tenantId: TENANT });
        const payload = good.split('.')[1] ?? '';
        return `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid: issuer.keyId }))}.${payload}.`;
      },
    ],
    [
      'an HMAC token keyed with the public key (algorithm confusion)',
      async () => {
        const { publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
        const secret = new TextEncoder().encode(JSON.stringify(await exportJWK(publicKey)));
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT({ tid: TENANT, permissions: ['orders:read'] })
          .setProtectedHeader({ alg: 'HS256', kid: issuer.keyId })
          .setIssuer(TestIssuer.ISSUER)
          .setAudience(API_AUDIENCE)
          .setSubject('usr_x')
          .setIssuedAt(now)
          .setExpirationTime(now + 600)
          .sign(secret);
      },
    ],
    ['a token naming no tenant', () => issuer.token({ tenantId: 'acme' })],
    ['garbage', () => Promise.resolve('not.a.token')],
  ];

  it.each(refused)('answers 401 for %s', async (_name, make) => {
    const response = await get('/things', `Bearer ${await make()}`);
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(response.json()).toMatchObject({ code: 'platform.unauthenticated' });
  });

  it('answers 401 for an Authorization header that is not a bearer token', async () => {
    expect((await get('/things', 'Basic dXNlcjpwYXNz')).statusCode).toBe(401);
    expect((await get('/things', 'Bearer')).statusCode).toBe(401);
  });

  it('serves public routes without a token, and still refuses a bad bearer token there', async () => {
    expect((await get('/open')).json()).toEqual({ subject: null, dbScope: NO_TENANT_ID });
    expect((await get('/open', 'Basic dXNlcjpwYXNz')).statusCode).toBe(200);
    expect((await get('/open', 'Bearer not.a.token')).statusCode).toBe(401);
    const token = await issuer.token({ tenantId: TENANT, subject: 'usr_bo' });
    expect((await get('/open', `Bearer ${token}`)).json()).toEqual({ subject: 'usr_bo', dbScope: TENANT });
  });

  it("runs handlers in the database scope of the token's tenant, after the body was read", async () => {
    const token = await issuer.token({ tenantId: TENANT, permissions: ['orders:read', 'orders:create'] });
    expect((await get('/things', `Bearer ${token}`)).json()).toMatchObject({ dbScope: TENANT });
    const posted = await app.inject({
      method: 'POST',
      url: '/scoped',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ a: 'x'.repeat(100_000) }),
    });
    expect(posted.json()).toEqual({ dbScope: TENANT });
    // Only a public route that declares it reads across tenants.
    expect((await get('/lookup')).json()).toEqual({ dbScope: '*' });
  });

  it('refuses a cross-tenant route that is not public', async () => {
    const server = await createHttpServer({
      logger: silentLogger(),
      docs: { title: 'x', description: 'x', version: '1.0.0' },
    });
    await expect(
      server.register((scope, _options, done) => {
        authorizeRoutes(scope, issuer.verifier());
        try {
          scope.get('/wide', { config: { permission: 'orders:read', crossTenant: true } }, () => ({}));
          done();
        } catch (error) {
          done(error as Error);
        }
      }),
    ).rejects.toThrow(/GET \/wide may only read across tenants if it is public/);
    await server.close().catch(() => undefined);
  });

  it('refuses to register a route that declares neither a permission nor public', async () => {
    const server = await createHttpServer({
      logger: silentLogger(),
      docs: { title: 'x', description: 'x', version: '1.0.0' },
    });
    await expect(
      server.register((scope, _options, done) => {
        authorizeRoutes(scope, issuer.verifier());
        try {
          scope.get('/forgotten', () => ({}));
          done();
        } catch (error) {
          done(error as Error);
        }
      }),
    ).rejects.toThrow(/GET \/forgotten declares neither a permission nor public/);
    await server.close().catch(() => undefined);
  });
});

describe('createTokenVerifier with an external provider', () => {
  it('reads the tenant and roles where the provider puts them, and grants the built-in roles', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'kc-1', alg: 'RS256' };
    const verifier = createTokenVerifier({
      keys: localKeySource(() => Promise.resolve({ keys: [jwk] })),
      issuer: 'https://keycloak.example/realms/only',
      audience: API_AUDIENCE,
      claims: { tenant: 'only.tenant', roles: 'realm_access.roles', permissions: 'only.permissions' },
    });
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({
      only: { tenant: TENANT },
      realm_access: { roles: ['cashier', 'offline_access'] },
      azp: 'pos-app',
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'kc-1', typ: 'JWT' })
      .setIssuer('https://keycloak.example/realms/only')
      .setAudience(API_AUDIENCE)
      .setSubject('0b4e9c3e-7f1a-4d57-9c1e-2f3a4b5c6d7e')
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(privateKey);
    const principal = await verifier.verify(token);
    expect(principal).toMatchObject({ tenantId: TENANT, kind: 'user', clientId: 'pos-app' });
    expect(principal.roles).toEqual(['cashier', 'offline_access']);
    expect(principal.permissions.has('orders:create')).toBe(true);
    expect(principal.permissions.has('users:manage')).toBe(false);
  });

  it('picks up a rotated key: an unknown key id reloads the key set', async () => {
    const first = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const second = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const keys = [{ ...(await exportJWK(first.publicKey)), kid: 'k1', alg: 'EdDSA' }];
    let loads = 0;
    const verifier = createTokenVerifier({
      keys: localKeySource(
        () => {
          loads++;
          return Promise.resolve({ keys: [...keys] });
        },
        { cooldownMs: 0 },
      ),
      issuer: 'https://issuer.example',
      audience: API_AUDIENCE,
    });
    const sign = (key: CryptoKey, kid: string) =>
      new SignJWT({ tid: TENANT, permissions: [] })
        .setProtectedHeader({ alg: 'EdDSA', kid })
        .setIssuer('https://issuer.example')
        .setAudience(API_AUDIENCE)
        .setSubject('usr_1')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(key);
    await verifier.verify(await sign(first.privateKey, 'k1'));
    keys.push({ ...(await exportJWK(second.publicKey)), kid: 'k2', alg: 'EdDSA' });
    await expect(verifier.verify(await sign(second.privateKey, 'k2'))).resolves.toMatchObject({
      subject: 'usr_1',
    });
    await expect(verifier.verify(await sign(first.privateKey, 'k1'))).resolves.toMatchObject({
      subject: 'usr_1',
    });
    expect(loads).toBe(2);
  });

  it('remembers a verified token until it expires, and only that exact token', async () => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'c1', alg: 'EdDSA' };
    let lookups = 0;
    const verifier = createTokenVerifier({
      keys: async (header, token) => {
        lookups++;
        return localKeySource(() => Promise.resolve({ keys: [jwk] }))(header, token);
      },
      issuer: 'https://issuer.example',
      audience: API_AUDIENCE,
    });
    const sign = (expiresInSeconds: number) =>
      new SignJWT({ tid: TENANT, permissions: ['orders:read'] })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'c1' })
        .setIssuer('https://issuer.example')
        .setAudience(API_AUDIENCE)
        .setSubject('usr_1')
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
        .sign(privateKey);
    const token = await sign(600);
    await verifier.verify(token);
    await verifier.verify(token);
    expect(lookups).toBe(1);
    // A token that differs in its signature is verified on its own, and refused.
    const tampered = `${token.slice(0, -4)}AAAA`;
    await expect(verifier.verify(tampered)).rejects.toThrow(/signature/);
    // One that expires while remembered is refused once it has.
    const shortLived = await sign(1);
    await verifier.verify(shortLived);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await expect(verifier.verify(shortLived)).rejects.toThrow(/expired/);
  });
});
