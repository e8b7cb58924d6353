import { authConfigSchema } from '@only/platform/auth';
import { logLevel, optionalUrl, port, positiveInt } from '@only/platform/config';
import { isIP } from 'node:net';
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

/**
 * Which proxies in front of the gateway are believed about the client's address
 * (`X-Forwarded-For`): none, all, the nearest N hops, or the listed addresses and networks.
 */
export type TrustProxy = boolean | number | string[];

const isAddressOrNetwork = (entry: string) => {
  const [address = '', bits, ...rest] = entry.split('/');
  if (rest.length > 0 || isIP(address) === 0) return false;
  if (bits === undefined) return true;
  const max = isIP(address) === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
};

const trustProxy = z
  .string()
  .optional()
  .transform((value, ctx): TrustProxy => {
    const text = value?.trim() ?? '';
    if (text === '' || text === 'false') return false;
    if (text === 'true') return true;
    if (/^\d+$/.test(text)) return Number(text);
    const entries = text.split(',').map((entry) => entry.trim());
    const bad = entries.filter((entry) => !isAddressOrNetwork(entry));
    if (bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `not an address or network: ${bad.join(', ')} (expected true, false, a hop count, or addresses/CIDRs)`,
      });
      return z.NEVER;
    }
    return entries;
  })
  .describe(
    'Proxies believed about the client address (X-Forwarded-For) for rate limits and address rules: `false` (default), a hop count, or addresses/CIDRs, e.g. `10.0.0.0/8,127.0.0.1`. `true` trusts anyone: only behind a proxy that overwrites the header.',
  );

/** Limits of the gateway's edge; embedded mode reads the same variables. */
export const edgeLimitsConfigSchema = z.object({
  GATEWAY_RATE_LIMIT_PER_IP: positiveInt(1_200, 'Requests per minute from one client address.'),
  GATEWAY_RATE_LIMIT_PER_TENANT: positiveInt(
    6_000,
    "Requests per minute for one tenant's users together, and for each API client.",
  ),
  GATEWAY_BODY_LIMIT_BYTES: positiveInt(1_048_576, 'Largest accepted request body.'),
  GATEWAY_TRUST_PROXY: trustProxy,
});

/** The edge limits a configuration sets, as {@link buildGateway} options take them. */
export interface EdgeLimits {
  readonly bodyLimitBytes: number;
  readonly trustProxy: TrustProxy;
  readonly edge: { readonly perIpPerMinute: number; readonly perTenantPerMinute: number };
}

/** Reads {@link edgeLimitsConfigSchema}'s variables into gateway options. */
export function edgeLimitsFrom(config: z.output<typeof edgeLimitsConfigSchema>): EdgeLimits {
  return {
    bodyLimitBytes: config.GATEWAY_BODY_LIMIT_BYTES,
    trustProxy: config.GATEWAY_TRUST_PROXY,
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
  CATALOG_URL: upstreamUrls('catalog'),
  ORDERS_URL: upstreamUrls('orders'),
  PAYMENTS_URL: upstreamUrls('payments'),
  INVOICES_URL: upstreamUrls('invoices'),
  REPORTING_URL: upstreamUrls('reporting'),
  NOTIFICATIONS_URL: upstreamUrls('notifications'),
  MIGRATION_URL: upstreamUrls('migration'),
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
