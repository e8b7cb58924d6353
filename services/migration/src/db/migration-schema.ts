import { pgSchema } from 'drizzle-orm/pg-core';

/** The migration service owns this PostgreSQL schema and nothing outside it. */
export const migrationSchema = pgSchema('migration');
