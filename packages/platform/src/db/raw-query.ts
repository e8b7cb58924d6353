import type { SQL } from 'drizzle-orm';
import type { Database } from './database.ts';
import { executor } from './transaction.ts';

/**
 * Runs raw SQL (in the open transaction, if any) and returns its rows. Both drivers return
 * `{ rows }`; this hides the difference in their result types.
 */
export async function queryRows<T extends Record<string, unknown>>(db: Database, query: SQL): Promise<T[]> {
  const result: unknown = await executor(db).execute(query);
  return (result as { rows: T[] }).rows;
}
