// The orders service as its own process (distributed mode).
import { loadConfig } from '@only/platform/config';
import { runServiceProcess } from '@only/platform/service';
import { ordersConfigSchema, ordersSettingsFrom } from './config.ts';
import { createOrdersModule } from './orders-module.ts';

await runServiceProcess({
  name: 'orders',
  configSchema: ordersConfigSchema,
  port: (config) => config.ORDERS_PORT,
  rpcPort: (config) => config.ORDERS_RPC_PORT,
  // runServiceProcess has validated the whole configuration (and exited on errors) before this runs.
  create: (deps) =>
    createOrdersModule({ ...deps, ...ordersSettingsFrom(loadConfig('orders', ordersConfigSchema)) }),
});
