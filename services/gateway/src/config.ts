import { authConfigSchema } from '@only/platform/auth';
import { logLevel, optionalUrl, port, positiveInt } from '@only/platform/config';
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

/** Limits of the gateway's edge; embedded mode reads the same variables. */
export const edgeLimitsConfigSchema = z.object({
  GATEWAY_RATE_LIMIT_PER_IP: positiveInt(1_200, 'Requests per minute from one client address.'),
  GATEWAY_RATE_LIMIT_PER_TENANT: positiveInt(
    6_000,
    "Requests per minute for one tenant's users together, and for each API client.",
  ),
  GATEWAY_BODY_LIMIT_BYTES: positiveInt(1_048_576, 'Largest accepted request body.'),
});

/** The edge limits a configuration sets, as {@link buildGateway} options take them. */
export interface EdgeLimits {
  readonly bodyLimitBytes: number;
  readonly edge: { readonly perIpPerMinute: number; readonly perTenantPerMinute: number };
}

/** Reads {@link edgeLimitsConfigSchema}'s variables into gateway options. */
export function edgeLimitsFrom(config: z.output<typeof edgeLimitsConfigSchema>): EdgeLimits {
  return {
    bodyLimitBytes: config.GATEWAY_BODY_LIMIT_BYTES,
    edge: {
      perIpPerMinute: config.GATEWAY_RATE_LIMIT_PER_IP,
      perTenantPerMinute: config.GATEWAY_RATE_LIMIT_PER_TENANT,
    },
  };
}

/** Configuration of the gateway when it runs as its own process (distributed mode). */
export const gatewayConfigSchema = z.object({
  GATEWAY_PORT: port(8080, 'Port the gateway listens on.'),
  HOST: z
    .string()
    .default('0.0.0.0')
    .describe('Interface to listen on; `0.0.0.0` makes it reachable from other machines.'),
  LOG_LEVEL: logLevel,
  UPSTREAM_TIMEOUT_MS: positiveInt(10_000, 'How long the gateway waits for a service before answering 504.'),
  IDENTITY_URL: upstreamUrls('identity'),
  ORDERS_URL: upstreamUrls('orders'),
  REPORTING_URL: upstreamUrls('reporting'),
  ...authConfigSchema.shape,
  REDIS_URL: optionalUrl(
    ['redis', 'rediss'],
    'Redis URL for rate-limit counters shared by every gateway replica; per-process counters without it.',
  ),
  ...edgeLimitsConfigSchema.shape,
  GATEWAY_IP_ALLOW: z
    .string()
    .optional()
    .describe(
      'Routes only some addresses may reach: `<path prefix>=<ip or cidr>,…;…`, e.g. `/api/migration=10.0.0.0/8`.',
    ),
  GATEWAY_IP_DENY: z
    .string()
    .optional()
    .describe('Addresses refused on routes: `<path prefix>=<ip or cidr>,…;…`, e.g. `/api=203.0.113.0/24`.'),
});

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;

/** Upstream services named in the config: `[{ name: 'orders', urls: ['http://…'] }]`. */
export function upstreamsFrom(config: GatewayConfig): { name: string; urls: string[] }[] {
  const upstreams: { name: string; urls: string[] }[] = [];
  for (const [key, value] of Object.entries(config)) {
    const match = /^([A-Z]+)_URL$/.exec(key);
    if (match?.[1] && match[1] !== 'REDIS' && Array.isArray(value))
      upstreams.push({ name: match[1].toLowerCase(), urls: value });
  }
  return upstreams;
}
