// The payments service as its own process (distributed mode).
import { loadConfig } from '@only/platform/config';
import { runServiceProcess } from '@only/platform/service';
import { paymentsConfigSchema, paymentsSettingsFrom } from './config.ts';
import { createPaymentsModule } from './payments-module.ts';

await runServiceProcess({
  name: 'payments',
  configSchema: paymentsConfigSchema,
  port: (config) => config.PAYMENTS_PORT,
  rpcPort: (config) => config.PAYMENTS_RPC_PORT,
  // runServiceProcess has validated the whole configuration (and exited on errors) before this runs.
  create: (deps) =>
    createPaymentsModule({ ...deps, ...paymentsSettingsFrom(loadConfig('payments', paymentsConfigSchema)) }),
});
