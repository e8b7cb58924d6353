// SQL Server through mssql (tedious, pure JS).
//
// NOT VERIFIED AGAINST A SERVER: no SQL Server runs on this machine. The SQL it sends is
// unit-tested (sql-dialect.test.ts); this adapter is a thin, typed pass-through to the driver.
//
// Values: table reads convert DATETIME/DECIMAL to text on the server (see mssqlProject in
// sql-dialect.ts). Query sources read with `*` get tedious's values: DECIMAL as a double (exact up
// to 15 significant digits) and DATETIME as a Date whose UTC fields hold the wall-clock time
// (useUTC), which is turned back into wall-clock text here.
import mssql from 'mssql';
import type { SourceRow, SourceValue } from './source-connector.ts';
import type { SqlDriver, SqlResult } from './sql-connector.ts';
import { SQL_DIALECTS, type SqlStatement } from './sql-dialect.ts';
import type { ServerSource } from './source-url.ts';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Wall-clock text of a tedious Date (its UTC fields are the stored local time). */
export function mssqlWallClock(date: Date): string {
  return (
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.` +
    pad(date.getUTCMilliseconds(), 3)
  );
}

function normalise(row: Record<string, unknown>): SourceRow {
  const out: SourceRow = {};
  for (const [column, value] of Object.entries(row)) {
    out[column] = value instanceof Date ? mssqlWallClock(value) : (value as SourceValue);
  }
  return out;
}

/**
 * Parameter type: ASCII text as VARCHAR, so comparing with a VARCHAR key column keeps its index
 * (an NVARCHAR parameter would convert the column instead); other text as NVARCHAR.
 */
function parameterType(value: SourceValue): mssql.ISqlType | undefined {
  if (typeof value === 'string') {
    // Fixed lengths keep one cached plan per statement rather than one per value length.
    return /^\p{ASCII}*$/u.test(value) ? mssql.VarChar(8000) : mssql.NVarChar(4000);
  }
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return mssql.Float();
    // INT where it fits: an INT key column compared with a BIGINT parameter may lose its seek.
    return Math.abs(value) <= 2_147_483_647 ? mssql.Int() : mssql.BigInt();
  }
  return undefined;
}

const flag = (value: string | undefined, fallback: boolean) =>
  value === undefined ? fallback : value === 'true' || value === '1';

/** Opens a pool on a SQL Server source: `mssql://user:pass@host:1433/db?encrypt=false`. */
export async function openMssqlDriver(source: ServerSource, poolSize: number): Promise<SqlDriver> {
  const instanceName = source.options.get('instanceName');
  const pool = new mssql.ConnectionPool({
    server: source.host,
    ...(source.port === undefined ? {} : { port: source.port }),
    ...(source.user === undefined ? {} : { user: source.user }),
    ...(source.password === undefined ? {} : { password: source.password }),
    database: source.database,
    pool: { max: poolSize, min: 0 },
    options: {
      encrypt: flag(source.options.get('encrypt'), true),
      trustServerCertificate: flag(source.options.get('trustServerCertificate'), false),
      useUTC: true,
      ...(instanceName === undefined ? {} : { instanceName }),
    },
  });
  await pool.connect();
  return {
    dialect: SQL_DIALECTS.mssql,
    async query(statement: SqlStatement): Promise<SqlResult> {
      const request = pool.request();
      statement.params.forEach((value, index) => {
        const type = parameterType(value);
        const name = `p${index + 1}`;
        if (type === undefined) request.input(name, value);
        else request.input(name, type, value);
      });
      const result = await request.query<Record<string, unknown>>(statement.sql);
      const recordset = result.recordset as mssql.IRecordSet<Record<string, unknown>> | undefined;
      return {
        rows: (recordset ?? []).map(normalise),
        columns: recordset === undefined ? [] : Object.keys(recordset.columns),
      };
    },
    close: () => pool.close(),
  };
}
