import { fileURLToPath } from 'node:url';
import type { MigrationSource } from '@only/platform/db';

/** The identity schema's committed migrations. */
export const identityMigrations: MigrationSource = {
  folder: fileURLToPath(new URL('../db/migrations', import.meta.url)),
  schema: 'identity',
};
