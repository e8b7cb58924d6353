import { counter, gauge, histogram } from '../metrics/index.ts';

const SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Instruments of internal calls on both ends, labelled by the proto service (`only.catalog.v1.
 * CatalogService`), the method (`ReserveStock`) and the final status code (`ok`, `unavailable`…).
 */
export const rpcMetrics = {
  clientCalls: counter('only_rpc_client_calls_total', 'Internal calls made, by final status code.', [
    'service',
    'method',
    'code',
  ]),
  clientDuration: histogram(
    'only_rpc_client_duration_seconds',
    'Time of internal calls as the caller sees it, retries included, by final status code.',
    ['service', 'method', 'code'],
    SECONDS,
  ),
  clientRetries: counter(
    'only_rpc_client_retries_total',
    'Attempts of internal calls repeated after a transient failure, by the failed attempt’s code.',
    ['service', 'method', 'code'],
  ),
  circuitState: gauge(
    'only_rpc_client_circuit_state',
    'Circuit breaker per dependency: 0 closed, 1 half-open (one trial call), 2 open (failing fast).',
    ['dependency'],
  ),
  serverCalls: counter('only_rpc_server_calls_total', 'Internal calls served, by status code.', [
    'service',
    'method',
    'code',
  ]),
  serverDuration: histogram(
    'only_rpc_server_duration_seconds',
    'Time to serve internal calls, by status code.',
    ['service', 'method', 'code'],
    SECONDS,
  ),
};
