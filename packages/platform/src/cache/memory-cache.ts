import type { Cache } from './cache.ts';
import { cacheMetrics } from './cache-metrics.ts';
import { SingleFlight } from './single-flight.ts';

interface Entry {
  readonly value: unknown;
  readonly expiresAt: number;
}

/** Options of {@link MemoryCache}. */
export interface MemoryCacheOptions {
  /** Name in metrics. */
  readonly name?: string;
  /** Most entries kept; the least recently used go first. */
  readonly maxEntries?: number;
  /** Clock, replaceable in tests. */
  readonly now?: () => number;
}

/**
 * In-process cache: TTL per entry, a bound on entries with least-recently-used eviction, and
 * single-flight loading. The cache of embedded mode, and the fallback layer when Redis is down.
 */
export class MemoryCache implements Cache {
  readonly kind = 'memory';
  private readonly entries = new Map<string, Entry>();
  private readonly flights = new SingleFlight();
  private readonly name: string;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: MemoryCacheOptions = {}) {
    this.name = options.name ?? 'memory';
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Entries currently held (expired ones included until touched). */
  get size(): number {
    return this.entries.size;
  }

  get<T>(key: string): Promise<T | undefined> {
    return Promise.resolve(this.read(key) as T | undefined);
  }

  set(key: string, value: unknown, ttlMs: number): Promise<void> {
    this.write(key, value, ttlMs);
    return Promise.resolve();
  }

  delete(...keys: string[]): Promise<void> {
    for (const key of keys) {
      this.entries.delete(key);
      // A load in flight may have read the data before it changed: it must not refill the key.
      this.flights.forget(key);
    }
    return Promise.resolve();
  }

  /** Drops every entry (loads in flight are not stored either). */
  clear(): void {
    this.entries.clear();
    this.flights.forgetAll();
  }

  /** Drops every entry; nothing else to release. */
  close(): Promise<void> {
    this.clear();
    return Promise.resolve();
  }

  async getOrLoad<T>(key: string, ttlMs: number, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const cached = this.read(key);
    if (cached !== undefined) return cached as T;
    return this.flights.run(key, load, (value) => {
      this.write(key, value, ttlMs);
    });
  }

  private read(key: string): unknown {
    const entry = this.entries.get(key);
    if (!entry) {
      cacheMetrics.requests.inc({ cache: this.name, result: 'miss' });
      return undefined;
    }
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      cacheMetrics.requests.inc({ cache: this.name, result: 'miss' });
      return undefined;
    }
    // Re-insert to mark as most recently used (Map keeps insertion order).
    this.entries.delete(key);
    this.entries.set(key, entry);
    cacheMetrics.requests.inc({ cache: this.name, result: 'hit' });
    return entry.value;
  }

  private write(key: string, value: unknown, ttlMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
      cacheMetrics.evictions.inc({ cache: this.name });
    }
  }
}
