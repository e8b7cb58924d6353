import { port, positiveInt } from '@only/platform/config';
import { rpcClientConfigSchema, rpcPort } from '@only/platform/rpc';
import { serviceProcessConfigSchema } from '@only/platform/service';
import { z } from 'zod';
import { parseTaxRates } from './modules/saga/catalog-pricing.ts';
import type { OrdersSettings } from './orders-module.ts';

/** Configuration of the orders service when it runs as its own process. */
export const ordersConfigSchema = serviceProcessConfigSchema.extend({
  ORDERS_PORT: port(3001, 'Port the orders service listens on (distributed mode).'),
  ORDERS_RPC_PORT: rpcPort('orders', 4001),
  ORDERS_TAX_RATES: z
    .string()
    .default('standard=1900,reduced=700,zero=0')
    .refine(
      (text) => {
        try {
          parseTaxRates(text);
          return true;
        } catch {
          return false;
        }
      },
      { message: 'Must be class=basis points pairs, comma-separated: standard=1900,reduced=700' },
    )
    .describe(
      'Tax rate in basis points of each catalog tax class, applied to paid orders priced from the catalog.',
    ),
  ORDERS_SAGA_RECOVERY_INTERVAL_MS: positiveInt(
    1_000,
    'How often each orders process resumes interrupted order sagas and retries failed saga steps.',
  ),
  ORDERS_SAGA_LEASE_MS: positiveInt(
    30_000,
    'How long a process holds an order saga; one that stops is resumed by another after this.',
  ),
  // Where catalog and payments are: the order saga's calls.
  ...rpcClientConfigSchema.shape,
});

export type OrdersConfig = z.output<typeof ordersConfigSchema>;

/** The module settings a process's configuration gives. */
export function ordersSettingsFrom(config: OrdersConfig): OrdersSettings {
  return {
    taxRates: parseTaxRates(config.ORDERS_TAX_RATES),
    saga: {
      recoveryIntervalMs: config.ORDERS_SAGA_RECOVERY_INTERVAL_MS,
      leaseMs: config.ORDERS_SAGA_LEASE_MS,
    },
  };
}
