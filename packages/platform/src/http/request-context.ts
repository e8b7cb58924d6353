import type { FastifyRequest } from 'fastify';
import type { Actor, RequestContext } from '../context/index.ts';

const ANONYMOUS: Actor = { type: 'anonymous', id: null };

const TOKEN = /^[\w.:@+-]{1,128}$/;

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The tenant of a request no token has spoken for yet: a well-formed id that no tenant has, so a
 * query scoped to it finds nothing.
 */
export const NO_TENANT_ID = 'ten_00000000000000000000000000';

/**
 * The context a request starts with: no tenant, an anonymous actor, its request id, and the
 * caller's `x-correlation-id` (else the request id). A verified access token then supplies the
 * tenant and the actor (see `authorizeRoutes`); headers never do.
 */
export function resolveRequestContext(request: FastifyRequest): RequestContext {
  const correlation = header(request, 'x-correlation-id');
  const correlationId = correlation !== undefined && TOKEN.test(correlation) ? correlation : request.id;
  return { tenantId: NO_TENANT_ID, actor: ANONYMOUS, requestId: request.id, correlationId };
}

/** Accepts a caller's `x-request-id` when it is a sane token, else mints a fresh one. */
export function requestIdFrom(incoming: string | string[] | undefined, mint: () => string): string {
  return typeof incoming === 'string' && TOKEN.test(incoming) ? incoming : mint();
}
