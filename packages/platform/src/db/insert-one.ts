import type { PgTable } from 'drizzle-orm/pg-core';
import type { Database } from './database.ts';
import { executor } from './transaction.ts';

/** Inserts one row (in the ambient transaction, if any) and returns it as stored, defaults included. */
export async function insertOne<T extends PgTable>(
  db: Database,
  table: T,
  row: T['$inferInsert'],
): Promise<T['$inferSelect']> {
  const [created] = (await executor(db).insert(table).values(row).returning()) as T['$inferSelect'][];
  if (created === undefined) throw new Error('insert returned no row');
  return created;
}
