import { fileURLToPath } from 'node:url';
import type { MigrationSource } from '@only/platform/db';

/** The orders schema's committed migrations. */
export const ordersMigrations: MigrationSource = {
  folder: fileURLToPath(new URL('../db/migrations', import.meta.url)),
  schema: 'orders',
};
