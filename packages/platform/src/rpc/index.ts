/**
 * Internal RPC: Connect (gRPC) servers and clients for the synchronous calls between services,
 * on the contracts of `@only/contracts/rpc/*`.
 *
 * - A service implements a generated service with {@link defineRpcService} (a handler and a
 *   permission per method) and lists it in its module's `rpc`.
 * - Embedded mode: hosts register every module's services in one {@link RpcRegistry}; calls stay
 *   in the process but still pass the server's interceptor (token, permission, context, errors).
 * - Distributed mode: a service process serves them with {@link createRpcServer} (gRPC over
 *   cleartext HTTP/2 on `<NAME>_RPC_PORT`) and callers reach them at `<NAME>_RPC_URL`.
 * - Callers get typed clients from the host's {@link RpcConnector} (`deps.rpc.client(Service)`):
 *   deadlines on every call, retries only for idempotent methods, a circuit breaker per
 *   dependency, tenant / token / correlation / trace headers, metrics; failures are `AppError`s
 *   with the other service's problem code ({@link RpcCallError}).
 * @module
 */
export {
  callContextFrom,
  traceContextFrom,
  RPC_HEADERS,
  type CallContext,
  type TraceContext,
} from './call-context.ts';
export {
  defineRpcService,
  type RpcCall,
  type RpcMethod,
  type RpcMethods,
  type RpcService,
} from './rpc-service.ts';
export {
  createRpcServer,
  registerRpc,
  rpcRouter,
  type RpcServerApp,
  type RpcServerOptions,
} from './rpc-server.ts';
export { RpcRegistry } from './in-process.ts';
export {
  createRpcClient,
  isSafeMethod,
  type RpcCallOptions,
  type RpcClient,
  type RpcClientOptions,
  type RpcTarget,
} from './rpc-client.ts';
export {
  createRpcConnector,
  dependencyOf,
  rpcConnectorOptionsFrom,
  type RpcConnector,
  type RpcConnectorOptions,
} from './rpc-connector.ts';
export { rpcClientConfigSchema, rpcPort, type RpcClientConfig } from './rpc-config.ts';
export { RpcCallError, codeForStatus, codeName, toConnectError, toRpcCallError } from './rpc-errors.ts';
