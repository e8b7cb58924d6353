import { port, positiveInt } from '@only/platform/config';
import { rpcClientConfigSchema } from '@only/platform/rpc';
import { serviceProcessConfigSchema } from '@only/platform/service';
import type { z } from 'zod';
import type { InvoicesSettings } from './invoices-module.ts';

/** Configuration of the invoices service when it runs as its own process. */
export const invoicesConfigSchema = serviceProcessConfigSchema
  .extend({
    INVOICES_PORT: port(3004, 'Port the invoices service listens on (distributed mode).'),
    INVOICES_LOGO_TIMEOUT_MS: positiveInt(
      2_000,
      "How long rendering a PDF waits for the tenant's logo at an http(s) URL before going without it.",
    ),
  })
  // It reads order details from orders (GetOrder): where orders listens, and the call settings.
  .extend(
    rpcClientConfigSchema.pick({
      ORDERS_RPC_URL: true,
      ORDERS_RPC_DEADLINE_MS: true,
      RPC_MAX_RETRIES: true,
      RPC_BREAKER_FAILURES: true,
      RPC_BREAKER_HALF_OPEN_MS: true,
    }).shape,
  );

export type InvoicesConfig = z.output<typeof invoicesConfigSchema>;

/** The module settings a process's configuration gives. */
export function invoicesSettingsFrom(config: InvoicesConfig): InvoicesSettings {
  return { logoTimeoutMs: config.INVOICES_LOGO_TIMEOUT_MS };
}
