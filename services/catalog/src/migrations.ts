import { fileURLToPath } from 'node:url';
import type { MigrationSource } from '@only/platform/db';

/** The catalog schema's committed migrations. */
export const catalogMigrations: MigrationSource = {
  folder: fileURLToPath(new URL('../db/migrations', import.meta.url)),
  schema: 'catalog',
};
