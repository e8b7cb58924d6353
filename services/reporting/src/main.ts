// The reporting service as its own process (distributed mode).
import { runServiceProcess } from '@only/platform/service';
import { reportingConfigSchema } from './config.ts';
import { createReportingModule } from './reporting-module.ts';

await runServiceProcess({
  name: 'reporting',
  configSchema: reportingConfigSchema,
  port: (config) => config.REPORTING_PORT,
  create: createReportingModule,
});
