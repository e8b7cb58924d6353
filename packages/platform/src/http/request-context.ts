import type { FastifyRequest } from 'fastify';
import { DEMO_TENANT_ID, type Actor, type RequestContext } from '../context/index.ts';
import { validationError } from '../errors/validation.ts';
import { isId } from '../ids/ids.ts';

const TOKEN = /^[\w.:@+-]{1,128}$/;

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Builds the request context from headers: `x-tenant-id` (the demo tenant when absent),
 * `x-user-id` for the actor, `x-correlation-id` (else the request id). Identity will replace the
 * tenant and actor headers with claims of a verified token.
 */
export function resolveRequestContext(request: FastifyRequest): RequestContext {
  const tenantId = header(request, 'x-tenant-id') ?? DEMO_TENANT_ID;
  if (!isId('ten', tenantId)) {
    throw validationError([
      {
        field: 'x-tenant-id',
        in: 'headers',
        rule: 'id',
        message: 'Must be a tenant id starting with "ten_"',
      },
    ]);
  }
  const userId = header(request, 'x-user-id');
  if (userId !== undefined && !TOKEN.test(userId)) {
    throw validationError([
      {
        field: 'x-user-id',
        in: 'headers',
        rule: 'format',
        message: 'Must be 1 to 128 letters, digits or ._:@+-',
      },
    ]);
  }
  const actor: Actor = userId === undefined ? { type: 'anonymous', id: null } : { type: 'user', id: userId };
  const correlation = header(request, 'x-correlation-id');
  const correlationId = correlation !== undefined && TOKEN.test(correlation) ? correlation : request.id;
  return { tenantId, actor, requestId: request.id, correlationId };
}

/** Accepts a caller's `x-request-id` when it is a sane token, else mints a fresh one. */
export function requestIdFrom(incoming: string | string[] | undefined, mint: () => string): string {
  return typeof incoming === 'string' && TOKEN.test(incoming) ? incoming : mint();
}
