import { pgSchema } from 'drizzle-orm/pg-core';

/** The orders service owns this PostgreSQL schema and nothing outside it. */
export const ordersSchema = pgSchema('orders');
