import type { EventBus } from '../bus/event-bus.ts';
import type { Cache } from '../cache/cache.ts';
import type { Clock } from '../clock/clock.ts';
import type { Database } from '../db/database.ts';
import type { Logger } from '../log/logger.ts';
import type { RpcConnector } from '../rpc/rpc-connector.ts';

/** What a host (embedded platform, service process, test) gives a service module. */
export interface ServiceDependencies {
  readonly db: Database;
  /** Resolves when the database answers; for readiness. */
  readonly pingDatabase: () => Promise<void>;
  readonly bus: EventBus;
  readonly logger: Logger;
  /** Shared cache (Redis with in-memory fallback); services use an in-process cache when absent. */
  readonly cache?: Cache;
  /** Time source; the system clock unless a test controls time. */
  readonly clock?: Clock;
  /**
   * Clients of other services' internal RPC (`rpc.client(CatalogService)`): in-process or over
   * gRPC as the host configured it; absent for hosts that run no module making such calls.
   */
  readonly rpc?: RpcConnector;
}
