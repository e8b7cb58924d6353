/**
 * The API gateway.
 * @module
 */
export { buildGateway, type GatewayOptions } from './app.ts';
export { edgeLimitsConfigSchema, gatewayConfigSchema, upstreamsFrom, type GatewayConfig } from './config.ts';
export type { ProxiedService } from './proxy.ts';
