import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { metricsRegistry } from '../metrics/index.ts';
import { CacheValueError, RedisCache } from './redis-cache.ts';
import { createRedisClient } from './redis-client.ts';
import { freePort, RedisTestServer } from '@only/testing';

/** A promise with its resolve function, to finish a load when the test decides. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A fail-fast client, once it is connected (before that its commands fail at once). */
async function readyClient(url: string): Promise<Redis> {
  const client = createRedisClient(url);
  if (client.status !== 'ready') {
    await new Promise((resolve) => client.once('ready', resolve));
  }
  return client;
}

/** Current value of a counter series, 0 when it has not been touched. */
async function counterValue(name: string, labels: Record<string, string>): Promise<number> {
  const metric = metricsRegistry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  const series = values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return series?.value ?? 0;
}

// Needs Redis installed: runs where the infrastructure is (REDIS_URL set), with a server of its own.
describe.skipIf(process.env.REDIS_URL === undefined)('RedisCache', () => {
  let server: RedisTestServer;
  let raw: Redis;
  let cache: RedisCache;

  beforeAll(async () => {
    server = await RedisTestServer.start();
    raw = new Redis(server.url);
    cache = new RedisCache(await readyClient(server.url), { name: 'redis-test', prefix: 'test:' });
  });

  afterEach(async () => {
    await raw.flushall();
  });

  afterAll(async () => {
    await cache.close();
    raw.disconnect();
    await server.stop();
  });

  it('round-trips JSON values, falsy ones included, and returns undefined for unknown keys', async () => {
    const order = { id: 'o1', lines: [{ sku: 'A', quantity: 2 }], notes: null, paid: false, total: 1_250 };
    await cache.set('order', order, 60_000);
    await cache.set('zero', 0, 60_000);
    await cache.set('empty', '', 60_000);
    await cache.set('null', null, 60_000);
    await cache.set('text', 'Grüße 🚀', 60_000);
    expect(await cache.get('order')).toEqual(order);
    expect(await cache.get('zero')).toBe(0);
    expect(await cache.get('empty')).toBe('');
    expect(await cache.get('null')).toBeNull();
    expect(await cache.get('text')).toBe('Grüße 🚀');
    expect(await cache.get('missing')).toBeUndefined();
    expect(cache.kind).toBe('redis');
  });

  it('stores JSON under the prefix with a millisecond TTL', async () => {
    await cache.set('k', { a: 1 }, 60_000);
    expect(await raw.get('test:k')).toBe('{"a":1}');
    const ttl = await raw.pttl('test:k');
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await raw.exists('k')).toBe(0);
  });

  it('expires an entry after its TTL', async () => {
    await cache.set('short', 'value', 50);
    await cache.set('long', 'value', 60_000);
    await vi.waitFor(
      async () => {
        expect(await cache.get('short')).toBeUndefined();
      },
      { timeout: 2_000, interval: 20 },
    );
    expect(await cache.get('long')).toBe('value');
  });

  it('keeps caches with different prefixes apart', async () => {
    const other = new RedisCache(await readyClient(server.url), { name: 'redis-test', prefix: 'other:' });
    try {
      await cache.set('k', 'mine', 60_000);
      await other.set('k', 'theirs', 60_000);
      expect(await cache.get('k')).toBe('mine');
      expect(await other.get('k')).toBe('theirs');
      await other.delete('k');
      expect(await cache.get('k')).toBe('mine');
    } finally {
      await other.close();
    }
  });

  it('refuses an empty prefix', () => {
    expect(() => new RedisCache(raw, { prefix: '' })).toThrow(/prefix/);
  });

  it('deletes one or several keys and ignores unknown ones', async () => {
    await cache.set('a', 1, 60_000);
    await cache.set('b', 2, 60_000);
    await cache.set('c', 3, 60_000);
    await cache.delete('a', 'c', 'unknown');
    await cache.delete();
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.get('b')).toBe(2);
    expect(await cache.get('c')).toBeUndefined();
  });

  it('setting undefined or a TTL of zero leaves no entry', async () => {
    await cache.set('a', 1, 60_000);
    await cache.set('b', 2, 60_000);
    await cache.set('a', undefined, 60_000);
    await cache.set('b', 3, 0);
    expect(await raw.exists('test:a', 'test:b')).toBe(0);
  });

  it('refuses a value that is not JSON, without counting a Redis error', async () => {
    const errorsBefore = await counterValue('only_cache_errors_total', { cache: 'redis-test', op: 'set' });
    await expect(cache.set('big', { n: 1n }, 60_000)).rejects.toBeInstanceOf(CacheValueError);
    await expect(cache.set('fn', () => 1, 60_000)).rejects.toBeInstanceOf(CacheValueError);
    expect(await counterValue('only_cache_errors_total', { cache: 'redis-test', op: 'set' })).toBe(
      errorsBefore,
    );
  });

  it('treats an entry that is not JSON as a miss', async () => {
    await raw.set('test:garbage', '{not json', 'PX', 60_000);
    expect(await cache.get('garbage')).toBeUndefined();
    expect(await cache.getOrLoad('garbage', 60_000, () => Promise.resolve('fixed'))).toBe('fixed');
    expect(await raw.get('test:garbage')).toBe('"fixed"');
  });

  it('counts hits and misses in the same metric as the memory cache', async () => {
    const labels = (result: string) => ({ cache: 'redis-test', result });
    const hits = await counterValue('only_cache_requests_total', labels('hit'));
    const misses = await counterValue('only_cache_requests_total', labels('miss'));
    await cache.set('k', 1, 60_000);
    await cache.get('k');
    await cache.get('k');
    await cache.get('nope');
    expect(await counterValue('only_cache_requests_total', labels('hit'))).toBe(hits + 2);
    expect(await counterValue('only_cache_requests_total', labels('miss'))).toBe(misses + 1);
  });

  it('clear deletes every key under its prefix and nothing else', async () => {
    await cache.set('a', 1, 60_000);
    await cache.set('b', 2, 60_000);
    await raw.set('elsewhere:a', '1');
    expect(await cache.clear()).toBe(2);
    expect(await raw.keys('*')).toEqual(['elsewhere:a']);
  });

  describe('getOrLoad', () => {
    it('stores the loaded value in Redis and serves it without loading again', async () => {
      let calls = 0;
      const load = () => Promise.resolve({ n: ++calls });
      expect(await cache.getOrLoad('k', 60_000, load)).toEqual({ n: 1 });
      expect(await cache.getOrLoad('k', 60_000, load)).toEqual({ n: 1 });
      expect(await raw.get('test:k')).toBe('{"n":1}');
      expect(calls).toBe(1);
    });

    it('single flight: concurrent callers of one key share one load', async () => {
      const gate = deferred<string>();
      let calls = 0;
      const load = () => {
        calls++;
        return gate.promise;
      };
      const callers = Array.from({ length: 20 }, () => cache.getOrLoad('k', 60_000, load));
      // Every caller has looked in Redis (a miss) and joined the one load before it finishes.
      await vi.waitFor(() => {
        expect(calls).toBe(1);
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      gate.resolve('loaded');
      expect(await Promise.all(callers)).toEqual(Array.from({ length: 20 }, () => 'loaded'));
      expect(calls).toBe(1);
      expect(await cache.get('k')).toBe('loaded');
    });

    it('does not cache undefined, and a failed load is shared and not cached', async () => {
      const nothing = (): Promise<string | undefined> => Promise.resolve(undefined);
      expect(await cache.getOrLoad('none', 60_000, nothing)).toBeUndefined();
      expect(await raw.exists('test:none')).toBe(0);
      const gate = deferred<string>();
      const first = cache.getOrLoad('k', 60_000, () => gate.promise);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const second = cache.getOrLoad('k', 60_000, () => Promise.resolve('never'));
      await new Promise((resolve) => setTimeout(resolve, 20));
      gate.reject(new Error('database down'));
      await expect(first).rejects.toThrow('database down');
      await expect(second).rejects.toThrow('database down');
      expect(await cache.getOrLoad('k', 60_000, () => Promise.resolve('recovered'))).toBe('recovered');
    });

    it('a delete during a load keeps the (possibly stale) loaded value out of Redis', async () => {
      const stale = deferred<string>();
      const pending = cache.getOrLoad('k', 60_000, () => stale.promise);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await cache.delete('k');
      stale.resolve('old');
      expect(await pending).toBe('old');
      expect(await raw.exists('test:k')).toBe(0);
    });

    it('loads from the source when Redis cannot be reached, and counts the errors', async () => {
      const dead = new RedisCache(createRedisClient(`redis://127.0.0.1:${await freePort()}`), {
        name: 'redis-dead',
      });
      try {
        await expect(dead.get('k')).rejects.toThrow();
        await expect(dead.delete('k')).rejects.toThrow();
        expect(await dead.getOrLoad('k', 60_000, () => Promise.resolve('from source'))).toBe('from source');
        expect(await counterValue('only_cache_errors_total', { cache: 'redis-dead', op: 'get' })).toBe(2);
        expect(await counterValue('only_cache_errors_total', { cache: 'redis-dead', op: 'set' })).toBe(1);
      } finally {
        await dead.close();
      }
    });
  });
});
