import type { RequestContext } from '../context/index.ts';
import type { MigrationSource } from '../db/database.ts';
import type { ReadinessCheck } from '../http/health.ts';
import type { TokenVerifier } from '../auth/token-verifier.ts';
import { authorizeRoutes } from '../http/authorization.ts';
import type { HttpApp } from '../http/types.ts';
import type { RpcService } from '../rpc/rpc-service.ts';

/**
 * A service as a host sees it: its routes, migrations, readiness and background work. The same
 * module runs behind the gateway in one process (embedded mode) or as its own process
 * (distributed mode); hosts mount its routes under `/api/<name>` or at the root.
 */
export interface ServiceModule {
  /** Short name: the route prefix `/api/<name>` and the PostgreSQL schema. */
  readonly name: string;
  /** One line for the docs. */
  readonly description: string;
  readonly migrations: MigrationSource;
  readonly readinessChecks: readonly ReadinessCheck[];
  /** Adds the service's routes (and route hooks) to an encapsulated scope. */
  registerRoutes(app: HttpApp): void | Promise<void>;
  /**
   * The internal RPC services the module implements (see `defineRpcService` in
   * `@only/platform/rpc`). Hosts serve them: in-process through the process's `RpcRegistry`
   * (embedded), on the `<NAME>_RPC_PORT` HTTP/2 listener (distributed).
   */
  readonly rpc?: readonly RpcService[];
  /**
   * The service's durable consumers. Hosts provision them on the broker (queues and bindings)
   * before any process starts, so no event is published before the queue that must keep it exists.
   */
  readonly consumers?: readonly { readonly consumer: string; readonly patterns: readonly string[] }[];
  /**
   * Subscribes the service's event handlers. Hosts call it on every module before starting any,
   * so that in one process no relay publishes before every consumer listens.
   */
  subscribe?(): Promise<void>;
  /** Starts background work (outbox relay, housekeeping). */
  start(): Promise<void>;
  /** Stops background work, draining what is in flight. */
  stop(): Promise<void>;
  /** Creates demo data for a tenant through the service's own logic (so events flow too). */
  seedDemo?(ctx: RequestContext): Promise<void>;
}

/** Subscribes every module's consumers, then starts every module: consumers listen before relays publish. */
export async function startModules(modules: readonly ServiceModule[]): Promise<void> {
  for (const module of modules) await module.subscribe?.();
  for (const module of modules) await module.start();
}

/**
 * Registers a module's routes in their own encapsulated scope under `prefix` (empty for the root),
 * every one guarded by `verifier`: each route must declare its permission or be public.
 */
export async function mountService(
  app: HttpApp,
  module: ServiceModule,
  prefix: string,
  verifier: TokenVerifier,
): Promise<void> {
  await app.register(
    async (scope) => {
      authorizeRoutes(scope, verifier);
      await module.registerRoutes(scope);
    },
    { prefix },
  );
}
