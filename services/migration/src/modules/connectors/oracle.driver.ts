// Oracle through node-oracledb in Thin mode: pure JavaScript, no Oracle Client install.
//
// NOT VERIFIED AGAINST A SERVER: no Oracle database runs on this machine. The SQL it sends is
// unit-tested (sql-dialect.test.ts), and so is the column conversion below (oracle.driver.test.ts).
//
// Values: NUMBER with decimals (or without declared precision) is fetched as text so it stays
// exact; table reads convert DATE/TIMESTAMP to text on the server (oracleProject in sql-dialect.ts).
// Query sources read with `*` get node-oracledb's Dates, built in the Node process's local time
// zone from the stored wall-clock fields, which are read back with the local getters here.
import { createRequire } from 'node:module';
import type { SourceRow, SourceValue } from './source-connector.ts';
import type { SqlDriver, SqlResult } from './sql-connector.ts';
import { SQL_DIALECTS, type SqlStatement } from './sql-dialect.ts';
import type { ServerSource } from './source-url.ts';

/** The column metadata node-oracledb hands to a fetch type handler. */
export interface OracleColumnMetadata {
  readonly name: string;
  readonly dbType: unknown;
  readonly precision?: number;
  readonly scale?: number;
}

// The slice of node-oracledb used here (the package ships no type declarations).
interface OracleConnection {
  execute(
    sql: string,
    binds: unknown[],
    options: {
      outFormat: number;
      fetchTypeHandler: (metadata: OracleColumnMetadata) => { type: unknown } | undefined;
    },
  ): Promise<{ rows?: Record<string, unknown>[]; metaData?: { name: string }[] }>;
  close(): Promise<void>;
}
interface OraclePool {
  getConnection(): Promise<OracleConnection>;
  close(drainSeconds?: number): Promise<void>;
}
interface OracleDb {
  readonly OUT_FORMAT_OBJECT: number;
  readonly STRING: unknown;
  readonly DB_TYPE_NUMBER: unknown;
  readonly DB_TYPE_CLOB: unknown;
  readonly DB_TYPE_NCLOB: unknown;
  createPool(options: {
    user?: string;
    password?: string;
    connectString: string;
    poolMin: number;
    poolMax: number;
  }): Promise<OraclePool>;
}

/** Largest precision whose integers are exact as JS numbers (15 digits always are). */
const SAFE_DIGITS = 15;

/**
 * How a column is fetched: integers of known small precision as numbers; every other NUMBER,
 * and CLOBs, as text.
 */
export function oracleFetchAs(
  metadata: OracleColumnMetadata,
  types: { NUMBER: unknown; CLOB: unknown; NCLOB: unknown },
): 'string' | 'default' {
  if (metadata.dbType === types.NUMBER) {
    const precision = metadata.precision ?? 0;
    const scale = metadata.scale ?? 0;
    const exactInteger = scale === 0 && precision > 0 && precision <= SAFE_DIGITS;
    return exactInteger ? 'default' : 'string';
  }
  if (metadata.dbType === types.CLOB || metadata.dbType === types.NCLOB) return 'string';
  return 'default';
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Wall-clock text of a node-oracledb Date (its local fields are the stored DATE). */
export function oracleWallClock(date: Date): string {
  return (
    `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

function normalise(row: Record<string, unknown>): SourceRow {
  const out: SourceRow = {};
  for (const [column, value] of Object.entries(row)) {
    out[column] = value instanceof Date ? oracleWallClock(value) : (value as SourceValue);
  }
  return out;
}

/** Oracle SQL has no boolean bind type before 23ai: booleans go as 1/0. */
function bind(value: SourceValue): unknown {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

/** Opens a Thin-mode pool on an Oracle source: `oracle://user:pass@host:1521/SERVICE_NAME`. */
export async function openOracleDriver(source: ServerSource, poolSize: number): Promise<SqlDriver> {
  const require = createRequire(import.meta.url);
  const oracledb = require('oracledb') as OracleDb;
  const pool = await oracledb.createPool({
    ...(source.user === undefined ? {} : { user: source.user }),
    ...(source.password === undefined ? {} : { password: source.password }),
    connectString: `${source.host}:${source.port ?? 1521}/${source.database}`,
    poolMin: 0,
    poolMax: poolSize,
  });
  const types = {
    NUMBER: oracledb.DB_TYPE_NUMBER,
    CLOB: oracledb.DB_TYPE_CLOB,
    NCLOB: oracledb.DB_TYPE_NCLOB,
  };
  const fetchTypeHandler = (metadata: OracleColumnMetadata) =>
    oracleFetchAs(metadata, types) === 'string' ? { type: oracledb.STRING } : undefined;
  return {
    dialect: SQL_DIALECTS.oracle,
    async query(statement: SqlStatement): Promise<SqlResult> {
      const connection = await pool.getConnection();
      try {
        const result = await connection.execute(statement.sql, statement.params.map(bind), {
          outFormat: oracledb.OUT_FORMAT_OBJECT,
          fetchTypeHandler,
        });
        return {
          rows: (result.rows ?? []).map(normalise),
          columns: (result.metaData ?? []).map((column) => column.name),
        };
      } finally {
        await connection.close();
      }
    },
    close: () => pool.close(0),
  };
}
