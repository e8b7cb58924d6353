import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type Principal } from '../auth/principal.ts';
import { InvalidTokenError, type TokenVerifier } from '../auth/token-verifier.ts';
import { withAllTenantsScope, withTenantScope } from '../db/tenant-scope.ts';
import { platformErrors } from '../errors/platform-errors.ts';
import type { HttpApp } from './types.ts';

const BEARER = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/i;

/**
 * Verifies the request's bearer token, if it has one, and remembers the principal on the request
 * so that later layers of the same process (gateway, then service) verify it once. A missing
 * token is `undefined`; a present but invalid one is a 401.
 */
export async function authenticate(
  request: FastifyRequest,
  reply: FastifyReply,
  verifier: TokenVerifier,
): Promise<Principal | undefined> {
  if (request.principal !== undefined) return request.principal;
  const header = request.headers.authorization;
  // Other schemes (Basic for a client's credentials at the token endpoint) are not ours to judge.
  if (header === undefined || !/^bearer\b/i.test(header)) return undefined;
  const token = BEARER.exec(header)?.[1];
  if (token === undefined) {
    void reply.header('www-authenticate', 'Bearer error="invalid_request"');
    throw platformErrors.unauthenticated('The Authorization header must be "Bearer <access token>".');
  }
  try {
    request.principal = await verifier.verify(token);
  } catch (error) {
    if (!(error instanceof InvalidTokenError)) throw error;
    void reply.header('www-authenticate', 'Bearer error="invalid_token"');
    throw platformErrors.unauthenticated(error.message);
  }
  request.ctx = { ...request.ctx, tenantId: request.principal.tenantId, actor: actorOf(request.principal) };
  return request.principal;
}

/**
 * Guards every route registered on `scope` (a service's encapsulated scope): a route must declare
 * `config.permission` or `config.public`, or registering it fails — no route is reachable by
 * accident. On each request, a protected route needs a valid bearer token (401 otherwise, with
 * `WWW-Authenticate`) whose permissions include the route's (403 naming it otherwise); the
 * request context then carries the token's tenant and subject, and the handler's database access
 * is scoped to that tenant (row-level security; anonymous requests to a tenant no one has).
 */
export function authorizeRoutes(scope: HttpApp, verifier: TokenVerifier): void {
  scope.addHook('onRoute', (route) => {
    const config = route.config as
      { permission?: string; public?: boolean; crossTenant?: boolean } | undefined;
    if (config?.public !== true && config?.permission === undefined) {
      throw new Error(`${String(route.method)} ${route.url} declares neither a permission nor public: true`);
    }
    if (config.crossTenant === true && config.public !== true) {
      throw new Error(`${String(route.method)} ${route.url} may only read across tenants if it is public`);
    }
  });
  scope.addHook('onRequest', async (request, reply) => {
    const { permission, public: isPublic } = request.routeOptions.config;
    if (isPublic === true) {
      // A token on a public route is still checked, so that a bad one is never silently ignored.
      await authenticate(request, reply, verifier);
      return;
    }
    const principal = await authenticate(request, reply, verifier);
    if (principal === undefined) {
      void reply.header('www-authenticate', 'Bearer realm="only"');
      throw platformErrors.unauthenticated(
        'This route needs an access token: "Authorization: Bearer <token>".',
      );
    }
    if (permission === undefined || !principal.permissions.has(permission)) {
      throw platformErrors.forbidden(`This route needs the permission "${permission ?? '?'}".`, {
        permission,
      });
    }
  });
  // preHandler, not onRequest: the body is read in the socket's async context, which would lose
  // the scope; from here on the handler runs inside it.
  scope.addHook('preHandler', (request, _reply, done) => {
    if (request.routeOptions.config.crossTenant === true) withAllTenantsScope(done);
    else withTenantScope(request.ctx.tenantId, done);
  });
}
