import type { FastifyRequest } from 'fastify';

/** Where a request came from, for the audit log. */
export interface RequestMeta {
  readonly ip: string | null;
  readonly userAgent: string | null;
}

/** The caller's address and user agent (cut to a sane length). */
export function requestMeta(request: FastifyRequest): RequestMeta {
  const agent = request.headers['user-agent'];
  return {
    ip: request.ip === '' ? null : request.ip,
    userAgent: typeof agent === 'string' && agent !== '' ? agent.slice(0, 512) : null,
  };
}

/** No request: seeding, jobs. */
export const NO_REQUEST: RequestMeta = { ip: null, userAgent: null };
