import type { DescService } from '@bufbuild/protobuf';
import { Code, ConnectError, createRouterTransport, type Transport } from '@connectrpc/connect';
import { rpcRouter, type RpcServerOptions } from './rpc-server.ts';

/**
 * The services of one process, callable without a network (embedded mode). A call still goes the
 * whole way a remote one goes — serialized, through the server's interceptor (token, permission,
 * request context, error mapping), with its deadline — only the socket is missing, so a service
 * behaves the same embedded and distributed.
 */
export class RpcRegistry {
  private readonly transports = new Map<string, Transport>();

  /** Serves `options.services` in-process; each service may be registered once. */
  register(options: RpcServerOptions): void {
    for (const { service } of options.services)
      if (this.transports.has(service.typeName)) throw new Error(`${service.typeName} is already registered`);
    const { routes, interceptors } = rpcRouter(options);
    const transport = createRouterTransport(routes, { router: { interceptors } });
    for (const { service } of options.services) this.transports.set(service.typeName, transport);
  }

  /** Whether an implementation of `service` is registered. */
  has(service: DescService): boolean {
    return this.transports.has(service.typeName);
  }

  /**
   * A transport to `service` that looks its implementation up at each call, so clients can be
   * created before the module serving it is; unregistered, calls fail with UNAVAILABLE.
   */
  transport(service: DescService): Transport {
    const resolve = (): Transport => {
      const transport = this.transports.get(service.typeName);
      if (transport === undefined)
        throw new ConnectError(
          `No in-process implementation of ${service.typeName} is registered`,
          Code.Unavailable,
        );
      return transport;
    };
    return {
      unary: async (method, signal, timeoutMs, header, input, contextValues) =>
        resolve().unary(method, signal, timeoutMs, header, input, contextValues),
      stream: async (method, signal, timeoutMs, header, input, contextValues) =>
        resolve().stream(method, signal, timeoutMs, header, input, contextValues),
    };
  }
}
