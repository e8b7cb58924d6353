import { fileURLToPath } from 'node:url';
import type { MigrationSource } from '@only/platform/db';

/** The migration schema's committed migrations. */
export const migrationMigrations: MigrationSource = {
  folder: fileURLToPath(new URL('../db/migrations', import.meta.url)),
  schema: 'migration',
};
