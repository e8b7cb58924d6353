// Every identity route declares the permission it needs, or is deliberately public.
import { createHttpServer, type HttpApp } from '@only/platform/http';
import { silentLogger } from '@only/testing';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdentityApi, type IdentityApi } from './support/identity-api.ts';

let api: IdentityApi;

beforeAll(async () => {
  api = await startIdentityApi();
});

afterAll(async () => {
  await api.close();
});

/** The routes a module registers, collected with an onRoute hook (HEAD twins left out). */
async function routesOf(register: (app: HttpApp) => void | Promise<void>) {
  const app = await createHttpServer({
    logger: silentLogger(),
    docs: { title: 'routes', description: '', version: '0' },
  });
  const routes: { method: string; url: string; config: RouteOptions['config'] }[] = [];
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD') routes.push({ method, url: route.url, config: route.config });
      }
    });
    await register(scope);
  });
  await app.ready();
  await app.close();
  return routes;
}

describe('route table', () => {
  it('every route declares a permission or public: true, and only these are public', async () => {
    const routes = await routesOf((scope) => api.module.registerRoutes(scope));
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes) {
      const config = route.config as { permission?: string; public?: boolean } | undefined;
      expect({
        route: `${route.method} ${route.url}`,
        ok: config?.public === true || typeof config?.permission === 'string',
      }).toEqual({ route: `${route.method} ${route.url}`, ok: true });
    }
    const publicRoutes = routes
      .filter((route) => route.config?.public === true)
      .map((route) => `${route.method} ${route.url}`)
      .sort();
    expect(publicRoutes).toEqual(
      [
        'GET /.well-known/jwks.json',
        'GET /.well-known/openid-configuration',
        'GET /me',
        'GET /tenants/by-slug/:slug/branding',
        'GET /tenants/allowed-origins',
        'GET /userinfo',
        'POST /email-verification',
        'POST /logout',
        'POST /oauth/revoke',
        'POST /oauth/token',
        'POST /password-reset-requests',
        'POST /password-resets',
      ].sort(),
    );
    // Token answers are never stored for an Idempotency-Key replay.
    for (const route of routes.filter(
      (r) => r.method === 'POST' && (r.config as { public?: boolean }).public,
    )) {
      expect({ route: route.url, idempotent: (route.config as { idempotent?: boolean }).idempotent }).toEqual(
        {
          route: route.url,
          idempotent: false,
        },
      );
    }
  });

  it('a route declaring neither is refused when the module is mounted', async () => {
    await expect(
      routesOf(async (scope) => {
        const { authorizeRoutes } = await import('@only/platform/http');
        authorizeRoutes(scope, api.module.tokenVerifier());
        scope.get('/oops', () => 'x');
      }),
    ).rejects.toThrow(/declares neither a permission nor public/);
  });
});
