import { z } from 'zod';
import { port, positiveInt } from '../config/fields.ts';

const URLS = /^https?:\/\/[^,\s]+(,https?:\/\/[^,\s]+)*$/;

function rpcUrls(dependency: string) {
  return z
    .string()
    .regex(URLS, 'Must be http:// (or https://) URLs, comma-separated')
    .optional()
    .describe(
      `Base URL of the ${dependency} service's internal gRPC listener (distributed mode), e.g. \`http://${dependency}:<${dependency.toUpperCase()}_RPC_PORT>\`; several, comma-separated, take calls in turn. Without it, calls go to ${dependency} in the same process (embedded mode).`,
    );
}

function deadline(dependency: string, defaultMs: number) {
  return positiveInt(
    defaultMs,
    `Deadline in milliseconds of a call to ${dependency} (retries included) unless the call sets its own.`,
  );
}

/**
 * Configuration of a process's internal calls: where each dependency's gRPC listener is (absent:
 * in-process), its default deadline, and the retry and circuit-breaker settings every dependency
 * shares. Services that call others add it to their schema (`.extend(rpcClientConfigSchema.shape)`);
 * `rpcConnectorOptionsFrom` turns it into a connector's options.
 */
export const rpcClientConfigSchema = z.object({
  CATALOG_RPC_URL: rpcUrls('catalog'),
  CATALOG_RPC_DEADLINE_MS: deadline('catalog', 2_000),
  PAYMENTS_RPC_URL: rpcUrls('payments'),
  // Longer: an authorization waits for the payment processor.
  PAYMENTS_RPC_DEADLINE_MS: deadline('payments', 5_000),
  ORDERS_RPC_URL: rpcUrls('orders'),
  ORDERS_RPC_DEADLINE_MS: deadline('orders', 2_000),
  RPC_MAX_RETRIES: z.coerce
    .number()
    .int()
    .min(0)
    .max(5)
    .default(2)
    .describe(
      'Further attempts of an idempotent internal call after UNAVAILABLE or DEADLINE_EXCEEDED, within its deadline.',
    ),
  RPC_BREAKER_FAILURES: positiveInt(
    5,
    'Consecutive failed calls to one dependency that open its circuit breaker (calls then fail fast with 503).',
  ),
  RPC_BREAKER_HALF_OPEN_MS: positiveInt(
    5_000,
    'How long an open circuit breaker fails fast before letting one trial call through.',
  ),
});

/** Parsed {@link rpcClientConfigSchema}. */
export type RpcClientConfig = z.output<typeof rpcClientConfigSchema>;

/**
 * The `<NAME>_RPC_PORT` variable of a service that serves internal calls (distributed mode).
 * Convention: the HTTP port plus 1 000 (orders 4001, catalog 4002, payments 4003).
 */
export function rpcPort(service: string, defaultPort: number) {
  return port(
    defaultPort,
    `Port of the ${service} service's internal gRPC (HTTP/2) listener (distributed mode); never exposed by the gateway.`,
  );
}
