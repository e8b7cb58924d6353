import { port, positiveInt } from '@only/platform/config';
import { rpcPort } from '@only/platform/rpc';
import { serviceProcessConfigSchema } from '@only/platform/service';
import type { z } from 'zod';
import type { CatalogSettings } from './catalog-module.ts';

/** Configuration of the catalog service when it runs as its own process. */
export const catalogConfigSchema = serviceProcessConfigSchema.extend({
  CATALOG_PORT: port(3002, 'Port the catalog service listens on (distributed mode).'),
  CATALOG_RPC_PORT: rpcPort('catalog', 4002),
  CATALOG_RESERVATION_TTL_SECONDS: positiveInt(
    900,
    'How long reserved stock is held when the caller names no expiry; uncommitted, it is then released.',
  ),
  CATALOG_RESERVATION_SWEEP_INTERVAL_MS: positiveInt(
    5_000,
    'How often each catalog process releases expired stock reservations.',
  ),
});

export type CatalogConfig = z.output<typeof catalogConfigSchema>;

/** The module settings a process's configuration gives. */
export function catalogSettingsFrom(config: CatalogConfig): CatalogSettings {
  return {
    reservationTtlSeconds: config.CATALOG_RESERVATION_TTL_SECONDS,
    sweepIntervalMs: config.CATALOG_RESERVATION_SWEEP_INTERVAL_MS,
  };
}
