import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../log/index.ts';
import { createCache } from './create-cache.ts';
import { MemoryCache } from './memory-cache.ts';

const logger = createLogger({
  service: 'cache-test',
  destination: new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  }),
});

describe('createCache', () => {
  it('returns an in-process cache without a Redis URL (embedded mode)', async () => {
    const cache = createCache({ name: 'embedded', logger });
    expect(cache).toBeInstanceOf(MemoryCache);
    expect(cache.kind).toBe('memory');
    await cache.set('k', 1, 1_000);
    expect(await cache.get('k')).toBe(1);
    await cache.close();
    expect(await cache.get('k')).toBeUndefined();
  });

  it('treats an empty REDIS_URL as none', () => {
    expect(createCache({ name: 'embedded', logger, redisUrl: '' })).toBeInstanceOf(MemoryCache);
  });

  it('bounds the in-process cache with maxEntries', async () => {
    const cache = createCache({ name: 'bounded', logger, maxEntries: 1 });
    await cache.set('a', 1, 1_000);
    await cache.set('b', 2, 1_000);
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.get('b')).toBe(2);
  });
});
