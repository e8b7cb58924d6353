import type { EventBus } from '../bus/event-bus.ts';
import type { Cache } from '../cache/cache.ts';
import type { Clock } from '../clock/clock.ts';
import type { Database } from '../db/database.ts';
import type { Logger } from '../log/logger.ts';

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
}
