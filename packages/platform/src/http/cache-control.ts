import type { FastifyRequest } from 'fastify';

/**
 * True when the client asks for a fresh read (`Cache-Control: no-cache` or `max-age=0`), so a
 * service skips its read cache for this request (RFC 9111 request directives).
 */
export function wantsFreshRead(request: FastifyRequest): boolean {
  const header = request.headers['cache-control'];
  if (typeof header !== 'string') return false;
  return /(^|,)\s*(no-cache|no-store|max-age\s*=\s*0)\s*(,|$)/i.test(header);
}
