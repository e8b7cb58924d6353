/**
 * Cache: one interface; in-memory with TTL, size bound and single flight, Redis, and Redis with an
 * in-memory fallback behind a circuit breaker. `createCache` picks one from configuration.
 * @module
 */
export type { Cache } from './cache.ts';
export { MemoryCache, type MemoryCacheOptions } from './memory-cache.ts';
export { RedisCache, CacheValueError, type RedisCacheOptions } from './redis-cache.ts';
export {
  ResilientRedisCache,
  type ResilientRedisCacheOptions,
  type CacheCircuitState,
} from './resilient-redis-cache.ts';
export { createRedisClient, redisClientOptions, type RedisClientOptions } from './redis-client.ts';
export { createCache, type CreateCacheOptions } from './create-cache.ts';
export { SingleFlight } from './single-flight.ts';
