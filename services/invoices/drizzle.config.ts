import { defineConfig } from 'drizzle-kit';

// `npm run db:generate -w @only/invoices` writes a new SQL migration after a change to the tables.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './db/migrations',
  schemaFilter: ['invoices'],
});
