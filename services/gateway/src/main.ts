// The gateway as its own process (distributed mode): proxies /api/<service> to each service URL.
import { loadConfig } from '@only/platform/config';
import { Lifecycle } from '@only/platform/lifecycle';
import { createLogger } from '@only/platform/log';
import { verifierFromConfig } from '@only/platform/auth';
import { Redis } from 'ioredis';
import { buildGateway } from './app.ts';
import { edgeLimitsFrom, gatewayConfigSchema, upstreamsFrom } from './config.ts';
import { parseIpRules } from './edge/ip-rules.ts';
import { remoteAllowedOrigins } from './edge/allowed-origins.ts';

const config = loadConfig('gateway', gatewayConfigSchema);
const logger = createLogger({ service: 'gateway', level: config.LOG_LEVEL });
const lifecycle = new Lifecycle(logger);
lifecycle.handleSignals();

const upstreams = upstreamsFrom(config);
const redis =
  config.REDIS_URL === undefined
    ? undefined
    : new Redis(config.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false });
if (redis !== undefined)
  lifecycle.onStop('redis', () => {
    redis.disconnect();
    return Promise.resolve();
  });
const limits = edgeLimitsFrom(config);
const app = await buildGateway({
  logger,
  upstreams,
  mode: 'distributed',
  upstreamTimeoutMs: config.UPSTREAM_TIMEOUT_MS,
  auth: verifierFromConfig(config),
  bodyLimitBytes: limits.bodyLimitBytes,
  trustProxy: limits.trustProxy,
  edge: {
    ...limits.edge,
    ...(redis === undefined ? {} : { redis }),
    ipRules: [
      ...parseIpRules(config.GATEWAY_IP_ALLOW, 'allow'),
      ...parseIpRules(config.GATEWAY_IP_DENY, 'deny'),
    ],
    allowedOrigins: remoteAllowedOrigins(config.IDENTITY_URL?.[0], logger),
  },
});
await app.listen({ port: config.GATEWAY_PORT, host: config.HOST });
lifecycle.onStop('http', () => app.close());
