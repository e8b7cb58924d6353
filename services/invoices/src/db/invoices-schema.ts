import { pgSchema } from 'drizzle-orm/pg-core';

/** The invoices service owns this PostgreSQL schema and nothing outside it. */
export const invoicesSchema = pgSchema('invoices');
