/**
 * One load per key at a time: concurrent callers of a key share the load in flight. Shared by the
 * cache implementations so cache-aside behaves the same on memory and Redis.
 */
export class SingleFlight {
  private readonly flights = new Map<string, Promise<unknown>>();

  /**
   * The result of the load in flight for `key`, else of a new `load()`. A defined result goes to
   * `store` before any caller sees it, unless {@link SingleFlight.forget} was called meanwhile.
   * A failed load is shared by its waiters and not remembered: the next call loads again.
   */
  async run<T>(
    key: string,
    load: () => Promise<T | undefined>,
    store: (value: T) => Promise<void> | void,
  ): Promise<T | undefined> {
    const inFlight = this.flights.get(key);
    if (inFlight) return (await inFlight) as T | undefined;
    const flight: Promise<T | undefined> = load().then(async (value) => {
      if (value !== undefined && this.flights.get(key) === flight) await store(value);
      return value;
    });
    this.flights.set(key, flight);
    try {
      return await flight;
    } finally {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    }
  }

  /**
   * Detaches the load in flight for `key` (its callers still get its result, but it is not
   * stored): it may have read the data before a change that invalidated the key.
   */
  forget(key: string): void {
    this.flights.delete(key);
  }

  /** {@link SingleFlight.forget} for every key. */
  forgetAll(): void {
    this.flights.clear();
  }
}
