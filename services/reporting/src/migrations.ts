import { fileURLToPath } from 'node:url';
import type { MigrationSource } from '@only/platform/db';

/** The reporting schema's committed migrations. */
export const reportingMigrations: MigrationSource = {
  folder: fileURLToPath(new URL('../db/migrations', import.meta.url)),
  schema: 'reporting',
};
