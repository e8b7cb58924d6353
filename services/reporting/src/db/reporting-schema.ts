import { pgSchema } from 'drizzle-orm/pg-core';

/** The reporting service owns this PostgreSQL schema and nothing outside it. */
export const reportingSchema = pgSchema('reporting');
