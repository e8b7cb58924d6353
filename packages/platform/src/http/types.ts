import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
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
  }
  interface FastifyContextConfig {
    /** Set to `false` on a POST route that must not honour `Idempotency-Key` (e.g. a token endpoint). */
    idempotent?: boolean;
  }
}
