/**
 * HTTP: the Fastify server factory with request ids, request context, problem+json errors,
 * health, metrics and OpenAPI docs; plus idempotency and cursor pagination for routes.
 * @module
 */
import './types.ts';

export { createHttpServer, type HttpServerOptions } from './server.ts';
export type { HttpApp } from './types.ts';
export type { ReadinessCheck } from './health.ts';
export type { ApiDocsOptions } from './docs.ts';
export { IdempotencyStore, enableIdempotency, runIdempotently, canonicalJson } from './idempotency.ts';
export { pageQuerySchema, pageSchema, encodeCursor, decodeCursor, toPage } from './pagination.ts';
export { problemErrorHandler, problemNotFoundHandler } from './error-handler.ts';
export { resolveRequestContext, NO_TENANT_ID } from './request-context.ts';
export { authenticate, authorizeRoutes } from './authorization.ts';
export { problemResponses } from './responses.ts';
export { wantsFreshRead } from './cache-control.ts';
