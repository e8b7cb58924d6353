import { logLevel, port, positiveInt } from '@only/platform/config';
import { z } from 'zod';

const upstreamUrls = (service: string) =>
  z
    .string()
    .transform((value) => value.split(',').map((url) => url.trim()))
    .pipe(z.array(z.url({ protocol: /^https?$/ })).min(1))
    .optional()
    .describe(
      `Base URL of the ${service} service (distributed mode); several, comma-separated, are load-balanced.`,
    );

/** Configuration of the gateway when it runs as its own process (distributed mode). */
export const gatewayConfigSchema = z.object({
  GATEWAY_PORT: port(8080, 'Port the gateway listens on.'),
  HOST: z
    .string()
    .default('0.0.0.0')
    .describe('Interface to listen on; `0.0.0.0` makes it reachable from other machines.'),
  LOG_LEVEL: logLevel,
  UPSTREAM_TIMEOUT_MS: positiveInt(10_000, 'How long the gateway waits for a service before answering 504.'),
  ORDERS_URL: upstreamUrls('orders'),
  REPORTING_URL: upstreamUrls('reporting'),
});

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;

/** Upstream services named in the config: `[{ name: 'orders', urls: ['http://…'] }]`. */
export function upstreamsFrom(config: GatewayConfig): { name: string; urls: string[] }[] {
  const upstreams: { name: string; urls: string[] }[] = [];
  for (const [key, value] of Object.entries(config)) {
    const match = /^([A-Z]+)_URL$/.exec(key);
    if (match?.[1] && Array.isArray(value)) upstreams.push({ name: match[1].toLowerCase(), urls: value });
  }
  return upstreams;
}
