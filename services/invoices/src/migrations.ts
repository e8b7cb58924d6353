import { fileURLToPath } from 'node:url';
import type { MigrationSource } from '@only/platform/db';

/** The invoices schema's committed migrations. */
export const invoicesMigrations: MigrationSource = {
  folder: fileURLToPath(new URL('../db/migrations', import.meta.url)),
  schema: 'invoices',
};
