import { platformTables, rowLevelSecuritySql, type Database } from '@only/platform/db';
import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';
import { pgSchema } from 'drizzle-orm/pg-core';

/**
 * Creates the platform tables (outbox, processed_messages, idempotency_keys) in a schema of their
 * own, with DDL that drizzle-kit generates from `platformTables` — the same source the services'
 * migrations come from, so the two cannot drift. Pair it with `platformTables(pgSchema(name))` to
 * test the platform without a service's migrations. Row-level security is applied as after a
 * service's migrations.
 */
export async function createPlatformSchema(db: Database, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Not a plain schema name: ${schema}`);
  const pg = pgSchema(schema);
  const statements = await generateMigration(
    generateDrizzleJson({}),
    generateDrizzleJson({ schema: pg, ...platformTables(pg) }),
  );
  for (const statement of statements) await db.execute(statement);
  await db.execute(rowLevelSecuritySql(schema));
}
