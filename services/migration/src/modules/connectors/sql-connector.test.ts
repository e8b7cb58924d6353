// The keyset reader's own behaviour, on a scripted driver: bounded look-ahead, resume keys, and
// the statements it sends. (Real databases: test/connectors-*.test.ts.)
import { describe, expect, it } from 'vitest';
import type { SourceRow } from './source-connector.ts';
import { SqlSourceConnector, type SqlDriver, type SqlResult } from './sql-connector.ts';
import { SQL_DIALECTS, type SqlStatement } from './sql-dialect.ts';

/** A driver over an in-memory sorted table of integer ids that records what it is asked. */
function scriptedDriver(ids: number[]) {
  const statements: SqlStatement[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let closed = false;
  const driver: SqlDriver = {
    dialect: SQL_DIALECTS.postgres,
    async query(statement: SqlStatement): Promise<SqlResult> {
      statements.push(statement);
      if (statement.sql.includes('information_schema.columns')) {
        return { rows: [{ column_name: 'ID', data_type: 'integer', is_nullable: 'NO' }], columns: [] };
      }
      if (statement.sql.includes('PRIMARY KEY')) return { rows: [{ column_name: 'ID' }], columns: [] };
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      const after = statement.params[0];
      const limit = Number(/LIMIT (\d+)/.exec(statement.sql)?.[1]);
      const rows: SourceRow[] = ids
        .filter((id) => typeof after !== 'number' || id > after)
        .slice(0, limit)
        .map((id) => ({ ID: id }));
      return { rows, columns: ['ID'] };
    },
    close: () => {
      closed = true;
      return Promise.resolve();
    },
  };
  return {
    driver,
    statements,
    maxInFlight: () => maxInFlight,
    closed: () => closed,
  };
}

describe('SqlSourceConnector', () => {
  it('keeps at most one batch query in flight while the caller holds a batch', async () => {
    const script = scriptedDriver(Array.from({ length: 95 }, (_, i) => i + 1));
    const connector = new SqlSourceConnector('postgres', script.driver);
    const sizes: number[] = [];
    for await (const batch of connector.read({ table: 'T' }, { batchSize: 10 })) {
      sizes.push(batch.rows.length);
      // A slow consumer: the look-ahead must not run further ahead than one batch.
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(sizes).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 5]);
    expect(script.maxInFlight()).toBe(1);
    const reads = script.statements.filter((s) => s.sql.startsWith('SELECT "ID"'));
    expect(reads.map((s) => s.params)).toEqual([[], [10], [20], [30], [40], [50], [60], [70], [80], [90]]);
  });

  it('does not ask again after a short batch', async () => {
    const script = scriptedDriver([1, 2, 3]);
    const connector = new SqlSourceConnector('postgres', script.driver);
    const batches = [];
    for await (const batch of connector.read({ table: 'T' }, { batchSize: 10 })) batches.push(batch);
    expect(batches).toHaveLength(1);
    expect(script.statements.filter((s) => s.sql.startsWith('SELECT "ID"'))).toHaveLength(1);
  });

  it('describes a table once per connector', async () => {
    const script = scriptedDriver([1, 2, 3]);
    const connector = new SqlSourceConnector('postgres', script.driver);
    await connector.describe({ table: 'T' });
    for await (const _batch of connector.read({ table: 'T' }, { batchSize: 1 })) {
      // read all
    }
    expect(script.statements.filter((s) => s.sql.includes('information_schema.columns'))).toHaveLength(1);
  });

  it('closes its driver once and refuses work afterwards', async () => {
    const script = scriptedDriver([1]);
    const connector = new SqlSourceConnector('postgres', script.driver);
    await connector.close();
    await connector.close();
    expect(script.closed()).toBe(true);
    await expect(connector.describe({ table: 'T' })).rejects.toMatchObject({ code: 'closed' });
  });
});
