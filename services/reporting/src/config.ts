import { port } from '@only/platform/config';
import { serviceProcessConfigSchema } from '@only/platform/service';
import type { z } from 'zod';

/** Configuration of the reporting service when it runs as its own process. */
export const reportingConfigSchema = serviceProcessConfigSchema.extend({
  REPORTING_PORT: port(3007, 'Port the reporting service listens on (distributed mode).'),
});

export type ReportingConfig = z.output<typeof reportingConfigSchema>;
