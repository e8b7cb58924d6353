// Loading into real MariaDB (a database of its own, dropped afterwards) and SQLite: counts,
// determinism across loads and engines, and the dirty rows as stored.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DIRTY,
  LEGACY_TABLES,
  LegacyAcmeGenerator,
  loadLegacyAcme,
  parseLoadTarget,
  type LegacyTableName,
  type LoadResult,
} from '../src/index.ts';

// The MariaDB server to load into, where CI's infrastructure pass names one; skipped otherwise.
const MARIADB = process.env.MARIADB_URL?.replace(/\/+$/, '') ?? '';
const SCALE = 40;
const generator = new LegacyAcmeGenerator({ scale: SCALE });

function expectedCounts(): LoadResult {
  const counts = {} as Record<LegacyTableName, number>;
  for (const table of LEGACY_TABLES) counts[table.name] = [...generator.rows(table.name)].length;
  return counts;
}

/** Rows as text, in primary-key order, so two engines can be compared. */
const canonical = (rows: Record<string, unknown>[]) =>
  rows.map((row) => Object.values(row).map((value) => JSON.stringify(value)));

const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

describe.skipIf(MARIADB === '')('load into MariaDB', () => {
  const database = `legacy_acme_test_${randomBytes(5).toString('hex')}`;
  let connection: mysql.Connection;
  let result: LoadResult;

  beforeAll(async () => {
    result = await loadLegacyAcme({ target: `${MARIADB}/${database}`, scale: SCALE, batchSize: 64 });
    connection = await mysql.createConnection({ uri: `${MARIADB}/${database}`, dateStrings: true });
  });

  afterAll(async () => {
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await connection.end();
  });

  it('creates the database and loads every row of every table', async () => {
    expect(result).toEqual(expectedCounts());
    for (const table of LEGACY_TABLES) {
      const [rows] = await connection.query<mysql.RowDataPacket[]>(
        `SELECT COUNT(*) AS n FROM \`${table.name}\``,
      );
      expect(Number(rows[0]?.n), table.name).toBe(result[table.name]);
    }
  });

  it('stores the legacy types: CHAR flags, DECIMAL money, local DATETIME, composite and string keys', async () => {
    const [columns] = await connection.query<mysql.RowDataPacket[]>(
      'SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ' +
        "AND COLUMN_NAME IN ('ACTIVE_FLAG', 'GROSS_AMT', 'LIST_PRICE', 'ORDER_DATE', 'SKU') ORDER BY TABLE_NAME, COLUMN_NAME",
      [database],
    );
    expect(
      columns.map((c) => `${String(c.TABLE_NAME)}.${String(c.COLUMN_NAME)} ${String(c.COLUMN_TYPE)}`),
    ).toEqual([
      'CUSTOMERS.ACTIVE_FLAG char(1)',
      'INVOICES.GROSS_AMT decimal(12,2)',
      'ORDERS.GROSS_AMT decimal(12,2)',
      'ORDERS.ORDER_DATE datetime',
      'ORDER_LINES.SKU varchar(20)',
      'PRODUCTS.LIST_PRICE decimal(13,3)',
      'PRODUCTS.SKU varchar(20)',
      'STOCK.SKU varchar(20)',
    ]);
    const [keys] = await connection.query<mysql.RowDataPacket[]>(
      "SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'ORDER_LINES' " +
        "AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION",
      [database],
    );
    expect(keys.map((k) => String(k.COLUMN_NAME))).toEqual(['ORDER_NO', 'LINE_NO']);
  });

  it('holds the rows exactly as generated, dirty ones included', async () => {
    const [customers] = await connection.query<mysql.RowDataPacket[]>(
      'SELECT * FROM CUSTOMERS ORDER BY CUST_ID',
    );
    expect(customers.map((row) => ({ ...row }))).toEqual([...generator.rows('CUSTOMERS')]);
    const [dirty] = await connection.query<mysql.RowDataPacket[]>(
      'SELECT QTY FROM ORDER_LINES WHERE ORDER_NO = ? AND LINE_NO = ?',
      [DIRTY.negativeQuantityOrder, DIRTY.negativeQuantityLine],
    );
    expect(dirty[0]?.QTY).toBe(-1);
    const [price] = await connection.query<mysql.RowDataPacket[]>(
      "SELECT LIST_PRICE FROM PRODUCTS WHERE LIST_PRICE LIKE '%.345'",
    );
    expect(price.map((row) => String(row.LIST_PRICE))).toEqual(['12.345']);
    const [blank] = await connection.query<mysql.RowDataPacket[]>(
      "SELECT CUST_ID FROM CUSTOMERS WHERE TRIM(CUST_NAME) = ''",
    );
    expect(blank.map((row) => Number(row.CUST_ID))).toEqual([DIRTY.blankNameCustomer]);
    const [orphans] = await connection.query<mysql.RowDataPacket[]>(
      'SELECT o.ORDER_NO FROM ORDERS o LEFT JOIN CUSTOMERS c ON c.CUST_ID = o.CUST_ID WHERE c.CUST_ID IS NULL',
    );
    expect(orphans.map((row) => Number(row.ORDER_NO))).toEqual([DIRTY.missingCustomerOrder]);
  });

  it('replaces the tables on a second load, with the same content', async () => {
    const before = await connection.query<mysql.RowDataPacket[]>(
      'SELECT * FROM ORDER_LINES ORDER BY ORDER_NO, LINE_NO',
    );
    await connection.query('DELETE FROM ORDER_LINES WHERE LINE_NO = 1');
    const again = await loadLegacyAcme({ target: `${MARIADB}/${database}`, scale: SCALE });
    expect(again).toEqual(result);
    const after = await connection.query<mysql.RowDataPacket[]>(
      'SELECT * FROM ORDER_LINES ORDER BY ORDER_NO, LINE_NO',
    );
    expect(hash(canonical(after[0]))).toBe(hash(canonical(before[0])));
  });
});

describe('load into SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'legacy-acme-'));
  const path = join(dir, 'legacy.db');
  let result: LoadResult;
  let db: DatabaseSync;

  beforeAll(async () => {
    result = await loadLegacyAcme({ target: `sqlite:${path}`, scale: SCALE });
    db = new DatabaseSync(path, { readOnly: true });
  });

  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads every row of every table', () => {
    expect(result).toEqual(expectedCounts());
    for (const table of LEGACY_TABLES) {
      const row = db.prepare(`SELECT COUNT(*) AS n FROM "${table.name}"`).get() as { n: number };
      expect(row.n, table.name).toBe(result[table.name]);
    }
  });

  it('holds the same rows as MariaDB would, in text form (SQLite stores DECIMAL as REAL)', () => {
    const lines = db.prepare('SELECT * FROM ORDER_LINES ORDER BY ORDER_NO, LINE_NO').all();
    const generated = [...generator.rows('ORDER_LINES')].map((row) => ({
      ...row,
      UNIT_PRICE: Number(row.UNIT_PRICE),
      TAX_RATE: Number(row.TAX_RATE),
      LINE_AMT: Number(row.LINE_AMT),
    }));
    expect(lines.map((row) => ({ ...row }))).toEqual(generated);
    const price = db
      .prepare("SELECT typeof(LIST_PRICE) AS t, LIST_PRICE AS p FROM PRODUCTS WHERE SKU LIKE '%-000004'")
      .get();
    expect(price).toEqual({ t: 'real', p: 12.345 });
  });

  it('gives the same file content on a second load', async () => {
    const dump = () =>
      LEGACY_TABLES.map((table) =>
        hash(
          db
            .prepare(
              `SELECT * FROM "${table.name}" ORDER BY ${table.primaryKey.map((c) => `"${c}"`).join(', ')}`,
            )
            .all(),
        ),
      );
    const before = dump();
    await loadLegacyAcme({ target: `sqlite:${path}`, scale: SCALE });
    expect(dump()).toEqual(before);
  });
});

describe('parseLoadTarget', () => {
  it('reads MariaDB and SQLite targets', () => {
    expect(parseLoadTarget('mysql://root@127.0.0.1:3306/legacy_acme')).toEqual({
      kind: 'mysql',
      host: '127.0.0.1',
      port: 3306,
      user: 'root',
      password: undefined,
      database: 'legacy_acme',
    });
    expect(parseLoadTarget('mariadb://u:p%40ss@db/acme')).toMatchObject({
      host: 'db',
      port: 3306,
      password: 'p@ss',
    });
    expect(parseLoadTarget('sqlite:data/legacy.db')).toEqual({ kind: 'sqlite', path: 'data/legacy.db' });
    expect(parseLoadTarget('sqlite:///tmp/legacy.db')).toEqual({ kind: 'sqlite', path: '/tmp/legacy.db' });
  });

  it('refuses other targets and unsafe database names', () => {
    expect(() => parseLoadTarget('postgres://x/y')).toThrow(/unsupported target/);
    expect(() => parseLoadTarget('mysql://root@db/')).toThrow(/database name/);
    expect(() => parseLoadTarget('mysql://root@db/a;drop')).toThrow(/database name/);
    expect(() => parseLoadTarget('sqlite:')).toThrow(/file path/);
  });
});
