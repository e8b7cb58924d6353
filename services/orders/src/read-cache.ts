import type { Cache } from '@only/platform/cache';
import { afterCommit } from '@only/platform/db';

/** How long a cached order or customer is served before it is read again. */
export const READ_CACHE_TTL_MS = 60_000;

/**
 * Cache-aside for the service's hot reads (an order, a customer by id). Keys carry the tenant;
 * writers invalidate after their transaction commits, so a reader never re-caches a value that a
 * rolled-back change made.
 */
export class ReadCache {
  private readonly cache: Cache;
  private readonly ttlMs: number;

  constructor(cache: Cache, ttlMs = READ_CACHE_TTL_MS) {
    this.cache = cache;
    this.ttlMs = ttlMs;
  }

  /** The cached value, or `load()`'s result cached; `fresh` skips the cached copy and refills it. */
  async read<T>(key: string, load: () => Promise<T | undefined>, fresh = false): Promise<T | undefined> {
    if (!fresh) return this.cache.getOrLoad(key, this.ttlMs, load);
    const value = await load();
    if (value !== undefined) await this.cache.set(key, value, this.ttlMs);
    return value;
  }

  /** Drops `key` now. */
  invalidate(key: string): Promise<void> {
    return this.cache.delete(key);
  }

  /** Drops `key` once the open transaction commits (at once outside a transaction). */
  invalidateAfterCommit(key: string): void {
    afterCommit(() => {
      void this.cache.delete(key);
    });
  }
}

/** Cache key of an order. */
export const orderKey = (tenantId: string, id: string) => `orders:order:${tenantId}:${id}`;
/** Cache key of a customer. */
export const customerKey = (tenantId: string, id: string) => `orders:customer:${tenantId}:${id}`;

/** Cache key of the entity an orders event is about. */
export function cacheKeyOf(eventType: string, tenantId: string, aggregateId: string): string {
  return eventType.startsWith('orders.customer.')
    ? customerKey(tenantId, aggregateId)
    : orderKey(tenantId, aggregateId);
}
