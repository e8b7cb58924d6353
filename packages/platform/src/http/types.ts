import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Permission } from '@only/contracts/auth';
import type { Principal } from '../auth/principal.ts';
import type { RequestContext } from '../context/index.ts';

/** A Fastify instance typed for Zod route schemas: what services register their routes on. */
export type HttpApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

declare module 'fastify' {
  interface FastifyRequest {
    /** Tenant, actor and correlation of this request. */
    ctx: RequestContext;
    /** Whom the request's access token speaks for; `undefined` until verified, and on public routes. */
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    /** The permission a caller needs (every service route declares one, or `public`). */
    permission?: Permission;
    /** Reachable without a token: discovery, token endpoint, branding, health. */
    public?: boolean;
    /** Set to `false` on a POST route that must not honour `Idempotency-Key` (e.g. a token endpoint). */
    idempotent?: boolean;
    /**
     * A public route that must find its tenant itself (a login by tenant slug, a reset token) may
     * read across tenants: its database access runs in the all-tenants scope, not in the scope of a
     * tenant no one has. Only allowed together with `public: true`.
     */
    crossTenant?: boolean;
  }
}
