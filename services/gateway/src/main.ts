// The gateway as its own process (distributed mode): proxies /api/<service> to each service URL.
import { loadConfig } from '@only/platform/config';
import { Lifecycle } from '@only/platform/lifecycle';
import { createLogger } from '@only/platform/log';
import { buildGateway } from './app.ts';
import { gatewayConfigSchema, upstreamsFrom } from './config.ts';

const config = loadConfig('gateway', gatewayConfigSchema);
const logger = createLogger({ service: 'gateway', level: config.LOG_LEVEL });
const lifecycle = new Lifecycle(logger);
lifecycle.handleSignals();

const upstreams = upstreamsFrom(config);
const app = await buildGateway({
  logger,
  upstreams,
  mode: 'distributed',
  upstreamTimeoutMs: config.UPSTREAM_TIMEOUT_MS,
});
await app.listen({ port: config.GATEWAY_PORT, host: config.HOST });
lifecycle.onStop('http', () => app.close());
