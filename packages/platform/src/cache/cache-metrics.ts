import { counter, gauge } from '../metrics/index.ts';

/**
 * Instruments shared by every cache implementation, labelled by cache name, so a dashboard reads
 * the same series whether a service runs on memory or Redis.
 */
export const cacheMetrics = {
  requests: counter('only_cache_requests_total', 'Cache lookups by result.', ['cache', 'result']),
  evictions: counter('only_cache_evictions_total', 'Entries evicted to respect the size bound.', ['cache']),
  errors: counter('only_cache_errors_total', 'Redis cache commands that failed, by operation.', [
    'cache',
    'op',
  ]),
  fallbacks: counter(
    'only_cache_fallbacks_total',
    'Cache operations served by the in-process fallback because Redis was unusable, by operation.',
    ['cache', 'op'],
  ),
  circuitOpen: gauge(
    'only_cache_circuit_open',
    '1 while the circuit breaker keeps Redis out of use (open or half-open), else 0.',
    ['cache'],
  ),
  pendingInvalidations: gauge(
    'only_cache_pending_invalidations',
    'Deletes that did not reach Redis yet and are replayed before Redis is used again.',
    ['cache'],
  ),
};
