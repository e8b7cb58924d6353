import { port } from '@only/platform/config';
import { serviceProcessConfigSchema } from '@only/platform/service';
import type { z } from 'zod';

/** Configuration of the orders service when it runs as its own process. */
export const ordersConfigSchema = serviceProcessConfigSchema.extend({
  ORDERS_PORT: port(3001, 'Port the orders service listens on (distributed mode).'),
});

export type OrdersConfig = z.output<typeof ordersConfigSchema>;
