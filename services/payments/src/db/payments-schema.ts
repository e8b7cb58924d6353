import { pgSchema } from 'drizzle-orm/pg-core';

/** The payments service owns this PostgreSQL schema and nothing outside it. */
export const paymentsSchema = pgSchema('payments');
