import { pgSchema } from 'drizzle-orm/pg-core';

/** The identity service owns this PostgreSQL schema and nothing outside it. */
export const identitySchema = pgSchema('identity');
