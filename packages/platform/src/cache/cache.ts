/**
 * A cache of JSON-like values with per-entry time to live. Cached values are shared: treat what
 * `get` returns as immutable.
 */
export interface Cache {
  readonly kind: string;
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  delete(...keys: string[]): Promise<void>;
  /**
   * Cache-aside: the cached value, or the loader's result stored for `ttlMs`. Concurrent callers
   * of one missing key share one load (single flight). `undefined` from the loader is not cached.
   */
  getOrLoad<T>(key: string, ttlMs: number, load: () => Promise<T | undefined>): Promise<T | undefined>;
  /** Releases connections and timers; caches without any (in-memory) leave it out. */
  close?(): Promise<void>;
}
