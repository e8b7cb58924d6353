import { randomBytes } from 'node:crypto';
import { openDatabase, pgliteHandle, type DatabaseHandle, type MigrationSource } from '@only/platform/db';
import { openTemplatedPglite } from './pglite-template.ts';
import pg from 'pg';

/** A database for one test file: PGlite in memory, or a fresh PostgreSQL database. */
export interface TestDatabase {
  readonly handle: DatabaseHandle;
  /** What the suite runs against, for test names and skips. */
  readonly kind: 'pglite' | 'postgres';
  /** Closes the connection and, on PostgreSQL, drops the database. */
  close(): Promise<void>;
}

/**
 * Opens a throw-away database and applies `migrations`. Without `DATABASE_URL` it is PGlite in
 * memory; with it, a new database is created on that server (and dropped by `close`), so the same
 * API suites run against real PostgreSQL.
 */
export async function createTestDatabase(migrations: readonly MigrationSource[] = []): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl === undefined || serverUrl === '' || serverUrl.startsWith('pglite:')) {
    const handle = pgliteHandle(await openTemplatedPglite());
    for (const source of migrations) await handle.migrate(source);
    return { handle, kind: 'pglite', close: () => handle.close() };
  }
  const name = `only_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), poolSize: 10, applicationName: 'only-tests' });
  for (const source of migrations) await handle.migrate(source);
  return {
    handle,
    kind: 'postgres',
    close: async () => {
      await handle.close();
      await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

async function adminQuery(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
