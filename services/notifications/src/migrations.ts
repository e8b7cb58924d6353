import { fileURLToPath } from 'node:url';
import type { MigrationSource } from '@only/platform/db';

/** The notifications schema's committed migrations. */
export const notificationsMigrations: MigrationSource = {
  folder: fileURLToPath(new URL('../db/migrations', import.meta.url)),
  schema: 'notifications',
};
