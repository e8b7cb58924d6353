import { port, positiveInt } from '@only/platform/config';
import { rpcPort } from '@only/platform/rpc';
import { serviceProcessConfigSchema } from '@only/platform/service';
import { z } from 'zod';
import type { PaymentsSettings } from './payments-module.ts';

/** Configuration of the payments service when it runs as its own process. */
export const paymentsConfigSchema = serviceProcessConfigSchema.extend({
  PAYMENTS_PORT: port(3003, 'Port the payments service listens on (distributed mode).'),
  PAYMENTS_RPC_PORT: rpcPort('payments', 4003),
  PAYMENTS_DEFAULT_PROVIDER: z
    .string()
    .regex(/^[a-z][a-z0-9_-]*$/)
    .default('test')
    .describe(
      'Provider adapter of payments that name none. `test` is the built-in provider whose outcome the test card token chooses.',
    ),
  PAYMENTS_PROVIDER_TIMEOUT_MS: positiveInt(
    2_000,
    'How long a call to the payment provider may take; after it the outcome is unknown (`pending_review`) until retried with the same idempotency key.',
  ),
  PAYMENTS_WEBHOOK_TIMEOUT_MS: positiveInt(
    5_000,
    'How long a webhook delivery waits for the endpoint to answer.',
  ),
  PAYMENTS_WEBHOOK_MAX_ATTEMPTS: positiveInt(
    10,
    'Attempts of a webhook delivery before it is given up as failed.',
  ),
  PAYMENTS_WEBHOOK_RETRY_BASE_MS: positiveInt(
    30_000,
    'Wait before the second attempt of a webhook delivery; each further wait doubles.',
  ),
  PAYMENTS_WEBHOOK_RETRY_MAX_MS: positiveInt(
    21_600_000,
    'Longest wait between two attempts of a webhook delivery.',
  ),
  PAYMENTS_WEBHOOK_POLL_INTERVAL_MS: positiveInt(
    1_000,
    'How often each payments process sends due webhook deliveries.',
  ),
});

export type PaymentsConfig = z.output<typeof paymentsConfigSchema>;

/** The module settings a process's configuration gives. */
export function paymentsSettingsFrom(config: PaymentsConfig): PaymentsSettings {
  return {
    defaultProvider: config.PAYMENTS_DEFAULT_PROVIDER,
    providerTimeoutMs: config.PAYMENTS_PROVIDER_TIMEOUT_MS,
    webhooks: {
      timeoutMs: config.PAYMENTS_WEBHOOK_TIMEOUT_MS,
      maxAttempts: config.PAYMENTS_WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: config.PAYMENTS_WEBHOOK_RETRY_BASE_MS,
      retryMaxMs: config.PAYMENTS_WEBHOOK_RETRY_MAX_MS,
      pollIntervalMs: config.PAYMENTS_WEBHOOK_POLL_INTERVAL_MS,
    },
  };
}
