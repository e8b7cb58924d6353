import type { Redis } from 'ioredis';
import type { Cache } from './cache.ts';
import { cacheMetrics } from './cache-metrics.ts';
import { SingleFlight } from './single-flight.ts';

/** Options of {@link RedisCache}. */
export interface RedisCacheOptions {
  /** Name in metrics. Default `redis`. */
  readonly name?: string;
  /** Put before every key, so caches sharing a Redis cannot clash; must not be empty. Default `only:`. */
  readonly prefix?: string;
}

/**
 * A value that cannot be stored as JSON (a BigInt, a cycle): the caller's mistake, not a Redis
 * failure, so it is never counted against Redis nor answered by a fallback.
 */
export class CacheValueError extends TypeError {
  constructor(key: string, cause: unknown) {
    super(`Value for cache key ${key} cannot be stored as JSON`, { cause });
    this.name = 'CacheValueError';
  }
}

/** `*`, `?`, `[`, `]` and `\` match patterns in SCAN; a prefix containing them is taken literally. */
const globSpecial = /[*?[\]\\]/g;

/**
 * Cache in Redis: each value is stored as JSON under `prefix + key` with a millisecond TTL (`SET
 * PX`), so every replica of a service shares it. Values come back as `JSON.parse` gives them
 * (a `Date` comes back as its ISO string). `getOrLoad` single-flights loads within this process.
 *
 * `get`, `set`, `delete` reject when Redis fails (counted in `only_cache_errors_total`); wrap the
 * cache in a `ResilientRedisCache` to fall back instead. `getOrLoad` never fails because of Redis:
 * a failed read counts as a miss, a failed store is skipped. The cache owns the client: `close`
 * quits it.
 */
export class RedisCache implements Cache {
  readonly kind = 'redis';
  /** The key prefix, as stored in Redis. */
  readonly prefix: string;
  private readonly client: Redis;
  private readonly name: string;
  private readonly flights = new SingleFlight();

  constructor(client: Redis, options: RedisCacheOptions = {}) {
    this.client = client;
    this.name = options.name ?? 'redis';
    this.prefix = options.prefix ?? 'only:';
    if (this.prefix === '') throw new Error('RedisCache needs a non-empty key prefix');
  }

  async get<T>(key: string): Promise<T | undefined> {
    const raw = await this.command('get', () => this.client.get(this.prefix + key));
    if (raw === null) {
      cacheMetrics.requests.inc({ cache: this.name, result: 'miss' });
      return undefined;
    }
    try {
      const value = JSON.parse(raw) as T;
      cacheMetrics.requests.inc({ cache: this.name, result: 'hit' });
      return value;
    } catch {
      // Not written by this cache (or truncated): a miss, so the loader replaces it.
      cacheMetrics.errors.inc({ cache: this.name, op: 'decode' });
      cacheMetrics.requests.inc({ cache: this.name, result: 'miss' });
      return undefined;
    }
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    // Like the memory cache: storing undefined, or for no time, leaves no entry.
    if (value === undefined || ttlMs <= 0) {
      await this.delete(key);
      return;
    }
    const json = encode(key, value);
    const px = Math.max(1, Math.ceil(ttlMs));
    await this.command('set', () => this.client.set(this.prefix + key, json, 'PX', px));
  }

  async delete(...keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    for (const key of keys) this.flights.forget(key);
    // UNLINK frees the memory in the background: as atomic for readers as DEL, cheaper for Redis.
    await this.command('delete', () => this.client.unlink(...keys.map((key) => this.prefix + key)));
  }

  async getOrLoad<T>(key: string, ttlMs: number, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const cached = await this.get<T>(key).catch(() => undefined);
    if (cached !== undefined) return cached;
    return this.flights.run(key, load, (value) => this.set(key, value, ttlMs).catch(() => undefined));
  }

  /**
   * Deletes every key under the prefix (SCAN + UNLINK, in batches, without blocking Redis).
   * @returns how many keys were deleted
   */
  async clear(): Promise<number> {
    this.flights.forgetAll();
    const pattern = `${this.prefix.replace(globSpecial, '\\$&')}*`;
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await this.command('clear', () =>
        this.client.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000),
      );
      cursor = next;
      if (keys.length > 0) deleted += await this.command('clear', () => this.client.unlink(...keys));
    } while (cursor !== '0');
    return deleted;
  }

  /** Resolves when Redis answers a PING, rejects otherwise. */
  async ping(): Promise<void> {
    await this.command('ping', () => this.client.ping());
  }

  /** Quits the client (or drops the connection when Redis cannot be told). */
  async close(): Promise<void> {
    if (this.client.status === 'end') return;
    try {
      await this.client.quit();
    } catch {
      // QUIT cannot be sent while disconnected; this also stops reconnecting.
      this.client.disconnect();
    }
  }

  private async command<R>(op: string, run: () => Promise<R>): Promise<R> {
    try {
      return await run();
    } catch (error) {
      cacheMetrics.errors.inc({ cache: this.name, op });
      throw error;
    }
  }
}

/** `JSON.stringify` as it behaves: undefined for a function, a symbol or undefined. */
const stringify: (value: unknown) => string | undefined = JSON.stringify;

function encode(key: string, value: unknown): string {
  let json: string | undefined;
  try {
    json = stringify(value);
  } catch (error) {
    throw new CacheValueError(key, error);
  }
  if (json === undefined) throw new CacheValueError(key, undefined);
  return json;
}
