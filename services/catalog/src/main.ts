// The catalog service as its own process (distributed mode).
import { loadConfig } from '@only/platform/config';
import { runServiceProcess } from '@only/platform/service';
import { catalogConfigSchema, catalogSettingsFrom } from './config.ts';
import { createCatalogModule } from './catalog-module.ts';

await runServiceProcess({
  name: 'catalog',
  configSchema: catalogConfigSchema,
  port: (config) => config.CATALOG_PORT,
  rpcPort: (config) => config.CATALOG_RPC_PORT,
  // runServiceProcess has validated the whole configuration (and exited on errors) before this runs.
  create: (deps) =>
    createCatalogModule({ ...deps, ...catalogSettingsFrom(loadConfig('catalog', catalogConfigSchema)) }),
});
