import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  handleWhen,
  timeout,
  TimeoutStrategy,
  type CircuitBreakerPolicy,
  type IDisposable,
  type TimeoutPolicy,
} from 'cockatiel';
import type { Redis } from 'ioredis';
import type { ReadinessCheck } from '../http/index.ts';
import type { Logger } from '../log/index.ts';
import type { Cache } from './cache.ts';
import { cacheMetrics } from './cache-metrics.ts';
import { MemoryCache } from './memory-cache.ts';
import { CacheValueError, RedisCache } from './redis-cache.ts';
import { SingleFlight } from './single-flight.ts';

/** Options of {@link ResilientRedisCache}. */
export interface ResilientRedisCacheOptions {
  /** Name in metrics and logs (both layers count under it). */
  readonly name: string;
  /** Where the circuit opening and closing is logged. */
  readonly logger: Logger;
  /** Key prefix in Redis, not empty; see {@link RedisCacheOptions}. Default `only:`. */
  readonly prefix?: string;
  /** Longest a Redis command may take before the call falls back. Default 250. */
  readonly commandTimeoutMs?: number;
  /** Consecutive Redis failures that open the circuit. Default 5. */
  readonly failureThreshold?: number;
  /** How long the circuit stays open before a recovery attempt (half-open). Default 5 000. */
  readonly halfOpenAfterMs?: number;
  /** Longest an entry lives in the in-process fallback, whatever its TTL. Default 5 000. */
  readonly fallbackTtlMs?: number;
  /** Bound on entries of the in-process fallback. Default 10 000. */
  readonly fallbackMaxEntries?: number;
  /**
   * Missed deletes remembered one by one; past this many, recovery drops every key of the cache
   * instead. Default 10 000.
   */
  readonly maxPendingInvalidations?: number;
  /** Longest a recovery attempt (replaying deletes, then PING) may take. Default 10 000. */
  readonly recoveryTimeoutMs?: number;
}

/** State of the circuit between a {@link ResilientRedisCache} and Redis. */
export type CacheCircuitState = 'closed' | 'open' | 'half-open';

/** After a failed recovery attempt while the circuit is still closed, the next one waits this long. */
const CLOSED_RETRY_MS = 100;

/**
 * A Redis cache that keeps working while Redis does not: an in-process {@link MemoryCache} answers
 * whenever Redis is out of use, and a circuit breaker (cockatiel) stops trying Redis after
 * `failureThreshold` consecutive failures, so a dead or hung Redis costs at most
 * `commandTimeoutMs` per command and then nothing. Redis is used again once a recovery attempt
 * succeeds. It never rejects because of Redis; a value that is not JSON-serialisable is still
 * refused ({@link CacheValueError}) while Redis is in use.
 *
 * Routing: while Redis is in use (circuit closed and in sync, see below) every read and write goes
 * to Redis; a failed or timed-out command is answered by memory for that call and counted
 * (`only_cache_errors_total`, `only_cache_fallbacks_total`). While it is not, memory only.
 *
 * Invalidation strategy (so an outage cannot leave stale values behind):
 * - `delete` is always applied to the memory layer (and stops loads in flight from storing), so a
 *   value cached in memory during an outage is not served after a write.
 * - A delete that does not reach Redis (failed, timed out, or skipped while out of use) is
 *   remembered, and the cache is out of sync: Redis is not read again until a recovery attempt has
 *   replayed the remembered deletes (UNLINK) and Redis answered, all through the breaker. So a key
 *   deleted during the outage cannot come back from Redis afterwards. Past
 *   `maxPendingInvalidations` remembered keys, recovery drops every key under the prefix instead
 *   (SCAN + UNLINK), which is why the prefix must be this cache's own.
 * - Memory entries live at most `fallbackTtlMs`, and memory is emptied when Redis comes back into
 *   use: memory is per replica and other replicas never see this one's deletes, so that bounds
 *   how long a replica can serve a value another one invalidated during the outage.
 *
 * Limits: remembered deletes live in this process only; if it exits during the outage they are
 * lost, and Redis may serve the old values until their TTL ends. While this replica cannot reach
 * Redis but others can, they keep serving what it failed to delete until it recovers (or the TTL
 * ends). Writes (`set`) that miss Redis are not replayed: the next miss loads the value again.
 * Replay order relies on one connection executing commands in order; the client is configured
 * never to re-send commands from a broken connection (see {@link redisClientOptions}), but a
 * write still buffered in a hung Redis on a connection since replaced could land after the
 * replay (its TTL bounds it).
 *
 * The cache owns the client: `close` quits it.
 */
export class ResilientRedisCache implements Cache {
  readonly kind = 'redis';
  private readonly client: Redis;
  private readonly redis: RedisCache;
  private readonly memory: MemoryCache;
  private readonly flights = new SingleFlight();
  private readonly name: string;
  private readonly logger: Logger;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly commandTimeout: TimeoutPolicy;
  private readonly recoveryTimeout: TimeoutPolicy;
  private readonly halfOpenAfterMs: number;
  private readonly fallbackTtlMs: number;
  private readonly maxPendingInvalidations: number;
  private readonly subscriptions: IDisposable[];
  /** Keys whose delete has not reached Redis, with the generation in which it was asked for. */
  private readonly pending = new Map<string, number>();
  /** Bumped by every delete that missed Redis, to tell which ones a recovery attempt covered. */
  private generation = 0;
  /** Set when too many deletes piled up: recovery drops the whole prefix. */
  private purgeGeneration: number | undefined;
  /** Redis has every delete this process asked for. False until the first successful PING. */
  private synced = false;
  private openedAt = 0;
  private recoveryTimer: NodeJS.Timeout | undefined;
  private recovering = false;
  private closed = false;
  private readonly onClientReady = () => {
    this.retryRecoveryNow();
  };

  constructor(client: Redis, options: ResilientRedisCacheOptions) {
    this.client = client;
    this.name = options.name;
    this.logger = options.logger.child({ cache: options.name });
    this.redis = new RedisCache(client, { name: options.name, prefix: options.prefix });
    this.memory = new MemoryCache({ name: options.name, maxEntries: options.fallbackMaxEntries });
    this.halfOpenAfterMs = options.halfOpenAfterMs ?? 5_000;
    this.fallbackTtlMs = options.fallbackTtlMs ?? 5_000;
    this.maxPendingInvalidations = options.maxPendingInvalidations ?? 10_000;
    // A caller's bad value says nothing about Redis' health.
    this.breaker = circuitBreaker(
      handleWhen((error) => !(error instanceof CacheValueError)),
      {
        halfOpenAfter: this.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(options.failureThreshold ?? 5),
      },
    );
    this.commandTimeout = timeout(options.commandTimeoutMs ?? 250, TimeoutStrategy.Aggressive);
    this.recoveryTimeout = timeout(options.recoveryTimeoutMs ?? 10_000, TimeoutStrategy.Aggressive);
    this.subscriptions = [
      this.breaker.onBreak((reason) => {
        this.openedAt = Date.now();
        this.synced = false;
        const error = 'error' in reason ? describe(reason.error) : 'isolated';
        this.logger.warn({ error }, 'redis cache circuit open: serving from in-process memory');
        this.scheduleRecovery(this.recoveryDelay(true));
      }),
      this.breaker.onReset(() => {
        this.logger.info('redis cache circuit closed: using Redis again');
      }),
      this.breaker.onStateChange((state) => {
        cacheMetrics.circuitOpen.set({ cache: this.name }, state === CircuitState.Closed ? 0 : 1);
      }),
    ];
    client.on('ready', this.onClientReady);
    cacheMetrics.circuitOpen.set({ cache: this.name }, 0);
    cacheMetrics.pendingInvalidations.set({ cache: this.name }, 0);
    // Redis is used once it has answered. A client still connecting would fail the first attempt
    // (no offline queue), so wait for its `ready`, or a while when Redis is down at boot.
    this.scheduleRecovery(client.status === 'ready' ? 0 : this.halfOpenAfterMs);
  }

  /** The circuit breaker's state; `closed` does not yet mean in use, see {@link isHealthy}. */
  get circuitState(): CacheCircuitState {
    switch (this.breaker.state) {
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.HalfOpen:
        return 'half-open';
      default:
        return 'open';
    }
  }

  /** True while Redis is in use: the circuit is closed and Redis has every delete. */
  isHealthy(): boolean {
    return this.synced && this.breaker.state === CircuitState.Closed;
  }

  /**
   * A readiness check reporting whether Redis is in use. Not critical: without Redis the cache
   * degrades to memory, the service still serves.
   */
  readinessCheck(): ReadinessCheck {
    return { name: `cache:${this.name}`, critical: false, check: () => this.isHealthy() };
  }

  get<T>(key: string): Promise<T | undefined> {
    return this.route(
      'get',
      () => this.redis.get<T>(key),
      () => this.memory.get<T>(key),
    );
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    // Storing nothing removes the entry: a delete, with a delete's guarantees.
    if (value === undefined || ttlMs <= 0) {
      await this.delete(key);
      return;
    }
    await this.route(
      'set',
      async () => {
        await this.redis.set(key, value, ttlMs);
        // A copy from an earlier fallback must not outlive the newer value.
        await this.memory.delete(key);
      },
      () => this.memory.set(key, value, Math.min(ttlMs, this.fallbackTtlMs)),
    );
  }

  async delete(...keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    for (const key of keys) this.flights.forget(key);
    await this.memory.delete(...keys);
    await this.route(
      'delete',
      () => this.redis.delete(...keys),
      () => {
        this.rememberDeletes(keys);
        return Promise.resolve();
      },
    );
  }

  async getOrLoad<T>(key: string, ttlMs: number, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const cached = await this.get<T>(key);
    if (cached !== undefined) return cached;
    return this.flights.run(key, load, (value) => this.set(key, value, ttlMs));
  }

  /** Stops recovery, forgets the fallback and quits the Redis client. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.recoveryTimer);
    this.recoveryTimer = undefined;
    for (const subscription of this.subscriptions) subscription.dispose();
    this.client.off('ready', this.onClientReady);
    this.memory.clear();
    this.flights.forgetAll();
    await this.redis.close();
  }

  /** Runs `onRedis` while Redis is in use and it succeeds in time, else `onMemory`. */
  private async route<R>(op: string, onRedis: () => Promise<R>, onMemory: () => Promise<R>): Promise<R> {
    if (this.isHealthy()) {
      try {
        return await this.breaker.execute(() => this.commandTimeout.execute(onRedis));
      } catch (error) {
        if (error instanceof CacheValueError) throw error;
        this.logger.debug(
          { error: describe(error), op },
          'redis cache command failed: falling back to memory',
        );
      }
    }
    cacheMetrics.fallbacks.inc({ cache: this.name, op });
    return onMemory();
  }

  /** Notes deletes that missed Redis; Redis is out of use until recovery has replayed them. */
  private rememberDeletes(keys: readonly string[]): void {
    this.synced = false;
    this.generation++;
    for (const key of keys) this.pending.set(key, this.generation);
    if (this.pending.size > this.maxPendingInvalidations) {
      // Memory stays bounded; the price is an empty cache after recovery.
      if (this.purgeGeneration === undefined) {
        this.logger.warn(
          { limit: this.maxPendingInvalidations },
          'too many deletes missed Redis: every key of this cache will be dropped on recovery',
        );
      }
      this.pending.clear();
      this.purgeGeneration = this.generation;
    }
    cacheMetrics.pendingInvalidations.set({ cache: this.name }, this.pending.size);
    this.scheduleRecovery(this.recoveryDelay(false));
  }

  private needsRecovery(): boolean {
    return !this.isHealthy();
  }

  /** When the next recovery attempt can succeed: at once, or when the breaker lets one through. */
  private recoveryDelay(afterFailure: boolean): number {
    if (this.breaker.state === CircuitState.Closed) return afterFailure ? CLOSED_RETRY_MS : 0;
    // A little after the half-open time, so the breaker does not refuse the attempt.
    return Math.max(0, this.openedAt + this.halfOpenAfterMs - Date.now()) + 5;
  }

  private scheduleRecovery(delayMs: number): void {
    if (this.closed || this.recovering || this.recoveryTimer !== undefined) return;
    this.recoveryTimer = setTimeout(() => {
      this.recoveryTimer = undefined;
      void this.recover();
    }, delayMs);
    // An outage alone must not keep the process alive.
    this.recoveryTimer.unref();
  }

  /** Redis (re)connected: no need to wait out the retry delay of a closed circuit. */
  private retryRecoveryNow(): void {
    if (!this.needsRecovery() || this.breaker.state !== CircuitState.Closed) return;
    clearTimeout(this.recoveryTimer);
    this.recoveryTimer = undefined;
    this.scheduleRecovery(0);
  }

  /**
   * One recovery attempt through the breaker (the half-open trial when it is open): replay the
   * missed deletes (or drop the prefix), then PING. Success puts Redis back in use.
   */
  private async recover(): Promise<void> {
    this.recovering = true;
    const generation = this.generation;
    const purge = this.purgeGeneration !== undefined;
    const keys = purge ? [] : [...this.pending.keys()];
    let succeeded = false;
    try {
      await this.breaker.execute(() =>
        this.recoveryTimeout.execute(async () => {
          if (purge) await this.redis.clear();
          else if (keys.length > 0) await this.redis.delete(...keys);
          await this.redis.ping();
        }),
      );
      succeeded = true;
    } catch (error) {
      if (!(error instanceof BrokenCircuitError)) {
        this.logger.debug({ error: describe(error) }, 'redis cache recovery attempt failed');
      }
    } finally {
      this.recovering = false;
    }
    // close() may have run meanwhile.
    if (this.closed) return;
    if (succeeded) this.settle(generation, purge);
    if (this.needsRecovery()) this.scheduleRecovery(this.recoveryDelay(!succeeded));
  }

  /** Forgets the deletes a successful attempt covered; back in use when none is left. */
  private settle(generation: number, purged: boolean): void {
    if (purged && this.purgeGeneration !== undefined && this.purgeGeneration <= generation) {
      this.purgeGeneration = undefined;
    }
    for (const [key, askedIn] of this.pending) {
      if (askedIn <= generation) this.pending.delete(key);
    }
    cacheMetrics.pendingInvalidations.set({ cache: this.name }, this.pending.size);
    if (this.pending.size > 0 || this.purgeGeneration !== undefined) return;
    if (this.breaker.state !== CircuitState.Closed || this.synced) return;
    this.synced = true;
    // Memory holds what was written while Redis was out of use; the next outage starts afresh.
    this.memory.clear();
    this.logger.debug('redis cache in use');
  }
}

/**
 * Name and message only: ioredis attaches the failed command's arguments to reply errors, and
 * those hold cached values (customer data) that must not reach the logs.
 */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
