import { describe, expect, it } from 'vitest';
import { MemoryCache } from './memory-cache.ts';

/** A clock the test moves by hand. */
function manualNow(start = 1_000_000) {
  let current = start;
  return {
    now: () => current,
    advance(ms: number) {
      current += ms;
    },
  };
}

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

describe('MemoryCache', () => {
  it('returns what was set and undefined for unknown keys', async () => {
    const cache = new MemoryCache();
    await cache.set('a', { name: 'Ada' }, 1_000);
    expect(await cache.get('a')).toEqual({ name: 'Ada' });
    expect(await cache.get('missing')).toBeUndefined();
    expect(cache.kind).toBe('memory');
  });

  it('caches falsy values other than undefined', async () => {
    const cache = new MemoryCache();
    await cache.set('zero', 0, 1_000);
    await cache.set('null', null, 1_000);
    await cache.set('empty', '', 1_000);
    expect(await cache.get('zero')).toBe(0);
    expect(await cache.get('null')).toBeNull();
    expect(await cache.get('empty')).toBe('');
  });

  describe('TTL', () => {
    it('expires an entry once its time to live has passed', async () => {
      const clock = manualNow();
      const cache = new MemoryCache({ now: clock.now });
      await cache.set('a', 'value', 1_000);
      clock.advance(999);
      expect(await cache.get('a')).toBe('value');
      clock.advance(1);
      expect(await cache.get('a')).toBeUndefined();
      // The expired entry was dropped when touched.
      expect(cache.size).toBe(0);
    });

    it('gives each entry its own TTL and a set renews it', async () => {
      const clock = manualNow();
      const cache = new MemoryCache({ now: clock.now });
      await cache.set('short', 1, 100);
      await cache.set('long', 2, 10_000);
      clock.advance(500);
      expect(await cache.get('short')).toBeUndefined();
      expect(await cache.get('long')).toBe(2);
      await cache.set('long', 3, 100);
      clock.advance(100);
      expect(await cache.get('long')).toBeUndefined();
    });

    it('getOrLoad loads again after expiry', async () => {
      const clock = manualNow();
      const cache = new MemoryCache({ now: clock.now });
      let calls = 0;
      const load = () => Promise.resolve(++calls);
      expect(await cache.getOrLoad('k', 1_000, load)).toBe(1);
      clock.advance(500);
      expect(await cache.getOrLoad('k', 1_000, load)).toBe(1);
      clock.advance(500);
      expect(await cache.getOrLoad('k', 1_000, load)).toBe(2);
      expect(calls).toBe(2);
    });
  });

  describe('LRU eviction', () => {
    it('keeps at most maxEntries and evicts the least recently used first', async () => {
      const cache = new MemoryCache({ maxEntries: 3 });
      await cache.set('a', 1, 60_000);
      await cache.set('b', 2, 60_000);
      await cache.set('c', 3, 60_000);
      await cache.set('d', 4, 60_000);
      expect(cache.size).toBe(3);
      expect(await cache.get('a')).toBeUndefined();
      expect(await cache.get('b')).toBe(2);
      expect(await cache.get('c')).toBe(3);
      expect(await cache.get('d')).toBe(4);
    });

    it('a read makes an entry recently used, so the least recently read goes first', async () => {
      const cache = new MemoryCache({ maxEntries: 3 });
      await cache.set('a', 1, 60_000);
      await cache.set('b', 2, 60_000);
      await cache.set('c', 3, 60_000);
      // Reading a then b leaves c as the least recently used, although it was written last.
      expect(await cache.get('a')).toBe(1);
      expect(await cache.get('b')).toBe(2);
      await cache.set('d', 4, 60_000);
      expect(await cache.get('c')).toBeUndefined();
      expect(await cache.get('a')).toBe(1);
      expect(await cache.get('b')).toBe(2);
      expect(await cache.get('d')).toBe(4);
      // Reads since: a, b, d — so a is now the least recently read.
      await cache.set('e', 5, 60_000);
      expect(await cache.get('a')).toBeUndefined();
      expect(await cache.get('b')).toBe(2);
      expect(await cache.get('d')).toBe(4);
      expect(await cache.get('e')).toBe(5);
      expect(cache.size).toBe(3);
    });

    it('a getOrLoad hit also counts as a read', async () => {
      const cache = new MemoryCache({ maxEntries: 2 });
      await cache.set('a', 1, 60_000);
      await cache.set('b', 2, 60_000);
      expect(await cache.getOrLoad('a', 60_000, () => Promise.resolve(99))).toBe(1);
      await cache.set('c', 3, 60_000);
      expect(await cache.get('b')).toBeUndefined();
      expect(await cache.get('a')).toBe(1);
    });

    it('overwriting a key does not grow the cache or evict another key', async () => {
      const cache = new MemoryCache({ maxEntries: 2 });
      await cache.set('a', 1, 60_000);
      await cache.set('b', 2, 60_000);
      await cache.set('b', 3, 60_000);
      expect(cache.size).toBe(2);
      expect(await cache.get('a')).toBe(1);
      expect(await cache.get('b')).toBe(3);
    });
  });

  describe('getOrLoad', () => {
    it('stores the loaded value and serves it without loading again', async () => {
      const cache = new MemoryCache();
      let calls = 0;
      const load = () => Promise.resolve({ n: ++calls });
      expect(await cache.getOrLoad('k', 1_000, load)).toEqual({ n: 1 });
      expect(await cache.getOrLoad('k', 1_000, load)).toEqual({ n: 1 });
      expect(await cache.get('k')).toEqual({ n: 1 });
      expect(calls).toBe(1);
    });

    it('single flight: concurrent callers of one key share one load', async () => {
      const cache = new MemoryCache();
      const gate = deferred<string>();
      let calls = 0;
      const load = () => {
        calls++;
        return gate.promise;
      };
      const callers = Array.from({ length: 20 }, () => cache.getOrLoad('k', 1_000, load));
      gate.resolve('loaded');
      expect(await Promise.all(callers)).toEqual(Array.from({ length: 20 }, () => 'loaded'));
      expect(calls).toBe(1);
      expect(await cache.get('k')).toBe('loaded');
    });

    it('loads different keys independently', async () => {
      const cache = new MemoryCache();
      const loaded: string[] = [];
      const load = (key: string) => () => {
        loaded.push(key);
        return Promise.resolve(key.toUpperCase());
      };
      const results = await Promise.all([
        cache.getOrLoad('a', 1_000, load('a')),
        cache.getOrLoad('b', 1_000, load('b')),
        cache.getOrLoad('a', 1_000, load('a')),
      ]);
      expect(results).toEqual(['A', 'B', 'A']);
      expect(loaded.sort()).toEqual(['a', 'b']);
    });

    it('does not cache undefined: the next call loads again', async () => {
      const cache = new MemoryCache();
      let calls = 0;
      const load = (): Promise<string | undefined> => {
        calls++;
        return Promise.resolve(undefined);
      };
      expect(await cache.getOrLoad('k', 1_000, load)).toBeUndefined();
      expect(await cache.getOrLoad('k', 1_000, load)).toBeUndefined();
      expect(calls).toBe(2);
      expect(cache.size).toBe(0);
    });

    it('a failed load is shared by its waiters, not cached, and the next call retries', async () => {
      const cache = new MemoryCache();
      const gate = deferred<string>();
      let calls = 0;
      const load = () => {
        calls++;
        return gate.promise;
      };
      const first = cache.getOrLoad('k', 1_000, load);
      const second = cache.getOrLoad('k', 1_000, load);
      gate.reject(new Error('database down'));
      await expect(first).rejects.toThrow('database down');
      await expect(second).rejects.toThrow('database down');
      expect(calls).toBe(1);
      expect(await cache.getOrLoad('k', 1_000, () => Promise.resolve('recovered'))).toBe('recovered');
    });

    it('a delete during a load keeps the (possibly stale) loaded value out of the cache', async () => {
      const cache = new MemoryCache();
      const stale = deferred<string>();
      const pending = cache.getOrLoad('k', 60_000, () => stale.promise);
      // The underlying data changes and the key is invalidated while the old value is loading.
      await cache.delete('k');
      stale.resolve('old');
      expect(await pending).toBe('old');
      expect(await cache.get('k')).toBeUndefined();
      expect(await cache.getOrLoad('k', 60_000, () => Promise.resolve('new'))).toBe('new');
    });
  });

  describe('delete', () => {
    it('removes one or several keys and ignores unknown ones', async () => {
      const cache = new MemoryCache();
      await cache.set('a', 1, 1_000);
      await cache.set('b', 2, 1_000);
      await cache.set('c', 3, 1_000);
      await cache.delete('a', 'c', 'unknown');
      expect(await cache.get('a')).toBeUndefined();
      expect(await cache.get('b')).toBe(2);
      expect(await cache.get('c')).toBeUndefined();
      expect(cache.size).toBe(1);
    });

    it('makes getOrLoad load again', async () => {
      const cache = new MemoryCache();
      let calls = 0;
      const load = () => Promise.resolve(++calls);
      await cache.getOrLoad('k', 1_000, load);
      await cache.delete('k');
      expect(await cache.getOrLoad('k', 1_000, load)).toBe(2);
    });
  });
});
