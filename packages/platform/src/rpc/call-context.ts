import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../context/index.ts';

/** W3C Trace Context of a call: the `traceparent` header and, when present, `tracestate`. */
export interface TraceContext {
  readonly traceparent: string;
  readonly tracestate?: string;
}

/**
 * What an internal call carries on from the request that causes it: the request context (tenant,
 * actor, correlation) plus the caller's access token and trace context. HTTP routes get one from
 * {@link callContextFrom}; RPC handlers get theirs as `call.ctx`, ready to pass on.
 */
export interface CallContext extends RequestContext {
  /**
   * The bearer token to present downstream: the end user's own, forwarded. Absent for work no
   * user started (events, jobs): the client's `machineToken` then speaks for the service. The key
   * name is one the logger redacts.
   */
  readonly accessToken?: string;
  readonly trace?: TraceContext;
}

/** Headers an internal call carries besides `authorization`. */
export const RPC_HEADERS = {
  tenant: 'x-tenant-id',
  correlationId: 'x-correlation-id',
  requestId: 'x-request-id',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
} as const;

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;
const TRACESTATE = /^[\x20-\x7e]{1,512}$/;
const BEARER = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/i;

/**
 * The trace context in these header values, if valid by W3C Trace Context (version `ff` and
 * all-zero ids are not); an invalid `tracestate` is dropped, an invalid `traceparent` drops both.
 */
export function traceContextFrom(
  traceparent: string | null | undefined,
  tracestate: string | null | undefined,
): TraceContext | undefined {
  if (traceparent === null || traceparent === undefined) return undefined;
  const match = TRACEPARENT.exec(traceparent);
  if (match === null) return undefined;
  const [, version, traceId, parentId] = match;
  if (version === 'ff' || /^0+$/.test(traceId ?? '') || /^0+$/.test(parentId ?? '')) return undefined;
  return tracestate !== null && tracestate !== undefined && TRACESTATE.test(tracestate)
    ? { traceparent, tracestate }
    : { traceparent };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The context an HTTP route passes to calls it makes: its request context, the verified bearer
 * token of the request (only once a token was verified for it), and its trace headers.
 */
export function callContextFrom(request: FastifyRequest): CallContext {
  const token =
    request.principal === undefined ? undefined : BEARER.exec(header(request, 'authorization') ?? '')?.[1];
  const trace = traceContextFrom(header(request, 'traceparent'), header(request, 'tracestate'));
  return {
    ...request.ctx,
    ...(token === undefined ? {} : { accessToken: token }),
    ...(trace === undefined ? {} : { trace }),
  };
}
