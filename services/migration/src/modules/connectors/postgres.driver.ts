// PostgreSQL through pg: every type but a few plain scalars arrives as the server's text, so
// numeric stays exact and timestamp (without time zone) stays local wall-clock text. Verified
// against PostgreSQL 15 (test/connectors-postgres.test.ts).
import pg from 'pg';
import { ConnectorError, type SourceRow } from './source-connector.ts';
import type { SqlDriver, SqlResult } from './sql-connector.ts';
import { SQL_DIALECTS, type SqlStatement } from './sql-dialect.ts';
import type { ServerSource } from './source-url.ts';

const OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  float4: 700,
  float8: 701,
  timestamptz: 1184,
};

const int8 = (text: string): number | string => {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
};
// The session runs in UTC, so timestamptz text ends in +00: make it ISO 8601.
const timestamptz = (text: string): string => text.replace(' ', 'T').replace(/\+00$/, 'Z');
const raw = (text: string): string => text;

/** Parsers by type oid: scalars become JS values, everything else keeps the server's text. */
function parserFor(oid: number): (text: string) => unknown {
  switch (oid) {
    case OID.bool:
      return (text) => text === 't';
    case OID.bytea:
      return pg.types.getTypeParser(pg.types.builtins.BYTEA, 'text') as (text: string) => Buffer;
    case OID.int2:
    case OID.int4:
    case OID.float4:
    case OID.float8:
      // Number() reads NaN and Infinity too.
      return Number;
    case OID.int8:
      return int8;
    case OID.timestamptz:
      return timestamptz;
    default:
      return raw;
  }
}

/** Opens a pool on a PostgreSQL source; `?schema=` sets the search path. */
export function openPostgresDriver(source: ServerSource, poolSize: number): SqlDriver {
  const url = new URL(source.url.replace(/^postgresql:/, 'postgres:'));
  const schema = url.searchParams.get('schema');
  url.searchParams.delete('schema');
  if (schema !== null && !/^[A-Za-z_][A-Za-z0-9_$]*$/.test(schema)) {
    throw new ConnectorError('invalid_url', `?schema= must be a plain identifier, got "${schema}"`);
  }
  const settings = ['-c TimeZone=UTC', ...(schema === null ? [] : [`-c search_path=${schema}`])];
  const pool = new pg.Pool({
    connectionString: url.toString(),
    max: poolSize,
    application_name: 'only-migration',
    options: settings.join(' '),
    types: { getTypeParser: parserFor as typeof pg.types.getTypeParser },
  });
  return {
    dialect: SQL_DIALECTS.postgres,
    async query(statement: SqlStatement): Promise<SqlResult> {
      const result = await pool.query<SourceRow>({ text: statement.sql, values: [...statement.params] });
      return { rows: result.rows, columns: result.fields.map((field) => field.name) };
    },
    close: () => pool.end(),
  };
}
