import type {
  DescMessage,
  DescMethodUnary,
  DescService,
  MessageInitShape,
  MessageShape,
} from '@bufbuild/protobuf';
import {
  Code,
  ConnectError,
  createContextKey,
  type ConnectRouter,
  type HandlerContext,
  type ServiceImpl,
} from '@connectrpc/connect';
import type { Permission } from '@only/contracts/auth';
import type { Principal } from '../auth/principal.ts';
import { withTenantScope } from '../db/tenant-scope.ts';
import type { CallContext } from './call-context.ts';

/** What a handler knows about the call it serves, established by the server's interceptor. */
export interface RpcCall {
  /**
   * Tenant and actor from the verified token, the caller's correlation id, trace context and
   * token: pass it to the service layer like a route passes `request.ctx`, and on to calls the
   * handler makes in turn.
   */
  readonly ctx: CallContext;
  readonly principal: Principal;
  /** Aborted when the caller's deadline passes or the caller goes away. */
  readonly signal: AbortSignal;
}

/** One method of a service: the permission a caller's token must carry, and its handler. */
export interface RpcMethod<I extends DescMessage, O extends DescMessage> {
  readonly permission: Permission;
  readonly handle: (request: MessageShape<I>, call: RpcCall) => Promise<MessageInitShape<O>>;
}

/** A handler with its permission for every (unary) method of `S`, by the method's local name. */
export type RpcMethods<S extends DescService> = {
  readonly [K in keyof S['method']]: S['method'][K] extends DescMethodUnary<infer I, infer O>
    ? RpcMethod<I, O>
    : never;
};

/** A service implementation ready to be served in-process or over HTTP/2 (see `defineRpcService`). */
export interface RpcService {
  readonly service: DescService;
  /** The permission each method requires, by method name (`ReserveStock`). */
  readonly permissions: ReadonlyMap<string, Permission>;
  /** Adds the handlers to a Connect router. */
  register(router: ConnectRouter): void;
}

/** Where the server's interceptor leaves the verified call for the handler. */
export const RPC_CALL = createContextKey<RpcCall | undefined>(undefined, { description: 'only rpc call' });

/**
 * Declares the implementation of a generated service: a handler and a permission for every
 * method (missing one is a type error, and an error here for untyped callers). Handlers get the
 * request message and an {@link RpcCall}, and run in the token's tenant scope (row-level
 * security) like route handlers; they throw `AppError`s as routes do, and callers receive the
 * same problem code.
 *
 * @example
 * export const catalogRpc = defineRpcService(CatalogService, {
 *   reserveStock: { permission: 'stock:reserve', handle: (req, call) => reservations.reserve(call.ctx, …) },
 *   …
 * });
 */
export function defineRpcService<S extends DescService>(service: S, methods: RpcMethods<S>): RpcService {
  const permissions = new Map<string, Permission>();
  const implementation: Record<string, (request: never, context: HandlerContext) => Promise<unknown>> = {};
  const given = methods as Readonly<Record<string, RpcMethod<DescMessage, DescMessage> | undefined>>;
  for (const method of service.methods) {
    if (method.methodKind !== 'unary')
      throw new Error(
        `${service.typeName}.${method.name} is ${method.methodKind}: only unary methods are served`,
      );
    const entry = given[method.localName];
    if (entry === undefined || typeof entry.permission !== 'string')
      throw new Error(`${service.typeName}.${method.name} declares no handler with a permission`);
    permissions.set(method.name, entry.permission);
    implementation[method.localName] = (request, context) => {
      const call = context.values.get(RPC_CALL);
      // Only reachable if the service was mounted without Only's interceptor: refuse, never serve.
      if (call === undefined) throw new ConnectError('The call was not authenticated', Code.Internal);
      // As for routes: the handler's database access is held to the token's tenant (row-level security).
      return withTenantScope(call.ctx.tenantId, () =>
        entry.handle(request, { ...call, signal: context.signal }),
      );
    };
  }
  return {
    service,
    permissions,
    register(router) {
      router.service(service, implementation as unknown as Partial<ServiceImpl<S>>);
    },
  };
}
