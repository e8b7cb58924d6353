import { fileURLToPath } from 'node:url';
import type { MigrationSource } from '@only/platform/db';

/** The payments schema's committed migrations. */
export const paymentsMigrations: MigrationSource = {
  folder: fileURLToPath(new URL('../db/migrations', import.meta.url)),
  schema: 'payments',
};
