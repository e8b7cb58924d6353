// Loads the generated legacy data into MariaDB/MySQL (multi-row INSERT batches) or SQLite
// (node:sqlite, one prepared INSERT per row inside a transaction). Tables are dropped and
// re-created; rows stream from the generator, so memory stays flat whatever the scale.
import { DatabaseSync } from 'node:sqlite';
import mysql from 'mysql2/promise';
import { LegacyAcmeGenerator } from './generator.ts';
import { LEGACY_TABLES, legacyDdl, type LegacyTableName } from './legacy-schema.ts';
import { parseLoadTarget, type LoadTarget } from './load-target.ts';

/** Options of {@link loadLegacyAcme}. */
export interface LoadOptions {
  /** `mysql://root@127.0.0.1:3306/legacy_acme` or `sqlite:path/to/legacy.db`. */
  readonly target: string | LoadTarget;
  readonly scale: number;
  readonly seed?: number;
  /** Rows per INSERT statement on MariaDB (default 1000). */
  readonly batchSize?: number;
  /** Called after each table with its row count. */
  readonly onTable?: (table: LegacyTableName, rows: number) => void;
}

/** Rows written per table. */
export type LoadResult = Record<LegacyTableName, number>;

/** Generates the legacy ACME data at `scale` and loads it into `target`, replacing what was there. */
export async function loadLegacyAcme(options: LoadOptions): Promise<LoadResult> {
  const target = typeof options.target === 'string' ? parseLoadTarget(options.target) : options.target;
  const generator = new LegacyAcmeGenerator({
    scale: options.scale,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  if (target.kind === 'sqlite') return loadIntoSqlite(target.path, generator, options.onTable);
  return loadIntoMysql(target, generator, options.batchSize ?? 1000, options.onTable);
}

async function loadIntoMysql(
  target: Extract<LoadTarget, { kind: 'mysql' }>,
  generator: LegacyAcmeGenerator,
  batchSize: number,
  onTable: LoadOptions['onTable'],
): Promise<LoadResult> {
  const connection = await mysql.createConnection({
    host: target.host,
    port: target.port,
    user: target.user,
    ...(target.password === undefined ? {} : { password: target.password }),
    // The legacy app ran its sessions in local time; DATETIME is zone-less anyway.
    dateStrings: true,
  });
  try {
    // The name was checked against [A-Za-z0-9_$] when the target was parsed.
    await connection.query(`CREATE DATABASE IF NOT EXISTS \`${target.database}\` CHARACTER SET utf8mb4`);
    await connection.query(`USE \`${target.database}\``);
    for (const statement of legacyDdl('mysql')) await connection.query(statement);
    const result = emptyResult();
    for (const table of LEGACY_TABLES) {
      const columns = table.columns.map((c) => c.name);
      const insert = `INSERT INTO \`${table.name}\` (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES ?`;
      let batch: (string | number | null)[][] = [];
      let count = 0;
      await connection.beginTransaction();
      for (const row of generator.rows(table.name)) {
        batch.push(columns.map((c) => row[c] ?? null));
        if (batch.length >= batchSize) {
          await connection.query(insert, [batch]);
          count += batch.length;
          batch = [];
        }
      }
      if (batch.length > 0) {
        await connection.query(insert, [batch]);
        count += batch.length;
      }
      await connection.commit();
      result[table.name] = count;
      onTable?.(table.name, count);
    }
    return result;
  } finally {
    await connection.end();
  }
}

function loadIntoSqlite(
  path: string,
  generator: LegacyAcmeGenerator,
  onTable: LoadOptions['onTable'],
): LoadResult {
  const db = new DatabaseSync(path);
  try {
    // A fresh bulk load: durability of half-loaded data does not matter, speed does.
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF');
    for (const statement of legacyDdl('sqlite')) db.exec(statement);
    const result = emptyResult();
    for (const table of LEGACY_TABLES) {
      const columns = table.columns.map((c) => c.name);
      const insert = db.prepare(
        `INSERT INTO "${table.name}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns
          .map(() => '?')
          .join(', ')})`,
      );
      let count = 0;
      db.exec('BEGIN');
      try {
        for (const row of generator.rows(table.name)) {
          insert.run(...columns.map((c) => row[c] ?? null));
          count++;
        }
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
      result[table.name] = count;
      onTable?.(table.name, count);
    }
    return result;
  } finally {
    db.close();
  }
}

function emptyResult(): LoadResult {
  return {
    ORD_STATUS_CODES: 0,
    CUSTOMERS: 0,
    PRODUCTS: 0,
    STOCK: 0,
    ORDERS: 0,
    ORDER_LINES: 0,
    INVOICES: 0,
    PAYMENTS: 0,
  };
}
