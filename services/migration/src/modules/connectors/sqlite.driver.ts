// SQLite through node:sqlite (built into Node 24), opened read-only. SQLite stores DECIMAL columns
// as REAL or INTEGER (numeric affinity), so money arrives as a number; its shortest decimal text is
// exact for up to 15 significant digits, which the mapping's money transform relies on. Verified
// against real files (test/connectors-sqlite.test.ts).
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { SourceRow, SourceValue } from './source-connector.ts';
import type { SqlDriver, SqlResult } from './sql-connector.ts';
import { SQL_DIALECTS, type SqlStatement } from './sql-dialect.ts';

const MAX_CACHED_STATEMENTS = 64;

type Bindable = string | number | bigint | null | Uint8Array;

function bindable(value: SourceValue): Bindable {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/** Rows read with bigints: integers that fit become numbers, larger ones decimal text. */
function withoutBigInts(row: Record<string, unknown>): SourceRow {
  const out: SourceRow = {};
  for (const [column, value] of Object.entries(row)) {
    if (typeof value === 'bigint') {
      const n = Number(value);
      out[column] = Number.isSafeInteger(n) ? n : value.toString();
    } else {
      out[column] = value as SourceValue;
    }
  }
  return out;
}

const isOutOfRange = (error: unknown) =>
  error instanceof Error && (error as Error & { code?: string }).code === 'ERR_OUT_OF_RANGE';

/** Opens an SQLite file read-only. */
export function openSqliteDriver(path: string): SqlDriver {
  const db = new DatabaseSync(path, { readOnly: true });
  // Keyset batches repeat the same few statements: prepare each once.
  const statements = new Map<string, StatementSync>();
  const prepare = (sql: string): StatementSync => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      if (statements.size >= MAX_CACHED_STATEMENTS) statements.clear();
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  return {
    dialect: SQL_DIALECTS.sqlite,
    query(statement: SqlStatement): Promise<SqlResult> {
      try {
        const prepared = prepare(statement.sql);
        const params = statement.params.map(bindable);
        const columns = prepared.columns().map((column) => column.name);
        let rows: SourceRow[];
        try {
          // Fast path: plain numbers. An integer beyond 2^53 makes node:sqlite throw instead.
          rows = prepared.all(...params) as SourceRow[];
        } catch (error) {
          if (!isOutOfRange(error)) throw error;
          prepared.setReadBigInts(true);
          try {
            rows = (prepared.all(...params) as Record<string, unknown>[]).map(withoutBigInts);
          } finally {
            prepared.setReadBigInts(false);
          }
        }
        return Promise.resolve({ rows, columns });
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    close(): Promise<void> {
      statements.clear();
      db.close();
      return Promise.resolve();
    },
  };
}
