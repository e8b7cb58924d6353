// The orders service as its own process (distributed mode).
import { runServiceProcess } from '@only/platform/service';
import { ordersConfigSchema } from './config.ts';
import { createOrdersModule } from './orders-module.ts';

await runServiceProcess({
  name: 'orders',
  configSchema: ordersConfigSchema,
  port: (config) => config.ORDERS_PORT,
  create: createOrdersModule,
});
