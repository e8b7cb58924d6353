// The invoices service as its own process (distributed mode).
import { loadConfig } from '@only/platform/config';
import { runServiceProcess } from '@only/platform/service';
import { invoicesConfigSchema, invoicesSettingsFrom } from './config.ts';
import { createInvoicesModule } from './invoices-module.ts';

await runServiceProcess({
  name: 'invoices',
  configSchema: invoicesConfigSchema,
  port: (config) => config.INVOICES_PORT,
  // runServiceProcess has validated the whole configuration (and exited on errors) before this runs.
  create: (deps) =>
    createInvoicesModule({ ...deps, ...invoicesSettingsFrom(loadConfig('invoices', invoicesConfigSchema)) }),
});
