// The migration service as its own process (distributed mode).
import { loadConfig } from '@only/platform/config';
import { runServiceProcess } from '@only/platform/service';
import { migrationConfigSchema, migrationSettingsFrom } from './config.ts';
import { createMigrationModule } from './migration-module.ts';

await runServiceProcess({
  name: 'migration',
  configSchema: migrationConfigSchema,
  port: (config) => config.MIGRATION_PORT,
  // runServiceProcess has validated the whole configuration (and exited on errors) before this runs.
  create: (deps) =>
    createMigrationModule({
      ...deps,
      ...migrationSettingsFrom(loadConfig('migration', migrationConfigSchema)),
    }),
});
