/**
 * The API gateway.
 * @module
 */
export { buildGateway, type GatewayOptions } from './app.ts';
export { gatewayConfigSchema, upstreamsFrom, type GatewayConfig } from './config.ts';
export type { ProxiedService } from './proxy.ts';
