import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '@only/platform/db';

/**
 * Remembers which seeds ran, in the CLI's own tiny schema, so demo data is created on the first
 * start only (and not again after the user deleted it).
 */
export async function seedAlreadyRan(db: Database, name: string): Promise<boolean> {
  await db.execute(sql`create schema if not exists only_cli`);
  await db.execute(
    sql`create table if not exists only_cli.seed_runs (name text primary key, applied_at timestamptz not null default now())`,
  );
  const rows = await queryRows<{ name: string }>(
    db,
    sql`select name from only_cli.seed_runs where name = ${name}`,
  );
  return rows.length > 0;
}

export async function markSeedRan(db: Database, name: string): Promise<void> {
  await db.execute(sql`insert into only_cli.seed_runs (name) values (${name}) on conflict do nothing`);
}
