// MySQL/MariaDB through mysql2: DECIMAL stays text, DATETIME stays zone-less text, BIGINT is a
// number only where exact. Verified against MariaDB 10.11 (test/connectors-mariadb.test.ts).
import mysql from 'mysql2/promise';
import type { FieldPacket, RowDataPacket } from 'mysql2/promise';
import type { SourceRow } from './source-connector.ts';
import type { SqlDriver, SqlResult } from './sql-connector.ts';
import { SQL_DIALECTS, type SqlStatement } from './sql-dialect.ts';
import type { ServerSource } from './source-url.ts';

/** Opens a pool on a MySQL/MariaDB source. */
export function openMysqlDriver(source: ServerSource, poolSize: number): SqlDriver {
  const pool = mysql.createPool({
    host: source.host,
    port: source.port ?? 3306,
    ...(source.user === undefined ? {} : { user: source.user }),
    ...(source.password === undefined ? {} : { password: source.password }),
    database: source.database,
    connectionLimit: poolSize,
    charset: 'utf8mb4',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: false,
    // JSON arrives as its text, like every other source: values are scalars.
    typeCast: (field, next) => (field.type === 'JSON' ? field.string('utf8') : next()),
  });
  return {
    dialect: SQL_DIALECTS.mysql,
    async query(statement: SqlStatement): Promise<SqlResult> {
      const [rows, fields] = await pool.query<RowDataPacket[]>({
        sql: statement.sql,
        values: [...statement.params],
      });
      // mysql2 rows are plain objects of the scalar types the pool options above produce.
      const sourceRows: SourceRow[] = rows;
      return { rows: sourceRows, columns: fields.map((field: FieldPacket) => field.name) };
    },
    close: () => pool.end(),
  };
}
