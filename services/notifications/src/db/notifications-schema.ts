import { pgSchema } from 'drizzle-orm/pg-core';

/** The notifications service owns this PostgreSQL schema and nothing outside it. */
export const notificationsSchema = pgSchema('notifications');
