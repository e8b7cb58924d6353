/**
 * The API gateway.
 * @module
 */
export { buildGateway, type GatewayOptions } from './app.ts';
export {
  edgeLimitsConfigSchema,
  edgeLimitsFrom,
  gatewayConfigSchema,
  upstreamsFrom,
  type EdgeLimits,
  type GatewayConfig,
} from './config.ts';
export type { ProxiedService } from './proxy.ts';
