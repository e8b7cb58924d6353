import type { Logger } from '../log/index.ts';
import { MemoryCache } from './memory-cache.ts';
import { createRedisClient } from './redis-client.ts';
import { ResilientRedisCache } from './resilient-redis-cache.ts';

/** Options of {@link createCache}. */
export interface CreateCacheOptions {
  /** Name in metrics and logs, e.g. the service's read cache `orders`. */
  readonly name: string;
  readonly logger: Logger;
  /** Redis to share the cache through (`REDIS_URL`); without it the cache is in-process only. */
  readonly redisUrl?: string;
  /**
   * Namespace in Redis (`CACHE_PREFIX`). Keys are stored under `<prefix><name>:`, so each cache has
   * its own and recovery can drop it alone. Default `only:`.
   */
  readonly prefix?: string;
  /** Bound on in-process entries (the memory cache, or the fallback). Default 10 000. */
  readonly maxEntries?: number;
  /** Longest a Redis command may take before the call falls back to memory. Default 250. */
  readonly commandTimeoutMs?: number;
  /** Consecutive Redis failures that open the circuit. Default 5. */
  readonly failureThreshold?: number;
  /** How long the circuit stays open before Redis is tried again. Default 5 000. */
  readonly halfOpenAfterMs?: number;
  /** Longest an entry lives in the in-process fallback. Default 5 000. */
  readonly fallbackTtlMs?: number;
  /** Cap of the backoff between reconnection attempts. Default 2 000. */
  readonly maxReconnectDelayMs?: number;
  /** Missed deletes remembered one by one before recovery drops the whole prefix. Default 10 000. */
  readonly maxPendingInvalidations?: number;
}

/**
 * The cache for a deployment: with `redisUrl`, a {@link ResilientRedisCache} (Redis shared by the
 * replicas, in-process fallback while Redis is down); without, a {@link MemoryCache} (embedded
 * mode). Call `close()` on shutdown.
 */
export function createCache(options: CreateCacheOptions): MemoryCache | ResilientRedisCache {
  if (options.redisUrl === undefined || options.redisUrl === '') {
    return new MemoryCache({ name: options.name, maxEntries: options.maxEntries });
  }
  const commandTimeoutMs = options.commandTimeoutMs ?? 250;
  const client = createRedisClient(options.redisUrl, {
    commandTimeoutMs,
    maxReconnectDelayMs: options.maxReconnectDelayMs,
    // CLIENT SETNAME refuses spaces.
    connectionName: `only-cache-${options.name.replace(/\s/g, '-')}`,
    logger: options.logger,
  });
  return new ResilientRedisCache(client, {
    name: options.name,
    logger: options.logger,
    prefix: `${options.prefix ?? 'only:'}${options.name}:`,
    commandTimeoutMs,
    failureThreshold: options.failureThreshold,
    halfOpenAfterMs: options.halfOpenAfterMs,
    fallbackTtlMs: options.fallbackTtlMs,
    fallbackMaxEntries: options.maxEntries,
    maxPendingInvalidations: options.maxPendingInvalidations,
  });
}
