import { pgSchema } from 'drizzle-orm/pg-core';

/** The catalog service owns this PostgreSQL schema and nothing outside it. */
export const catalogSchema = pgSchema('catalog');
