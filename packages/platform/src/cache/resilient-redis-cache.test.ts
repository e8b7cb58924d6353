import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger, type Logger } from '../log/index.ts';
import { metricsRegistry } from '../metrics/index.ts';
import { createCache } from './create-cache.ts';
import { CacheValueError } from './redis-cache.ts';
import { createRedisClient } from './redis-client.ts';
import { RedisTestServer } from '@only/testing';
import { ResilientRedisCache, type ResilientRedisCacheOptions } from './resilient-redis-cache.ts';

/** Bounded waits: recovery takes a few hundred ms with the short timings below. */
const WAIT = { timeout: 3_000, interval: 20 };

/** Current value of a metric series, 0 when it has not been touched. */
async function metricValue(name: string, labels: Record<string, string>): Promise<number> {
  const metric = metricsRegistry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  const series = values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return series?.value ?? 0;
}

/** A logger whose lines the test reads back. */
function capturedLogger(): { logger: Logger; messages: () => string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ service: 'cache-test', level: 'info', destination });
  return {
    logger,
    messages: () => lines.map((line) => (JSON.parse(line) as { msg: string }).msg),
  };
}

// Needs Redis installed: runs where the infrastructure is (REDIS_URL set), with a server of its own.
describe.skipIf(process.env.REDIS_URL === undefined)('ResilientRedisCache', () => {
  let server: RedisTestServer;
  let raw: Redis;
  const opened: { close(): Promise<void> }[] = [];
  let names = 0;

  /** A cache with short timings on the test server; closed after the test. */
  function makeCache(options: Partial<ResilientRedisCacheOptions> = {}) {
    const log = capturedLogger();
    const name = `resilient-${++names}`;
    const client = createRedisClient(server.url, { commandTimeoutMs: 100, maxReconnectDelayMs: 100 });
    const cache = new ResilientRedisCache(client, {
      name,
      logger: log.logger,
      prefix: `t:${name}:`,
      commandTimeoutMs: 100,
      failureThreshold: 2,
      halfOpenAfterMs: 200,
      recoveryTimeoutMs: 300,
      ...options,
    });
    opened.push(cache);
    return { cache, name, key: (key: string) => `t:${name}:${key}`, messages: log.messages };
  }

  async function healthy(cache: ResilientRedisCache): Promise<void> {
    await vi.waitFor(() => {
      expect(cache.isHealthy()).toBe(true);
    }, WAIT);
  }

  beforeAll(async () => {
    server = await RedisTestServer.start();
    // Fails fast too, so a check made while the server is down cannot hang the test.
    raw = new Redis(server.url, { maxRetriesPerRequest: 0, retryStrategy: () => 50 });
    raw.on('error', () => undefined);
  });

  afterEach(async () => {
    for (const cache of opened.splice(0)) await cache.close();
    server.resume();
    await server.start();
    await vi.waitFor(async () => {
      expect(await raw.ping()).toBe('PONG');
    }, WAIT);
    await raw.flushall();
  });

  afterAll(async () => {
    raw.disconnect();
    await server.stop();
  });

  it('uses Redis while it is healthy', async () => {
    const { cache, name, key } = makeCache();
    await healthy(cache);
    expect(cache.circuitState).toBe('closed');
    await cache.set('k', { a: 1 }, 60_000);
    expect(await raw.get(key('k'))).toBe('{"a":1}');
    expect(await cache.get('k')).toEqual({ a: 1 });
    await cache.delete('k');
    expect(await raw.exists(key('k'))).toBe(0);
    expect(await metricValue('only_cache_circuit_open', { cache: name })).toBe(0);
    expect(cache.readinessCheck()).toMatchObject({ name: `cache:${name}`, critical: false });
    expect(cache.readinessCheck().check()).toBe(true);
  });

  it('single flight and hit/miss metrics, like the memory cache', async () => {
    const { cache, name } = makeCache();
    await healthy(cache);
    let release!: (value: string) => void;
    const gate = new Promise<string>((resolve) => (release = resolve));
    let calls = 0;
    const load = () => {
      calls++;
      return gate;
    };
    const callers = Array.from({ length: 10 }, () => cache.getOrLoad('k', 60_000, load));
    await vi.waitFor(() => {
      expect(calls).toBe(1);
    }, WAIT);
    await new Promise((resolve) => setTimeout(resolve, 20));
    release('loaded');
    expect(await Promise.all(callers)).toEqual(Array.from({ length: 10 }, () => 'loaded'));
    expect(calls).toBe(1);
    expect(await cache.getOrLoad('k', 60_000, load)).toBe('loaded');
    expect(await metricValue('only_cache_requests_total', { cache: name, result: 'miss' })).toBe(10);
    expect(await metricValue('only_cache_requests_total', { cache: name, result: 'hit' })).toBe(1);
  });

  it('refuses a value that is not JSON without holding it against Redis', async () => {
    const { cache } = makeCache({ failureThreshold: 1 });
    await healthy(cache);
    await expect(cache.set('k', 1n, 60_000)).rejects.toBeInstanceOf(CacheValueError);
    expect(cache.isHealthy()).toBe(true);
  });

  it('serves from the loader and memory while Redis is dead, and goes back to Redis when it returns', async () => {
    const { cache, name, key, messages } = makeCache();
    await healthy(cache);
    await server.kill();

    let loads = 0;
    const load = () => Promise.resolve(`value ${++loads}`);
    // Every call completes (commands fail fast), served by the loader, then by memory.
    expect(await cache.getOrLoad('a', 60_000, load)).toBe('value 1');
    expect(await cache.get('missing')).toBeUndefined();
    await cache.set('b', 'B', 60_000);
    await cache.delete('gone');
    expect(cache.circuitState).not.toBe('closed');
    expect(cache.isHealthy()).toBe(false);
    expect(await cache.getOrLoad('a', 60_000, load)).toBe('value 1');
    expect(await cache.get('b')).toBe('B');
    expect(loads).toBe(1);
    expect(await metricValue('only_cache_circuit_open', { cache: name })).toBe(1);
    expect(await metricValue('only_cache_fallbacks_total', { cache: name, op: 'get' })).toBeGreaterThan(0);
    expect(await metricValue('only_cache_errors_total', { cache: name, op: 'get' })).toBeGreaterThan(0);
    expect(messages()).toContain('redis cache circuit open: serving from in-process memory');
    expect(cache.readinessCheck().check()).toBe(false);

    await server.start();
    await healthy(cache);
    expect(cache.circuitState).toBe('closed');
    expect(await metricValue('only_cache_circuit_open', { cache: name })).toBe(0);
    expect(messages()).toContain('redis cache circuit closed: using Redis again');
    // Redis again: the restarted server is empty and the outage's memory copies are gone.
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.getOrLoad('a', 60_000, load)).toBe('value 2');
    expect(await raw.get(key('a'))).toBe('"value 2"');
    await cache.set('c', 'C', 60_000);
    expect(await raw.get(key('c'))).toBe('"C"');
  });

  it('a hung Redis costs each call at most the command timeout, then nothing', async () => {
    const { cache } = makeCache();
    await healthy(cache);
    await cache.set('k', 'before', 60_000);
    server.pause();
    // These would wait forever on a hung server without the timeout.
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.getOrLoad('k', 60_000, () => Promise.resolve('loaded'))).toBe('loaded');
    await vi.waitFor(() => {
      expect(cache.circuitState).not.toBe('closed');
    }, WAIT);
    expect(await cache.get('k')).toBe('loaded');
    server.resume();
    await healthy(cache);
    // Redis kept its data through the pause.
    expect(await cache.get('k')).toBe('before');
  });

  it('replays deletes missed during an outage before Redis serves again, so no stale value returns', async () => {
    const { cache, name, key } = makeCache();
    await healthy(cache);
    await cache.set('deleted-while-closed', 'old', 60_000);
    await cache.set('deleted-while-open', 'old', 60_000);
    await cache.set('untouched', 'kept', 60_000);
    // Paused, Redis keeps the old values: exactly what a delete that missed it leaves behind.
    server.pause();
    await cache.delete('deleted-while-closed');
    await vi.waitFor(() => {
      expect(cache.circuitState).not.toBe('closed');
    }, WAIT);
    await cache.delete('deleted-while-open');
    expect(await cache.get('deleted-while-closed')).toBeUndefined();
    expect(await cache.get('deleted-while-open')).toBeUndefined();
    expect(await metricValue('only_cache_pending_invalidations', { cache: name })).toBe(2);

    server.resume();
    await healthy(cache);
    expect(await cache.get('deleted-while-closed')).toBeUndefined();
    expect(await cache.get('deleted-while-open')).toBeUndefined();
    expect(await cache.get('untouched')).toBe('kept');
    expect(await raw.exists(key('deleted-while-closed'), key('deleted-while-open'))).toBe(0);
  });

  it('drops every key of the cache (and only those) on recovery when too many deletes were missed', async () => {
    const { cache, key, messages } = makeCache({ maxPendingInvalidations: 2 });
    await healthy(cache);
    await cache.set('a', 1, 60_000);
    await cache.set('b', 2, 60_000);
    await raw.set('someone-else:a', '1');
    server.pause();
    await cache.delete('x');
    await cache.delete('y', 'z');
    expect(messages()).toContain(
      'too many deletes missed Redis: every key of this cache will be dropped on recovery',
    );
    server.resume();
    await healthy(cache);
    expect(await raw.exists(key('a'), key('b'))).toBe(0);
    expect(await raw.get('someone-else:a')).toBe('1');
  });

  it('a delete during an outage also invalidates the memory copy, and memory entries are short-lived', async () => {
    const { cache } = makeCache({ fallbackTtlMs: 100 });
    await healthy(cache);
    await server.kill();
    expect(await cache.getOrLoad('k', 60_000, () => Promise.resolve('v1'))).toBe('v1');
    expect(await cache.get('k')).toBe('v1');
    await cache.delete('k');
    expect(await cache.getOrLoad('k', 60_000, () => Promise.resolve('v2'))).toBe('v2');
    // Other replicas never see this delete: the fallback caps how long they could serve v1.
    await vi.waitFor(async () => {
      expect(await cache.get('k')).toBeUndefined();
    }, WAIT);
  });

  it('starts without Redis and uses it once it is there', async () => {
    await server.kill();
    const { cache, key } = makeCache();
    expect(cache.isHealthy()).toBe(false);
    expect(await cache.getOrLoad('k', 60_000, () => Promise.resolve('early'))).toBe('early');
    await cache.delete('k');
    await vi.waitFor(() => {
      expect(cache.circuitState).toBe('open');
    }, WAIT);
    await server.start();
    await healthy(cache);
    await cache.set('k', 'late', 60_000);
    expect(await raw.get(key('k'))).toBe('"late"');
  });
});

// Needs Redis installed: runs where the infrastructure is (REDIS_URL set), with a server of its own.
describe.skipIf(process.env.REDIS_URL === undefined)('createCache with a Redis URL', () => {
  let server: RedisTestServer;

  beforeAll(async () => {
    server = await RedisTestServer.start();
  });

  afterAll(async () => {
    await server.stop();
  });

  it('returns a Redis cache with fallback whose keys live under <prefix><name>:', async () => {
    const { logger } = capturedLogger();
    const cache = createCache({ name: 'factory', logger, redisUrl: server.url, prefix: 'app:' });
    const raw = new Redis(server.url);
    try {
      expect(cache).toBeInstanceOf(ResilientRedisCache);
      expect(cache.kind).toBe('redis');
      await vi.waitFor(() => {
        expect(cache instanceof ResilientRedisCache && cache.isHealthy()).toBe(true);
      }, WAIT);
      await cache.set('k', [1, 2], 60_000);
      expect(await raw.get('app:factory:k')).toBe('[1,2]');
    } finally {
      await cache.close();
      raw.disconnect();
    }
  });
});
