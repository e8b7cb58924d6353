import type { Http2Server } from 'node:http2';
import type { ConnectRouter, Interceptor } from '@connectrpc/connect';
import { fastifyConnectPlugin } from '@connectrpc/connect-fastify';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { TokenVerifier } from '../auth/token-verifier.ts';
import type { Logger } from '../log/index.ts';
import type { RpcService } from './rpc-service.ts';
import { serverInterceptor } from './server-interceptor.ts';

/** What serving internal RPC needs, wherever it is served. */
export interface RpcServerOptions {
  /** The implementations to serve (see `defineRpcService`). */
  readonly services: readonly RpcService[];
  /** Verifies the access token every call must carry. */
  readonly verifier: TokenVerifier;
  readonly logger: Logger;
}

/** The routes and interceptors of a Connect router serving `options.services`. */
export function rpcRouter(options: RpcServerOptions): {
  routes: (router: ConnectRouter) => void;
  interceptors: Interceptor[];
} {
  const seen = new Set<string>();
  for (const { service } of options.services) {
    if (seen.has(service.typeName)) throw new Error(`${service.typeName} is served twice`);
    seen.add(service.typeName);
  }
  return {
    routes: (router) => {
      for (const service of options.services) service.register(router);
    },
    interceptors: [serverInterceptor(options)],
  };
}

/**
 * Mounts the services on a Fastify app under `prefix` (connect-fastify), in their own
 * encapsulated scope so that their content-type parsers and routes leave the app's own alone.
 * All three protocols are served: gRPC where the app speaks HTTP/2 (see {@link createRpcServer}),
 * Connect and gRPC-web over HTTP/1.1 as well (handy with curl). Method paths are
 * `<prefix>/<package>.<Service>/<Method>`.
 */
export async function registerRpc(
  app: FastifyInstance | RpcServerApp,
  options: RpcServerOptions & { readonly prefix?: string },
): Promise<void> {
  const { routes, interceptors } = rpcRouter(options);
  // connect-fastify is typed for HTTP/1 instances; it serves HTTP/2 requests the same way.
  await (app as FastifyInstance).register(fastifyConnectPlugin, {
    routes,
    interceptors,
    prefix: options.prefix ?? '',
  });
}

/** A Fastify app speaking cleartext HTTP/2 (h2c): the internal RPC listener of a service process. */
export type RpcServerApp = FastifyInstance<Http2Server>;

/**
 * The internal RPC server of a service in distributed mode: gRPC over cleartext HTTP/2 on its
 * own port (`<NAME>_RPC_PORT`), next to the service's HTTP/1.1 JSON API on its usual port.
 * Never listens by itself: `await server.listen({ port, host })`, and `close()` on shutdown
 * (in-flight calls finish; idle HTTP/2 sessions are sent GOAWAY).
 *
 * Why a second port with its own Fastify app (`http2: true`) rather than the service's app:
 * gRPC needs HTTP/2 (trailers), and without TLS a listener speaks either HTTP/1.1 or HTTP/2 —
 * Node cannot offer both on one cleartext port. Switching the service's app to HTTP/2 would break
 * every HTTP/1.1 client of its JSON API (the gateway's proxy, curl, probes), so that app stays
 * exactly as it is, and internal traffic gets a port the gateway never exposes and network
 * policies can close to the outside. Fastify rather than a bare `http2.createServer` with
 * connect-node's adapter: the same plugin mounts the services in both places, and Fastify's
 * `close()` already drains calls and ends HTTP/2 sessions.
 */
export async function createRpcServer(options: RpcServerOptions): Promise<RpcServerApp> {
  const loggerInstance: FastifyBaseLogger = options.logger;
  const app = Fastify({
    http2: true,
    loggerInstance,
    // Calls are counted and logged by the interceptor; no access line per HTTP/2 stream.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 4 * 1024 * 1024,
    return503OnClosing: true,
  });
  await registerRpc(app, options);
  return app;
}
