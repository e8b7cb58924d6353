import {
  ConnectError,
  type Code,
  type Interceptor,
  type UnaryRequest,
  type StreamRequest,
} from '@connectrpc/connect';
import { uuidv7 } from 'uuidv7';
import { actorOf, type Principal } from '../auth/principal.ts';
import { InvalidTokenError, type TokenVerifier } from '../auth/token-verifier.ts';
import { isAppError } from '../errors/app-error.ts';
import { platformErrors } from '../errors/platform-errors.ts';
import { requestIdFrom } from '../http/request-context.ts';
import type { Logger } from '../log/index.ts';
import { RPC_HEADERS, traceContextFrom, type CallContext } from './call-context.ts';
import { codeName, toConnectError } from './rpc-errors.ts';
import { rpcMetrics } from './rpc-metrics.ts';
import { RPC_CALL, type RpcCall, type RpcService } from './rpc-service.ts';

const BEARER = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/i;
const TOKEN = /^[\w.:@+-]{1,128}$/;

/** Options of {@link serverInterceptor}. */
export interface ServerInterceptorOptions {
  readonly services: readonly RpcService[];
  readonly verifier: TokenVerifier;
  readonly logger: Logger;
}

/**
 * The server side of every internal call, mirroring what `authorizeRoutes` does for routes: a
 * valid bearer token is required (UNAUTHENTICATED otherwise) carrying the method's declared
 * permission (PERMISSION_DENIED naming it otherwise); an `x-tenant-id` header, when sent, must
 * name the token's tenant. The handler then gets the same request context a route gets — tenant
 * and actor from the token, the caller's correlation id, a request id — plus the trace context.
 * Whatever the handler throws leaves as a Connect error with the problem's code (see
 * `toConnectError`); each call is counted and timed.
 */
export function serverInterceptor(options: ServerInterceptorOptions): Interceptor {
  const permissions = new Map<string, string>();
  for (const { service, permissions: declared } of options.services)
    for (const [method, permission] of declared) permissions.set(`${service.typeName}/${method}`, permission);

  const authorize = async (req: UnaryRequest | StreamRequest): Promise<RpcCall> => {
    const authorization = req.header.get('authorization');
    if (authorization === null)
      throw platformErrors.unauthenticated(
        'This call needs an access token: "authorization: Bearer <token>".',
      );
    const token = BEARER.exec(authorization)?.[1];
    if (token === undefined)
      throw platformErrors.unauthenticated('The authorization header must be "Bearer <access token>".');
    let principal: Principal;
    try {
      principal = await options.verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw platformErrors.unauthenticated(error.message);
      throw error;
    }
    const permission = permissions.get(`${req.service.typeName}/${req.method.name}`);
    if (permission === undefined || !principal.permissions.has(permission))
      throw platformErrors.forbidden(`This call needs the permission "${permission ?? '?'}".`, {
        permission,
      });
    const tenant = req.header.get(RPC_HEADERS.tenant);
    if (tenant !== null && tenant !== principal.tenantId)
      throw platformErrors.forbidden('The x-tenant-id header names another tenant than the access token.');
    const requestId = requestIdFrom(req.header.get(RPC_HEADERS.requestId) ?? undefined, uuidv7);
    const correlation = req.header.get(RPC_HEADERS.correlationId);
    const trace = traceContextFrom(
      req.header.get(RPC_HEADERS.traceparent),
      req.header.get(RPC_HEADERS.tracestate),
    );
    const ctx: CallContext = {
      tenantId: principal.tenantId,
      actor: actorOf(principal),
      requestId,
      correlationId: correlation !== null && TOKEN.test(correlation) ? correlation : requestId,
      accessToken: token,
      ...(trace === undefined ? {} : { trace }),
    };
    return { ctx, principal, signal: req.signal };
  };

  return (next) => async (req) => {
    const started = performance.now();
    let code: Code | 'ok' = 'ok';
    let call: RpcCall | undefined;
    try {
      call = await authorize(req);
      req.contextValues.set(RPC_CALL, call);
      return await next(req);
    } catch (error) {
      const connectError = toConnectError(error);
      code = connectError.code;
      const where = {
        service: req.service.typeName,
        method: req.method.name,
        code: codeName(code),
        requestId: call?.ctx.requestId,
        correlationId: call?.ctx.correlationId,
      };
      if (isAppError(error) && error.isClientError) options.logger.info(where, 'rpc rejected');
      else if (!(error instanceof ConnectError)) options.logger.error({ ...where, err: error }, 'rpc failed');
      throw connectError;
    } finally {
      const labels = { service: req.service.typeName, method: req.method.name, code: codeName(code) };
      rpcMetrics.serverCalls.inc(labels);
      rpcMetrics.serverDuration.observe(labels, (performance.now() - started) / 1000);
    }
  };
}
