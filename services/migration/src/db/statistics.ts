// Planner statistics after bulk writes: PostgreSQL has none for a table filled in one go until
// autovacuum comes by, and plans every lookup into it as if it were empty.
import { queryRows, type Database } from '@only/platform/db';
import { sql } from 'drizzle-orm';

/**
 * Brings the planner statistics of `tables` up to date where they are missing or stale (as
 * autovacuum would, but now): right after a bulk load PostgreSQL has none, takes every join for a
 * one-row affair and picks nested loops that turn an aggregate over 10 000 rows into minutes.
 * Runs with the connection's own role (outside any tenant scope); where it may not ANALYZE, the
 * tables are left to autovacuum.
 */
export async function refreshStatistics(db: Database, tables: readonly string[]): Promise<string[]> {
  const stale = await queryRows<{ name: string }>(
    db,
    sql`select schemaname || '.' || relname as name from pg_stat_user_tables
      where schemaname || '.' || relname in (select jsonb_array_elements_text(${JSON.stringify([...new Set(tables)])}::jsonb))
        and (coalesce(last_analyze, last_autoanalyze) is null or n_mod_since_analyze > 0.1 * n_live_tup + 1000)`,
  );
  const analyzed: string[] = [];
  for (const { name } of stale) {
    const [schema, table] = name.split('.');
    if (schema === undefined || table === undefined) continue;
    try {
      await queryRows(db, sql`analyze ${sql.identifier(schema)}.${sql.identifier(table)}`);
      analyzed.push(name);
    } catch {
      // Not the owner: autovacuum will get to it.
    }
  }
  return analyzed;
}
